// Clone a volume into a new one (driver and labels too), streamed through the engine with no
// temporary file. The target must not exist; on failure or cancel the half-made target is removed.
// Design notes: docs/data-operations.md#srccoreoperationsclonevolumets
import { restartStep, stopUsers } from './containerStopper';
import { type Cleanup, withCleanup } from './cleanup';
import { call } from '../engine/engine';
import type { OpOptions } from './backupVolume';
import { chooseDataPath, chooseStreamPath, type Moved } from './dataPath';
import { readVolumeTar, streamHelper, writeVolumeTar } from './volumeStream';
import type { OperationContext } from './operationContext';
import { removeHelper } from '../helpers/helperContainers';
import { cancelledOr, OperationRefusedError } from './operationErrors';
import { repairSpecialModes, SpecialModes } from './modeRepair';
import { EntryGuard } from '../archive/tarSafety';
import { TarTap } from '../archive/tarTap';
import type { ExecResult } from '../helpers/helperExec';
import { inspectVolume, type VolumeInfo } from '../engine/volumeArchive';
import { WorkHelperUnavailable } from '../helpers/workHelpers';
import { createNewVolume, lockOptions, withVolumes } from './engineLocks';
import { CoreError, type Message, msg, type Progress } from '../message';
import { volumeNameProblem } from '../volumeName';

export interface CloneInput {
  readonly source: string;
  readonly target: string;
  readonly stopContainers?: boolean;
  /** Labels added to the new volume on top of the source's. */
  readonly volumeLabels?: Record<string, string>;
  readonly sizeHint?: number;
}

export interface CloneResult {
  readonly volumeName: string;
  readonly entries: number;
  readonly contentBytes: number;
  readonly stoppedContainers: readonly string[];
  readonly warnings: readonly Message[];
  /**
   * How the data went: `cp -a` in a work helper (fast path), `tar` by exec in helpers (where the archive
   * endpoints lose owners: Podman) or the engine's archive endpoints.
   */
  readonly method: 'helper-cp' | 'exec-tar' | 'archive-endpoint';
}

/**
 * The fast path (ctx.fastPath: engine on this machine, plain local volumes): `cp -a` in a work helper.
 * ctx.helperImage, a shell, puts back setuid/setgid bits the engine's upload drops.
 */
export async function cloneVolume(ctx: OperationContext, input: CloneInput, opts: OpOptions = {}): Promise<CloneResult> {
  const { signal, progress } = opts;
  signal?.throwIfAborted();
  const badName = volumeNameProblem(input.target);
  if (badName) throw new OperationRefusedError(badName, 'invalid');
  if (input.source === input.target) throw new OperationRefusedError(msg('clone.sameName'), 'invalid');
  const { docker } = ctx;
  const claims = [
    { volume: input.source, mode: 'read' as const },
    { volume: input.target, mode: 'write' as const },
  ];
  return withVolumes(
    docker,
    ctx.engineHost,
    claims,
    lockOptions(msg('lockOp.clone', { source: input.source, target: input.target }), opts, ctx.helperLabels),
    async (signal) => {
      const src = await inspectVolume(docker, input.source);
      if (!src) throw new OperationRefusedError(msg('volume.notFound', { name: input.source }), 'notFound');
      if (await inspectVolume(docker, input.target)) throw new OperationRefusedError(msg('clone.exists', { volume: input.target }), 'exists');
      return withCleanup(
        async (cleanup) => {
          const stopped = input.stopContainers ? await stopUsers(docker, src.name, progress) : undefined;
          const restart = stopped ? cleanup.defer(restartStep(stopped)) : () => Promise.resolve();
          const stoppedContainers = stopped?.names ?? [];
          await createNewVolume(docker, {
            Name: input.target,
            Driver: src.driver,
            DriverOpts: src.options,
            Labels: { ...src.labels, ...(input.volumeLabels ?? {}) },
          });
          cleanup.onFailure(() => call(() => docker.getVolume(input.target).remove()).catch(() => undefined));
          const moved =
            (await copyInHelper(ctx, src, input.target, signal, progress)) ??
            (await copyThroughApi(ctx, src, input.target, cleanup, { signal, progress }, input.sizeHint));
          await restart();
          return {
            volumeName: input.target,
            entries: moved.entries,
            contentBytes: moved.bytes,
            stoppedContainers,
            warnings: moved.warnings,
            method: moved.method,
          };
        },
        (e) => cancelledOr(e, signal, msg('op.clone')),
      );
    },
  );
}

/**
 * The source's tar stream read through one helper straight into the target through another, the way
 * chooseStreamPath says: GET into PUT of the archive endpoints (never-started helpers; the GET holds
 * its helper's lock until the stream ends), or, where those lose owners (Podman) and a helper image
 * with tar is there, `tar -c` into `tar -x` by exec in running helpers. Every entry is checked on the
 * way; then the setuid/setgid bits an upload drops are put back. The helpers' removal is on the
 * operation's stack.
 */
