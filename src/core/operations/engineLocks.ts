// Volume locks that hold across processes and machines sharing one engine: a never-started container
// named `cv-lock-<volume>` is the lock, with a lease renewed in the engine's clock; readers hold markers.
// Design notes: docs/data-operations.md#srccoreoperationsenginelocksts
import type Dockerode from 'dockerode';
import { randomBytes, createHash } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import * as tar from 'tar-stream';
import { call, HELPER_LABEL, HELPER_OWNER_LABEL, LABEL_PREFIX, type EngineError } from '../engine/engine';
import { pidAlive, removeHelper, withEmptyImage } from '../helpers/helperContainers';
import { CancelledError, OperationRefusedError } from './operationErrors';
import type { VolumeLockHolder } from '../engine/types';
import {
  codeLabel,
  DEFAULT_LEASE_MS,
  describeHolder,
  holderFromLabels,
  LOCK_APP_CODE_LABEL,
  LOCK_APP_LABEL,
  LOCK_HOST,
  LOCK_HOST_LABEL,
  LOCK_LEASE_LABEL,
  LOCK_MODE_LABEL,
  LOCK_OPERATION_CODE_LABEL,
  LOCK_OPERATION_LABEL,
  LOCK_PID_LABEL,
  LOCK_SINCE_LABEL,
  LOCK_VOLUME_LABEL,
} from '../engine/lockLabels';
import { getArchive, putArchive } from '../engine/volumeArchive';
import { volumeKey, withVolumeLocks } from './volumeLocks';
import { CoreError, type Message, msg, type Progress, textOf } from '../message';

/** Set on a volume we create, with a token only that operation knows: proof that it is new. */
export const CREATOR_LABEL = `${LABEL_PREFIX}.creator`;

const LEASE_FILE = 'cv-lease';

export type LockMode = 'write' | 'read';

export interface VolumeClaim {
  readonly volume: string;
  readonly mode: LockMode;
}

/** Who holds a volume, as its lock container's labels say. */
export type LockHolder = VolumeLockHolder;

/** What to do when another process holds a volume: wait for it (cancellable) or refuse now. */
export type BusyChoice = 'wait' | 'refuse';

export interface LockPolicy {
  /** Asked once per operation, when a volume is first found busy. Default: refuse. */
  readonly onBusy?: (holder: LockHolder, signal?: AbortSignal) => BusyChoice | Promise<BusyChoice>;
}

export interface LockOptions {
  /** What the operation is, for whoever finds the volume busy ("restore of backup.tar"). */
  readonly operation: Message;
  readonly signal?: AbortSignal;
  readonly progress?: Progress;
  readonly policy?: LockPolicy;
  /** Extra labels on the lock containers (tests mark theirs). */
  readonly labels?: Readonly<Record<string, string>>;
}

/** The process's identity in locks. */
const identity = {
  app: msg('lockApp.process'),
  host: LOCK_HOST,
  leaseMs: leaseFromEnv(),
};

function leaseFromEnv(): number {
  const n = Number(process.env.CONTAINER_VOLUMES_LOCK_LEASE_MS);
  return Number.isFinite(n) && n >= 2000 ? n : DEFAULT_LEASE_MS;
}

/** Names this process in the locks it takes ("the CLI", `VS Code window "shop"`). */
export function setLockApp(app: Message): void {
  identity.app = app;
}

export function lockHostIdentity(): string {
  return identity.host;
}

/** The refusal: one line naming the holder, and that nothing was changed. */
export class VolumeBusyError extends OperationRefusedError {
  constructor(readonly holder: LockHolder) {
    super(msg('lock.busy', { volume: holder.volume, holder: describeHolder(holder) }), 'busy');
    this.name = 'VolumeBusyError';
  }
}

/** The lock container's name for a volume (names are unique per engine: that is the lock). */
export function lockName(volume: string): string {
  return `cv-lock-${short(volume)}`;
}

function readerName(volume: string): string {
  return `cv-read-${short(volume)}-${randomBytes(4).toString('hex')}`;
}

