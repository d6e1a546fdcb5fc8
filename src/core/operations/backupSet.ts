// Several volumes backed up in one go (a Compose project, a selection, every volume): the containers
// that use them stopped once, the volumes backed up in parallel, one verified archive each plus a set
// record; retention that removes only older verified backups this tool wrote under its own names.
import { readdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type Dockerode from 'dockerode';
import { backupVolume, prepareFastPath, type BackupResult } from './backupVolume';
import type { OperationContext } from './operationContext';
import { sidecarPath, SIDECAR_KIND, type BackupSidecar } from '../archive/backupSidecar';
import { restartStep, stopUsers } from './containerStopper';
import { withCleanup } from './cleanup';
import { call } from '../engine/engine';
import type { LockPolicy } from './engineLocks';
import { type Message, msg, type Progress, textOf } from '../message';
import { CancelledError, OperationRefusedError } from './operationErrors';
import type { ArchiveFormat } from '../archive/archiveFormat';
import { inspectVolume, type VolumeInfo } from '../engine/volumeArchive';

export const SET_RECORD_KIND = 'container-volumes-backup-set';
export const COMPOSE_PROJECT_LABEL = 'com.docker.compose.project';
export const COMPOSE_VOLUME_LABEL = 'com.docker.compose.volume';

/** Who used a volume at backup time, and where. */
export interface VolumeUse {
  readonly container: string;
  readonly path: string;
  readonly readOnly: boolean;
}

export interface SetRecordVolume {
  readonly name: string;
  readonly driver: string;
  readonly labels: Record<string, string>;
  /** The archive's file name, in the record's folder. */
  readonly file: string;
  readonly sha256: string;
  readonly archiveBytes: number;
  readonly contentBytes: number;
  readonly entryCount: number;
  readonly users: readonly VolumeUse[];
}

/** `<project>-<stamp>.backup-set.json`: what a project restore needs, and what went wrong. */
export interface SetRecord {
  readonly kind: typeof SET_RECORD_KIND;
  readonly version: 1;
  readonly createdAt: string;
  /** The Compose project the volumes belong to, if the set is a project. */
  readonly project?: string;
  readonly volumes: readonly SetRecordVolume[];
  readonly failed: readonly { readonly name: string; readonly reason: string }[];
  /** Containers stopped once for the whole set and started again. */
  readonly stoppedContainers: readonly string[];
}

export interface BackupSetInput {
  readonly volumes: readonly string[];
  readonly dir: string;
  readonly project?: string;
  /** Volumes backed up at the same time (default 2). */
  readonly jobs?: number;
  /** Stop every running container that uses any of the volumes once, start them again at the end. */
  readonly stopContainers?: boolean;
  readonly format?: ArchiveFormat;
  /** Keep this many newest verified backups per volume in `dir` (of those this tool named); remove older ones. */
  readonly keep?: number;
}

export interface SetOptions {
  readonly signal?: AbortSignal;
  readonly progress?: Progress;
  readonly lock?: LockPolicy;
  /** One line per volume as it finishes (the CLI's log, the output channel). */
  readonly onVolumeDone?: (name: string, outcome: BackupResult | Error) => void;
}

export interface BackupSetResult {
  readonly record: SetRecord;
  /** Undefined when no volume could be backed up (no record is written then). */
  readonly recordFile?: string;
  readonly done: readonly BackupResult[];
  readonly failed: readonly { readonly name: string; readonly error: Error }[];
  /** Files removed by retention. */
  readonly removed: readonly string[];
  readonly warnings: readonly Message[];
}

const EXT: Record<ArchiveFormat, string> = { tar: '.tar', 'tar.gz': '.tar.gz', 'tar.zst': '.tar.zst' };
const STAMP = /^\d{8}-\d{6}$/;

/** UTC, sortable, safe in file names: 20261201-174501. */
export function setStamp(d = new Date()): string {
  const iso = d.toISOString();
  return `${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 19).replace(/:/g, '')}`;
}

/** The name a set backup gives a volume's archive: `<volume>-<stamp>.tar[.gz|.zst]`. */
export function setArchiveName(volume: string, stamp: string, format: ArchiveFormat): string {
  return `${volume}-${stamp}${EXT[format]}`;
}

/** The volume's part of a name `setArchiveName` made, or undefined for any other name. */
function setArchiveVolume(file: string): { volume: string; stamp: string } | undefined {
  const m = /^(.+)-(\d{8}-\d{6})\.tar(?:\.gz|\.zst)?$/.exec(file);
  return m && STAMP.test(m[2]) ? { volume: m[1], stamp: m[2] } : undefined;
}

async function isFolder(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

async function usesOf(docker: Dockerode, volume: string): Promise<VolumeUse[]> {
  const list = await call(() => docker.listContainers({ all: true, filters: { volume: [volume] } }));
  return list.flatMap((c) =>
    (c.Mounts ?? [])
      .filter((m) => m.Name === volume)
      .map((m) => ({
        container: (c.Names[0] ?? c.Id).replace(/^\//, ''),
        path: m.Destination,
        readOnly: !m.RW,
      })),
  );
}

/**
 * Runs `work` over `items`, at most `jobs` at a time; stops starting new ones once `signal` aborts.
 * Returns (or throws the first failure) only when every started item has settled, so nothing is still
 * reading a volume when the caller starts its containers again.
 */
async function pool<T>(items: readonly T[], jobs: number, work: (item: T) => Promise<void>, signal?: AbortSignal): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !signal?.aborted) await work(items[next++]);
  };
  const results = await Promise.allSettled(Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, worker));
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) throw failure.reason;
}

