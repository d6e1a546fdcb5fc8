// Copies the name of a volume (or of the volume behind a mount) to the clipboard. A container's
// name has its own command (copyContainerName), so each menu item says what it copies.
import * as vscode from 'vscode';
import type { CommandSpec } from '../services';
import { volumeArg } from './targets';

export const copyName: CommandSpec = {
  id: 'containerVolumes.copyName',
  async run(services, arg) {
    const { name } = await volumeArg(services, arg);
    await vscode.env.clipboard.writeText(name);
    return name;
  },
};
