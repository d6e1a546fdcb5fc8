// Copies the name of a volume (or of the volume behind a mount, or a container) to the clipboard.
import * as vscode from 'vscode';
import type { CommandSpec } from '../services';
import { argObject, volumeArg } from './targets';

export const copyName: CommandSpec = {
  id: 'containerVolumes.copyName',
  async run(services, arg) {
    const o = argObject(arg);
    const text = typeof o.volumeName === 'string' || !(typeof o.containerName === 'string')
      ? (await volumeArg(services, arg)).name
      : o.containerName;
    await vscode.env.clipboard.writeText(text);
    return text;
  },
};
