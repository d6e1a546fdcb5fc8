// Verify a backup file: the whole archive is read and parsed, and compared with its sidecar.
// Test/script argument: { file }.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { verifyBackup as verify, type VerifyResult } from '../core/archive/verifyBackup';
import { formatBytes } from '../core/files/diskUsage';
import { defineCommand } from '../services';
import { withCancellableProgress } from './dataOpProgress';
import { Cancelled } from './targets';

export const verifyBackup = defineCommand({
  id: 'containerVolumes.verifyBackup',
  options: { file: 'string' },
  async run(services, { options }): Promise<VerifyResult> {
    let file = options.file;
    if (!file) {
      const picked = await services.prompter.openDialog({
        title: vscode.l10n.t('Choose a backup to verify'),
        canSelectMany: false,
        filters: { [vscode.l10n.t('Archives')]: ['tar', 'gz', 'tgz', 'zst', 'tzst', 'bz2', 'tbz2', 'xz', 'txz'], [vscode.l10n.t('All files')]: ['*'] },
        openLabel: vscode.l10n.t('Verify'),
      });
      if (!picked?.[0]) throw new Cancelled();
      file = picked[0].fsPath;
    }
    const archive = file;
    const r = await withCancellableProgress(vscode.l10n.t('Verifying {0}', path.basename(archive)), (signal, progress) =>
      verify(archive, { signal, progress }),
    );
    services.log.info(`verify ${archive}: ${r.stats.entries} entries, sha256 ${r.sha256}`);
    void vscode.window.showInformationMessage(
      r.sidecar
        ? r.stats.entries === 1
          ? vscode.l10n.t(
              '{0} is good: 1 entry, {1} of file data, sha256 matches the backup record.',
              path.basename(archive),
              formatBytes(r.stats.contentBytes),
            )
          : vscode.l10n.t(
              '{0} is good: {1} entries, {2} of file data, sha256 matches the backup record.',
              path.basename(archive),
              r.stats.entries,
              formatBytes(r.stats.contentBytes),
            )
        : r.stats.entries === 1
          ? vscode.l10n.t(
              '{0} reads completely (1 entry, {1} of file data); it has no backup record to compare with.',
              path.basename(archive),
              formatBytes(r.stats.contentBytes),
            )
          : vscode.l10n.t(
              '{0} reads completely ({1} entries, {2} of file data); it has no backup record to compare with.',
              path.basename(archive),
              r.stats.entries,
              formatBytes(r.stats.contentBytes),
            ),
    );
    return r;
  },
});
