// Paths inside a volume (absolute, POSIX, normalised) and where the helper mounts it; a helper path
// never reaches a user: errors and links are rewritten to volume paths.
import * as path from 'node:path/posix';
import { msg } from '../message';
import { VolumeFsError } from './fsErrors';

/** Where the helper mounts the volume. */
export const MOUNT = '/cv-volume';

/** A volume path: absolute, POSIX, no `.`/`..` left, no NUL. The root is `/`. */
export function normalise(p: string): string {
  if (p.includes('\0')) throw new VolumeFsError('FileNotFound', p, msg('fs.nul'));
  const n = path.normalize('/' + p);
  return n.length > 1 && n.endsWith('/') ? n.slice(0, -1) : n;
}

export function toHelper(vp: string): string {
  return vp === '/' ? MOUNT : MOUNT + vp;
}

export function fromHelper(hp: string): string {
  return hp === MOUNT ? '/' : hp.slice(MOUNT.length);
}

/** True when a helper path is the volume or inside it. */
export function isInsideMount(hp: string): boolean {
  return hp === MOUNT || hp.startsWith(MOUNT + '/');
}

/** The volume path of a link's resolved target; a target outside the volume is refused for `vp`. */
export function insideVolume(vp: string, real: string | undefined): string {
  if (real === undefined || !isInsideMount(real)) throw new VolumeFsError('NoPermissions', vp, msg('fs.linkOutside'));
  return fromHelper(real);
}

/** A helper's text with the mount point taken out (what the user sees is volume paths). */
export function withoutMount(text: string): string {
  return text.split(MOUNT).join('');
}
