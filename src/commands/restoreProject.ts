// Restore Project…: a backup set's volumes recreated with their Compose labels, under the project's
// name or a new one. Everything is checked first; a non-empty or running project is only replaced
// when the user says so (safety backups first). Argument: { from, project, replace }.
import * as path from 'node:path';
import * as os from 'node:os';
import * as vscode from 'vscode';
import { say, sayError } from '../coreText';
import { findSetRecord, readSetRecord } from '../core/operations/backupSet';
import { OperationRefusedError } from '../core/operations/operationErrors';
import { planProjectRestore, restoreProject as restore, type RestoreProjectResult } from '../core/operations/restoreProject';
import { defineCommand } from '../services';
import { BUSY_OPTIONS, busyPolicy, dataOpContext, withCancellableProgress } from './dataOpProgress';
import { Cancelled } from './targets';

export const restoreProject = defineCommand({
  id: 'containerVolumes.restoreProject',
  changesData: true,
  // `project: ''` restores under the record's own names, without asking.
  options: { from: 'string', project: 'text', ...BUSY_OPTIONS },
  async run(services, { options: o }): Promise<RestoreProjectResult> {
    let from = o.from;
    if (!from) {
      const uris = await services.prompter.openDialog({
        title: vscode.l10n.t('Choose the record of a project backup (*.backup-set.json)'),
        canSelectMany: false,
        filters: { [vscode.l10n.t('Project backup record')]: ['json'] },
        defaultUri: vscode.Uri.file(os.homedir()),
        openLabel: vscode.l10n.t('Restore'),
      });
      if (!uris?.[0]) throw new Cancelled();
      from = uris[0].fsPath;
    }
    const recordFile = await findSetRecord(from);
    const record = await readSetRecord(recordFile);
    let project = o.project;
    if (project === undefined) {
      project = await services.prompter.inputBox({
        title:
          record.volumes.length === 1
            ? vscode.l10n.t('Restore 1 volume from {0}', path.basename(recordFile))
            : vscode.l10n.t('Restore {0} volumes from {1}', record.volumes.length, path.basename(recordFile)),
        prompt: vscode.l10n.t('The Compose project to restore as: its name, or a new one (volumes become <project>_<name>).'),
        value: record.project ?? '',
        validateInput: (s) =>
          s === '' || /^[a-z0-9][a-z0-9_-]*$/.test(s) ? undefined : vscode.l10n.t('Lowercase letters, digits, "_" and "-", starting with a letter or digit.'),
      });
      if (project === undefined) throw new Cancelled();
    }
    const ctx = dataOpContext(services);
    // Replacing is always the user's answer to the question below, never an argument.
    let replace = false;
    {
      try {
        await planProjectRestore(ctx, { from: recordFile, project: project || undefined });
      } catch (e) {
        if (!(e instanceof OperationRefusedError) || (e.reason !== 'notEmpty' && e.reason !== 'inUse')) throw e;
        const yes = vscode.l10n.t('Replace (Safety Backups First)');
        const answer = await services.prompter.warning(
          sayError(e),
          {
            modal: true,
            detail: vscode.l10n.t(
              'Replacing stops the containers that use these volumes once, takes a safety backup of each existing volume beside the archives, then restores; the containers are started again afterwards.',
            ),
          },
          yes,
        );
        if (answer !== yes) throw new Cancelled();
        replace = true;
      }
    }
    const result = await withCancellableProgress(vscode.l10n.t('Restoring {0}', project || path.basename(recordFile)), (signal, progress) =>
      restore(
        ctx,
        {
          from: recordFile,
          project: project || undefined,
          replace,
        },
        { signal, progress, lock: busyPolicy(services, o.ifBusy) },
      ),
    );
    for (const v of result.volumes) {
      services.log.info(`restored ${v.from} into ${v.volumeName}: ${v.entries} entries${v.safetyBackup ? ` (safety backup ${v.safetyBackup})` : ''}`);
    }
    for (const w of result.warnings) void vscode.window.showWarningMessage(say(w));
    void vscode.window.showInformationMessage(
      result.volumes.length === 1
        ? vscode.l10n.t('Restored 1 volume: {0}.', result.volumes[0].volumeName)
        : vscode.l10n.t('Restored {0} volumes: {1}.', result.volumes.length, result.volumes.map((v) => v.volumeName).join(vscode.l10n.t(', '))),
    );
    await services.inventory.refresh();
    return result;
  },
});
