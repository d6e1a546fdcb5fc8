// Copies the name of a volume (or of the volume behind a mount) to the clipboard. A container's
// name has its own command (copyContainerName), so each menu item says what it copies.
import * as vscode from 'vscode';
import { defineCommand } from '../services';
import { volumeArg } from './targets';

export const copyName = defineCommand({
  id: 'containerVolumes.copyName',
  async run(services, { target }) {
    const { name } = await volumeArg(services, target);
    await vscode.env.clipboard.writeText(name);
    return name;
  },
});
