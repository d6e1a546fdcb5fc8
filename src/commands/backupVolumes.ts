// Back up several volumes in one go: a multi-selection in the Volumes view, a Compose project's group
// (Back Up Project…), or a pick from the palette. One folder asked once; containers stopped once.
// Script/test argument: { volumeNames | project, dir, stopContainers, jobs, keep, format }.
import * as os from 'node:os';
import * as vscode from 'vscode';
import { say, sayError } from '../coreText';
import { availableFormats, parseFormat, type ArchiveFormat } from '../core/archive/archiveFormat';
import { backupSet, type BackupSetResult } from '../core/operations/backupSet';
import { runningUsers } from '../core/operations/containerStopper';
import type { Volume } from '../core/engine/types';
import { defineCommand, type CommandInput, type Services, type Target } from '../services';
import { volumeLabel } from '../tree/describe';
import { BUSY_OPTIONS, busyPolicy, dataOpContext, dataSettings, withCancellableProgress } from './dataOpProgress';
import { Cancelled } from './targets';

/** `{ project, dir, format, stopContainers, jobs, keep, ifBusy }`; the volumes are the target (`{ volumeNames }`, a row) or the selection. */
export const BACKUP_SET_OPTIONS = {
  project: 'string',
  dir: 'string',
  format: 'string',
  stopContainers: 'boolean',
  jobs: 'number',
  keep: 'number',
  ...BUSY_OPTIONS,
} as const;

type BackupSetInput = Pick<CommandInput<typeof BACKUP_SET_OPTIONS>, 'target' | 'options' | 'selection'>;

/** A volume's own row or `{ volumeName }` (not a volume's user row, which is about a container too). */
function volumeOf(t: Target): string | undefined {
  return t.kind === 'volume' && !t.container ? t.volumeName : undefined;
}

/** The volumes the command is about: the selection, a project group, names given, or a pick. */
async function chooseVolumes(services: Services, { target, options: o, selection }: BackupSetInput): Promise<{ volumes: Volume[]; project?: string }> {
  if (!services.inventory.current) await services.inventory.refresh();
  const all = services.inventory.current?.volumes ?? [];
  const byName = (names: readonly string[]) =>
    names.map((n) => {
      const v = all.find((x) => x.name === n);
      if (!v) throw new Error(vscode.l10n.t('There is no volume named "{0}".', n));
      return v;
    });
  if (selection && selection.length > 1) {
    const names = selection.map(volumeOf).filter((n) => n !== undefined);
    if (names.length) return { volumes: byName([...new Set(names)]) };
  }
  if (target.kind === 'volumes') return { volumes: byName(target.volumeNames) };
  const one = volumeOf(target);
  if (one !== undefined) return { volumes: byName([one]) };
  const project = o.project;
  if (project) {
    const volumes = all.filter((v) => v.composeProject === project);
    if (!volumes.length) throw new Error(vscode.l10n.t('Project "{0}" has no volumes.', project));
    return { volumes, project };
  }
  if (all.length === 0) throw new Error(vscode.l10n.t('There is no volume to choose from.'));
  const picked = await services.prompter.quickPickMany(
    all.map((v) => ({
      label: volumeLabel(v),
      description: v.composeProject,
      detail: v.users.map((u) => `${u.containerName}:${u.destination}`).join(', ') || vscode.l10n.t('unused'),
      volume: v,
    })),
    { placeHolder: vscode.l10n.t('Choose the volumes to back up'), matchOnDescription: true },
  );
  if (!picked?.length) throw new Cancelled();
  return { volumes: picked.map((p) => p.volume) };
}

