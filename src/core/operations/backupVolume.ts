// Backup of a volume, or of one mount of a container, to .tar / .tar.gz / .tar.zst: `tar` in a helper
// writing into the folder (the fast path) or the engine's archive endpoint; verified while it is
// written, then renamed with its record. A failure leaves no file, no helper, containers running.
import { randomBytes } from 'node:crypto';
import { createWriteStream, readSync } from 'node:fs';
import { access, open, rename, stat, unlink, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type Dockerode from 'dockerode';
import { compressor, formatFromFileName, type ArchiveFormat } from '../archive/archiveFormat';
import { sidecarPath, SIDECAR_KIND, type BackupSidecar } from '../archive/backupSidecar';
import { restartStep, stopUsers } from './containerStopper';
import { type Cleanup, withCleanup } from './cleanup';
import { call, type EngineError } from '../engine/engine';
import { createShellHelper, HelperFailedError, removeHelper, runCreatedHelper, type HelperMount } from '../helpers/helperContainers';
import { shellQuote as quote } from '../helpers/helperExec';
import { cancelledOr, OperationRefusedError } from './operationErrors';
import { TarTap, TruncatedArchiveError } from '../archive/tarTap';
import { InspectingBlockWriter, InspectingFileSink } from '../archive/archiveSink';
import { rawArchiveGetter, type RawGet } from '../engine/rawArchive';
import { ArchiveInspector, finishInspection, VerifyError, type VerifyResult } from '../archive/verifyBackup';
import { HelperCommandError, WorkHelperUnavailable, type WorkBind } from '../helpers/workHelpers';
import {
  chooseDataPath,
  chooseStreamPath,
  type DataPath,
  dataPathRule,
  type FastPath,
  helperCannotReach,
  HOST_FILE_UNREACHABLE,
  type Moved,
  type MovedArchive,
} from './dataPath';
import { inspectVolume, type VolumeInfo } from '../engine/volumeArchive';
import { readVolumeTar, streamHelper, type VolumeTar } from './volumeStream';
import { volumeKey, withVolumeLocks } from './volumeLocks';
import { lockOptions, withEngineLocks, type LockPolicy } from './engineLocks';
import type { OperationContext } from './operationContext';
import { CoreError, type Message, mountTypeText, msg, type Progress, textOf } from '../message';

/**
 * Bytes the file may lag behind the engine's answer. With the default 16 KiB every write (one per
 * ~22 KiB chunk, done on libuv's threads) paused the socket, and the engine with it: 30% slower.
 */
const WRITE_AHEAD = 8 << 20;

export type BackupSource =
  | { readonly volumeName: string }
  /** One mount of a container, backed up the way the seed does (`tar cvf x.tar /logs`: entries under `logs/`). */
  | { readonly container: string; readonly path: string };

export interface BackupInput {
  readonly source: BackupSource;
  readonly file: string;
  /** Default: from the file name, else tar. */
  readonly format?: ArchiveFormat;
  /** Stop running containers that use the volume for the backup, start them again after. */
  readonly stopContainers?: boolean;
  /** Replace an existing file of that name (default: refuse). */
  readonly overwrite?: boolean;
  /** The volume's size if the caller knows it (progress in %). */
  readonly sizeHint?: number;
}

export interface OpOptions {
  readonly signal?: AbortSignal;
  readonly progress?: Progress;
  /** When another process holds a volume: wait or refuse (default: refuse). */
  readonly lock?: LockPolicy;
}

export interface BackupResult {
  readonly file: string;
  readonly sidecarFile: string;
  readonly sidecar: BackupSidecar;
  /** Containers that were stopped for the backup and started again. */
  readonly stoppedContainers: readonly string[];
  /**
   * How the bytes moved: the engine's archive endpoint, `tar` in a helper writing to the folder (the
   * fast path), or `tar` in a helper through the API (where the archive endpoint loses owners).
   */
  readonly method: 'archive-endpoint' | 'helper-tar' | 'exec-tar';
  /** Things the user should know although the backup succeeded (a container that did not start again). */
  readonly warnings: readonly Message[];
}

interface ResolvedSource {
  readonly volume: { name: string; driver: string; labels: Record<string, string> };
  readonly lockKey: string;
  readonly mount: HelperMount;
  readonly getPath: string;
  readonly prefix: string;
  readonly container?: { id: string; name: string; path: string };
  /** The volume as inspected, for a plain volume source (the fast path needs its mountpoint). */
  readonly info?: VolumeInfo;
}

function normaliseMountPath(p: string): string {
  const clean = path.posix.normalize(`/${p}`).replace(/\/+$/, '');
  return clean === '' ? '/' : clean;
}

async function resolveSource(docker: Dockerode, src: BackupSource, engineHost: string): Promise<ResolvedSource> {
  if ('volumeName' in src) {
    const v = await inspectVolume(docker, src.volumeName);
    if (!v) throw new OperationRefusedError(msg('volume.notFound', { name: src.volumeName }), 'notFound');
    return {
      volume: { name: v.name, driver: v.driver, labels: v.labels },
      info: v,
      lockKey: volumeKey(engineHost, v.name),
      mount: { source: v.name, target: '/v', readOnly: true, type: 'volume' },
      getPath: '/v/.',
      prefix: '',
    };
  }
  const mountPath = normaliseMountPath(src.path);
  if (mountPath === '/') throw new OperationRefusedError(msg('backup.rootPath'), 'invalid');
  let info: Dockerode.ContainerInspectInfo;
  try {
    info = await call(() => docker.getContainer(src.container).inspect());
  } catch (e) {
    if ((e as EngineError).kind === 'notFound') throw new OperationRefusedError(msg('container.notFound', { name: src.container }), 'notFound');
    throw e;
  }
  const m = (info.Mounts ?? []).find((x) => normaliseMountPath(x.Destination) === mountPath);
  const name = info.Name.replace(/^\//, '');
  if (!m) throw new OperationRefusedError(msg('backup.noMountAt', { container: name, path: mountPath }), 'notFound');
  const parts = mountPath.slice(1).split('/');
  const base = { getPath: `/${parts[0]}`, prefix: parts.join('/'), container: { id: info.Id, name, path: mountPath } };
  if (m.Type === 'volume' && m.Name) {
    const v = await inspectVolume(docker, m.Name);
    return {
      ...base,
      volume: { name: m.Name, driver: v?.driver ?? m.Driver ?? 'local', labels: v?.labels ?? {} },
      lockKey: volumeKey(engineHost, m.Name),
      mount: { source: m.Name, target: mountPath, readOnly: true, type: 'volume' },
    };
  }
  if (m.Type === 'bind') {
    return {
      ...base,
      volume: { name: path.posix.basename(m.Source), driver: 'bind', labels: {} },
      lockKey: `${engineHost}\u0000bind:${m.Source}`,
      mount: { source: m.Source, target: mountPath, readOnly: true, type: 'bind' },
    };
  }
  throw new OperationRefusedError(msg('backup.noData', { path: mountPath, type: mountTypeText(m.Type) }), 'invalid');
}

async function exists(p: string): Promise<boolean> {
  try {
    await access(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * The fast path (ctx.fastPath): when the engine runs on this machine (so it sees the destination
 * folder) and a helper image (with `sh`, `tar`, `chown`) is on it, `tar` runs in a helper writing
 * straight to the folder. Plain .tar only; the archive is then verified here exactly like any other.
 */
export async function backupVolume(ctx: OperationContext, input: BackupInput, opts: OpOptions = {}): Promise<BackupResult> {
  const { signal } = opts;
  signal?.throwIfAborted();
  const file = path.resolve(input.file);
  const format = input.format ?? formatFromFileName(file) ?? 'tar';
  const dir = path.dirname(file);
  try {
    if (!(await stat(dir)).isDirectory()) throw new Error();
  } catch {
    throw new OperationRefusedError(msg('backup.noFolder', { folder: dir }), 'notFound');
  }
  if (!input.overwrite && (await exists(file))) throw new OperationRefusedError(msg('backup.fileExists', { file }), 'exists');
  const { docker } = ctx;
  const src = await resolveSource(docker, input.source, ctx.engineHost);
  const lock = lockOptions(msg('lockOp.backup', { file: path.basename(file) }), opts, ctx.helperLabels);
  // A bind mount's folder is not the engine's to lock: this process's queue only.
  const claims = src.volume.driver === 'bind' ? [] : [{ volume: src.volume.name, mode: 'read' as const }];
  const early = earlyOneShot(ctx, format, file, src);
  try {
    return await withVolumeLocks(
      [src.lockKey],
      () => withEngineLocks(docker, claims, lock, (signal) => backupResolved(ctx, input, src, file, format, { ...opts, signal }, early)),
      signal,
    );
  } finally {
    if (early && !early.taken) await early.helper.then((c) => c && removeHelper(c));
  }
}

/** A one-shot tar helper created while the lock is taken (it starts only once the lock is held). */
interface EarlyHelper {
  readonly tmp: string;
  /** Undefined: it could not be made (no such image): the archive endpoint then. */
  readonly helper: Promise<Dockerode.Container | undefined>;
  taken: boolean;
}

function partialName(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.partial-${randomBytes(4).toString('hex')}`);
}

/**
 * The one-shot helper, created now (its creation proves its image), when the rule leaves the backup
 * no other helper path: it then starts as soon as the lock is held.
 */
function earlyOneShot(ctx: OperationContext, format: ArchiveFormat, file: string, src: ResolvedSource): EarlyHelper | undefined {
  const dir = path.dirname(file);
  const op = { kind: 'backup', format, folder: dir } as const;
  const rule = dataPathRule(ctx.fastPath, op);
  const image = rule.oneShotImage;
  if (rule.workHelpers || !image) return undefined;
  const tmp = partialName(file);
  // Not made where its tar could not write the file (a rootless engine run by another user).
  const helper = helperCannotReach(ctx.docker, op)
    .then((out) => (out ? undefined : createShellHelper(ctx.docker, image, oneShotSpec(ctx, dir, src), oneShotScript(path.basename(tmp), src))))
    .catch(() => undefined);
  return { tmp, helper, taken: false };
}

function oneShotSpec(ctx: OperationContext, dir: string, src: ResolvedSource) {
  return { purpose: 'backup-tar', labels: ctx.helperLabels, mounts: [src.mount, { source: dir, target: '/cv/dest', type: 'bind' as const }] };
}

function oneShotScript(name: string, src: ResolvedSource): string {
  const dest = quote(`/cv/dest/${name}`);
  return `${destCheck(dest)}\nexec tar cf ${dest} ${src.prefix ? `-C / ${quote(src.prefix)}` : '-C /v .'}`;
}

/**
 * The first line of a fast-path backup's script: the helper's tar must be able to write the partial
 * file this process made (a rootless engine's helper is its user, not root), else it exits with
 * HOST_FILE_UNREACHABLE before anything is written and the backup goes over the API instead.
 */
function destCheck(quotedDest: string): string {
  return `[ -w ${quotedDest} ] || { echo 'tar: cannot write the backup file' >&2; exit ${HOST_FILE_UNREACHABLE}; }`;
}

/** For restore's safety backup: a plain volume backup while the caller already holds the volume's lock. */
export async function backupVolumeLockHeld(
  ctx: OperationContext,
  input: BackupInput & { source: { volumeName: string } },
  opts: OpOptions = {},
): Promise<BackupResult> {
  const file = path.resolve(input.file);
  const src = await resolveSource(ctx.docker, input.source, ctx.engineHost);
  return backupResolved(ctx, input, src, file, input.format ?? formatFromFileName(file) ?? 'tar', opts);
}

/** What an export wrote and verified: a data path's result, whose archive is always measured whole (sizes and sha256). */
type Exported = Moved<BackupResult['method']> & { readonly archive: Required<MovedArchive> };

/** One backup with its lock held: what each step needs. */
interface BackupJob {
  readonly ctx: OperationContext;
  readonly input: BackupInput;
  readonly src: ResolvedSource;
  readonly format: ArchiveFormat;
  /** The archive's name, and the partial file it is written to until it is verified. */
  readonly file: string;
  readonly tmp: string;
  readonly opts: OpOptions;
  /** The backup's cleanup stack: an export defers its helper's removal on it (run before `release`). */
  readonly cleanup: Cleanup;
  /** Starts the stopped containers again (once): called by an export as soon as the engine is done with the volume. */
  readonly release: () => Promise<void>;
}

/**
 * The backup's steps with the lock held: stop the volume's users, export (verified as it is written;
 * the export starts the users again as soon as the engine is done), record and rename. A failure
 * leaves no file, no helper, containers running: the cleanup stack sees to it.
 */
async function backupResolved(
  ctx: OperationContext,
  input: BackupInput,
  src: ResolvedSource,
  file: string,
  format: ArchiveFormat,
  opts: OpOptions,
  early?: EarlyHelper,
): Promise<BackupResult> {
  const { signal, progress } = opts;
  const tmp = early?.tmp ?? partialName(file);
  const warnings: Message[] = [];
  return withCleanup(
    async (cleanup) => {
      cleanup.defer(() => removeTemporaries(tmp));
      const stopped = input.stopContainers
        ? await stopUsers(ctx.docker, src.mount.type === 'bind' ? { hostPath: src.mount.source } : src.volume.name, progress)
        : undefined;
      const release = stopped ? cleanup.defer(restartStep(stopped, (e) => warnings.push(textOf(e)))) : () => Promise.resolve();
      progress?.({ message: msg('progress.reading', { volume: src.volume.name }), done: 0, total: input.sizeHint });
      const job: BackupJob = { ctx, input, src, format, file, tmp, opts, cleanup, release };
      const exported = (await exportWithTar(job, early)) ?? (await exportThroughEndpoint(job));
      warnings.push(...exported.warnings);
      const sidecar = sidecarOf(src, format, exported);
      await recordAndRename(tmp, file, sidecar);
      progress?.({ message: msg('progress.backupDone'), done: sidecar.tarBytes, total: sidecar.tarBytes });
      return { file, sidecarFile: sidecarPath(file), sidecar, stoppedContainers: stopped?.names ?? [], warnings, method: exported.method };
    },
    (e) => cancelledOr(e, signal, msg('op.backup')),
  );
}

/** The partial archive and its partial record: gone once renamed, removed after a failure. */
async function removeTemporaries(tmp: string): Promise<void> {
  await unlink(tmp).catch(() => undefined);
  await unlink(`${tmp}.json`).catch(() => undefined);
}

function sidecarOf(src: ResolvedSource, format: ArchiveFormat, exported: Exported): BackupSidecar {
  return {
    kind: SIDECAR_KIND,
    version: 1,
    createdAt: new Date().toISOString(),
    format,
    volume: src.volume,
    ...(src.container ? { source: { container: src.container.name, path: src.container.path } } : {}),
    prefix: src.prefix,
    entryCount: exported.entries,
    contentBytes: exported.bytes,
    tarBytes: exported.archive.tarBytes,
    archiveBytes: exported.archive.bytes,
    sha256: exported.archive.sha256,
  };
}

/** The record written beside the verified partial archive, then both renamed: the archive first. */
async function recordAndRename(tmp: string, file: string, sidecar: BackupSidecar): Promise<void> {
  await writeFile(`${tmp}.json`, `${JSON.stringify(sidecar, null, 2)}\n`, { flag: 'wx' });
  await rename(tmp, file);
  await rename(`${tmp}.json`, sidecarPath(file));
}

/** An export's result from the inspection of what it wrote: the archive's counts, sizes and hash, as the sidecar records them. */
function exportedOf(method: Exported['method'], r: VerifyResult, warnings: readonly Message[]): Exported {
  return {
    method,
    entries: r.stats.entries,
    bytes: r.stats.contentBytes,
    archive: { bytes: r.archiveBytes, tarBytes: r.stats.tarBytes, sha256: r.sha256 },
    warnings,
  };
}

/**
 * The fast path: `tar` in a helper that sees the volume and the destination folder writes `tmp` disk
 * to disk while this process reads the growing file (hash, full parse, safety), so verification is
 * done when tar is. Undefined when no helper can run tar: the archive endpoint then.
 */
async function exportWithTar(job: BackupJob, early?: EarlyHelper): Promise<Exported | undefined> {
  const { input, tmp, opts, release } = job;
  const { signal, progress } = opts;
  const tar = await fastPathRunner(job, early);
  if (!tar) return undefined;
  const insp = new ArchiveInspector('tar');
  const fh = await open(tmp, 'wx', 0o600); // ours: tar fills it, its owner stays the user
  await fh.close();
  try {
    // Returns once tar is done: a one-shot helper is removed by then (oneShotRunner).
    await tailFile(tmp, tar(signal), insp, signal, (n) => progress?.({ done: n, total: input.sizeHint }));
  } catch (e) {
    const unreachable = (e instanceof HelperCommandError || e instanceof HelperFailedError) && e.exitCode === HOST_FILE_UNREACHABLE;
    if (!(e instanceof WorkHelperUnavailable) && !unreachable) throw e;
    await unlink(tmp); // no helper could run tar, or its tar could not open the file: nothing was written, go over the API
    return undefined;
  }
  await release();
  const r = await settleInspection(insp);
  if (r.problems.length) throw new CoreError(msg('backup.helperTarInvalid', { problems: r.problems }));
  return exportedOf('helper-tar', r, []);
}

/**
 * Over the API: the engine's archive endpoint (every engine has it), or `tar` by exec in a helper where
 * that loses owners (chooseStreamPath). The bytes are verified as they go to `tmp`,
 * the inspector hashing what is written and parsing it (again after the compressor, so a compressor
 * fault shows), no second full pass. Plain tar takes one stage (parse and hash inline, batched
 * writes): one per-chunk hand-off instead of three, and no second parse of the same bytes.
 */
async function exportThroughEndpoint({ ctx, input, format, src, file, tmp, opts, cleanup, release }: BackupJob): Promise<Exported> {
  const { signal, progress } = opts;
  const { docker } = ctx;
  const via = await chooseStreamPath(docker, ctx);
  const helper = await streamHelper(docker, via, { purpose: 'backup', mounts: [src.mount], labels: ctx.helperLabels });
  let source: VolumeTar | undefined;
  let res: Readable | undefined;
  let rawGet: RawGet | undefined;
  let ticker: NodeJS.Timeout | undefined;
  // Deferred after the containers' restart, so a failure removes the helper before they start again;
  // run early below, before `release`.
  const removeReader = cleanup.defer(async () => {
    clearInterval(ticker);
    res?.destroy(); // an unfinished GET keeps the helper locked: destroy before removing it
    rawGet?.destroy();
    await removeHelper(helper);
  });
  let insp: ArchiveInspector;
  let sent: (() => { entries: number; contentBytes: number }) | undefined;
  const getRaw = format === 'tar' && via.kind === 'archive-endpoint' ? rawArchiveGetter(docker) : undefined;
  try {
    if (getRaw) {
      // The raw GET (rawArchive.ts): no HTTP client and no stream stages, one reused read buffer.
      const fh = await open(tmp, 'wx', 0o600);
      const w = new InspectingBlockWriter(fh);
      insp = w.insp;
      if (progress) ticker = setInterval(() => progress({ done: w.insp.check.stats.tarBytes, total: input.sizeHint }), 250);
      try {
        const onBody = (b: Buffer): boolean => {
          if (w.take(b)) return true;
          void w.drained().then(() => rawGet?.resume()); // two blocks wait for the disk: pause the socket until one is written
          return false;
        };
        rawGet = getRaw(helper.id, src.getPath, onBody, signal);
        await rawGet.done;
        await w.end();
      } finally {
        await w.settle();
        await fh.close();
      }
    } else {
      source = await readVolumeTar(docker, via, helper, src.getPath, signal);
      res = source.stream;
      if (format === 'tar') {
        const fh = await open(tmp, 'wx', 0o600);
        const sink = new InspectingFileSink(fh, WRITE_AHEAD);
        insp = sink.insp;
        if (progress) ticker = setInterval(() => progress({ done: insp.check.stats.tarBytes, total: input.sizeHint }), 250);
        try {
          await pipeline(res, sink, { signal });
        } finally {
          await fh.close();
        }
      } else {
        const tap = new TarTap();
        const ins = new ArchiveInspector(format);
        insp = ins;
        sent = () => tap.stats;
        const inspect = new Transform({
          transform(chunk: Buffer, _e, cb) {
            ins.push(chunk).then(
              () => cb(null, chunk),
              (e: Error) => cb(e),
            );
          },
        });
        if (progress) ticker = setInterval(() => progress({ done: tap.stats.tarBytes, total: input.sizeHint }), 250);
        const stages = [res, tap, compressor(format), inspect, createWriteStream(tmp, { flags: 'wx', mode: 0o600, highWaterMark: WRITE_AHEAD })].filter(
          (s) => s !== undefined,
        );
        try {
          await pipeline(stages, { signal });
        } catch (e) {
          ins.destroy();
          throw e;
        }
      }
      res = undefined;
      await source.finished();
    }
  } catch (e) {
    // tar in a helper says why it stopped (a short archive is its symptom).
    if (via.kind === 'exec-tar' && source && !signal?.aborted) await source.finished();
    // The engine ends its answer early, with no error, when a file changes size while it is read
    // (its tar writer refuses the extra bytes): a container is writing to the volume.
    if (e instanceof TruncatedArchiveError && !signal?.aborted) throw new CoreError(msg('backup.engineTruncated', { volume: src.volume.name }), { cause: e });
    throw e;
  }
  // The engine is done with the volume: remove the helper, restart the users before the (local) checks.
  await removeReader();
  await release();
  const r = await settleInspection(insp);
  const written = (await stat(tmp)).size;
  if (written !== r.archiveBytes) r.problems.push(msg('verify.bytes', { bytes: written, recorded: r.archiveBytes }));
  const got = sent?.();
  if (got && !r.problems.length && (got.entries !== r.stats.entries || got.contentBytes !== r.stats.contentBytes)) {
    r.problems.push(msg('backup.writtenDiffers', { entries: r.stats.entries, sent: got.entries, bytes: r.stats.contentBytes, sentBytes: got.contentBytes }));
  }
  if (r.problems.length) throw new VerifyError(msg('verify.failed', { file, problems: r.problems }), r);
  // Podman's archive GET gives every entry as root's (see docs/engines.md): say so, the data is there.
  const warnings = via.kind === 'archive-endpoint' && via.losesOwners ? [msg('backup.podmanOwners')] : [];
  return exportedOf(via.kind === 'exec-tar' ? 'exec-tar' : 'archive-endpoint', r, warnings);
}

/** Runs `tar` writing the job's partial file; settles when tar is done. */
type TarRunner = (signal?: AbortSignal) => Promise<unknown>;

/** The destination folder as a work helper mounts it. */
function destBind(dir: string): WorkBind {
  return { host: dir, target: '/cv/dest', readOnly: false };
}

/**
 * Starts the work helper that backups into `dir` will use, ahead of the first one (a set of backups
 * calls this while it checks its volumes). Does nothing when those backups will not take it.
 */
export function prepareFastPath(f: FastPath | undefined, format: ArchiveFormat, dir: string): void {
  const folder = path.resolve(dir);
  dataPathRule(f, { kind: 'backup', format, folder }).workHelpers?.prepare([destBind(folder)], false);
}

/**
 * How `tar` writes the backup straight into its folder (chooseDataPath: a work helper for a plain
 * local volume, else a one-shot helper that mounts the source), or undefined: the archive endpoint.
 */
async function fastPathRunner({ ctx, format, src, tmp, cleanup }: BackupJob, early?: EarlyHelper): Promise<TarRunner | undefined> {
  const dir = path.dirname(tmp);
  if (early) {
    early.taken = true;
    const made = await early.helper;
    return made && oneShotRunner(cleanup, made);
  }
  const chosen: DataPath = await chooseDataPath(ctx.docker, ctx.fastPath, { kind: 'backup', format, folder: dir }, () => Promise.resolve([src.info]));
  switch (chosen.kind) {
    case 'work-helper': {
      const argv = ['sh', '-c', `${destCheck('"$1"')}\nexec tar cf "$1" -C "$2" .`, 'backup', `/cv/dest/${path.basename(tmp)}`, chosen.folders[0]];
      return (signal) => chosen.helpers.run({ binds: [destBind(dir)], writeVolumes: false, argv, signal });
    }
    case 'one-shot-helper':
      return oneShotRunner(cleanup, await createShellHelper(ctx.docker, chosen.image, oneShotSpec(ctx, dir, src), oneShotScript(path.basename(tmp), src)));
    case 'archive-endpoint':
      return undefined;
  }
}

/**
 * Runs a one-shot tar helper, which runCreatedHelper removes once tar is done. Its removal is on the
 * cleanup stack from the moment it is the export's: an export that fails before tar ends (or starts)
 * removes it, killing tar, before the stopped containers start again.
 */
function oneShotRunner(cleanup: Cleanup, helper: Dockerode.Container): TarRunner {
  let removed = false;
  cleanup.defer(() => (removed ? undefined : removeHelper(helper)));
  return (signal) =>
    runCreatedHelper(helper, 'backup-tar', signal, 'onFailure').finally(() => {
      removed = true;
    });
}

/** Bytes per read while tailing: small enough that the copy out of the page cache stays in the CPU's cache for the hash. */
const TAIL_CHUNK = 128 << 10;
/** Longest stretch of reading before the event loop gets a turn (progress, cancel, other work in the extension host). */
const TAIL_SLICE_MS = 8;

/**
 * Reads `file` while `writer` (tar in a helper) is still writing it, feeding every byte to the
 * inspector; returns when the writer is done and the whole file was read. Throws the writer's error.
 * The bytes were just written, so they are in the page cache: small synchronous reads into one
 * buffer, hashed while still in the CPU's cache, cost less than half the CPU of large reads on
 * libuv's threads (measured: 0.57 s against 0.85-0.97 s for 600 MiB), and that CPU is what tar and
 * the kernel's writeback compete for. Reads run in slices of a few milliseconds between turns of
 * the event loop.
 */
async function tailFile(
  file: string,
  writer: Promise<unknown>,
  insp: ArchiveInspector,
  signal: AbortSignal | undefined,
  onBytes: (n: number) => void,
): Promise<void> {
  let finished = false;
  let failure: { e: unknown } | undefined;
  const settled = writer.then(
    () => {
      finished = true;
    },
    (e: unknown) => {
      finished = true;
      failure = { e };
    },
  );
  const fh = await open(file, 'r');
  const buf = Buffer.allocUnsafe(TAIL_CHUNK);
  let pos = 0;
  try {
    while (!signal?.aborted) {
      // Whether the writer had finished before these reads: only then does 0 bytes mean the end.
      const writerDone = finished;
      const until = performance.now() + TAIL_SLICE_MS;
      let n: number;
      do {
        n = readSync(fh.fd, buf, 0, buf.length, pos);
        pos += n;
        // Plain tar: the inspector hashes and parses synchronously (it copies what it keeps).
        if (n > 0) await insp.push(buf.subarray(0, n));
      } while (n > 0 && performance.now() < until);
      onBytes(pos);
      if (n > 0) await new Promise((r) => setImmediate(r));
      else if (writerDone) break;
      else await Promise.race([settled, new Promise((r) => setTimeout(r, 15))]);
    }
  } finally {
    await fh.close();
  }
  await settled;
  if (failure) throw failure.e;
  signal?.throwIfAborted();
}

async function settleInspection(insp: ArchiveInspector): Promise<VerifyResult> {
  const problems: Message[] = [];
  let sha256 = '';
  try {
    sha256 = await insp.end();
  } catch (e) {
    problems.push(textOf(e));
  }
  return finishInspection(insp, sha256, undefined, problems);
}