function short(volume: string): string {
  // Volume names use the same characters as container names; very long ones are hashed.
  return volume.length <= 120 ? volume : `${volume.slice(0, 60)}-${createHash('sha256').update(volume).digest('hex').slice(0, 32)}`;
}

// ---------------------------------------------------------------------------------------------
// The engine's clock

const offsets = new WeakMap<Dockerode, { offset: number; at: number }>();

/** The engine's clock minus ours, measured by `GET /info` (cached ten minutes). */
async function engineOffset(docker: Dockerode): Promise<number> {
  const cached = offsets.get(docker);
  if (cached && Date.now() - cached.at < 600_000) return cached.offset;
  const t0 = Date.now();
  const info = (await call(() => docker.info())) as { SystemTime?: string };
  const t1 = Date.now();
  const engineNow = Date.parse(info.SystemTime ?? '');
  const offset = Number.isNaN(engineNow) ? 0 : engineNow - (t0 + t1) / 2;
  offsets.set(docker, { offset, at: t1 });
  return offset;
}

// ---------------------------------------------------------------------------------------------
// Liveness

/** The engine time of the holder's last renewal: its lease file, or the container's creation. */
async function lastRenewal(docker: Dockerode, id: string, createdMs: number): Promise<number> {
  let res: Awaited<ReturnType<typeof getArchive>> | undefined;
  try {
    res = await getArchive(docker, id, `/${LEASE_FILE}`);
    const extract = tar.extract();
    res.pipe(extract);
    for await (const entry of extract) {
      const chunks: Buffer[] = [];
      for await (const c of entry) chunks.push(c as Buffer);
      const at = Number((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { engineAt?: number }).engineAt);
      if (Number.isFinite(at)) return Math.max(at, createdMs);
    }
  } catch {
    /* no lease written yet (just created), or gone: its creation is its last sign of life */
  } finally {
    res?.destroy();
  }
  return createdMs;
}

/**
 * Why a lock can be broken, or undefined while its holder may be alive: on this host, its pid is
 * gone; anywhere, its lease was not renewed for its lease time (in the engine's clock).
 */
async function staleReason(docker: Dockerode, id: string, holder: LockHolder, createdMs: number): Promise<string | undefined> {
  if (holder.host === identity.host && holder.pid !== process.pid && !pidAlive(holder.pid)) return `process ${holder.pid} on ${holder.host} is gone`;
  const now = Date.now() + (await engineOffset(docker));
  const last = await lastRenewal(docker, id, createdMs);
  if (now - last > holder.leaseMs) return `no sign of life for ${Math.round((now - last) / 1000)} s (its lease is ${Math.round(holder.leaseMs / 1000)} s)`;
  return undefined;
}

function createdMsOf(info: Dockerode.ContainerInspectInfo): number {
  return Date.parse(info.Created);
}

// ---------------------------------------------------------------------------------------------
// Acquire and release

interface Held {
  readonly id: string;
  readonly volume: string;
}

type TryResult = { held: Held } | { busy: LockHolder };

function lockLabels(volume: string, mode: LockHolder['mode'], opts: LockOptions, since: string): Record<string, string> {
  return {
    ...(opts.labels ?? {}),
    [HELPER_LABEL]: 'lock',
    [HELPER_OWNER_LABEL]: `${identity.host}:${process.pid}`,
    [LOCK_VOLUME_LABEL]: volume,
    [LOCK_MODE_LABEL]: mode,
    [LOCK_OPERATION_LABEL]: opts.operation.toString(),
    [LOCK_OPERATION_CODE_LABEL]: codeLabel(opts.operation),
    [LOCK_APP_LABEL]: identity.app.toString(),
    [LOCK_APP_CODE_LABEL]: codeLabel(identity.app),
    [LOCK_HOST_LABEL]: identity.host,
    [LOCK_PID_LABEL]: String(process.pid),
    [LOCK_SINCE_LABEL]: since,
    [LOCK_LEASE_LABEL]: String(identity.leaseMs),
  };
}

