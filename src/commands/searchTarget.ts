// What Go to File, Find in Volume and Show Disk Usage act on: a `docker-volume:` folder (the
// Explorer's context menu), a volume or a container's volume mount (the views), or from the palette
// the volume of the active editor, the one volume folder of the workspace, else a volume to pick.
import * as vscode from 'vscode';
import { VOLUME_SCHEME } from '../fs/volumeUri';
import { targetOf, type SearchTarget } from '../model/VolumeSearch';
import type { Services, Target } from '../services';
import { volumeLabel } from '../tree/describe';
import { volumeFolderTarget } from './volumeFolderTarget';

export async function searchTarget(services: Services, target: Target): Promise<SearchTarget> {
  const t = await resolve(services, target);
  const v = services.inventory.current?.volumes.find((x) => x.name === t.volume);
  return { ...t, label: v ? volumeLabel(v) : t.volume };
}

async function resolve(services: Services, target: Target): Promise<SearchTarget> {
  if (target.kind === 'uri') {
    const uri = target.uri;
    if (uri.scheme !== VOLUME_SCHEME) throw new Error(vscode.l10n.t('{0} is not a folder of a volume.', uri.toString(true)));
    const t = targetOf(uri);
    // A file of the volume: its folder.
    const st = await vscode.workspace.fs.stat(uri);
    if (st.type & vscode.FileType.Directory) return t;
    return { ...t, folder: t.folder.slice(0, t.folder.lastIndexOf('/')) || '/' };
  }
  // No volume, container or mount named (the palette; a title action, handed the row that has the focus in
  // Search Results or Disk Usage): the active editor's volume, the workspace's one volume folder, else a pick.
  if (!namesVolumeOrMount(target)) {
    const active = vscode.window.activeTextEditor?.document.uri;
    if (active?.scheme === VOLUME_SCHEME) return targetOf(active, '/');
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === VOLUME_SCHEME);
    if (folders.length === 1) return targetOf(folders[0].uri);
  }
  const { uri } = await volumeFolderTarget(services, target);
  if (uri.scheme !== VOLUME_SCHEME) {
    throw new Error(vscode.l10n.t("Searching works inside volumes; {0} is a folder of this machine: use VS Code's own search there.", uri.fsPath));
  }
  return targetOf(uri);
}

function namesVolumeOrMount(t: Target): boolean {
  return t.kind === 'volume' || t.kind === 'mount' || (t.kind === 'container' && t.container.id !== undefined);
}

/** "volume x" or "volume x, folder /a/b", for titles and messages. */
export function targetLabel(t: SearchTarget): string {
  const name = t.label ?? t.volume;
  return t.folder === '/' ? name : `${name}:${t.folder}`;
}
