// A backup set restored as a whole: its volumes recreated with their Compose labels (under the same or
// a new project name) so `docker compose up` adopts them. Everything is checked before anything changes;
// a running project is only touched with replace (containers stopped once, safety backups first).
import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import type Dockerode from 'dockerode';
import type { OperationContext } from './operationContext';
import { readSidecar } from '../archive/backupSidecar';
import { COMPOSE_PROJECT_LABEL, COMPOSE_VOLUME_LABEL, findSetRecord, readSetRecord, type SetRecord, type SetRecordVolume } from './backupSet';
import { restartStep, stopUsers } from './containerStopper';
import { withCleanup } from './cleanup';
import { call } from '../engine/engine';
import type { LockPolicy } from './engineLocks';
import { amend, type Message, msg, type Progress, textOf } from '../message';
import { CancelledError, OperationRefusedError } from './operationErrors';
import { restoreVolume, type RestoreResult } from './restoreVolume';
import { inspectVolume } from '../engine/volumeArchive';
import { volumeIsEmpty } from '../helpers/volumeIsEmpty';
import { volumeNameProblem } from '../volumeName';

export interface RestoreProjectInput {
  /** A set record, or a folder (its newest record). */
  readonly from: string;
  /** Restore as this project (volumes renamed `<project>_<key>`, labels rewritten). Default: the record's. */
  readonly project?: string;
  /** Replace the contents of existing volumes, also of a running project (safety backups first). */
  readonly replace?: boolean;
}

export interface RestoreProjectPlanItem {
  readonly from: SetRecordVolume;
  readonly archive: string;
  readonly to: string;
  readonly labels: Record<string, string>;
  readonly exists: boolean;
}

export interface RestoreProjectResult {
  readonly recordFile: string;
  readonly project?: string;
  readonly volumes: readonly (RestoreResult & { readonly from: string })[];
  readonly stoppedContainers: readonly string[];
  readonly warnings: readonly Message[];
}

/** The volume's key in its Compose file: its label, else its name without the project prefix. */
function composeKey(v: SetRecordVolume, project: string | undefined): string {
  const label = v.labels[COMPOSE_VOLUME_LABEL];
  if (label) return label;
  return project && v.name.startsWith(`${project}_`) ? v.name.slice(project.length + 1) : v.name;
}

/** Where each volume of the record goes, with which labels. Pure naming; no engine calls. */
export function restoreTargets(record: SetRecord, newProject: string | undefined): { to: string; labels: Record<string, string> }[] {
  return record.volumes.map((v) => {
    if (!newProject || newProject === record.project) return { to: v.name, labels: v.labels };
    const key = composeKey(v, record.project);
    return { to: `${newProject}_${key}`, labels: { ...v.labels, [COMPOSE_PROJECT_LABEL]: newProject, [COMPOSE_VOLUME_LABEL]: key } };
  });
}

