// The degraded way to a volume when no image with a shell is there: a created-never-started helper
// and the archive endpoints alone (HEAD stat, GET listing capped, PUT); no delete, rename or jobs.
import * as path from 'node:path/posix';
import type { JobResult } from '../helpers/helperJobs';
import type { FileBackend, FolderSnapshot, PathInfo, Snapshot, VolumeDirEntry, VolumeStat } from './fileBackend';
import type { ArchiveEndpoints } from './archiveEndpoints';
import { type FsOp, needsShell } from './fsErrors';
import { fromHelper } from './volumePath';

export class ArchiveBackend implements FileBackend {
  readonly mode = 'archive';

  constructor(private readonly endpoints: ArchiveEndpoints) {}

  /** Listing is possible (by GET); copying a file is done by the façade as a read and a write. */
  supports(op: FsOp): boolean {
    return op === 'list';
  }

  statPaths(vps: readonly string[], signal?: AbortSignal): Promise<PathInfo[]> {
    return Promise.all(vps.map((vp) => this.endpoints.statByHead(vp, signal)));
  }

  list(vp: string, signal?: AbortSignal): Promise<VolumeDirEntry[]> {
    return this.endpoints.listFolder(vp, signal);
  }

  /**
   * No exec: a folder is re-listed only when its own mtime moved (entries created, removed or
   * renamed; a file rewritten in place goes unseen here), files are stated by HEAD.
   */
  async snapshot(dirs: readonly { vp: string; hash?: string }[], fps: readonly string[], signal?: AbortSignal): Promise<Snapshot> {
    const folders: FolderSnapshot[] = [];
    for (const d of dirs) {
      const head = await this.endpoints.headStat(d.vp, signal);
      if (!head || head.type !== 'directory') {
        folders.push({ kind: 'gone' });
        continue;
      }
      const hash = `mtime:${head.stat.mtimeMs}`;
      folders.push(hash === d.hash ? { kind: 'same' } : { kind: 'listed', hash, entries: await this.endpoints.listFolder(d.vp, signal) });
    }
    const files: (VolumeStat | undefined)[] = [];
    for (const vp of fps) {
      const info = await this.endpoints.statByHead(vp, signal);
      const target =
        info.stat?.type === 'symlink' && info.realPath !== undefined ? await this.endpoints.headStat(fromHelper(info.realPath), signal) : undefined;
      files.push(target ? target.stat : info.stat?.type === 'symlink' && !info.stat.targetType ? undefined : info.stat);
    }
    return { folders, files };
  }

  /** HEAD has no owner: the parent's comes from the first header of its GET. */
  async mkdir(vp: string, _parent: VolumeStat, signal?: AbortSignal): Promise<void> {
    const owner = await this.endpoints.owner(path.dirname(vp), signal);
    await this.endpoints.putEntry(vp, { type: 'directory', mode: 0o755, uid: owner.uid, gid: owner.gid }, signal);
  }

  remove(vp: string): Promise<void> {
    return Promise.reject(needsShell(vp, 'delete'));
  }

  move(op: 'rename' | 'copy', src: string): Promise<void> {
    return Promise.reject(needsShell(src, op));
  }

  job(_argv: string[], _onStdout: (chunk: Buffer) => void, what: FsOp): Promise<JobResult> {
    return Promise.reject(needsShell('/', what));
  }
}
