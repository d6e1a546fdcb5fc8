// Restore a backup into a volume, every entry checked before the volume is touched: a new volume by default,
// an existing non-empty one only with `replace`, after a verified safety backup, and emptied first.
// Design notes (restore invariants): docs/data-operations.md#restore-invariants
import type Dockerode from 'dockerode';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { touchCommands, type TimeFixups } from '../archive/extractionPlan';
import { normalisedTar } from '../archive/normalisedTar';
import { pathComponents, type TarReader } from '../archive/tarReader';
import { decompressor, sniffFormat } from '../archive/archiveFormat';
import { backupVolumeLockHeld, type OpOptions } from './backupVolume';
import { chooseDataPath, chooseStreamPath, type DataOp, dataPathRule, type FastPath, type Moved, type MovedArchive } from './dataPath';
import { checkOwnersIn, OWNER_LISTING, ownersMatch, startOwnerCheck } from './ownerCheck';
import { streamHelper, writeVolumeTar } from './volumeStream';
import { restartStep, runningUsers, stopUsers, type StoppedContainers } from './containerStopper';
import { withCleanup } from './cleanup';
import { call, EngineError } from '../engine/engine';
import { createNewVolume, lockOptions, withVolumes } from './engineLocks';
import { imageExists, removeHelper, runShellHelper } from '../helpers/helperContainers';
import { cancelledOr, OperationRefusedError } from './operationErrors';
import { repairSpecialModes, SpecialModes } from './modeRepair';
import { EntryGuard } from '../archive/tarSafety';
import { headerOf } from '../archive/tarWalker';
import { inspectArchive, scanPlainTar, VerifyError, type VerifyResult } from '../archive/verifyBackup';
import { FileShaTap, sha256OfFile } from '../archive/fileHash';
import { inspectVolume, putFailure, type VolumeInfo } from '../engine/volumeArchive';
import { rawArchivePutter, type RawPut } from '../engine/rawArchive';
import { volumeIsEmpty } from '../helpers/volumeIsEmpty';
import { volumeNameProblem } from '../volumeName';
import { HelperCommandError, WorkHelperUnavailable, type WorkHelpers, type WorkReading } from '../helpers/workHelpers';
import type { OperationContext } from './operationContext';
import { amend, CoreError, type Message, msg, textOf } from '../message';

export interface RestoreInput {
  readonly file: string;
  readonly volumeName: string;
  /** Allow restoring into an existing non-empty volume: safety backup, empty it, restore. */
  readonly replace?: boolean;
  /** Where the safety backup goes (default: beside the archive, `<volume>-before-restore-<time>.tar`). */
  readonly safetyBackupFile?: string;
  /**
   * The folder of the archive whose contents go to the volume's root. Default: the sidecar's, or,
   * for an archive without one whose entries all sit under one folder (the seed's), that folder.
   * '' restores the archive as it is.
   */
  readonly prefix?: string;
  /** Stop running containers that use the volume while it is replaced (default: refuse to replace under them). */
  readonly stopContainers?: boolean;
  /** Labels for a volume the restore creates (on top of the sidecar's). */
  readonly volumeLabels?: Record<string, string>;
}

/** For tests: runs after the data is written, before the owners are compared (to damage them there). */
export const restoreTestHooks: { beforeOwnerCheck?: (docker: Dockerode, volume: string) => Promise<void> } = {};

export interface RestoreResult {
  readonly volumeName: string;
  readonly created: boolean;
  /** The archive folder whose contents went to the volume's root ('' = the archive root). */
  readonly prefix: string;
  /** Set when the layout was recognised without a sidecar (tell the user). */
  readonly layoutNote?: Message;
  readonly safetyBackup?: string;
  readonly entries: number;
  readonly stoppedContainers: readonly string[];
  readonly warnings: readonly Message[];
  /**
   * How the data went in: `tar x` in a work helper (fast path), `tar x` by exec in a helper (where the
   * archive endpoint loses owners: Podman) or the engine's archive endpoint.
   */
  readonly method: 'helper-tar' | 'exec-tar' | 'archive-endpoint';
  /** Why the archive endpoint was used (chooseDataPath's reason). */
  readonly fastPathSkipped?: string;
}

