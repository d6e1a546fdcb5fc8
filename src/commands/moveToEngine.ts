// Move a volume to another engine: a verified copy, then the source is removed (only when no container
// uses it). Always confirmed. Test/script argument: { volumeName, to, newName?, ifBusy? }.
import type { CopyToEngineResult } from '../core/operations/copyToEngine';
import type { CommandSpec } from '../services';
import { transferToEngine } from './engineTransfer';

export const moveToEngine: CommandSpec = {
  id: 'containerVolumes.moveToEngine',
  changesData: true,
  run(services, arg): Promise<CopyToEngineResult> {
    return transferToEngine(services, arg, true);
  },
};
