// Copy a volume to another engine (contents, driver, labels), streamed and verified on both engines.
// Test/script argument: { volumeName, to: <context name | address>, newName?, ifBusy? }.
import type { CopyToEngineResult } from '../core/operations/copyToEngine';
import { defineCommand } from '../services';
import { TRANSFER_OPTIONS, transferToEngine } from './engineTransfer';

export const copyToEngine = defineCommand({
  id: 'containerVolumes.copyToEngine',
  changesData: true,
  options: TRANSFER_OPTIONS,
  run(services, input): Promise<CopyToEngineResult> {
    return transferToEngine(services, input, false);
  },
});
