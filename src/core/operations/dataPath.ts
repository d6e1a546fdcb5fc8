// How a backup's, a restore's, a clone's or a copy's bytes move, chosen once per operation by the rules
// here (`tar`/`cp` in the work helper, `tar` in a one-shot helper, or over the API: archive endpoints, exec tar), and what each path returns.
// Design notes: docs/data-operations.md#srccoreoperationsdatapathts
import type Dockerode from 'dockerode';
import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { ArchiveFormat } from '../archive/archiveFormat';
import { busyboxTarRefusal, type ArchiveFacts } from '../archive/busyboxTar';
import { engineVersion } from '../engine/engine';
import type { VolumeInfo } from '../engine/types';
import { tarImage } from '../helpers/execTar';
import { imageExists } from '../helpers/helperContainers';
import type { WorkHelpers } from '../helpers/workHelpers';
import type { Message } from '../message';

/**
 * What the fast paths may use: they apply only when the engine runs on this machine. `workHelpers`
 * reach plain local volumes with one exec; `helperImage` (sh, tar, cp) runs one-shot helpers.
 */
export interface FastPath {
  readonly localEngine: boolean;
  readonly helperImage?: string;
  readonly workHelpers?: WorkHelpers;
}

/** The operation, as far as the rule cares: what it binds besides the volumes. */
export type DataOp =
  /** A backup into the host folder `folder`. */
  | { readonly kind: 'backup'; readonly format: ArchiveFormat; readonly folder: string }
  /** A restore from the archive `file` in a host folder. */
  | { readonly kind: 'restore'; readonly archive: ArchiveFacts; readonly file: string }
  /** Volume to volume: no host folder. */
  | { readonly kind: 'clone' };

/** `tar` or `cp` by one exec in the work helper, which sees the engine's volumes folder. */
export interface WorkHelperPath {
  readonly kind: 'work-helper';
  readonly helpers: WorkHelpers;
  /** Each volume's data folder inside the helper, in the order asked. */
  readonly folders: readonly string[];
}

/** `tar` in a helper created for this one operation (it mounts what the work helper cannot reach). */
export interface OneShotHelperPath {
  readonly kind: 'one-shot-helper';
  readonly image: string;
}

/** The engine's archive endpoints (GET/PUT /containers/{id}/archive): works everywhere. */
export interface ArchiveEndpointPath {
  readonly kind: 'archive-endpoint';
  /** Why no helper path is taken (results and logs). */
  readonly why: string;
  /** The endpoints lose owners on this engine (Podman) and no helper image with tar is there. */
  readonly losesOwners?: boolean;
}

/**
 * `tar -c`/`tar -x` by exec in a helper running `image`, the bytes through the exec stream
 * (helpers/execTar.ts): where the engine's archive endpoints lose owners.
 */
export interface ExecTarPath {
  readonly kind: 'exec-tar';
  readonly image: string;
  /** The image's tar is GNU tar (else busybox: what it leaves undone is set afterwards). */
  readonly gnuTar: boolean;
}

/** How bytes cross the engine's API: a copy between engines, a backup no helper writes to its folder. */
export type StreamPath = ExecTarPath | ArchiveEndpointPath;

export type DataPath = WorkHelperPath | OneShotHelperPath | ArchiveEndpointPath;

/**
 * How a path moved the bytes: `tar` or `cp -a` in a helper writing or reading the host folder (work or
 * one-shot), `tar` by exec in a helper through the API, or the engine's archive endpoints.
 */
export type MoveMethod = 'helper-tar' | 'helper-cp' | 'exec-tar' | 'archive-endpoint';

/**
 * What one data path of a backup, a restore or a clone moved: the one shape every path returns
 * (each operation builds its own result from it). `M`: the methods an operation's paths have.
 */
export interface Moved<M extends MoveMethod = MoveMethod> {
  readonly method: M;
  /** Entries: files, folders, links ... (not pax or long-name headers). */
  readonly entries: number;
  /** The regular files' content bytes (a hard link's once). */
  readonly bytes: number;
  /** The archive file the path wrote (backup) or read (restore); a clone has none. */
  readonly archive?: MovedArchive;
  /** Things the user should know although the data moved (owners the engine dropped, bits not put back). */
  readonly warnings: readonly Message[];
}

export interface MovedArchive {
  /** The file's size (compressed, when it is). */
  readonly bytes: number;
  /** The size of its plain tar. */
  readonly tarBytes: number;
  /** The file's sha256; undefined for a restore that neither read the file whole nor checked it against its record. */
  readonly sha256?: string;
}

/** The rule's answer before the engine is asked anything: the helpers it may try, in order. */
export interface DataPathRule {
  readonly workHelpers?: WorkHelpers;
  /** Backups only: a restore or a clone has no one-shot helper path. */
  readonly oneShotImage?: string;
  /** Why neither may be tried. */
  readonly why?: string;
}

/**
 * The rule: engine locality (a helper that binds a host folder sees this machine's folder only when
 * the engine runs here, natively: Linux), the archive (a backup's is written by `tar`, so plain
 * .tar; a restore's must suit busybox `tar x`), and what is configured (work helpers, a helper
 * image). A clone binds no host folder, so only locality counts.
 */
