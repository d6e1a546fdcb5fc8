// The Volumes view's title action, and the palette's: restore a backup, into a new volume unless
// the user names an existing one. VS Code hands a view's title actions the tree element that has the
// focus, which would make the click restore over whatever volume was last clicked (behind a
// confirmation, but not what the button says); restoring into a given volume is the volume's own
// context menu item (containerVolumes.restoreVolume). Script arguments ({ file, volumeName, ... })
// pass through.
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