/** This restore as the data-path rule sees it (operations/dataPath.ts): the archive's facts from its scan. */
function restoreOp(file: string, checked: VerifyResult, prefix: string): DataOp {
  return {
    kind: 'restore',
    file,
    archive: {
      format: checked.format,
      plan: checked.plan ?? { plainTarIssue: 'the archive was not scanned' },
      linkOwnersComplete: checked.linkOwners?.complete === true,
      rootFolderKnown: !prefix || checked.folders?.get(prefix) !== undefined,
    },
  };
}

/**
 * The checks of step 1, exported for the UI (shows the layout before asking). A plain .tar is
 * checked by its headers (`quick`: every entry, counts, truncation; its sha256 is then computed while it is
 * written, see shaNeeded), anything else by reading it whole.
 */
export async function checkArchiveForRestore(file: string, opts: OpOptions & { quick?: boolean } = {}): Promise<VerifyResult> {
  try {
    if (!(await stat(file)).isFile()) throw new Error();
  } catch {
    throw new OperationRefusedError(msg('restore.noFile', { file }), 'notFound');
  }
  const quick = opts.quick !== false && (await sniffFormat(file)) === 'tar';
  // Each entry's owner is kept: after the restore the volume's are compared with them (ownerCheck.ts).
  const r = quick ? await scanPlainTar(file, { ...opts, owners: true }) : await inspectArchive(file, { ...opts, owners: true });
  if (r.problems.length) throw new VerifyError(msg('restore.refused', { problems: r.problems }), r);
  return r;
}

function choosePrefix(r: VerifyResult, wanted: string | undefined): { prefix: string; note?: Message } {
  const found = r.prefix;
  if (wanted !== undefined) {
    const w = pathComponents(wanted);
    if (w && !(found === w || found.startsWith(`${w}/`))) {
      throw new OperationRefusedError(found ? msg('restore.notUnder', { prefix: w, found }) : msg('restore.notUnderRoot', { prefix: w }), 'invalid');
    }
    return { prefix: w };
  }
  if (r.sidecar) {
    const s = pathComponents(r.sidecar.prefix);
    return { prefix: s && (found === s || found.startsWith(`${s}/`)) ? s : '' };
  }
  if (found) {
    return { prefix: found, note: msg('restore.layoutNote', { folder: found }) };
  }
  return { prefix: '' };
}

/** Empties `v`: `rm` in a helper from ctx.helperImage (an image with `sh` and `rm`, never pulled), else remove and create it again. */
async function emptyVolume({ docker, helperImage, helperLabels }: OperationContext, v: VolumeInfo, signal?: AbortSignal): Promise<void> {
  if (helperImage && (await imageExists(docker, helperImage))) {
    await runShellHelper(
      docker,
      helperImage,
      {
        purpose: 'empty',
        mounts: [{ source: v.name, target: '/v', type: 'volume' }],
        labels: helperLabels,
      },
      'rm -rf -- /v/* /v/.[!.]* /v/..?* ; [ -z "$(ls -A /v)" ]',
      signal,
    );
    return;
  }
  // No image with a shell: an unused volume can be removed and created again, identical but empty.
  try {
    await call(() => docker.getVolume(v.name).remove());
  } catch (e) {
    if ((e as EngineError).kind === 'conflict') {
      throw new OperationRefusedError(msg('restore.emptyNeedsShell', { volume: v.name }), 'inUse');
    }
    throw e;
  }
  await call(() => docker.createVolume({ Name: v.name, Driver: v.driver, DriverOpts: v.options, Labels: v.labels }));
}

async function canEmpty({ docker, helperImage }: OperationContext, v: VolumeInfo): Promise<void> {
  if (helperImage && (await imageExists(docker, helperImage))) return;
  const users = await call(() => docker.listContainers({ all: true, filters: { volume: [v.name] } }));
  if (users.some((c) => (c.Mounts ?? []).some((m) => m.Name === v.name))) {
    throw new OperationRefusedError(
      helperImage ? msg('restore.emptyImageMissing', { volume: v.name, image: helperImage }) : msg('restore.emptyNoImage', { volume: v.name }),
      'inUse',
    );
  }
}

