// Copies a container's name to the clipboard (from its row, or chosen in a quick pick).
import * as vscode from 'vscode';
import type { CommandSpec } from '../services';
import { containerArg } from './targets';

export const copyContainerName: CommandSpec = {
  id: 'containerVolumes.copyContainerName',
  async run(services, arg) {
    const { name } = await containerArg(services, arg);
    await vscode.env.clipboard.writeText(name);
    return name;
  },
};