export async function backupSet(ctx: OperationContext, input: BackupSetInput, opts: SetOptions = {}): Promise<BackupSetResult> {
  const { docker } = ctx;
  const { signal, progress } = opts;
  signal?.throwIfAborted();
  const names = [...new Set(input.volumes)];
  if (names.length === 0) throw new OperationRefusedError(msg('set.noVolumes'), 'invalid');
  const jobs = input.jobs ?? 2;
  if (!Number.isInteger(jobs) || jobs < 1) throw new OperationRefusedError(msg('set.badJobs', { jobs }), 'invalid');
  if (input.keep !== undefined && (!Number.isInteger(input.keep) || input.keep < 1)) {
    throw new OperationRefusedError(msg('set.badKeep', { keep: input.keep }), 'invalid');
  }
  const dir = path.resolve(input.dir);
  if (!(await isFolder(dir))) throw new OperationRefusedError(msg('backup.noFolder', { folder: dir }), 'notFound');
  const format = input.format ?? 'tar';
  const stamp = setStamp();
  // The helper that will write the archives starts while the volumes are checked.
  prepareFastPath(ctx.fastPath, format, dir);
  // Everything is checked before anything stops or is written: unknown volumes and taken names refuse the whole set.
  const found = await Promise.all(names.map(async (n) => ({ n, v: await inspectVolume(docker, n), uses: await usesOf(docker, n) })));
  const missing = found.find((f) => !f.v);
  if (missing) throw new OperationRefusedError(msg('volume.notFound', { name: missing.n }), 'notFound');
  const infos = found.flatMap((f) => (f.v ? [f.v] : []));

  const done: BackupResult[] = [];
  const failed: { name: string; error: Error }[] = [];
  const uses = new Map<string, VolumeUse[]>(found.map((f) => [f.n, f.uses]));
  const warnings: Message[] = [];
  const total = infos.length;
  let finished = 0;
  const backUpOne = async (v: VolumeInfo) => {
    // A volume that fails is named in the record and the others go on; a cancel ends the set.
    try {
      const r = await backupVolume(
        ctx,
        { source: { volumeName: v.name }, file: path.join(dir, setArchiveName(v.name, stamp, format)), format },
        { signal, lock: opts.lock },
      );
      done.push(r);
      warnings.push(...r.warnings);
      opts.onVolumeDone?.(v.name, r);
    } catch (e) {
      if (signal?.aborted) throw e;
      const error = e instanceof Error ? e : new Error(String(e));
      failed.push({ name: v.name, error });
      opts.onVolumeDone?.(v.name, error);
    }
    finished++;
    progress?.({ message: msg('set.progressDone', { done: finished, total }), done: finished, total });
  };
  // The containers stopped once for the whole set are started again at the end, also after a failure or cancel.
  const stoppedContainers = await withCleanup(
    async (cleanup) => {
      const stopped = input.stopContainers ? await stopUsers(docker, names, progress) : undefined;
      if (stopped) cleanup.defer(restartStep(stopped, (e) => warnings.push(textOf(e)), progress));
      progress?.({ message: msg('set.progress', { count: total }), done: 0, total });
      await pool(infos, jobs, backUpOne, signal);
      signal?.throwIfAborted();
      return stopped?.names ?? [];
    },
    (e) => {
      if (!signal?.aborted) return e instanceof Error ? e : new Error(String(e));
      const kept = done.map((r) => path.basename(r.file));
      return kept.length ? new CancelledError(msg('set.cancelledKept', { files: kept.join(', ') }), true) : new CancelledError(msg('op.backup'));
    },
  );

  const record = setRecordOf(input.project, infos, uses, done, failed, stoppedContainers);
  const recordFile = done.length ? path.join(dir, `${input.project ?? 'volumes'}-${stamp}.backup-set.json`) : undefined;
  if (recordFile) await writeFile(recordFile, `${JSON.stringify(record, null, 2)}\n`, { flag: 'wx' });
  const removed: string[] = [];
  if (input.keep !== undefined) {
    for (const r of done) removed.push(...(await pruneBackups(dir, r.sidecar.volume.name, input.keep)));
    removed.push(...(await pruneRecords(dir)));
  }
  return { record, recordFile, done, failed, removed, warnings };
}

