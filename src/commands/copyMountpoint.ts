// Copies where a volume's data lives on the engine's host (the seed's "hard to find" path).
import * as vscode from 'vscode';
import type { CommandSpec } from '../services';
import { volumeArg } from './targets';

export const copyMountpoint: CommandSpec = {
  id: 'containerVolumes.copyMountpoint',
  async run(services, arg) {
    const v = await volumeArg(services, arg);
    await vscode.env.clipboard.writeText(v.mountpoint);
    return v.mountpoint;
  },
};