async function copyThroughApi(
  ctx: OperationContext,
  src: VolumeInfo,
  target: string,
  cleanup: Cleanup,
  { signal, progress }: OpOptions,
  sizeHint?: number,
): Promise<Moved<'exec-tar' | 'archive-endpoint'>> {
  const { docker } = ctx;
  progress?.({ message: msg('progress.copying', { volume: src.name }), done: 0, total: sizeHint });
  const via = await chooseStreamPath(docker, ctx);
  const reader = await streamHelper(docker, via, {
    purpose: 'clone-src',
    mounts: [{ source: src.name, target: '/v', readOnly: true, type: 'volume' }],
    labels: ctx.helperLabels,
  });
  cleanup.defer(() => removeHelper(reader));
  const writer = await streamHelper(docker, via, {
    purpose: 'clone-dst',
    mounts: [{ source: target, target: '/v', type: 'volume' }],
    labels: ctx.helperLabels,
  });
  cleanup.defer(() => removeHelper(writer));
  const read = await readVolumeTar(docker, via, reader, '/v/.', signal);
  const res = read.stream;
  cleanup.onFailure(() => res.destroy()); // an unfinished GET keeps the reader locked: destroyed before it is removed
  const guard = new EntryGuard({ allowDevices: true });
  const modes = new SpecialModes('');
  const tap = new TarTap((h) => {
    guard.check(h);
    modes.note(h);
  });
  res.on('error', (e) => tap.destroy(e));
  if (progress) {
    const ticker = setInterval(() => progress({ message: msg('progress.copying', { volume: src.name }), done: tap.stats.tarBytes, total: sizeHint }), 250);
    cleanup.defer(() => clearInterval(ticker));
  }
  await writeVolumeTar(docker, via, writer, '/v', res.pipe(tap), signal);
  if (tap.errored) throw tap.errored;
  await read.finished(); // exec tar's exit code: a tar that failed part-way may have written a short, well-formed archive
  if (!tap.writableFinished) throw new CoreError(msg('clone.sourceEnded'));
  const warning = await repairSpecialModes(docker, target, modes, ctx.helperImage, ctx.helperLabels, signal);
  const warnings = warning ? [warning] : [];
  if (via.kind === 'archive-endpoint' && via.losesOwners) warnings.push(msg('clone.podmanOwners'));
  return { method: via.kind, entries: tap.stats.entries, bytes: tap.stats.contentBytes, warnings };
}

/**
 * `cp -a` of $1's contents into $2, while the source's entries and file bytes (hard links once) are
 * counted beside it, on the other core, instead of after it. Prints the two counts. Unix sockets
 * are neither counted nor kept (cp makes them, then they are removed from the new volume): every
 * other path skips them (the archive endpoint, tar), and a stale socket file only stops a service
 * that binds its name.
 */
const CLONE_SCRIPT = [
  'n="/tmp/cv-count-$$"',
  '{ find "$1" ! -type s | wc -l; find "$1" -type f -exec stat -c "%i %s" -- {} + | awk \'!seen[$1]++ { s += $2 } END { printf "%.0f\\n", s }\'; } > "$n" &',
  'cp -a -- "$1/." "$2/" || exit 1',
  'find "$2" -type s -exec rm -f -- {} + || exit 1',
  'wait $! || exit 1',
  'cat "$n"; rm -f "$n"',
].join('\n');

/**
 * The fast path: `cp -a` from one volume's data folder to the other's in a work helper (one exec,
 * no container created, no tar stream through the engine), counting as it goes (CLONE_SCRIPT).
 * Undefined when it does not apply; the new volume is then still empty.
 */
async function copyInHelper(
  { docker, fastPath }: OperationContext,
  src: VolumeInfo,
  target: string,
  signal?: AbortSignal,
  progress?: Progress,
): Promise<Moved<'helper-cp'> | undefined> {
  const chosen = await chooseDataPath(docker, fastPath, { kind: 'clone' }, async () => [src, await inspectVolume(docker, target)]);
  if (chosen.kind !== 'work-helper') return undefined;
  const [helpers, [from, to]] = [chosen.helpers, chosen.folders];
  let r: ExecResult;
  progress?.({ message: msg('progress.copying', { volume: src.name }) });
  try {
    r = await helpers.run({
      binds: [],
      writeVolumes: true,
      signal,
      argv: ['sh', '-c', CLONE_SCRIPT, 'clone', from, to],
    });
  } catch (e) {
    if (e instanceof WorkHelperUnavailable) return undefined;
    throw e;
  }
  const [entries, bytes] = r.stdout.toString('utf8').trim().split('\n').map(Number);
  return { method: 'helper-cp', entries, bytes, warnings: [] };
}