/** Creates the lock container; undefined when the name is taken. */
async function createLock(docker: Dockerode, name: string, labels: Record<string, string>): Promise<string | undefined> {
  try {
    const c = await withEmptyImage(docker, (image) =>
      call(() => docker.createContainer({ name, Image: image, Cmd: ['/none'], Labels: labels, HostConfig: { NetworkMode: 'none' }, NetworkDisabled: true })),
    );
    return c.id;
  } catch (e) {
    if ((e as EngineError).kind === 'conflict') return undefined;
    throw e;
  }
}

/**
 * Who holds `name` now; breaks it when its holder is gone (then `undefined`: try again at once).
 * `gone` when there is no such container any more.
 */
async function holderOf(docker: Dockerode, name: string): Promise<LockHolder | 'gone' | undefined> {
  let info: Dockerode.ContainerInspectInfo;
  try {
    info = await call(() => docker.getContainer(name).inspect());
  } catch (e) {
    if ((e as EngineError).kind === 'notFound') return 'gone';
    throw e;
  }
  const holder = holderFromLabels(info.Config.Labels);
  if (!holder) throw new OperationRefusedError(msg('lock.inTheWay', { name }), 'busy');
  const why = await staleReason(docker, info.Id, holder, createdMsOf(info));
  if (!why) return holder;
  await removeHelper(docker.getContainer(info.Id)); // by id: never a newer lock of the same name
  return undefined;
}

/** Live readers of the volume (stale ones are removed on the way). */
async function liveReaders(docker: Dockerode, volume: string): Promise<LockHolder[]> {
  const list = await call(() => docker.listContainers({ all: true, filters: { label: [`${LOCK_VOLUME_LABEL}=${volume}`, `${LOCK_MODE_LABEL}=read`] } }));
  const live: LockHolder[] = [];
  for (const c of list) {
    const h = holderFromLabels(c.Labels);
    if (!h || h.volume !== volume) continue;
    if (await staleReason(docker, c.Id, h, c.Created * 1000)) await removeHelper(docker.getContainer(c.Id));
    else live.push(h);
  }
  return live;
}

const ENTER_RETRIES = 40;

/** A writer takes the volume's name, then makes sure no live reader is inside. */
async function tryAcquire(docker: Dockerode, claim: VolumeClaim, opts: LockOptions, since: string): Promise<TryResult> {
  if (claim.mode === 'read') return tryRead(docker, claim, opts, since);
  const gate = lockName(claim.volume);
  for (let attempt = 0; ; attempt++) {
    opts.signal?.throwIfAborted();
    const gateId = await createLock(docker, gate, lockLabels(claim.volume, 'write', opts, since));
    if (!gateId) {
      const h = await holderOf(docker, gate);
      if (h === undefined || h === 'gone') continue; // broken or just released: try again now
      // A reader of an older version on its way in holds the name for two calls only: wait a little.
      if (h.mode === 'enter' && attempt < ENTER_RETRIES) {
        await delay(25 + Math.random() * 50, undefined, { signal: opts.signal });
        continue;
      }
      return { busy: h };
    }
    try {
      const readers = await liveReaders(docker, claim.volume);
      if (!readers.length) return { held: { id: gateId, volume: claim.volume } };
      await removeHelper(docker.getContainer(gateId));
      return { busy: readers[0] };
    } catch (e) {
      await removeHelper(docker.getContainer(gateId));
      throw e;
    }
  }
}

/**
 * A reader leaves its marker first and then looks at the name: a writer takes the name first and
 * then looks for markers, so whichever looks second sees the other. A writer that sees a marker
 * lets go at once; a reader that sees a writer keeps its marker and looks again for a while (that
 * writer may be one letting go because of it), so readers and a writer started together never all
 * step back. Two calls, where entering through the name took four.
 */