export function dataPathRule(fast: FastPath | undefined, op: DataOp): DataPathRule {
  switch (op.kind) {
    case 'backup':
      if (!fast?.localEngine || op.format !== 'tar' || process.platform !== 'linux' || !path.isAbsolute(op.folder)) {
        return { why: 'no fast path for this backup' };
      }
      return fast.workHelpers || fast.helperImage ? { workHelpers: fast.workHelpers, oneShotImage: fast.helperImage } : { why: 'no helper image' };
    case 'restore': {
      if (!fast?.localEngine || !fast.workHelpers || process.platform !== 'linux') return { why: 'no fast path here (remote engine, or turned off)' };
      const refusal = busyboxTarRefusal(op.archive);
      return refusal ? { why: refusal } : { workHelpers: fast.workHelpers };
    }
    case 'clone':
      return fast?.localEngine && fast.workHelpers ? { workHelpers: fast.workHelpers } : { why: 'no fast path here (remote engine, or turned off)' };
  }
}

/**
 * The data path for an operation on `volumes` (a backup's source, a restore's target, a clone's
 * source and target; undefined for a source that is a container's mount or a bind): the work
 * helper when it reaches every volume (its driver is `local`, without options, and its mountpoint
 * is under the engine's volumes folder), else a one-shot helper when its image is here, else the
 * archive endpoints. `volumes` is called only when a work helper may be tried.
 */
export async function chooseDataPath(
  docker: Dockerode,
  fast: FastPath | undefined,
  op: DataOp,
  volumes: () => Promise<readonly (VolumeInfo | undefined)[]>,
): Promise<DataPath> {
  const rule = dataPathRule(fast, op);
  if (rule.workHelpers || rule.oneShotImage) {
    const out = await helperCannotReach(docker, op);
    if (out) return { kind: 'archive-endpoint', why: out };
  }
  if (rule.workHelpers) {
    const helpers = rule.workHelpers;
    const folders: (string | undefined)[] = [];
    for (const v of await volumes()) folders.push(v && (await helpers.pathOf(v)));
    if (folders.every((f) => f !== undefined)) return { kind: 'work-helper', helpers, folders };
  }
  if (rule.oneShotImage && (await imageExists(docker, rule.oneShotImage))) return { kind: 'one-shot-helper', image: rule.oneShotImage };
  return { kind: 'archive-endpoint', why: rule.why ?? 'the work helper cannot reach the volume' };
}

/**
 * Why a helper binding the operation's host folder cannot use it, or undefined. A rootless engine's
 * helpers reach the folder as the user who runs the engine (EngineVersion.rootless), not as root: a
 * backup's file, which this process creates (mode 0600), is writable there only when this process
 * runs as that user; a restore's archive must be readable by that user (its mode and its folders').
 * A rootful engine's helpers are root: they reach any folder (the fast path's failure with a dedicated
 * exit code still falls back, for what cannot be seen from here).
 */
export async function helperCannotReach(docker: Dockerode, op: DataOp): Promise<string | undefined> {
  if (op.kind === 'clone') return undefined;
  const as = (await engineVersion(docker).catch(() => undefined))?.rootless;
  if (!as) return undefined;
  if (op.kind === 'backup') {
    return as.uid === process.geteuid?.() ? undefined : `the engine runs rootless as uid ${as.uid}: its helpers cannot write this process's file`;
  }
  return (await mayRead(as, op.file)) ? undefined : `the engine runs rootless as uid ${as.uid}, who cannot read the archive`;
}

/** Whether `who` may read `file` by its mode bits and search every folder above it (no ACLs read: a no means the API path). */
async function mayRead(who: { uid: number; gid: number }, file: string): Promise<boolean> {
  const bits = async (p: string, want: number) => {
    const st = await stat(p).catch(() => undefined);
    if (!st) return false;
    const shift = st.uid === who.uid ? 6 : st.gid === who.gid ? 3 : 0;
    return ((st.mode >> shift) & want) === want;
  };
  const abs = path.resolve(file);
  for (let dir = path.dirname(abs); ; dir = path.dirname(dir)) {
    if (!(await bits(dir, 1))) return false;
    if (dir === path.dirname(dir)) break;
  }
  return bits(abs, 4);
}

/** A fast path's helper exits with this when it cannot open the host folder's file: nothing was written, the API path runs instead. */
export const HOST_FILE_UNREACHABLE = 96;

/**
 * The rule for bytes over the API (a copy's reading and writing on each engine, a backup that takes
 * no helper path): the archive endpoints, unless they lose owners on this engine (Podman's give and
 * store every entry as root's) and a helper image with tar is there (the configured one, else a
 * local busybox/alpine; nothing is pulled): then `tar` by exec in a helper. The engine's flavour is
 * read once per connection; an image's probe too.
 */
export async function chooseStreamPath(
  docker: Dockerode,
  env: { readonly helperImage?: string; readonly helperLabels?: Readonly<Record<string, string>> },
): Promise<StreamPath> {
  const v = await engineVersion(docker).catch(() => undefined); // an engine that does not say what it is: as Docker
  if (!v || v.archiveKeepsOwners) return { kind: 'archive-endpoint', why: 'the archive endpoints keep owners here' };
  const found = await tarImage(docker, env.helperImage, env.helperLabels);
  if (found) return { kind: 'exec-tar', image: found.image, gnuTar: found.gnu };
  return { kind: 'archive-endpoint', why: 'no helper image with tar on an engine whose archive endpoints lose owners', losesOwners: true };
}
