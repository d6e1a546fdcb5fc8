// Opens a volume (or a container's mount) as the folder of a new window.
import * as vscode from 'vscode';
import { defineCommand } from '../services';
import { volumeFolderTarget } from './volumeFolderTarget';

export const openVolumeInNewWindow = defineCommand({
  id: 'containerVolumes.openVolumeInNewWindow',
  async run(services, { target }) {
    const { uri } = await volumeFolderTarget(services, target);
    await vscode.commands.executeCommand('vscode.openFolder', uri, { forceNewWindow: true });
    return uri.toString();
  },
});
