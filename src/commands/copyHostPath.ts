// Copies the host path behind a mount: a bind mount's folder, or a volume's mountpoint; only for an
// engine on this machine (the menu hides it for a remote engine, and a call from elsewhere is refused).
import * as vscode from 'vscode';
import { mountTypeText } from '../core/message';
import { say } from '../coreText';
import { defineCommand } from '../services';
import { mountArg } from './targets';

export const copyHostPath = defineCommand({
  id: 'containerVolumes.copyHostPath',
  async run(services, { target }) {
    const { mount } = await mountArg(services, target);
    const engine = services.engine.get();
    if (!engine.local && mount.source) {
      throw new Error(vscode.l10n.t('{0} is a path on the engine host {1}, which is not this machine.', mount.source, engine.endpoint.host));
    }
    if (!mount.source) throw new Error(vscode.l10n.t('{0} is a {1}: it has no host path.', mount.destination, say(mountTypeText(mount.type))));
    await vscode.env.clipboard.writeText(mount.source);
    return mount.source;
  },
});
