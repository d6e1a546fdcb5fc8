// Copy (or move) a volume to another engine: its tar stream, hashed as it goes, into the target (archive endpoints,
// or exec tar where those lose owners), checked there by a listing (else read back), else undone; then a move removes the source.
// Design notes: docs/data-operations.md#srccoreoperationscopytoenginets
import type Dockerode from 'dockerode';
import type { Readable } from 'node:stream';
import { type Cleanup, withCleanup } from './cleanup';
import { ContentDigest, type DigestResult } from '../archive/contentDigest';
import type { OpOptions } from './backupVolume';
import { call, type Engine, EngineError, HELPER_LABEL } from '../engine/engine';
import { rawArchiveGetter, rawArchivePutter, type RawGet, type RawGetArchive, type RawPutArchive } from '../engine/rawArchive';
import { createNewVolume, lockOptions, withVolumes } from './engineLocks';
import { removeHelper } from '../helpers/helperContainers';
import { loadVolumeSizes } from '../engine/inventory';
import type { OperationContext } from './operationContext';
import { amend, CoreError, type Message, msg, textOf } from '../message';
import { repairSpecialModes, SpecialModes } from './modeRepair';
import { cancelledOr, OperationRefusedError } from './operationErrors';
import { EntryGuard } from '../archive/tarSafety';
import { headerOf } from '../archive/tarWalker';
import { inspectVolume, putFailure, type VolumeInfo } from '../engine/volumeArchive';
import { volumeIsEmpty } from '../helpers/volumeIsEmpty';
import { volumeNameProblem } from '../volumeName';
import { chooseStreamPath, type StreamPath } from './dataPath';
import { readVolumeTar, streamHelper, writeVolumeTar } from './volumeStream';
import { EarlyHashing, listTarget, startTargetChecker } from './targetCheck';

export interface CopyToEngineInput {
  /** The volume on the source engine (the context's). */
  readonly source: string;
  /** The engine to copy to. */
  readonly to: Engine;
  /** Its name on the target engine (default: the same). */
  readonly target?: string;
  /** Remove the source once the copy is verified (only when no container uses it). */
  readonly move?: boolean;
  /** Labels added to the new volume on top of the source's. */
  readonly volumeLabels?: Record<string, string>;
  /** Bytes in the source, for progress in %; asked from the source engine when absent. */
  readonly sizeHint?: number;
}

export interface CopyToEngineResult {
  readonly volumeName: string;
  readonly entries: number;
  readonly contentBytes: number;
  /** The content hash both engines agreed on. */
  readonly sha256: string;
  /**
   * How the target was checked: listed and hashed there by a helper (find, stat, sha256sum) while
   * nothing more crossed the network, or read back whole (no such image on the target engine).
   */
  readonly verifiedBy: 'target-listing' | 'read-back';
  /** True when the source was removed (move). */
  readonly sourceRemoved: boolean;
  /** For a move that kept the source: the containers that use it. */
  readonly sourceUsers: readonly string[];
  readonly warnings: readonly Message[];
}

/**
 * For tests only: runs after the data is written and before it is checked (to damage the target and
 * see the check catch it).
 */
export const copyTestHooks: {
  beforeCheck?: (docker: Dockerode, volume: string) => Promise<void>;
  /** Sees, and may change, each piece of a raw copy's stream once it is hashed, before the target's engine gets it. */
  inTransit?: (piece: Buffer) => void;
} = {};