/**
 * The archive into the volume over the API, as our reader's normalised plain tar (normalisedTar: what
 * the engine's extractor reads exactly as GNU tar reads the original), every entry checked again on
 * the way: PUT of the archive endpoint, or, where that loses owners (Podman) and a helper image with
 * tar is there, `tar x` by exec in a helper (chooseStreamPath). Then the times the engine cannot set
 * (before 1970) are set, and the owners stored are compared with the archive's.
 */
async function putInto(
  ctx: OperationContext,
  file: string,
  volumeName: string,
  prefix: string,
  expected: VerifyResult,
  opts: OpOptions,
): Promise<Moved<'exec-tar' | 'archive-endpoint'>> {
  const { signal, progress } = opts;
  const { docker } = ctx;
  const target = prefix ? `/${prefix}` : '/v';
  const via = await chooseStreamPath(docker, ctx);
  const helper = await streamHelper(docker, via, { purpose: 'restore', mounts: [{ source: volumeName, target, type: 'volume' }], labels: ctx.helperLabels });
  // Owners written by the endpoint are listed afterwards in a helper of their own, started now.
  const ownerCheck = via.kind === 'archive-endpoint' && !via.losesOwners && expected.owners ? startOwnerCheck(docker, volumeName, ctx) : undefined;
  const guard = new EntryGuard();
  const modes = new SpecialModes(prefix);
  const seen: { reader?: TarReader } = {};
  let failed: Error | undefined;
  const stop = new AbortController();
  const onAbort = () => stop.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  let ticker: NodeJS.Timeout | undefined;
  let released: Promise<void> | undefined;
  let sha: FileShaTap | undefined;
  const source = createReadStream(file, { highWaterMark: 1 << 20 });
  const unz = decompressor(expected.format);
  try {
    // Hashed on another thread as it streams (a compressed file's bytes before they are inflated); what the tap did not see, digest reads.
    sha = shaNeeded(expected) ? new FileShaTap(file) : undefined;
    // The raw PUT copies every piece before the next is asked for: a plain tar can then be read into buffers that are reused.
    const put = via.kind === 'archive-endpoint' ? rawArchivePutter(docker) : undefined;
    let raw: AsyncIterable<Buffer>;
    if (unz) {
      const read = sha ? Readable.from(sha.tap(source), { objectMode: false }) : source;
      read.on('error', (e: Error) => unz.destroy(e));
      raw = read.pipe(unz);
    } else if (put) {
      raw = sha ? sha.read() : readReused(file);
    } else {
      raw = sha ? sha.tap(source) : source;
    }
    const tar = normalisedTar(
      raw,
      (e) => {
        const h = headerOf(e);
        guard.check(h);
        modes.note(h);
      },
      seen,
      prefix ? undefined : 'v',
    );
    const pieces = (async function* () {
      try {
        yield* tar;
      } catch (e) {
        failed = e as Error;
        stop.abort(e);
        throw e;
      }
    })();
    if (progress) ticker = setInterval(() => progress({ done: seen.reader?.bytes ?? 0, total: expected.stats.tarBytes }), 250);
    // Extracted at the container's root: with a prefix the volume is mounted at /<prefix>, so `logs/x`
    // lands at the volume's root; without one, at /v and every name is put under v/.
    try {
      if (put) await putPieces(put(helper.id, '/', stop.signal), pieces);
      else await writeVolumeTar(docker, via, helper, '/', Readable.from(pieces, { objectMode: false }), stop.signal);
    } catch (e) {
      throw failed ?? e;
    }
    if (failed) throw failed;
    const r = seen.reader;
    if (!r || r.entries !== expected.stats.entries || r.endOffset !== expected.stats.endOffset || r.contentBytes !== expected.stats.contentBytes) {
      throw new CoreError(msg('restore.archiveChanged'));
    }
    const sha256 = await checkSha(sha?.digest(signal), expected);
    await keepOnlyLostModes(docker, helper, prefix ? `/${prefix}` : '/v', modes, signal);
    // The endpoint's helper has done its part (exec tar's still lists the owners): removed while the rest goes on.
    if (via.kind === 'archive-endpoint') released = removeHelper(helper);
    const warning = await repairSpecialModes(docker, volumeName, modes, ctx.helperImage, ctx.helperLabels, signal);
    if (expected.plan) await dateAfterEngine(ctx, volumeName, expected.plan.endpointTimes, prefix, signal);
    const warnings = warning ? [warning] : [];
    await restoreTestHooks.beforeOwnerCheck?.(docker, volumeName);
    // Owners compared in the helper that wrote them, else in one made for it; where the endpoint is known to lose them, the user is told.
    if (via.kind === 'exec-tar') {
      if (expected.owners) await checkOwnersIn(helper, target, expected.owners, prefix, signal);
    } else if (via.losesOwners) {
      warnings.push(msg('restore.podmanOwners'));
    } else if (ownerCheck && expected.owners) {
      await ownerCheck.run(expected.owners, prefix, signal);
    }
    return {
      method: via.kind,
      entries: r.entries,
      bytes: r.contentBytes,
      archive: archiveRead(expected, sha256),
      warnings,
    };
  } finally {
    clearInterval(ticker);
    signal?.removeEventListener('abort', onAbort);
    source.destroy();
    unz?.destroy();
    sha?.dispose();
    await Promise.all([released ?? removeHelper(helper), ownerCheck?.dispose()]);
  }
}