async function tryRead(docker: Dockerode, claim: VolumeClaim, opts: LockOptions, since: string): Promise<TryResult> {
  let markerId: string | undefined;
  while (!markerId) {
    opts.signal?.throwIfAborted();
    markerId = await createLock(docker, readerName(claim.volume), lockLabels(claim.volume, 'read', opts, since)); // undefined: a random name taken, draw again
  }
  try {
    for (let attempt = 0; ; attempt++) {
      const h = await holderOf(docker, lockName(claim.volume));
      // No name, or a reader of an older version on its way in (mode `enter`): ours to read.
      if (h === 'gone' || (h && h.mode !== 'write')) return { held: { id: markerId, volume: claim.volume } };
      if (h && attempt >= ENTER_RETRIES) {
        await removeHelper(docker.getContainer(markerId));
        return { busy: h };
      }
      // A writer (perhaps letting go because of this marker), or a dead writer's name just broken.
      if (h) await delay(25 + Math.random() * 50, undefined, { signal: opts.signal });
      opts.signal?.throwIfAborted();
    }
  } catch (e) {
    await removeHelper(docker.getContainer(markerId));
    throw e;
  }
}

/** Writes the lease file (the engine-time of this renewal) into the lock container. */
async function renew(docker: Dockerode, id: string, seq: number): Promise<void> {
  const engineAt = Date.now() + (await engineOffset(docker));
  const pack = tar.pack();
  pack.entry({ name: LEASE_FILE, mode: 0o644, mtime: new Date(engineAt) }, JSON.stringify({ engineAt, seq, host: identity.host, pid: process.pid }));
  pack.finalize();
  const body = new PassThrough();
  pack.pipe(body);
  await putArchive(docker, id, '/', body);
}

/**
 * Keeps the leases of `held` alive until stopped; calls `onLost` when a lock was broken by someone
 * else (its container is gone) or could not be renewed for most of its lease.
 */
function keepAlive(docker: Dockerode, held: readonly Held[], onLost: (why: Message) => void): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let seq = 0;
  let lastOk = Date.now();
  const tick = async () => {
    seq++;
    for (const h of held) {
      try {
        await renew(docker, h.id, seq);
      } catch (e) {
        if (stopped) return;
        if ((e as EngineError).kind === 'notFound') {
          onLost(msg('lock.broken', { volume: h.volume, seconds: Math.round(identity.leaseMs / 1000) }));
          return;
        }
        if (Date.now() - lastOk > identity.leaseMs * 0.8) {
          onLost(msg('lock.notRenewed', { volume: h.volume, detail: textOf(e) }));
          return;
        }
        schedule();
        return;
      }
    }
    lastOk = Date.now();
    schedule();
  };
  const schedule = () => {
    if (!stopped) timer = setTimeout(() => void tick(), identity.leaseMs / 5);
  };
  schedule();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/**
 * Runs `fn` holding the engine locks of `claims` (sorted, all or none: two operations never wait on
 * each other). When a volume is busy, the policy chooses: refuse (VolumeBusyError, nothing was
 * changed) or wait, polling, with a "Waiting for …" progress message, until the signal aborts. `fn`
 * gets a signal that also aborts when a lock is lost, and the operation then fails saying so.
 */
export async function withEngineLocks<T>(
  docker: Dockerode,
  claims: readonly VolumeClaim[],
  opts: LockOptions,
  fn: (signal: AbortSignal | undefined) => Promise<T>,
): Promise<T> {
  const merged = new Map<string, LockMode>();
  for (const c of claims) if (merged.get(c.volume) !== 'write') merged.set(c.volume, c.mode);
  const sorted = [...merged].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([volume, mode]) => ({ volume, mode }));
  if (!sorted.length) return fn(opts.signal);
  const since = new Date().toISOString();
  let choice: BusyChoice | undefined;
  let held: Held[] = [];
  for (;;) {
    let busy: LockHolder | undefined;
    try {
      for (const c of sorted) {
        const r = await tryAcquire(docker, c, opts, since);
        if ('busy' in r) {
          busy = r.busy;
          break;
        }
        held.push(r.held);
      }
    } catch (e) {
      await releaseAll(docker, held);
      if (opts.signal?.aborted) throw new CancelledError(msg('op.waiting', { volumes: volumesText(sorted) }));
      throw e;
    }
    if (!busy) break;
    await releaseAll(docker, held);
    held = [];
    choice ??= (await opts.policy?.onBusy?.(busy, opts.signal)) ?? 'refuse';
    if (choice === 'refuse') throw new VolumeBusyError(busy);
    opts.progress?.({ message: msg('progress.waitingFor', { holder: describeHolder(busy), volume: busy.volume }) });
    try {
      await delay(400 + Math.random() * 400, undefined, { signal: opts.signal });
    } catch {
      throw new CancelledError(msg('op.waiting', { volumes: volumesText(sorted) }));
    }
  }
  const lost = new AbortController();
  let lostWhy: Message | undefined;
  const stop = keepAlive(docker, held, (why) => {
    lostWhy = why;
    lost.abort(new CoreError(why));
  });
  const signal = opts.signal ? AbortSignal.any([opts.signal, lost.signal]) : lost.signal;
  try {
    return await fn(signal);
  } catch (e) {
    if (lostWhy && !opts.signal?.aborted) throw new CoreError(msg('lock.lost', { why: lostWhy, detail: textOf(e) }), { cause: e });
    throw e;
  } finally {
    stop();
    await releaseAll(docker, held);
  }
}

