// The table of every command: extension.ts registers these, each from its own file.
import type { CommandSpec } from '../services';
import { addVolumeToWorkspace } from './addVolumeToWorkspace';
import { backupProject } from './backupProject';
import { backupVolume } from './backupVolume';
import { backupVolumes } from './backupVolumes';
import { cloneVolume } from './cloneVolume';
import { copyToEngine } from './copyToEngine';
import { moveToEngine } from './moveToEngine';
import { copyContainerName } from './copyContainerName';
import { copyHostPath } from './copyHostPath';
import { copyMountpoint } from './copyMountpoint';
import { copyName } from './copyName';
import { createVolume } from './createVolume';
import { deleteUsageEntry } from './deleteUsageEntry';
import { findInVolume } from './findInVolume';
import { goToFileInVolume } from './goToFileInVolume';
import { inspect } from './inspect';
import { migrateContainer } from './migrateContainer';
import { runWithVolumesFrom } from './runWithVolumesFrom';
import { nameVolume } from './nameVolume';
import { ownCopy } from './ownCopy';
import { rescueData } from './rescueData';
import { openVolumeInNewWindow } from './openVolumeInNewWindow';
import { pruneVolumes } from './pruneVolumes';
import { refresh } from './refresh';
import { retryEngine } from './retryEngine';
import { switchEngine } from './switchEngine';
import { removeVolume } from './removeVolume';
import { restoreBackup } from './restoreBackup';
import { restoreProject } from './restoreProject';
import { restoreVolume } from './restoreVolume';
import { openUsageFolder } from './openUsageFolder';
import { revealUsageEntry } from './revealUsageEntry';
import { showDiskUsage } from './showDiskUsage';
import { showMountChains } from './showMountChains';
import { verifyBackup } from './verifyBackup';

export const commands: readonly CommandSpec[] = [
  refresh,
  switchEngine,
  retryEngine,
  inspect,
  copyName,
  copyContainerName,
  copyMountpoint,
  copyHostPath,
  createVolume,
  removeVolume,
  pruneVolumes,
  showMountChains,
  migrateContainer,
  runWithVolumesFrom,
  nameVolume,
  ownCopy,
  rescueData,
  backupVolume,
  backupVolumes,
  backupProject,
  restoreProject,
  restoreVolume,
  restoreBackup,
  cloneVolume,
  copyToEngine,
  moveToEngine,
  verifyBackup,
  openVolumeInNewWindow,
  addVolumeToWorkspace,
  goToFileInVolume,
  findInVolume,
  showDiskUsage,
  revealUsageEntry,
  openUsageFolder,
  deleteUsageEntry,
];
