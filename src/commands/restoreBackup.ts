// The Volumes view's title action, and the palette's: restore a backup, into a new volume unless the
// user names an existing one (never the tree element that has the focus).
// Design notes: docs/ui.md#srccommandsrestorebackupts
import type { CommandSpec } from '../services';
import { restoreVolume } from './restoreVolume';

function isTreeNode(arg: unknown): boolean {
  return typeof arg === 'object' && arg !== null && typeof (arg as { kind?: unknown }).kind === 'string';
}

export const restoreBackup: CommandSpec = {
  id: 'containerVolumes.restoreBackup',
  changesData: true,
  run(services, arg) {
    return restoreVolume.run(services, isTreeNode(arg) ? undefined : arg);
  },
};
