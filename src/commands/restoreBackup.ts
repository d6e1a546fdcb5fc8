// The Volumes view's title action, and the palette's: restore a backup, into a new volume unless the
// user names an existing one (never the tree element that has the focus).
// Design notes: docs/ui.md#srccommandsrestorebackupts
import { defineCommand } from '../services';
import { restoreVolume } from './restoreVolume';

export const restoreBackup = defineCommand({
  id: 'containerVolumes.restoreBackup',
  changesData: true,
  options: restoreVolume.options,
  run(services, input) {
    // A row (the focused one, when run from the view's title): as from the palette.
    return restoreVolume.run(services, input.fromRow ? { target: { kind: 'none' }, options: {}, fromRow: false, engine: input.engine } : input);
  },
});