/** Containers (running or not, our helpers aside) that mount the volume. */
export async function volumeUsers(docker: Dockerode, volume: string): Promise<string[]> {
  const list = await call(() => docker.listContainers({ all: true, filters: { volume: [volume] } }));
  return list
    .filter((c) => !(c.Labels ?? {})[HELPER_LABEL] && (c.Mounts ?? []).some((m) => m.Name === volume))
    .map((c) => (c.Names[0] ?? c.Id).replace(/^\//, ''));
}

/**
 * Copies `input.source` from the context's engine to `input.to`. ctx.helperImage names an image on the
 * TARGET engine with a shell, to put back setuid/setgid bits the upload drops and to check the copy
 * there (else a local busybox or alpine; without one the copy is read back); ctx.helperLabels go on
 * the helpers and locks of both engines.
 */
export async function copyVolumeToEngine(ctx: OperationContext, input: CopyToEngineInput, opts: OpOptions = {}): Promise<CopyToEngineResult> {
  const { signal, progress } = opts;
  signal?.throwIfAborted();
  const { to } = input;
  const fromHost = ctx.engineHost;
  const target = input.target ?? input.source;
  const badName = volumeNameProblem(target);
  if (badName) throw new OperationRefusedError(badName, 'invalid');
  if (fromHost === to.endpoint.host) throw new OperationRefusedError(msg('copy.sameEngine', { host: to.endpoint.host }), 'invalid');
  // Two addresses of one engine (its socket and its TLS port, a symlinked socket): `docker info` says so.
  const [fromId, toId] = await Promise.all([engineIdentity(ctx.docker), engineIdentity(to.docker)]);
  if (fromId && fromId.key === toId?.key) {
    throw new OperationRefusedError(msg('copy.sameEngineAlias', { source: fromHost, target: to.endpoint.host, id: fromId.id.slice(0, 12) }), 'invalid');
  }
  // Each side's bytes go by tar in a helper where the archive endpoints lose owners (Podman). Without
  // such a helper, what Podman's GET sends cannot be checked against the volume: refused (its PUT's
  // losses the verification below catches).
  const [read, write] = await Promise.all([chooseStreamPath(ctx.docker, ctx), chooseStreamPath(to.docker, ctx)]);
  const paths = { read, write };
  if (paths.read.kind === 'archive-endpoint' && paths.read.losesOwners) throw new OperationRefusedError(msg('copy.fromPodman', { host: fromHost }), 'invalid');
  const what = msg(input.move ? 'lockOp.move' : 'lockOp.copy', { source: input.source, host: to.endpoint.host });
  const srcClaims = [{ volume: input.source, mode: input.move ? ('write' as const) : ('read' as const) }];
  const dstClaims = [{ volume: target, mode: 'write' as const }];
  return withVolumes(ctx.docker, fromHost, srcClaims, lockOptions(what, opts, ctx.helperLabels), (signal1) =>
    withVolumes(to.docker, to.endpoint.host, dstClaims, lockOptions(what, { ...opts, signal: signal1 }, ctx.helperLabels), (signal2) =>
      copyLocked(ctx, to, { ...input, target }, paths, signal2 ?? signal1 ?? signal, progress),
    ),
  );
}

/**
 * Who the engine is, from `docker info`: its ID, host name and data root. The ID alone is not enough:
 * two engines on one machine may share it (it comes from /etc/docker/key.json). Undefined where the
 * engine has no ID (some compatible engines).
 */
async function engineIdentity(docker: Dockerode): Promise<{ id: string; key: string } | undefined> {
  const info = (await call(() => docker.info())) as { ID?: unknown; Name?: unknown; DockerRootDir?: unknown };
  if (typeof info.ID !== 'string' || !info.ID) return undefined;
  return { id: info.ID, key: JSON.stringify([info.ID, info.Name, info.DockerRootDir]) };
}

async function copyLocked(
  from: OperationContext,
  to: Engine,
  input: CopyToEngineInput & { target: string },
  paths: { read: StreamPath; write: StreamPath },
  signal: AbortSignal | undefined,
  progress: OpOptions['progress'],
): Promise<CopyToEngineResult> {
  const { helperImage, helperLabels } = from;
  const src = await inspectVolume(from.docker, input.source);
  if (!src) throw new OperationRefusedError(msg('volume.notFound', { name: input.source }), 'notFound');
  if (input.move) {
    const users = await volumeUsers(from.docker, src.name);
    if (users.length) throw new OperationRefusedError(msg('copy.moveInUse', { volume: src.name, containers: users.join(', ') }), 'inUse');
  }
  const existing = await inspectVolume(to.docker, input.target);
  if (existing) {
    const users = await volumeUsers(to.docker, existing.name);
    if (users.length || !(await volumeIsEmpty(to.docker, existing.name, helperLabels ?? {}, signal))) {
      throw new OperationRefusedError(msg('copy.targetExists', { volume: existing.name }), 'notEmpty');
    }
  }
  const totalOf = (size: number | undefined) => (size !== undefined && size > 0 ? 2 * size : undefined);
  let total = totalOf(input.sizeHint);
  const report = (message: Message, done: number) => progress?.({ message, done: total ? Math.min(done, total) : done, total });

  return withCleanup(
    async (cleanup) => {
      // The size comes from the engine's `system df`, which sizes every volume there: asked for
      // alongside the copy, never waited for (the progress has its total once it is known).
      if (input.sizeHint === undefined) {
        const stop = new AbortController();
        const sizing = loadVolumeSizes(from, signal ? AbortSignal.any([signal, stop.signal]) : stop.signal).then(
          (sizes) => (total = totalOf(sizes.get(src.name))),
          () => undefined,
        );
        cleanup.defer(() => {
          stop.abort();
          return sizing.then(() => undefined);
        });
      }
      // On failure or cancel the target is left as it was: a volume made here is removed, one that was there empty is made again.
      if (existing) {
        cleanup.onFailure((err) => undoTarget(emptyAgain(to.docker, existing), err));
      } else {
        await createNewVolume(to.docker, {
          Name: input.target,
          Driver: src.driver,
          DriverOpts: src.options,
          Labels: { ...src.labels, ...(input.volumeLabels ?? {}) },
        });
        cleanup.onFailure((err) => undoTarget(removeVolume(to.docker, input.target), err));
      }
      const helpers: (() => Promise<void>)[] = [];
      const helper = async (docker: Dockerode, via: StreamPath, volume: string, purpose: string, readOnly: boolean) => {
        const c = await streamHelper(docker, via, { purpose, mounts: [{ source: volume, target: '/v', readOnly, type: 'volume' }], labels: helperLabels });
        helpers.push(cleanup.defer(() => removeHelper(c)));
        return c;
      };
      // A stream is destroyed before its helper is removed: an unfinished GET keeps the helper locked.
      const download = async (docker: Dockerode, via: StreamPath, c: Dockerode.Container) => {
        const read = await readVolumeTar(docker, via, c, '/v/.', signal);
        cleanup.defer(() => read.stream.destroy());
        return read;
      };
      const ticking = (tick: () => void) => {
        const ticker = setInterval(tick, 250);
        return cleanup.defer(() => clearInterval(ticker));
      };
      const reader = await helper(from.docker, paths.read, src.name, 'copy-src', true);
      const writer = await helper(to.docker, paths.write, input.target, 'copy-dst', false);
      // The check helper starts while the data flows (it costs nothing after); removed whenever it started.
      const checkers: Dockerode.Container[] = [];
      const checking = startTargetChecker(to.docker, input.target, helperImage, helperLabels, (c) => checkers.push(c)).catch(() => undefined);
      const removeCheckers = cleanup.defer(async () => {
        await checking;
        await Promise.all(checkers.map(removeHelper));
      });

      // 1. The source's tar stream, hashed, into the target.
      report(msg('progress.copyingTo', { volume: src.name, host: to.endpoint.host }), 0);
      const guard = new EntryGuard({ allowDevices: true });
      const modes = new SpecialModes('');
      const getRaw = paths.read.kind === 'archive-endpoint' ? rawArchiveGetter(from.docker) : undefined;
      const putRaw = paths.write.kind === 'archive-endpoint' ? rawArchivePutter(to.docker) : undefined;
      // The big files are hashed on the target as the engine finishes writing them (into a volume that was empty).
      const early = getRaw && putRaw ? new EarlyHashing(checking, signal) : undefined;
      if (early) cleanup.defer(() => early.dispose());
      const sent = new ContentDigest((e) => {
        const h = headerOf(e);
        guard.check(h);
        modes.note(h);
        early?.note(e);
      });
      const sending = ticking(() => report(msg('progress.copyingTo', { volume: src.name, host: to.endpoint.host }), sent.tarBytes));
      if (getRaw && putRaw) {
        await copyRaw(cleanup, { get: getRaw, reader: reader.id }, { put: putRaw, writer: writer.id }, sent, signal);
        early?.end();
      } else {
        const source = await download(from.docker, paths.read, reader);
        const res = source.stream;
        res.on('error', (e) => sent.destroy(e));
        await writeVolumeTar(to.docker, paths.write, writer, '/v', res.pipe(sent), signal);
        if (sent.errored) throw sent.errored;
        await source.finished();
      }
      const mine = sent.digest;
      if (!mine) throw new CoreError(msg('clone.sourceEnded'));
      await sending();
      // The reader and the writer have done their part: removed while the target is checked.
      const released = Promise.all(helpers.splice(0).map((remove) => remove()));
      cleanup.defer(() => released.then(() => undefined));
      const warning = await repairSpecialModes(to.docker, input.target, modes, helperImage, helperLabels, signal);

      // 2. Check the target on its engine: listed and hashed there, or read back and hashed here.
      const copied = sent.tarBytes;
      await copyTestHooks.beforeCheck?.(to.docker, input.target);
      const verifyingMsg = msg('progress.verifyingOn', { volume: input.target, host: to.endpoint.host });
      const checker = await checking;
      let theirs: DigestResult;
      let verifiedBy: CopyToEngineResult['verifiedBy'];
      if (checker && sent.listable) {
        verifiedBy = 'target-listing';
        let hashed = 0;
        const verifying = ticking(() => report(verifyingMsg, copied + (sent.files ? Math.round((copied * hashed) / sent.files) : copied)));
        const listed = await listTarget(checker, { signal, onHashed: (n) => (hashed += n), early });
        await verifying();
        // The old read-back of a Podman target through its archive endpoint had no root entry: not compared then either.
        const noRoot = paths.write.kind === 'archive-endpoint' && paths.write.losesOwners;
        theirs = noRoot ? { entries: listed.entries, contentBytes: listed.contentBytes, sha256: listed.sha256 } : listed;
      } else {
        verifiedBy = 'read-back';
        await removeCheckers();
        const check = await helper(to.docker, paths.write, input.target, 'copy-check', true);
        const readBack = await download(to.docker, paths.write, check);
        const got = new ContentDigest();
        const verifying = ticking(() => report(verifyingMsg, copied + got.tarBytes));
        theirs = await digestOf(readBack.stream, got);
        await readBack.finished();
        await verifying();
      }
      // The root folder's mode and owner are compared when both archives carry it (Podman's does not).
      const rootDiffers = mine.root !== undefined && theirs.root !== undefined && mine.root !== theirs.root;
      if (theirs.entries !== mine.entries || theirs.contentBytes !== mine.contentBytes || theirs.sha256 !== mine.sha256 || rootDiffers) {
        throw new CoreError(
          msg('copy.mismatch', {
            volume: input.target,
            host: to.endpoint.host,
            sent: `${mine.entries} / ${mine.contentBytes} / ${mine.sha256.slice(0, 12)}`,
            got: `${theirs.entries} / ${theirs.contentBytes} / ${theirs.sha256.slice(0, 12)}`,
          }),
        );
      }
      await Promise.all([released, ...helpers.map((remove) => remove()), removeCheckers()]);

      // 3. Move: the source goes only now, and only if nobody uses it.
      let sourceRemoved = false;
      let sourceUsers: string[] = [];
      const warnings = warning ? [warning] : [];
      if (input.move) {
        sourceUsers = await volumeUsers(from.docker, src.name);
        if (sourceUsers.length) {
          warnings.push(msg('copy.sourceKept', { volume: src.name, containers: sourceUsers.join(', ') }));
        } else {
          signal?.throwIfAborted();
          await call(() => from.docker.getVolume(src.name).remove());
          sourceRemoved = true;
        }
      }
      report(msg('progress.copyingTo', { volume: src.name, host: to.endpoint.host }), total ?? copied);
      return {
        volumeName: input.target,
        entries: mine.entries,
        contentBytes: mine.contentBytes,
        sha256: mine.sha256,
        verifiedBy,
        sourceRemoved,
        sourceUsers,
        warnings,
      };
    },
    (e) => cancelledOr(e, signal, msg('op.copyToEngine')),
  );
}

/**
 * Step 1 between two engines reached by sockets of our own (rawArchive.ts): the GET's bytes are
 * hashed where they lie in its reused read buffer and copied into the PUT's blocks, the GET paused
 * while two blocks are on their way: no stream stages, no buffer allocated per read (which cost as
 * much CPU as the copy's hashing). The PUT's failures read as putArchive's would.
 */
async function copyRaw(
  cleanup: Cleanup,
  from: { get: RawGetArchive; reader: string },
  to: { put: RawPutArchive; writer: string },
  sent: ContentDigest,
  signal?: AbortSignal,
): Promise<void> {
  const asPut = (e: unknown) => (e instanceof EngineError ? putFailure(e) : e);
  const into = to.put(to.writer, '/v', signal);
  cleanup.defer(() => into.destroy());
  const onBody = (b: Buffer): boolean => {
    sent.feed(b);
    copyTestHooks.inTransit?.(b);
    let more: boolean;
    try {
      more = into.write(b);
    } catch (e) {
      throw asPut(e);
    }
    if (!more) void into.drained().then(() => reading.resume());
    return more;
  };
  const reading: RawGet = from.get(from.reader, '/v/.', onBody, signal);
  cleanup.defer(() => reading.destroy()); // an unfinished GET keeps the helper locked
  try {
    await reading.done;
    sent.finish();
  } catch (e) {
    into.destroy();
    throw e;
  }
  await into.end().catch((e: unknown) => {
    throw asPut(e);
  });
}

/** Undoes the target after a failure; what the undo could not do is added to the operation's error. */
async function undoTarget(undo: Promise<void>, err: Error): Promise<void> {
  await undo.catch((ue: unknown) => amend(err, msg('error.and', { first: textOf(err), then: textOf(ue) })));
}

function digestOf(res: Readable, d: ContentDigest): Promise<DigestResult> {
  return new Promise((resolve, reject) => {
    res.on('error', reject);
    d.on('error', reject);
    d.on('finish', () => (d.digest ? resolve(d.digest) : reject(new CoreError(msg('clone.sourceEnded')))));
    res.pipe(d).resume();
  });
}

async function removeVolume(docker: Dockerode, name: string): Promise<void> {
  await call(() => docker.getVolume(name).remove());
}

/** A target that was there empty: removed and made again as it was (same name, driver, options, labels). */
async function emptyAgain(docker: Dockerode, v: VolumeInfo): Promise<void> {
  await removeVolume(docker, v.name);
  await call(() => docker.createVolume({ Name: v.name, Driver: v.driver, DriverOpts: v.options, Labels: v.labels }));
}
