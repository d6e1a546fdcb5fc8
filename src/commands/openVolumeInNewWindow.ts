// Opens a volume (or a container's mount) as the folder of a new window.
import * as vscode from 'vscode';
import type { CommandSpec } from '../services';
import { volumeFolderTarget } from './volumeFolderTarget';

export const openVolumeInNewWindow: CommandSpec = {
  id: 'containerVolumes.openVolumeInNewWindow',
  async run(services, arg) {
    const { uri } = await volumeFolderTarget(services, arg);
    await vscode.commands.executeCommand('vscode.openFolder', uri, { forceNewWindow: true });
    return uri.toString();
  },
};
