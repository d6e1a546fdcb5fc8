// Restore a backup into a new volume (the default) or, after a modal confirmation that names the
// safety backup, in place of an existing volume's contents. The archive is checked before anything
// is asked or written. Test/script argument: { file, volumeName, replace, prefix, stopContainers }.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { runningUsers } from '../core/operations/containerStopper';
import { checkArchiveForRestore, restoreVolume as restore, safetyBackupPath, type RestoreResult } from '../core/operations/restoreVolume';
import { inspectVolume } from '../core/engine/volumeArchive';
import { volumeIsEmpty } from '../core/helpers/volumeIsEmpty';
import { defineCommand } from '../services';
import { BUSY_OPTIONS, busyPolicy, dataOpContext, withCancellableProgress } from './dataOpProgress';
import { isVolumeName } from '../core/volumeName';
import { Cancelled, volumeNameHint } from './targets';
import { say } from '../coreText';

export const restoreVolume = defineCommand({
  id: 'containerVolumes.restoreVolume',
  changesData: true,
  options: { file: 'string', prefix: 'text', stopContainers: 'boolean', safetyBackupFile: 'string', replace: 'boolean', ...BUSY_OPTIONS },
  async run(services, { target: given, options: o }): Promise<RestoreResult> {
    const docker = services.engine.get().docker;
    if (given.kind === 'mount' && given.mount?.readOnly) {
      throw new Error(
        vscode.l10n.t('The mount {0} of {1} is read-only: nothing can be restored through it.', given.mount.destination ?? '', given.container.name ?? ''),
      );
    }

    let file = o.file;
    if (!file) {
      const picked = await services.prompter.openDialog({
        title: vscode.l10n.t('Choose a backup to restore'),
        canSelectMany: false,
        filters: { [vscode.l10n.t('Archives')]: ['tar', 'gz', 'tgz', 'zst', 'tzst', 'bz2', 'tbz2', 'xz', 'txz'], [vscode.l10n.t('All files')]: ['*'] },
        openLabel: vscode.l10n.t('Restore'),
      });
      if (!picked?.[0]) throw new Cancelled();
      file = picked[0].fsPath;
    }
    const archive = file;
    const checked = await withCancellableProgress(vscode.l10n.t('Checking {0}', path.basename(archive)), (signal, progress) =>
      checkArchiveForRestore(archive, { signal, progress }),
    );

    // Which folder of the archive goes to the volume's root (the seed's archives sit under logs/).
    let prefix = o.prefix;
    if (prefix === undefined && !checked.sidecar && checked.prefix && o.file === undefined) {
      const root = vscode.l10n.t('Contents of "{0}/" to the volume root (recommended)', checked.prefix);
      const asIs = vscode.l10n.t('Restore as it is (the volume gets a "{0}" folder)', checked.prefix);
      const pick = await services.prompter.quickPick([{ label: root }, { label: asIs }], {
        placeHolder: vscode.l10n.t('Every entry of this archive sits under "{0}/" (the layout of `tar cf backup.tar /{0}`).', checked.prefix),
      });
      if (!pick) throw new Cancelled();
      prefix = pick.label === root ? checked.prefix : '';
    }

    // The target: the node's volume, the argument's, or asked (a new volume by default).
    const givenVolume = given.kind === 'volume' || given.kind === 'mount' ? given.volumeName : undefined;
    let volumeName = givenVolume;
    if (!volumeName) {
      const suggested = `${checked.sidecar?.volume.name ?? path.basename(archive).replace(/\.(tar(\.gz|\.zst)?|tgz|tzst)$/i, '')}-restored`.replace(
        /[^a-zA-Z0-9_.-]/g,
        '-',
      );
      const name = await services.prompter.inputBox({
        title: vscode.l10n.t('Restore into a new volume'),
        prompt: vscode.l10n.t('Name of the new volume (an existing volume is replaced only after a confirmation).'),
        value: suggested,
        validateInput: (s) => (isVolumeName(s) ? undefined : volumeNameHint()),
      });
      if (!name) throw new Cancelled();
      volumeName = name;
    }

    // Replacing a volume's contents is always confirmed here: no argument stands in for the answer.
    let replace = false;
    let stopContainers = o.stopContainers ?? false;
    const safetyBackupFile = o.safetyBackupFile ?? safetyBackupPath(archive, volumeName);
    const existing = await inspectVolume(docker, volumeName);
    if (existing && !(await volumeIsEmpty(docker, volumeName, services.resourceLabels.helper))) {
      if (givenVolume !== undefined && o.replace === false) {
        throw new Error(vscode.l10n.t('Volume "{0}" is not empty: nothing was restored.', volumeName));
      }
      const running = await runningUsers(docker, volumeName);
      const yes = vscode.l10n.t('Replace Contents');
      const answer = await services.prompter.warning(
        vscode.l10n.t('Replace the contents of volume "{0}"?', volumeName),
        {
          modal: true,
          detail: [
            vscode.l10n.t('Its current files are removed and replaced by the backup (nothing is merged).'),
            vscode.l10n.t('A safety backup is saved first to {0}.', safetyBackupFile),
            running.length ? vscode.l10n.t('Running containers {0} are stopped meanwhile and started again after.', running.map((c) => c.name).join(', ')) : '',
          ]
            .filter(Boolean)
            .join('\n'),
        },
        yes,
      );
      if (answer !== yes) throw new Cancelled();
      replace = true;
      stopContainers = stopContainers || running.length > 0;
    }

    const target = volumeName;
    const result = await withCancellableProgress(vscode.l10n.t('Restoring into {0}', target), (signal, progress) =>
      restore(
        dataOpContext(services),
        {
          file: archive,
          volumeName: target,
          replace,
          prefix,
          stopContainers,
          safetyBackupFile,
          volumeLabels: services.resourceLabels.volume,
        },
        { signal, progress, lock: busyPolicy(services, o.ifBusy) },
      ),
    );
    await services.inventory.refresh();
    services.log.info(`restore of ${archive} into ${target}: ${result.entries} entries${result.safetyBackup ? `, safety backup ${result.safetyBackup}` : ''}`);
    if (result.layoutNote) services.log.info(result.layoutNote.toString());
    for (const w of result.warnings) void vscode.window.showWarningMessage(say(w));
    void vscode.window.showInformationMessage(
      [
        result.created
          ? vscode.l10n.t('Restored {0} into the new volume "{1}".', path.basename(archive), target)
          : vscode.l10n.t('Restored {0} into "{1}".', path.basename(archive), target),
        result.prefix && !checked.sidecar ? vscode.l10n.t('The contents of "{0}/" went to the volume root.', result.prefix) : '',
        result.safetyBackup ? vscode.l10n.t('Safety backup: {0}', result.safetyBackup) : '',
      ]
        .filter(Boolean)
        .join(' '),
    );
    return result;
  },
});