/**
 * Leaves in `modes` only the files whose setuid/setgid bits the engine's extraction did not keep
 * (its chown after a hard link's creation clears them; extracted at the container's root, its own
 * chmod after that usually puts them back): one archive HEAD (a stat) per file, no helper image.
 */
async function keepOnlyLostModes(docker: Dockerode, helper: Dockerode.Container, root: string, modes: SpecialModes, signal?: AbortSignal): Promise<void> {
  if (modes.overflow) return;
  const lost: SpecialModes['entries'] = [];
  for (const e of modes.entries) {
    let res: { headers?: Record<string, string>; destroy?: () => void } | undefined;
    try {
      res = (await call(() => docker.getContainer(helper.id).infoArchive({ path: `${root}/${e.path}`, abortSignal: signal }))) as typeof res;
    } catch {
      lost.push(e); // cannot tell: repair (or warn) as before
      continue;
    }
    res?.destroy?.(); // a HEAD answer left open keeps its socket
    const raw = res?.headers?.['x-docker-container-path-stat'];
    const mode = raw ? (JSON.parse(Buffer.from(raw, 'base64').toString('utf8')) as { mode: number }).mode : undefined;
    // Go's FileMode: setuid is bit 23, setgid bit 22.
    const kept = mode !== undefined && ((mode & (1 << 23) ? 0o4000 : 0) | (mode & (1 << 22) ? 0o2000 : 0)) === (e.mode & 0o6000);
    if (!kept) lost.push(e);
  }
  modes.entries.splice(0, modes.entries.length, ...lost);
}

/** Why the times the engine cannot set could not be set here (undefined: they can, or there are none). */
function cannotDateAfterEngine(fixups: TimeFixups, helperImage: string | undefined, fastPath: FastPath | undefined): Message | undefined {
  if (fixups.size === 0) return undefined;
  if (helperImage || (fastPath?.localEngine && fastPath.workHelpers)) return undefined;
  return msg('restore.before1970', { count: fixups.size });
}

