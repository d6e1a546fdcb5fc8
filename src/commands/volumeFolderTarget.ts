// What "Open in New Window" and "Add to Workspace" open: a volume ({ volumeName }, or picked), or a
// container's mount (MountTarget). A bind mount is its host folder (a plain file: URI) when the
// engine runs on this machine; a volume is a `docker-volume:` folder, read-only for a :ro mount.
import * as vscode from 'vscode';
import { mountTypeText } from '../core/message';
import { engineIdOf, volumeUri } from '../fs/volumeUri';
import { say } from '../coreText';
import type { Services, Target } from '../services';
import { mountArg, volumeArg } from './targets';

export interface FolderToOpen {
  readonly uri: vscode.Uri;
  readonly name: string;
}

export async function volumeFolderTarget(services: Services, target: Target): Promise<FolderToOpen> {
  const engine = services.engine.get();
  const engineId = engineIdOf(engine.endpoint);
  // A mount row, or a container (its mount asked); a volume's user row is about the volume.
  if (target.kind === 'mount' || target.kind === 'container') {
    const t = await mountArg(services, target);
    const m = t.mount;
    if (m.type === 'volume' && m.volumeName) {
      return {
        uri: volumeUri(engineId, m.volumeName, { readOnly: m.readOnly }),
        name: m.readOnly ? vscode.l10n.t('{0} (read-only)', `${t.containerName}:${m.destination}`) : `${t.containerName}:${m.destination}`,
      };
    }
    if (m.type === 'bind') {
      if (!engine.local) throw new Error(vscode.l10n.t('{0} is a folder on the engine host {1}, which is not this machine.', m.source, engine.endpoint.host));
      return { uri: vscode.Uri.file(m.source), name: `${t.containerName}:${m.destination}` };
    }
    throw new Error(vscode.l10n.t('{0} is a {1}: it has no files to open.', m.destination, say(mountTypeText(m.type))));
  }
  const v = await volumeArg(services, target, () => true, vscode.l10n.t('Choose a volume to open'));
  return { uri: volumeUri(engineId, v.name), name: vscode.l10n.t('volume {0}', v.anonymous ? v.name.slice(0, 12) : v.name) };
}
