// Copy a volume to another engine (contents, driver, labels), streamed and verified on both engines.
// Test/script argument: { volumeName, to: <context name | address>, newName?, ifBusy? }.
import type { CopyToEngineResult } from '../core/operations/copyToEngine';
import type { CommandSpec } from '../services';
import { transferToEngine } from './engineTransfer';

export const copyToEngine: CommandSpec = {
  id: 'containerVolumes.copyToEngine',
  changesData: true,
  run(services, arg): Promise<CopyToEngineResult> {
    return transferToEngine(services, arg, false);
  },
};
