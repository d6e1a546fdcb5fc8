// Back up a volume (contents at the archive root) or, from a mount node, one mount of a container
// (entries under the mount path, as the seed's `tar cvf /backup/backup.tar /logs` makes them).
// Test/script argument: { volumeName | containerId+destination, file, format, stopContainers }.
import * as path from 'node:path';
import * as os from 'node:os';
import * as vscode from 'vscode';
import { availableFormats, formatFromFileName, parseFormat, type ArchiveFormat } from '../core/archive/archiveFormat';
import { backupVolume as backup, type BackupResult, type BackupSource } from '../core/operations/backupVolume';
import { runningUsers } from '../core/operations/containerStopper';
import type { BackupSetResult } from '../core/operations/backupSet';
import { defineCommand } from '../services';
import { BACKUP_SET_OPTIONS, runBackupSet } from './backupVolumes';
import { busyPolicy, dataOpContext, dataSettings, withCancellableProgress } from './dataOpProgress';
import { Cancelled, volumeArg } from './targets';
import { say } from '../coreText';

/** `{ file, format, stopContainers, ifBusy }`; a selection of several rows is backed up as a set (backupVolumes.ts's options). */
const BACKUP_OPTIONS = { file: 'string', ...BACKUP_SET_OPTIONS } as const;

const FILTERS: Record<ArchiveFormat, string[]> = { tar: ['tar'], 'tar.gz': ['tar.gz', 'tgz'], 'tar.zst': ['tar.zst'] };

export const backupVolume = defineCommand({
  id: 'containerVolumes.backupVolume',
  changesData: true,
  options: BACKUP_OPTIONS,
  async run(services, input): Promise<BackupResult | BackupSetResult> {
    const { target: given, options: o } = input;
    // Several volumes selected in the view: one folder, one set.
    if (input.selection && input.selection.length > 1) return runBackupSet(services, input);
    const settings = dataSettings();
    const mount = given.kind === 'mount' ? given.mount : undefined;
    const containerName = given.kind === 'mount' ? given.container.name : undefined;
    let source: BackupSource;
    let volumeName: string | undefined;
    let hostPath: string | undefined;
    let label: string;
    if (mount?.destination && (mount.type === 'volume' || mount.type === 'bind') && containerName !== undefined) {
      source = { container: containerName, path: mount.destination };
      volumeName = mount.volumeName;
      if (mount.type === 'bind' && mount.source) hostPath = mount.source;
      label = `${containerName}:${mount.destination}`;
    } else {
      const v = await volumeArg(services, given, undefined, vscode.l10n.t('Choose a volume to back up'));
      source = { volumeName: v.name };
      volumeName = v.name;
      label = v.name;
    }

    const wantedFormat = o.format;
    let format: ArchiveFormat = wantedFormat ? parseFormat(wantedFormat) : settings.defaultFormat;
    if (!availableFormats().includes(format)) format = 'tar';
    let file = o.file;
    if (!file) {
      const base = `${label.replace(/[^\w.-]+/g, '_')}-${new Date().toISOString().slice(0, 10)}.${format}`;
      const filters: Record<string, string[]> = {};
      for (const f of availableFormats()) filters[vscode.l10n.t('{0} archive', f)] = FILTERS[f];
      const uri = await services.prompter.saveDialog({
        title: vscode.l10n.t('Back up {0}', label),
        defaultUri: vscode.Uri.file(path.join(os.homedir(), base)),
        filters,
        saveLabel: vscode.l10n.t('Back Up'),
      });
      if (!uri) throw new Cancelled();
      file = uri.fsPath;
    }
    const fromName = formatFromFileName(file);
    if (fromName) format = fromName;
    else file = `${file}.${format}`;

    const docker = services.engine.get().docker;
    let stopContainers = o.stopContainers;
    if (stopContainers === undefined) {
      const users = volumeName ?? (hostPath ? { hostPath } : undefined);
      const running = users ? await runningUsers(docker, users) : [];
      if (running.length === 0 || settings.stopContainers) {
        stopContainers = settings.stopContainers;
      } else {
        const stop = vscode.l10n.t('Stop, Back Up, Restart');
        const live = vscode.l10n.t('Back Up While Running');
        const answer = await services.prompter.warning(
          vscode.l10n.t('{0} use {1} and are running.', running.map((c) => c.name).join(', '), label),
          {
            modal: true,
            detail: vscode.l10n.t(
              'For a consistent backup (a database, say) stop them during the backup; they are started again afterwards, also if the backup fails or is cancelled.',
            ),
          },
          stop,
          live,
        );
        if (!answer) throw new Cancelled();
        stopContainers = answer === stop;
      }
    }
    const sizes = volumeName ? await services.inventory.sizes().catch(() => new Map<string, number>()) : new Map<string, number>();
    const sizeHint = volumeName ? sizes.get(volumeName) : undefined;
    const target = file;
    const result = await withCancellableProgress(vscode.l10n.t('Backing up {0}', label), (signal, progress) =>
      backup(
        dataOpContext(services),
        {
          source,
          file: target,
          format,
          stopContainers,
          sizeHint: sizeHint !== undefined && sizeHint > 0 ? sizeHint : undefined,
        },
        { signal, progress, lock: busyPolicy(services, o.ifBusy) },
      ),
    );
    services.log.info(`backup of ${label} to ${result.file}: ${result.sidecar.entryCount} entries, sha256 ${result.sidecar.sha256}`);
    for (const w of result.warnings) void vscode.window.showWarningMessage(say(w));
    void vscode.window.showInformationMessage(
      result.sidecar.entryCount === 1
        ? vscode.l10n.t('Backed up {0} to {1} (1 entry, verified).', label, result.file)
        : vscode.l10n.t('Backed up {0} to {1} ({2} entries, verified).', label, result.file, result.sidecar.entryCount),
    );
    if (result.stoppedContainers.length) await services.inventory.refresh();
    return result;
  },
});