export async function planProjectRestore(
  ctx: OperationContext,
  input: RestoreProjectInput,
  signal?: AbortSignal,
): Promise<{ recordFile: string; record: SetRecord; project?: string; items: RestoreProjectPlanItem[]; running: { id: string; name: string }[] }> {
  if (input.project !== undefined && !/^[a-z0-9][a-z0-9_-]*$/.test(input.project)) {
    throw new OperationRefusedError(msg('project.badName', { name: input.project }), 'invalid');
  }
  const { docker } = ctx;
  const recordFile = await findSetRecord(input.from);
  const record = await readSetRecord(recordFile);
  if (record.volumes.length === 0) throw new OperationRefusedError(msg('project.emptyRecord', { file: recordFile }), 'invalid');
  const dir = path.dirname(recordFile);
  const targets = restoreTargets(record, input.project);
  const seen = new Set<string>();
  const items: RestoreProjectPlanItem[] = [];
  for (const [i, v] of record.volumes.entries()) {
    const { to, labels } = targets[i];
    const problem = volumeNameProblem(to);
    if (problem) throw new OperationRefusedError(problem, 'invalid');
    if (seen.has(to)) throw new OperationRefusedError(msg('project.sameTarget', { name: to }), 'invalid');
    seen.add(to);
    const archive = path.join(dir, v.file);
    const size = await stat(archive).then(
      (s) => s.size,
      () => undefined,
    );
    if (size === undefined) throw new OperationRefusedError(msg('project.archiveMissing', { file: archive, volume: v.name }), 'notFound');
    const sc = await readSidecar(archive);
    if (size !== v.archiveBytes || (sc && sc.sha256 !== v.sha256)) {
      throw new OperationRefusedError(msg('project.archiveDiffers', { file: archive }), 'invalid');
    }
    const existing = await inspectVolume(docker, to);
    if (existing && !input.replace && !(await volumeIsEmpty(docker, to, ctx.helperLabels, signal))) {
      throw new OperationRefusedError(msg('project.notEmpty', { volume: to }), 'notEmpty');
    }
    items.push({ from: v, archive, to, labels, exists: !!existing });
  }
  const project = input.project ?? record.project;
  const running = project
    ? (await call(() => docker.listContainers({ filters: { label: [`${COMPOSE_PROJECT_LABEL}=${project}`], status: ['running'] } }))).map((c) => ({
        id: c.Id,
        name: (c.Names[0] ?? c.Id).replace(/^\//, ''),
      }))
    : [];
  if (running.length && !input.replace) {
    throw new OperationRefusedError(msg('project.running', { project: project ?? '', containers: running.map((c) => c.name).join(', ') }), 'inUse');
  }
  return { recordFile, record, project, items, running };
}

export async function restoreProject(
  ctx: OperationContext,
  input: RestoreProjectInput,
  opts: { signal?: AbortSignal; progress?: Progress; lock?: LockPolicy } = {},
): Promise<RestoreProjectResult> {
  const { signal, progress } = opts;
  signal?.throwIfAborted();
  const { docker } = ctx;
  const plan = await planProjectRestore(ctx, input, signal);
  const done: (RestoreResult & { from: string })[] = [];
  const warnings: Message[] = [];
  const stoppedContainers = await withCleanup(
    async (cleanup) => {
      // The project's containers and any other running user of a target: stopped once for the whole restore.
      const stopped = input.replace
        ? await stopUsers(
            docker,
            plan.items.filter((i) => i.exists).map((i) => i.to),
            progress,
          )
        : undefined;
      if (stopped) cleanup.defer(restartStep(stopped, (e) => warnings.push(textOf(e)), progress));
      cleanup.onFailure((err) => undoRestored(docker, done, err));
      for (const [n, item] of plan.items.entries()) {
        progress?.({ message: msg('project.progress', { volume: item.to, n: n + 1, total: plan.items.length }), done: n, total: plan.items.length });
        const r = await restoreVolume(
          ctx,
          { file: item.archive, volumeName: item.to, replace: input.replace, volumeLabels: item.labels },
          { signal, lock: opts.lock },
        );
        done.push({ ...r, from: item.from.name });
        warnings.push(...r.warnings);
      }
      return stopped?.names ?? [];
    },
    // A cancel between two volumes is one too (a cancel inside a volume is already, with what it undid).
    (e) => (signal?.aborted && !(e instanceof CancelledError) ? new CancelledError(msg('op.restore')) : e instanceof Error ? e : new Error(String(e))),
  );
  return { recordFile: plan.recordFile, project: plan.project, volumes: done, stoppedContainers, warnings };
}

/**
 * After a failure: the volumes this restore created are removed again; replaced ones keep their
 * safety backups, which the error names.
 */
async function undoRestored(docker: Dockerode, done: readonly RestoreResult[], err: Error): Promise<void> {
  const removed: string[] = [];
  for (const r of done.filter((d) => d.created)) {
    await call(() => docker.getVolume(r.volumeName).remove()).then(
      () => removed.push(r.volumeName),
      () => undefined,
    );
  }
  const replaced = done.filter((d) => d.safetyBackup);
  if (removed.length) amend(err, msg('project.removedCreated', { error: textOf(err), volumes: removed.join(', ') }));
  if (replaced.length) {
    const volumes = replaced.map((r) => msg('project.replacedItem', { volume: r.volumeName, file: r.safetyBackup ?? '' }));
    amend(err, msg('project.alreadyReplaced', { error: textOf(err), volumes }));
  }
}
