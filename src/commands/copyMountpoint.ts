// Copies where a volume's data lives on the engine's host (the seed's "hard to find" path); only
// for an engine on this machine (a remote engine's path is no path here: the menu hides it too).
import * as vscode from 'vscode';
import { defineCommand } from '../services';
import { volumeArg } from './targets';

export const copyMountpoint = defineCommand({
  id: 'containerVolumes.copyMountpoint',
  async run(services, { target }) {
    const v = await volumeArg(services, target);
    const engine = services.engine.get();
    if (!engine.local) throw new Error(vscode.l10n.t('{0} is a path on the engine host {1}, which is not this machine.', v.mountpoint, engine.endpoint.host));
    await vscode.env.clipboard.writeText(v.mountpoint);
    return v.mountpoint;
  },
});
