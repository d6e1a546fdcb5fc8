// A volume's files through the engine's archive endpoints of its helper (HEAD stat, GET, PUT of plain
// tar): what both backends read and write file bytes with, and all the archive backend has.
import type Dockerode from 'dockerode';
import * as path from 'node:path/posix';
import { PassThrough, type Readable } from 'node:stream';
import * as tar from 'tar-stream';
import { call, EngineError } from '../engine/engine';
import { isCoded, msg } from '../message';
import type { EntryType, PathInfo, Traffic, VolumeDirEntry, VolumeStat } from './fileBackend';
import { VolumeFsError } from './fsErrors';
import { fromHelper, isInsideMount, toHelper, withoutMount } from './volumePath';

/** A folder listing by GET reads the whole subtree; past this many bytes it gives up and says why. */
const ARCHIVE_LIST_LIMIT = 64 * 1024 * 1024;

export interface HeadStat {
  readonly type: EntryType;
  readonly stat: VolumeStat;
  /** The helper path a symlink points to (the engine resolves it), else ''. */
  readonly linkTarget: string;
}

export class ArchiveEndpoints {
  constructor(
    private readonly helper: Dockerode.Container,
    private readonly traffic: Traffic,
  ) {}

  /** One HEAD: type, size, mtime and mode (no owner); undefined when nothing is there. */
  async headStat(vp: string, signal?: AbortSignal): Promise<HeadStat | undefined> {
    let res: { headers?: Record<string, string>; destroy?: () => void };
    try {
      res = (await call(() => this.helper.infoArchive({ path: toHelper(vp), abortSignal: signal }))) as typeof res;
    } catch (e) {
      if (e instanceof EngineError && e.kind === 'notFound') return undefined;
      throw errorFromEngine(vp, e);
    }
    // The answer comes as a stream (dockerode): left open, its socket stays open, one per stat.
    res.destroy?.();
    const raw = res.headers?.['x-docker-container-path-stat'];
    if (!raw) throw new VolumeFsError('Unavailable', vp, msg('fs.noStatHeader'));
    const j = JSON.parse(Buffer.from(raw, 'base64').toString('utf8')) as { size: number; mode: number; mtime: string; linkTarget: string };
    const type = goModeType(j.mode);
    // Go's FileMode: permissions in the low 9 bits, setuid/setgid/sticky as high flags. HEAD has no owner.
    const perm = (j.mode & 0o777) | (j.mode & (1 << 23) ? 0o4000 : 0) | (j.mode & (1 << 22) ? 0o2000 : 0) | (j.mode & (1 << 20) ? 0o1000 : 0);
    return { type, linkTarget: j.linkTarget, stat: { type, size: j.size, mtimeMs: Date.parse(j.mtime), mode: perm } };
  }

  /** A path's stat by HEAD; for a symlink inside the volume, its target's type and resolved path too. */
  async statByHead(vp: string, signal?: AbortSignal): Promise<PathInfo> {
    const head = await this.headStat(vp, signal);
    if (!head) return {};
    if (head.type !== 'symlink') return { stat: head.stat };
    const real = isInsideMount(head.linkTarget) ? fromHelper(head.linkTarget) : undefined;
    const target = real !== undefined ? await this.headStat(real, signal) : undefined;
    return { stat: { ...head.stat, ...(target ? { targetType: target.type } : {}) }, ...(real !== undefined ? { realPath: toHelper(real) } : {}) };
  }

  /** A folder's entries from a GET of the folder (its whole subtree crosses the engine: capped). */
  async listFolder(vp: string, signal?: AbortSignal): Promise<VolumeDirEntry[]> {
    const head = await this.headStat(vp, signal);
    if (!head) throw new VolumeFsError('FileNotFound', vp, msg('fs.noSuchEntry'));
    if (head.type !== 'directory') throw new VolumeFsError('FileNotADirectory', vp, msg('fs.notFolder'));
    const body = await this.get(vp, signal);
    const out: VolumeDirEntry[] = [];
    const ex = tar.extract();
    let received = 0;
    body.on('data', (c: Buffer) => {
      received += c.length;
      if (received > ARCHIVE_LIST_LIMIT) {
        body.destroy(new VolumeFsError('Unavailable', vp, msg('fs.listTooBig', { mib: ARCHIVE_LIST_LIMIT >> 20 })));
      }
    });
    body.pipe(ex);
    try {
      for await (const entry of ex) {
        const parts = entry.header.name.replace(/\/$/, '').split('/');
        if (parts.length === 2) {
          const h = entry.header;
          const type: EntryType =
            h.type === 'file' || h.type === 'contiguous-file' ? 'file' : h.type === 'directory' ? 'directory' : h.type === 'symlink' ? 'symlink' : 'other';
          out.push({
            name: parts[1],
            type,
            size: h.size ?? 0,
            mtimeMs: (h.mtime ?? new Date(0)).getTime(),
            mode: (h.mode ?? 0) & 0o7777,
            uid: h.uid ?? 0,
            gid: h.gid ?? 0,
          });
        }
        entry.resume();
      }
    } catch (e) {
      throw errorFromEngine(vp, e);
    } finally {
      body.destroy();
    }
    return out;
  }