/**
 * The entry point of every data operation: this process's queue for the volumes (volumeLocks.ts),
 * then the engine's locks (withEngineLocks).
 */
export function withVolumes<T>(
  docker: Dockerode,
  engineHost: string,
  claims: readonly VolumeClaim[],
  opts: LockOptions,
  fn: (signal: AbortSignal | undefined) => Promise<T>,
): Promise<T> {
  return withVolumeLocks(
    claims.map((c) => volumeKey(engineHost, c.volume)),
    () => withEngineLocks(docker, claims, opts, fn),
    opts.signal,
  );
}

/** LockOptions from an operation's options. */
export function lockOptions(
  operation: Message,
  opts: { signal?: AbortSignal; progress?: Progress; lock?: LockPolicy },
  labels?: Readonly<Record<string, string>>,
): LockOptions {
  return { operation, signal: opts.signal, progress: opts.progress, policy: opts.lock, labels };
}

function volumesText(claims: readonly VolumeClaim[]): Message {
  return claims.length === 1
    ? msg('lock.oneVolume', { volume: claims[0].volume })
    : msg('lock.volumes', { volumes: claims.map((c) => `"${c.volume}"`).join(', ') });
}

async function releaseAll(docker: Dockerode, held: readonly Held[]): Promise<void> {
  for (const h of [...held].reverse()) await removeHelper(docker.getContainer(h.id));
}

/**
 * For small edits that do not take the lock (a file saved through the volume's folder): refuses
 * when another process holds the volume for writing (a stale lock is broken on the way).
 */
export async function assertNoOtherWriter(docker: Dockerode, volume: string): Promise<void> {
  const h = await holderOf(docker, lockName(volume));
  if (h && h !== 'gone' && h.mode === 'write' && !(h.host === identity.host && h.pid === process.pid)) throw new VolumeBusyError(h);
}

// ---------------------------------------------------------------------------------------------
// "Into a new volume" means new

export interface NewVolumeSpec {
  readonly Name: string;
  readonly Driver?: string;
  readonly DriverOpts?: Record<string, string>;
  readonly Labels?: Record<string, string>;
}

/**
 * Creates a volume that must be new. The engine's create returns an existing volume of that name as
 * if it had made it; a token label set here and read back proves that this call created it.
 * Otherwise (someone else created it meanwhile, outside our locks) it refuses before anything is
 * written.
 */
export async function createNewVolume(docker: Dockerode, spec: NewVolumeSpec): Promise<void> {
  const token = `${identity.host}:${process.pid}:${randomBytes(12).toString('hex')}`;
  const labels = { ...(spec.Labels ?? {}), [CREATOR_LABEL]: token };
  const refuse = () => new OperationRefusedError(msg('lock.createdMeanwhile', { volume: spec.Name }), 'exists');
  try {
    await call(() => docker.createVolume({ ...spec, Labels: labels }));
  } catch (e) {
    if ((e as EngineError).kind === 'conflict') throw refuse();
    throw e;
  }
  const got = await call(() => docker.getVolume(spec.Name).inspect());
  if ((got.Labels ?? {})[CREATOR_LABEL] !== token) throw refuse();
}
