// The table of every command: extension.ts registers these, each from its own file.
import type { CommandSpec } from '../services';
import { backupVolume } from './backupVolume';
import { cloneVolume } from './cloneVolume';
import { restoreVolume } from './restoreVolume';
import { verifyBackup } from './verifyBackup';
import { copyHostPath } from './copyHostPath';
import { copyMountpoint } from './copyMountpoint';
import { copyName } from './copyName';
import { createVolume } from './createVolume';
import { inspect } from './inspect';
import { migrateContainer } from './migrateContainer';
import { pruneVolumes } from './pruneVolumes';
import { refresh } from './refresh';
import { removeVolume } from './removeVolume';
import { showMountChains } from './showMountChains';

export const commands: readonly CommandSpec[] = [
  refresh,
  inspect,
  copyName,
  copyMountpoint,
  copyHostPath,
  createVolume,
  removeVolume,
  pruneVolumes,
  showMountChains,
  migrateContainer,
  backupVolume,
  restoreVolume,
  cloneVolume,
  verifyBackup,
];