export async function runBackupSet(services: Services, input: BackupSetInput): Promise<BackupSetResult> {
  const o = input.options;
  const settings = dataSettings();
  const { volumes, project } = await chooseVolumes(services, input);
  const what = project ? vscode.l10n.t('project {0}', project) : volumes.length === 1 ? volumes[0].name : vscode.l10n.t('{0} volumes', volumes.length);
  let dir = o.dir;
  if (!dir) {
    const uris = await services.prompter.openDialog({
      title: vscode.l10n.t('Back up {0} into a folder', what),
      canSelectFolders: true,
      canSelectFiles: false,
      canSelectMany: false,
      defaultUri: vscode.Uri.file(os.homedir()),
      openLabel: vscode.l10n.t('Back Up Here'),
    });
    if (!uris?.[0]) throw new Cancelled();
    dir = uris[0].fsPath;
  }
  const wanted = o.format;
  let format: ArchiveFormat = wanted ? parseFormat(wanted) : settings.defaultFormat;
  if (!availableFormats().includes(format)) format = 'tar';
  const docker = services.engine.get().docker;
  let stopContainers = o.stopContainers;
  if (stopContainers === undefined) {
    const running = new Map<string, string>();
    for (const v of volumes) for (const c of await runningUsers(docker, v.name)) running.set(c.id, c.name);
    if (running.size === 0 || settings.stopContainers) stopContainers = settings.stopContainers;
    else {
      const stop = vscode.l10n.t('Stop Once, Back Up, Restart');
      const live = vscode.l10n.t('Back Up While Running');
      const answer = await services.prompter.warning(
        running.size === 1
          ? vscode.l10n.t('{0} is running and uses these volumes.', [...running.values()][0])
          : vscode.l10n.t('{0} are running and use these volumes.', [...running.values()].join(', ')),
        {
          modal: true,
          detail: vscode.l10n.t(
            'For a consistent backup of the whole set, stop them once for all the volumes; they are started again afterwards, also if a backup fails or is cancelled.',
          ),
        },
        stop,
        live,
      );
      if (!answer) throw new Cancelled();
      stopContainers = answer === stop;
    }
  }
  const cfg = vscode.workspace.getConfiguration('containerVolumes');
  const jobs = o.jobs ?? cfg.get<number>('backup.parallelJobs', 2);
  const target = dir;
  const result = await withCancellableProgress(vscode.l10n.t('Backing up {0}', what), (signal, progress) =>
    backupSet(
      dataOpContext(services),
      {
        volumes: volumes.map((v) => v.name),
        dir: target,
        project,
        jobs,
        format,
        stopContainers,
        keep: o.keep,
      },
      {
        signal,
        progress,
        lock: busyPolicy(services, o.ifBusy),
        onVolumeDone: (name, r) =>
          services.log.info(
            r instanceof Error
              ? `backup of ${name} failed: ${r.message}`
              : `backup of ${name} to ${r.file}: ${r.sidecar.entryCount} entries, sha256 ${r.sidecar.sha256}`,
          ),
      },
    ),
  );
  for (const w of result.warnings) void vscode.window.showWarningMessage(say(w));
  const n = result.done.length + result.failed.length;
  if (result.failed.length) {
    const failures = result.failed.map((f) => vscode.l10n.t('{0} ({1})', f.name, sayError(f.error))).join(vscode.l10n.t('; '));
    void vscode.window.showErrorMessage(
      n === 1
        ? vscode.l10n.t('Backing up 1 volume to {0} failed: {1}.', target, failures)
        : vscode.l10n.t('Backed up {0} of {1} volumes to {2}; failed: {3}.', result.done.length, n, target, failures),
    );
  } else {
    void vscode.window.showInformationMessage(
      n === 1
        ? vscode.l10n.t('Backed up 1 volume to {0} (verified).', target)
        : vscode.l10n.t('Backed up {0} of {1} volumes to {2} (each verified).', result.done.length, n, target),
    );
  }
  if (stopContainers) await services.inventory.refresh();
  return result;
}

export const backupVolumes = defineCommand({
  id: 'containerVolumes.backupVolumes',
  changesData: true, // stops containers when the user chooses consistency
  options: BACKUP_SET_OPTIONS,
  run: (services, input) => runBackupSet(services, input),
});
