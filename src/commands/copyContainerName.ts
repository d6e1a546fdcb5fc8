// Copies a container's name to the clipboard (from its row, or chosen in a quick pick).
import * as vscode from 'vscode';
import { defineCommand } from '../services';
import { containerArg } from './targets';

export const copyContainerName = defineCommand({
  id: 'containerVolumes.copyContainerName',
  async run(services, { target }) {
    const { name } = await containerArg(services, target);
    await vscode.env.clipboard.writeText(name);
    return name;
  },
});
