// Move a volume to another engine: a verified copy, then the source is removed (only when no container
// uses it). Always confirmed. Test/script argument: { volumeName, to, newName?, ifBusy? }.
import type { CopyToEngineResult } from '../core/operations/copyToEngine';
import { defineCommand } from '../services';
import { TRANSFER_OPTIONS, transferToEngine } from './engineTransfer';

export const moveToEngine = defineCommand({
  id: 'containerVolumes.moveToEngine',
  changesData: true,
  options: TRANSFER_OPTIONS,
  run(services, input): Promise<CopyToEngineResult> {
    return transferToEngine(services, input, true);
  },
});