/** Sets the times the engine's extraction sets to 1970 (it clamps times before the epoch). */
async function dateAfterEngine(ctx: OperationContext, volumeName: string, fixups: TimeFixups, prefix: string, signal?: AbortSignal): Promise<void> {
  if (fixups.size === 0) return;
  const { docker, helperImage } = ctx;
  const helpers = ctx.fastPath?.localEngine ? ctx.fastPath.workHelpers : undefined;
  const v = helpers ? await inspectVolume(docker, volumeName) : undefined;
  const inHelper = helpers && v ? await helpers.pathOf(v) : undefined;
  if (helpers && inHelper) {
    for (const argv of touchCommands(fixups, prefix, inHelper)) await helpers.run({ binds: [], writeVolumes: true, signal, what: 'touch', argv });
    return;
  }
  if (!helperImage) throw new CoreError(cannotDateAfterEngine(fixups, helperImage, undefined) ?? msg('restore.noTouchImage'));
  const q = (x: string) => `'${x.replace(/'/g, `'\\''`)}'`;
  // One script per 100 KB: a container's command is one argument, which the kernel caps at 128 KiB.
  const scripts: string[] = [];
  for (const argv of touchCommands(fixups, prefix, '/v')) {
    for (let i = 6; i < argv.length; i += 200) {
      const line = [...argv.slice(0, 6), ...argv.slice(i, i + 200)].map(q).join(' ');
      if (!scripts.length || scripts[scripts.length - 1].length + line.length > 100_000) scripts.push('set -e');
      scripts[scripts.length - 1] += `\n${line}`;
    }
  }
  for (const script of scripts) {
    await runShellHelper(
      docker,
      helperImage,
      { purpose: 'touch', mounts: [{ source: volumeName, target: '/v', type: 'volume' }], labels: ctx.helperLabels },
      script,
      signal,
    );
  }
}

/** True when the check before writing did not read the contents (a quick check of a plain .tar) and a record says what they should be. */
function shaNeeded(expected: VerifyResult): boolean {
  return !expected.sha256 && !!expected.sidecar?.sha256;
}

/**
 * When shaNeeded, on the path where the helper reads the file and we do not (fast restore), the
 * file's sha256 is computed on another thread while it is written, and compared with the backup's
 * record at the end; the caller removes the new volume on a mismatch.
 */
function shaToCheck(file: string, expected: VerifyResult, signal?: AbortSignal): Promise<string> | undefined {
  if (!shaNeeded(expected)) return undefined;
  const p = sha256OfFile(file, signal);
  p.catch(() => undefined); // awaited by checkSha; never an unhandled rejection if writing fails first
  return p;
}

/** The sha256 computed while writing, once it matches the record (undefined when none was computed). */
async function checkSha(sha: Promise<string> | undefined, expected: VerifyResult): Promise<string | undefined> {
  if (!sha || !expected.sidecar) return undefined;
  const got = await sha;
  if (got !== expected.sidecar.sha256) {
    throw new VerifyError(msg('verify.sha256', { got: got.slice(0, 12), recorded: expected.sidecar.sha256.slice(0, 12) }));
  }
  return got;
}

/** The archive a restore read, as its check measured it; its sha256 from that check, else from the one computed while writing. */
function archiveRead(expected: VerifyResult, computed: string | undefined): MovedArchive {
  return { bytes: expected.archiveBytes, tarBytes: expected.stats.tarBytes, sha256: expected.sha256 || computed };
}

/**
 * What the fast restore runs in the work helper: first a check that this `tar` knows the options
 * (an old busybox may not, or lack gzip: exit 97, nothing written, the PUT path runs instead), then
 * `tar x` with numeric owners (an image's /etc/passwd must not remap uids by name) becomes the
 * shell, so cancelling kills it. $1 the archive, $2 the volume's folder.
 */
export const NO_TAR_OPTIONS = 97;
export function fastRestoreScript(strip: number, gzip = false): string {
  const opts = `${gzip ? '-z ' : ''}--numeric-owner${strip ? ` --strip-components=${strip}` : ''}`;
  return [
    `dd if=/dev/zero bs=1024 count=1 2>/dev/null ${gzip ? '| gzip -c ' : ''}| tar -t ${opts} -f - >/dev/null 2>&1 || exit ${NO_TAR_OPTIONS}`,
    `exec tar -x ${opts} -f "$1" -C "$2"`,
  ].join('\n');
}

/** Arguments per `chown -h` (well under the kernel's limit on an exec's arguments). */
const CHOWN_BATCH = 2000;

/**
 * The fast path, for a .tar or .tar.gz: `tar x` in a work helper reads the archive straight from its
 * folder (mounted read-only) into the volume, reached through the engine's volumes folder: no
 * container is created and the engine's slower extraction is skipped; contents under a folder (the
 * seed's `logs/`) go to the volume's root by `--strip-components`. Then what busybox tar leaves
 * out is set as the engine's extraction sets it: the symlinks' owners, and, under a folder, the
 * volume root's owner and mode from that folder's entry (which stripping drops). Every entry was
 * checked in step 1; meanwhile the file's sha256 is compared with the backup's record on another
 * thread, and the file must be the very same afterwards (size, times, inode): a file that changed
 * in between fails the restore, and the new volume is removed. Undefined when it does not apply
 * (remote engine, no helper image or an old `tar`, .tar.zst, a volume with driver options, a
 * folder deeper than the archive's checked top, more symlinks than LinkOwners keeps): then the PUT
 * path runs.
 */
async function tarInHelper(
  helpers: WorkHelpers,
  inHelper: string,
  file: string,
  prefix: string,
  expected: VerifyResult,
  opts: OpOptions,
): Promise<Moved<'helper-tar'> | undefined> {
  const gzip = expected.format === 'tar.gz';
  const root = prefix ? expected.folders?.get(prefix) : null;
  if (!expected.linkOwners || !expected.plan || root === undefined) return undefined; // the data-path rule said so already
  const { signal, progress } = opts;
  const before = await stat(file, { bigint: true });
  const sha = shaToCheck(file, expected, signal);
  const archive = `/cv/archive/${path.basename(file)}`;
  const run = (argv: string[], what: string, reading?: WorkReading) =>
    helpers.run({
      binds: [{ host: path.dirname(file), target: '/cv/archive', readOnly: true }],
      writeVolumes: true,
      signal,
      what,
      argv,
      reading,
    });
  try {
    await run(
      ['sh', '-c', fastRestoreScript(prefix ? prefix.split('/').length : 0, gzip), 'restore', archive, inHelper],
      'tar',
      progress ? { path: archive, onPosition: (n) => progress({ done: n, total: expected.archiveBytes }) } : undefined,
    );
  } catch (e) {
    // Nothing was written: no helper could run, or its tar lacks the options.
    if (e instanceof WorkHelperUnavailable || (e instanceof HelperCommandError && e.exitCode === NO_TAR_OPTIONS)) return undefined;
    throw e;
  }
  for (const [owner, links] of expected.linkOwners.under(prefix)) {
    for (let i = 0; i < links.length; i += CHOWN_BATCH) {
      await run(['chown', '-h', owner, '--', ...links.slice(i, i + CHOWN_BATCH).map((l) => `${inHelper}/${l}`)], 'chown of the symlinks');
    }
  }
  if (root) {
    await run(
      ['sh', '-c', 'chown "$1" "$3" && chmod "$2" "$3"', 'root', `${root.uid}:${root.gid}`, root.mode.toString(8), inHelper],
      'chown of the volume root',
    );
  }
  // Busybox tar dates neither folders (their times change as files go in) nor symlinks: GNU tar does.
  for (const argv of touchCommands(expected.plan.helperTimes, prefix, inHelper)) await run(argv, 'touch of the folders and symlinks');
  // tar in a user namespace gives an id it cannot map to another one without an error (busybox ignores a failed chown).
  if (expected.owners) ownersMatch(expected.owners, (await run(['sh', '-c', OWNER_LISTING, 'owners', inHelper], 'find/stat')).stdout, prefix);
  const after = await stat(file, { bigint: true });
  if (after.ino !== before.ino || after.size !== before.size || after.mtimeNs !== before.mtimeNs || after.ctimeNs !== before.ctimeNs) {
    throw new CoreError(msg('restore.archiveChanged'));
  }
  const sha256 = await checkSha(sha, expected);
  // tar as root keeps setuid/setgid bits: nothing to repair.
  return { method: 'helper-tar', entries: expected.stats.entries, bytes: expected.stats.contentBytes, archive: archiveRead(expected, sha256), warnings: [] };
}

/** Where a replace keeps the volume's old contents by default: beside the archive, `<volume>-before-restore-<time>.tar`. */
export function safetyBackupPath(archiveFile: string, volumeName: string): string {
  return path.join(path.dirname(path.resolve(archiveFile)), `${volumeName}-before-restore-${stamp()}.tar`);
}

function stamp(): string {
  return new Date()
    .toISOString()
    .replace(/[:.]/g, '-')
    .replace(/-\d{3}Z$/, 'Z');
}

/**
 * The fast path (ctx.fastPath, engine on this machine): `tar` in a work helper extracts the checked
 * archive; ctx.helperImage empties a volume that containers use and sets what the engine's upload drops.
 */
export async function restoreVolume(ctx: OperationContext, input: RestoreInput, opts: OpOptions = {}): Promise<RestoreResult> {
  const { signal, progress } = opts;
  signal?.throwIfAborted();
  const file = path.resolve(input.file);
  const badName = volumeNameProblem(input.volumeName);
  if (badName) throw new OperationRefusedError(badName, 'invalid');
  progress?.({ message: msg('progress.checkingArchive') });
  let checked = await checkArchiveForRestore(file, opts).catch((e) => {
    throw cancelledOr(e, signal, msg('op.restore'));
  });
  const { prefix, note } = choosePrefix(checked, input.prefix);
  const op = restoreOp(file, checked, prefix);
  const rule = dataPathRule(ctx.fastPath, op);
  const blocked = checked.plan ? cannotDateAfterEngine(checked.plan.endpointTimes, ctx.helperImage, ctx.fastPath) : undefined;
  if (!rule.workHelpers && blocked) throw new OperationRefusedError(blocked, 'invalid');

  const lock = lockOptions(msg('lockOp.restore', { file: path.basename(file) }), opts, ctx.helperLabels);
  const { docker } = ctx;
  return withVolumes(docker, ctx.engineHost, [{ volume: input.volumeName, mode: 'write' }], lock, (signal) =>
    withCleanup(
      async (cleanup) => {
        let created = false;
        let safetyBackup: string | undefined;
        let stopped: StoppedContainers | undefined;
        let restart = (): Promise<void> => Promise.resolve();
        const existing = await inspectVolume(docker, input.volumeName);
        if (!existing) {
          const labels = { ...(checked.sidecar?.volume.labels ?? {}), ...(input.volumeLabels ?? {}) };
          await createNewVolume(docker, { Name: input.volumeName, Labels: labels });
          created = true;
          cleanup.onFailure(async (err) => {
            await call(() => docker.getVolume(input.volumeName).remove()).catch(() => undefined);
            if (err.name === 'CancelledError') amend(err, msg('restore.cancelledRemoved'));
          });
        } else if (!(await volumeIsEmpty(docker, existing.name, ctx.helperLabels, signal))) {
          if (!input.replace) {
            throw new OperationRefusedError(msg('restore.notEmpty', { volume: existing.name }), 'notEmpty');
          }
          const running = await runningUsers(docker, existing.name);
          if (running.length && !input.stopContainers) {
            throw new OperationRefusedError(msg('restore.inUse', { volume: existing.name, containers: running.map((c) => c.name).join(', ') }), 'inUse');
          }
          await canEmpty(ctx, existing);
          if (!checked.sha256) checked = await checkArchiveForRestore(file, { ...opts, quick: false });
          const safety = path.resolve(input.safetyBackupFile ?? safetyBackupPath(file, existing.name));
          safetyBackup = safety;
          progress?.({ message: msg('progress.safetyBackup', { volume: existing.name, file: safety }) });
          if (running.length) {
            stopped = await stopUsers(docker, existing.name, progress);
            restart = cleanup.defer(restartStep(stopped));
          }
          await backupVolumeLockHeld(ctx, { source: { volumeName: existing.name }, file: safety }, { signal });
          signal?.throwIfAborted();
          progress?.({ message: msg('progress.emptying', { volume: existing.name }) });
          // From here on a failure puts the old contents back from the safety backup.
          cleanup.onFailure(async (err) => {
            amend(err, await rollBack(ctx, input.volumeName, safety, textOf(err)));
          });
          await emptyVolume(ctx, existing, signal);
        }
        if (!created && !checked.sha256) {
          // Into a volume we did not just create: the whole file is read and compared with its record
          // now, before the safety backup and before a byte is written (a new volume is simply removed
          // if the sha256 checked while writing does not match).
          checked = await checkArchiveForRestore(file, { ...opts, quick: false });
        }
        progress?.({ message: msg('progress.restoring', { volume: input.volumeName }) });
        const chosen = rule.workHelpers
          ? await chooseDataPath(docker, ctx.fastPath, op, async () => [await inspectVolume(docker, input.volumeName)])
          : undefined;
        const fast =
          chosen?.kind === 'work-helper' ? await tarInHelper(chosen.helpers, chosen.folders[0], file, prefix, checked, { signal, progress }) : undefined;
        if (!fast && blocked) throw new OperationRefusedError(blocked, 'invalid');
        const moved = fast ?? (await putInto(ctx, file, input.volumeName, prefix, checked, { signal, progress }));
        const warnings = [...(checked.plan?.notes ?? []), ...moved.warnings];
        await restart();
        return {
          volumeName: input.volumeName,
          created,
          prefix,
          layoutNote: note,
          safetyBackup,
          entries: moved.entries,
          stoppedContainers: stopped?.names ?? [],
          warnings,
          method: moved.method,
          fastPathSkipped: fast ? undefined : ((chosen?.kind === 'archive-endpoint' ? chosen.why : undefined) ?? rule.why ?? 'the fast path could not run'),
        };
      },
      (e) => cancelledOr(e, signal, msg('op.restore')),
    ),
  );
}

/** Puts the safety backup back after a failed replace; returns the message to show. */
async function rollBack(ctx: OperationContext, volumeName: string, safetyBackup: string, why: Message): Promise<Message> {
  const { docker } = ctx;
  try {
    const v = await inspectVolume(docker, volumeName);
    if (v) await emptyVolume(ctx, v);
    else await call(() => docker.createVolume({ Name: volumeName }));
    const checked = await checkArchiveForRestore(safetyBackup);
    await putInto(ctx, safetyBackup, volumeName, '', checked, {});
    return msg('restore.rolledBack', { why, file: safetyBackup });
  } catch (e) {
    return msg('restore.rollBackFailed', { why, detail: textOf(e), file: safetyBackup });
  }
}

/** For `<container>:<path>` targets: the volume mounted there; refuses read-only mounts clearly. */
export async function volumeOfMount(docker: Dockerode, container: string, mountPath: string): Promise<string> {
  let info: Dockerode.ContainerInspectInfo;
  try {
    info = await call(() => docker.getContainer(container).inspect());
  } catch (e) {
    if ((e as EngineError).kind === 'notFound') throw new OperationRefusedError(msg('container.notFound', { name: container }), 'notFound');
    throw e;
  }
  const want = path.posix.normalize(`/${mountPath}`).replace(/\/+$/, '');
  const m = (info.Mounts ?? []).find((x) => x.Destination.replace(/\/+$/, '') === want);
  if (!m || m.Type !== 'volume' || !m.Name) throw new OperationRefusedError(msg('restore.noVolumeAt', { container, path: want }), 'notFound');
  if (!m.RW) throw new OperationRefusedError(msg('restore.readOnlyMount', { container, path: want, volume: m.Name }), 'readOnly');
  return m.Name;
}

/** `file` read in order into one reused 1 MiB buffer: each piece is valid until the next is asked for. */
async function* readReused(file: string): AsyncGenerator<Buffer> {
  const fh = await open(file, 'r');
  try {
    const b = Buffer.allocUnsafe(1 << 20);
    for (let n; (n = (await fh.read(b, 0, b.length, null)).bytesRead) > 0;) yield b.subarray(0, n);
  } finally {
    await fh.close();
  }
}

/** The rewritten archive's pieces through a raw PUT (rawArchive.ts), copied into its blocks as they come. */
async function putPieces(put: RawPut, pieces: AsyncIterable<Buffer>): Promise<void> {
  try {
    for await (const b of pieces) if (!put.write(b)) await put.drained();
    await put.end();
  } catch (e) {
    put.destroy();
    throw e instanceof EngineError ? putFailure(e) : e;
  }
}