/** The set's record: every volume backed up (in the order asked), those that failed, the containers stopped. */
function setRecordOf(
  project: string | undefined,
  infos: readonly VolumeInfo[],
  uses: ReadonlyMap<string, VolumeUse[]>,
  done: readonly BackupResult[],
  failed: readonly { name: string; error: Error }[],
  stoppedContainers: readonly string[],
): SetRecord {
  const byName = new Map(done.map((r) => [r.sidecar.volume.name, r]));
  return {
    kind: SET_RECORD_KIND,
    version: 1,
    createdAt: new Date().toISOString(),
    ...(project ? { project } : {}),
    volumes: infos.flatMap((v) => {
      const r = byName.get(v.name);
      return r
        ? [
            {
              name: v.name,
              driver: v.driver,
              labels: v.labels,
              file: path.basename(r.file),
              sha256: r.sidecar.sha256,
              archiveBytes: r.sidecar.archiveBytes,
              contentBytes: r.sidecar.contentBytes,
              entryCount: r.sidecar.entryCount,
              users: uses.get(v.name) ?? [],
            },
          ]
        : [];
    }),
    failed: failed.map((f) => ({ name: f.name, reason: f.error.message })),
    stoppedContainers,
  };
}

interface Candidate {
  readonly file: string;
  readonly stamp: string;
  readonly createdAt: string;
}