  /** HEAD has no owner, so read the first tar header of a GET and drop the rest unread. */
  async owner(vp: string, signal?: AbortSignal): Promise<{ uid: number; gid: number }> {
    const body = await this.get(vp, signal);
    const ex = tar.extract();
    body.pipe(ex);
    try {
      for await (const entry of ex) {
        entry.resume();
        return { uid: entry.header.uid ?? 0, gid: entry.header.gid ?? 0 };
      }
    } catch (e) {
      throw errorFromEngine(vp, e);
    } finally {
      body.destroy(); // GET holds the container lock until its stream is gone
    }
    throw new VolumeFsError('Unavailable', vp, msg('fs.emptyArchive'));
  }

  /** A file's bytes; for anything else, what it is (a symlink comes as the link itself). */
  async getFile(vp: string, signal?: AbortSignal): Promise<{ kind: 'file'; data: Buffer } | { kind: 'directory' | 'symlink' | 'other' }> {
    const body = await this.get(vp, signal);
    const ex = tar.extract();
    body.pipe(ex);
    try {
      for await (const entry of ex) {
        const h = entry.header;
        if (h.type !== 'file' && h.type !== 'contiguous-file') {
          entry.resume();
          return { kind: h.type === 'directory' ? 'directory' : h.type === 'symlink' ? 'symlink' : 'other' };
        }
        const chunks: Buffer[] = [];
        for await (const c of entry) chunks.push(c as Buffer);
        const data = Buffer.concat(chunks);
        // The engine can end a GET early when the file changes under it ("write too long").
        if (h.size !== undefined && data.length !== h.size) {
          throw new VolumeFsError('Unavailable', vp, msg('fs.changedWhileRead', { got: data.length, size: h.size }));
        }
        return { kind: 'file', data };
      }
    } catch (e) {
      throw errorFromEngine(vp, e);
    } finally {
      body.destroy(); // GET holds the container lock until its stream is gone
    }
    throw new VolumeFsError('Unavailable', vp, msg('fs.emptyArchive'));
  }

  /** Puts one file or folder with this mode and owner (a file replaces the one there). */
  async putEntry(
    vp: string,
    e: { type: 'file' | 'directory'; mode: number; uid: number; gid: number; data?: Uint8Array },
    signal?: AbortSignal,
  ): Promise<void> {
    const pack = tar.pack();
    const body = new PassThrough();
    pack.pipe(body);
    const data = e.data ?? new Uint8Array(0);
    pack.entry(
      { name: path.basename(vp), type: e.type, mode: e.mode, uid: e.uid, gid: e.gid, mtime: new Date(), size: e.type === 'file' ? data.length : 0 },
      Buffer.from(data.buffer, data.byteOffset, data.byteLength),
    );
    pack.finalize();
    try {
      // noOverwriteDirNonDir: never let a file entry replace a folder that appeared since our stat.
      await call(() => this.helper.putArchive(body, { path: toHelper(path.dirname(vp)), noOverwriteDirNonDir: 'true', abortSignal: signal }));
    } catch (err) {
      throw errorFromEngine(vp, err);
    }
  }

  private async get(vp: string, signal?: AbortSignal): Promise<Readable> {
    try {
      const s = (await call(() => this.helper.getArchive({ path: toHelper(vp), abortSignal: signal }))) as Readable;
      s.on('data', (c: Buffer) => (this.traffic.bytesReceived += c.length));
      return s;
    } catch (e) {
      throw errorFromEngine(vp, e);
    }
  }
}

function goModeType(mode: number): EntryType {
  // Go's FileMode: ModeDir 1<<31, ModeSymlink 1<<27; device, pipe, socket and irregular bits too.
  if (mode & 0x80000000) return 'directory';
  if (mode & (1 << 27)) return 'symlink';
  if (mode & ((1 << 26) | (1 << 25) | (1 << 24) | (1 << 21) | (1 << 19))) return 'other';
  return 'file';
}

/**
 * An engine error from an archive call as a VolumeFsError, keeping the engine's reason. The engine
 * says what went wrong only in its text, so its wording is read here, once, at the boundary.
 */
function errorFromEngine(vp: string, e: unknown): Error {
  if (e instanceof VolumeFsError) return e;
  if ((e as { name?: string }).name === 'AbortError') return e as Error;
  if (e instanceof EngineError) {
    const reason = isCoded(e) && e.text.code !== 'engine.said' ? e.text : msg('plain', { detail: withoutMount(e.message) || e.kind });
    if (e.kind === 'notFound') return new VolumeFsError('FileNotFound', vp, reason, { cause: e });
    if (e.kind === 'readOnly' || /read-only|permission denied/i.test(e.message)) return new VolumeFsError('NoPermissions', vp, reason, { cause: e });
    if (/not a directory/i.test(e.message)) return new VolumeFsError('FileNotADirectory', vp, reason, { cause: e });
    if (/cannot overwrite|directory with non-directory|non-directory with directory/i.test(e.message)) {
      return new VolumeFsError('FileIsADirectory', vp, reason, { cause: e });
    }
    return new VolumeFsError('Unavailable', vp, reason, { cause: e });
  }
  return e as Error;
}
