// What VolumeFiles asks of the way it reaches a volume: a shell helper (shellBackend) or the
// engine's archive endpoints alone (archiveBackend), chosen once in VolumeFiles.open.
import type { JobResult } from '../helpers/helperJobs';
import type { FsOp } from './fsErrors';

export type EntryType = 'file' | 'directory' | 'symlink' | 'other';

export interface VolumeStat {
  readonly type: EntryType;
  /** For a symlink: the type of what it points to, or undefined when the link is broken. */
  readonly targetType?: EntryType;
  readonly size: number;
  /** Modification time in ms since the epoch, as the file system reports it. */
  readonly mtimeMs: number;
  /** Permission bits (0o7777). */
  readonly mode: number;
  /** Owner; undefined when the way it was read does not say (archive HEAD). */
  readonly uid?: number;
  readonly gid?: number;
}

export interface VolumeDirEntry extends VolumeStat {
  readonly name: string;
}

/** A path's stat (undefined: nothing there) and, for a symlink, its resolved helper path when known. */
export interface PathInfo {
  readonly stat?: VolumeStat;
  readonly realPath?: string;
}

/** A folder a poll watches, with the hash of its last snapshot listing (undefined: none yet). */
export interface WatchedFolder {
  readonly path: string;
  readonly hash?: string;
}

/** What a snapshot found for one folder: the same listing as `hash`, no folder any more, or its entries. */
export type FolderSnapshot =
  { readonly kind: 'same' } | { readonly kind: 'gone' } | { readonly kind: 'listed'; readonly hash: string; readonly entries: readonly VolumeDirEntry[] };

export interface Snapshot {
  /** One per watched folder, in order. */
  readonly folders: readonly FolderSnapshot[];
  /** One per file, in order: its stat (a link's target), or undefined when it is gone. */
  readonly files: readonly (VolumeStat | undefined)[];
}

/** Bytes received from the engine on data streams, and `docker exec` runs: what tests and benchmarks measure. */
export interface Traffic {
  bytesReceived: number;
  execs: number;
}

/** Volume paths in, volume paths out (normalised by the façade); errors are VolumeFsErrors. */
export interface FileBackend {
  /** `shell`: metadata by exec in a helper with a shell. `archive`: the degraded mode (no such image). */
  readonly mode: 'shell' | 'archive';
  /** Whether it can do `op` at all (the archive backend cannot delete, rename, copy folders or run jobs). */
  supports(op: FsOp): boolean;
  /** One PathInfo per path, in order; a symlink's stat carries its target's type. */
  statPaths(vps: readonly string[], signal?: AbortSignal): Promise<PathInfo[]>;
  list(vp: string, signal?: AbortSignal): Promise<VolumeDirEntry[]>;
  snapshot(folders: readonly { vp: string; hash?: string }[], files: readonly string[], signal?: AbortSignal): Promise<Snapshot>;
  /** Creates one folder whose parent (stat `parent`) exists, owned like the parent. */
  mkdir(vp: string, parent: VolumeStat, signal?: AbortSignal): Promise<void>;
  /** Removes a path and everything under it (shell only). */
  remove(vp: string, signal?: AbortSignal): Promise<void>;
  /** `mv -T` / `cp -a -T`, removing what is at `dst` first when `removeFirst` (shell only). */
  move(op: 'rename' | 'copy', src: string, dst: string, removeFirst: boolean, signal?: AbortSignal): Promise<void>;
  /** A long job with MOUNT as the volume's root, its output streamed (shell only). */
  job(argv: string[], onStdout: (chunk: Buffer) => void, what: FsOp, signal?: AbortSignal): Promise<JobResult>;
}