/** Backups of `volume` in `dir` that this tool wrote and named, and that still match their record. */
async function verifiedSetBackups(dir: string, volume: string): Promise<Candidate[]> {
  const found: Candidate[] = [];
  for (const f of await readdir(dir)) {
    const named = setArchiveVolume(f);
    if (named?.volume !== volume) continue;
    const file = path.join(dir, f);
    let sc: Partial<BackupSidecar>;
    try {
      sc = JSON.parse(await readFile(sidecarPath(file), 'utf8')) as Partial<BackupSidecar>;
    } catch {
      continue; // no record of ours: not ours to remove
    }
    if (sc.kind !== SIDECAR_KIND || sc.volume?.name !== volume || typeof sc.archiveBytes !== 'number' || typeof sc.createdAt !== 'string') continue;
    try {
      const st = await stat(file);
      if (!st.isFile() || st.size !== sc.archiveBytes) continue; // damaged or changed: leave it for a human
    } catch {
      continue;
    }
    found.push({ file, stamp: named.stamp, createdAt: sc.createdAt });
  }
  return found.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.stamp.localeCompare(a.stamp));
}

/**
 * Keeps the `keep` newest verified backups of `volume` that a set backup named, removes the older ones
 * (archive and record). Never touches a file it did not name, a file without its record, or one whose
 * size no longer matches the record. Returns the removed files.
 */
export async function pruneBackups(dir: string, volume: string, keep: number): Promise<string[]> {
  if (!Number.isInteger(keep) || keep < 1) throw new OperationRefusedError(msg('set.badKeep', { keep }), 'invalid');
  const removed: string[] = [];
  for (const c of (await verifiedSetBackups(dir, volume)).slice(keep)) {
    await unlink(c.file);
    await unlink(sidecarPath(c.file)).catch(() => undefined);
    removed.push(c.file);
  }
  return removed;
}

/** Set records of ours none of whose archives is left. */
async function pruneRecords(dir: string): Promise<string[]> {
  const removed: string[] = [];
  const files = new Set(await readdir(dir));
  for (const f of files) {
    if (!f.endsWith('.backup-set.json')) continue;
    const rec = await readSetRecord(path.join(dir, f)).catch(() => undefined);
    if (!rec || rec.volumes.length === 0 || rec.volumes.some((v) => files.has(v.file))) continue;
    await unlink(path.join(dir, f));
    removed.push(path.join(dir, f));
  }
  return removed;
}

export async function readSetRecord(file: string): Promise<SetRecord> {
  let j: Partial<SetRecord>;
  try {
    j = JSON.parse(await readFile(file, 'utf8')) as Partial<SetRecord>;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new OperationRefusedError(msg('set.noFile', { file }), 'notFound');
    throw new OperationRefusedError(msg('sidecar.notJson', { file }), 'invalid');
  }
  const wellFormed = (v: unknown) => {
    const x = v as Partial<SetRecordVolume> | null;
    return (
      typeof x?.name === 'string' && typeof x.file === 'string' && !x.file.includes('/') && typeof x.archiveBytes === 'number' && typeof x.labels === 'object'
    );
  };
  if (j.kind !== SET_RECORD_KIND || !Array.isArray(j.volumes) || !(j.volumes as unknown[]).every(wellFormed)) {
    throw new OperationRefusedError(msg('set.notRecord', { file }), 'invalid');
  }
  return j as SetRecord;
}

/** A record file, or the newest record in a folder (optionally of one project). */
export async function findSetRecord(fileOrDir: string, project?: string): Promise<string> {
  const p = path.resolve(fileOrDir);
  if (!(await isFolder(p))) return p;
  const records: { file: string; createdAt: string }[] = [];
  for (const f of await readdir(p)) {
    if (!f.endsWith('.backup-set.json')) continue;
    const rec = await readSetRecord(path.join(p, f)).catch(() => undefined);
    if (rec && rec.volumes.length && (project === undefined || rec.project === project)) records.push({ file: path.join(p, f), createdAt: rec.createdAt });
  }
  records.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.file.localeCompare(a.file));
  if (!records[0]) throw new OperationRefusedError(project ? msg('set.noRecordOfProject', { project, dir: p }) : msg('set.noRecord', { dir: p }), 'notFound');
  return records[0].file;
}
