// A volume's files as plain operations (stat, list, read, write, mkdir, delete, rename, copy), for
// the `docker-volume:` file system, the CLI and the benchmarks, through one helper container per open volume.
// Design notes (the `shell` and `archive` modes): docs/data-operations.md#srccorevolumefilests
import type Dockerode from 'dockerode';
import { createHash } from 'node:crypto';
import * as path from 'node:path/posix';
import { PassThrough, type Readable } from 'node:stream';
import * as tar from 'tar-stream';
import { call, type Engine, EngineError } from './engine';
import type { EngineEndpoint } from './engineConfig';
import { assertNoOtherWriter, VolumeBusyError } from './engineLocks';
import { execIn, type ExecResult } from './helperExec';
import { createIdleHelper, removeHelper, startShellHelper } from './helperContainers';
import { runJob, type JobResult } from './helperJobs';
import { type CodedError, isCoded, type Message, msg } from './message';

/** Where the helper mounts the volume. Never shown to users: errors are rewritten to volume paths. */
export const MOUNT = '/cv-volume';

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

/** What a shell-only operation is, for the message that it needs a shell. */
export type FsOp = 'delete' | 'rename' | 'copy' | 'list' | 'search' | 'diskUsage';

export type VolumeFsErrorCode = 'FileNotFound' | 'FileExists' | 'FileNotADirectory' | 'FileIsADirectory' | 'NoPermissions' | 'Unavailable';

/** One error type for every operation: a code the VS Code layer maps to FileSystemError, and the engine's reason. */
export class VolumeFsError extends Error implements CodedError {
  readonly text: Message;
  /** `reason`: why, without the path (the VS Code layer puts its own URI's path in front). */
  constructor(readonly code: VolumeFsErrorCode, readonly path: string, readonly reason: Message, options?: { cause?: unknown }) {
    const text = msg('fs.error', { path, reason });
    super(text.toString(), options);
    this.text = text;
    this.name = 'VolumeFsError';
  }
}

export interface OpenOptions {
  readonly volume: string;
  /** Mount the volume read-only in the helper (for a read-only mount target). */
  readonly readOnly?: boolean;
  /**
   * Images to try for the shell helper, in order; the first that exists locally and has what we
   * need wins. Undefined: local busybox/alpine images. An empty list forces the archive mode.
   */
  readonly helperImages?: readonly string[];
  /** Extra labels for the helper (tests put their suite label here). */
  readonly labels?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
}

/** A folder a poll watches, with the hash of its last snapshot listing (undefined: none yet). */
export interface WatchedFolder {
  readonly path: string;
  readonly hash?: string;
}

/** What a snapshot found for one folder: the same listing as `hash`, no folder any more, or its entries. */
export type FolderSnapshot =
  | { readonly kind: 'same' }
  | { readonly kind: 'gone' }
  | { readonly kind: 'listed'; readonly hash: string; readonly entries: readonly VolumeDirEntry[] };

export interface Snapshot {
  /** One per watched folder, in order. */
  readonly folders: readonly FolderSnapshot[];
  /** One per file, in order: its stat (a link's target), or undefined when it is gone. */
  readonly files: readonly (VolumeStat | undefined)[];
}

export interface WriteOptions {
  readonly create: boolean;
  readonly overwrite: boolean;
}

/** A stable short id for an engine endpoint, used in `docker-volume://<id>/...` URIs. */
export function engineIdOf(endpoint: EngineEndpoint): string {
  return 'e' + createHash('sha256').update(endpoint.host).digest('hex').slice(0, 12);
}

/**
 * The images a shell helper may run, best first: the one configured (containerVolumes.helperImage,
 * the CLI's --helper-image), then the local ones. The one place helper images are discovered.
 */
export async function helperImageCandidates(docker: Dockerode, configured?: string): Promise<string[]> {
  const mine = configured?.trim();
  return [...(mine ? [mine] : []), ...(await localHelperImages(docker))];
}

/** Local images that can serve as a shell helper, best first: busybox, then alpine (nothing is pulled). */
export async function localHelperImages(docker: Dockerode): Promise<string[]> {
  const images = await call(() => docker.listImages());
  const tags = images.flatMap((i) => i.RepoTags ?? []).filter((t) => t !== '<none>:<none>');
  const rank = (t: string): number => {
    const repo = t.slice(0, t.lastIndexOf(':')).replace(/^(docker\.io\/)?(library\/)?/, '');
    const base = repo.slice(repo.lastIndexOf('/') + 1);
    // Official images first; then any image named busybox/alpine (the probe checks what it has).
    return repo === 'busybox' ? 0 : repo === 'alpine' ? 1 : base === 'busybox' ? 2 : base === 'alpine' ? 3 : -1;
  };
  return tags.filter((t) => rank(t) >= 0).sort((a, b) => rank(a) - rank(b) || (a.endsWith(':latest') ? -1 : 1));
}

// `%y` keeps nanoseconds (`%Y` is whole seconds: a save conflict waiting to happen).
const FIELDS = '%f %s %u %g %y';
const FIELD_COUNT = 7; // hex mode, size, uid, gid, date, time, zone
// Constant scripts: paths arrive as "$@", never inside the script text.
const STAT_SCRIPT = [
  'f="$1"; shift',
  'for p do',
  '  if [ -e "$p" ] || [ -L "$p" ]; then',
  '    stat -c "S $f" -- "$p" || exit 4',
  '    if [ -L "$p" ]; then',
  '      stat -L -c "T $f" -- "$p" 2>/dev/null || echo B',
  '      r=$(readlink -f -- "$p") && printf "R%s\\0\\n" "$r" || echo U',
  '    fi',
  '  else echo N; fi',
  'done',
].join('\n');
const LIST_SCRIPT = [
  'cd -- "$1" || exit 3',
  'stat -c "S $2" . || exit 4',
  // `%n` is `./NAME`; we append "/", which no name can contain, so names with newlines parse.
  'find . -mindepth 1 -maxdepth 1 -exec stat -c "C $2 %n/" {} +',
  'find . -mindepth 1 -maxdepth 1 -type l -exec stat -L -c "L $2 %n/" {} + 2>/dev/null',
  'exit 0',
].join('\n');
const MKDIR_SCRIPT = 'mkdir -- "$1" && chown -- "$2" "$1"';
const DELETE_SCRIPT = 'rm -r -f -- "$1"';
const RENAME_SCRIPT = 'if [ "$3" = 1 ]; then rm -r -f -- "$2" || exit 5; fi; mv -T -- "$1" "$2"';
const COPY_SCRIPT = 'if [ "$3" = 1 ]; then rm -r -f -- "$2" || exit 5; fi; cp -a -T -- "$1" "$2"';
// One exec for everything a poll watches in a volume (the provider's change polling): "$1" the stat
// format, "$2" the number of folders, then one (path, hash of its last listing) pair per folder, then
// the files. A folder whose listing hashes as before answers `E` (a few bytes, however large the
// folder); a changed one `D<hash>` and its entries; a vanished one `N`. A file answers its stat (of
// what a link points to: what an editor shows) or `N`. md5sum is optional: without it every listing
// is sent.
const SNAPSHOT_SCRIPT = [
  'f="$1"; nd="$2"; shift 2',
  'while [ "$nd" -gt 0 ]; do',
  '  p="$1"; h="$2"; shift 2; nd=$((nd - 1))',
  '  if [ -d "$p" ] && cd -- "$p" 2>/dev/null; then',
  '    o=$(find . -mindepth 1 -maxdepth 1 -exec stat -c "C $f %n/" {} + 2>/dev/null)',
  '    s=$(printf "%s\\n" "$o" | md5sum 2>/dev/null); s=${s%% *}',
  '    if [ -n "$s" ] && [ "$s" = "$h" ]; then echo E',
  '    else printf "D%s\\n" "${s:-x}"; [ -z "$o" ] || printf "%s\\n" "$o"; fi',
  '  else echo N; fi',
  'done',
  'for p do stat -L -c "S $f" -- "$p" 2>/dev/null || echo N; done',
  'exit 0',
].join('\n');
const PROBE_SCRIPT = 'find / -maxdepth 0 -exec stat -c "%f %y" {} + && readlink -f / && cp --help 2>&1 | grep -q -- -T && mv --help 2>&1 | grep -q -- -T';

/** The archive-mode listing reads a whole subtree; past this many bytes it gives up and says why. */
const ARCHIVE_LIST_LIMIT = 64 * 1024 * 1024;

interface PathInfo {
  readonly stat?: VolumeStat;
  /** For a symlink: its fully resolved path inside the helper, when readlink could resolve it. */
  readonly realPath?: string;
}

export class VolumeFiles {
  /** Bytes received from the engine on our data streams (exec output and archive bodies). */
  bytesReceived = 0;
  /** `docker exec` runs so far (tests and benchmarks check what a poll costs). */
  execs = 0;
  private closed = false;

  private constructor(
    readonly volume: string,
    readonly readOnly: boolean,
    private readonly helper: Dockerode.Container,
    /** `shell`: listing and metadata by exec. `archive`: the degraded mode (no helper image). */
    readonly mode: 'shell' | 'archive',
    readonly helperImage: string | undefined,
    private readonly docker: Dockerode,
  ) {}

  /**
   * Edits do not take the volume's engine lock (one per keystroke-save would be heavy), but never
   * write under an operation of another window, the CLI or another machine that holds it (a restore
   * emptying it, a clone into it).
   */
  private async notBusy(vp: string): Promise<void> {
    try {
      await assertNoOtherWriter(this.docker, this.volume);
    } catch (e) {
      if (e instanceof VolumeBusyError) throw new VolumeFsError('NoPermissions', vp, e.text, { cause: e });
      throw e;
    }
  }

  /** Starts the helper for one volume. The volume must exist (a helper would otherwise create it). */
  static async open(engine: Engine, opts: OpenOptions): Promise<VolumeFiles> {
    const docker = engine.docker;
    try {
      await call(() => docker.getVolume(opts.volume).inspect());
    } catch (e) {
      if (e instanceof EngineError && e.kind === 'notFound') throw new VolumeFsError('FileNotFound', '/', msg('fs.noVolume', { volume: opts.volume }), { cause: e });
      throw e;
    }
    const spec = {
      purpose: `fs-${opts.volume}`,
      mounts: [{ source: opts.volume, target: MOUNT, readOnly: !!opts.readOnly, type: 'volume' as const }],
      labels: opts.labels,
    };
    const candidates = opts.helperImages ?? (await localHelperImages(docker));
    for (const image of candidates) {
      opts.signal?.throwIfAborted();
      try {
        await call(() => docker.getImage(image).inspect());
      } catch {
        continue; // not here: try the next one (nothing is pulled)
      }
      let c: Dockerode.Container | undefined;
      try {
        c = await startShellHelper(docker, image, spec);
        const vf = new VolumeFiles(opts.volume, !!opts.readOnly, c, 'shell', image, docker);
        const probe = await vf.exec(['sh', '-c', PROBE_SCRIPT], opts.signal);
        if (probe.code === 0) return vf;
      } catch (e) {
        if (opts.signal?.aborted) {
          if (c) await removeHelper(c);
          throw e;
        }
      }
      if (c) await removeHelper(c); // image lacks sh/find/stat/readlink: try the next
    }
    const idle = await createIdleHelper(docker, spec);
    return new VolumeFiles(opts.volume, !!opts.readOnly, idle, 'archive', undefined, docker);
  }

  get helperId(): string {
    return this.helper.id;
  }

  /** Removes the helper. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await removeHelper(this.helper);
  }

  async stat(p: string, signal?: AbortSignal): Promise<VolumeStat> {
    const vp = normalise(p);
    const [info] = await this.statPaths([vp], signal);
    if (!info.stat) throw new VolumeFsError('FileNotFound', vp, msg('fs.noSuchEntry'));
    return info.stat;
  }

  /**
   * Type, size, mtime and mode without the owner, through one archive HEAD: an HTTP round trip
   * instead of a `docker exec` (measured here: 2 ms against 230 ms). What the editor's stat uses.
   */
  async quickStat(p: string, signal?: AbortSignal): Promise<VolumeStat> {
    const vp = normalise(p);
    const info = await this.statByHead(vp, signal);
    if (!info.stat) throw new VolumeFsError('FileNotFound', vp, msg('fs.noSuchEntry'));
    return info.stat;
  }

  async list(p: string, signal?: AbortSignal): Promise<VolumeDirEntry[]> {
    const vp = normalise(p);
    if (this.mode === 'archive') return this.listByArchive(vp, signal);
    const r = await this.exec(['sh', '-c', LIST_SCRIPT, 'sh', toHelper(vp), FIELDS], signal);
    if (r.code !== 0) throw errorFromStderr(vp, r.stderr);
    const records = parseRecords(r.stdout);
    const self = records[0];
    if (!self || self.tag !== 'S') throw new VolumeFsError('Unavailable', vp, msg('fs.unexpectedOutput', { what: 'find', output: r.stderr }));
    const targets = new Map<string, EntryType>();
    for (const rec of records) if (rec.tag === 'L' && rec.name !== undefined) targets.set(rec.name, rec.stat.type);
    const out: VolumeDirEntry[] = [];
    for (const rec of records) {
      if (rec.tag !== 'C' || rec.name === undefined) continue;
      const targetType = rec.stat.type === 'symlink' ? targets.get(rec.name) : undefined;
      out.push({ name: rec.name, ...rec.stat, ...(targetType ? { targetType } : {}) });
    }
    return out;
  }

  /**
   * Everything a change poll needs in one call (one `docker exec` in the shell mode): the entries of
   * each folder whose listing changed since `hash`, and the stat of each file. The archive mode has
   * no exec: a folder is re-listed only when its own mtime moved (entries created, removed or
   * renamed; a file rewritten in place goes unseen there), files are stated by HEAD.
   */
  async snapshot(folders: readonly WatchedFolder[], files: readonly string[], signal?: AbortSignal): Promise<Snapshot> {
    const dirs = folders.map((f) => ({ vp: normalise(f.path), hash: f.hash }));
    const fps = files.map(normalise);
    if (this.mode === 'archive') return this.snapshotByArchive(dirs, fps, signal);
    const args = dirs.flatMap((d) => [toHelper(d.vp), d.hash ?? '-']);
    const r = await this.exec(['sh', '-c', SNAPSHOT_SCRIPT, 'sh', FIELDS, String(dirs.length), ...args, ...fps.map(toHelper)], signal);
    if (r.code !== 0) throw errorFromStderr(dirs[0]?.vp ?? fps[0] ?? '/', r.stderr);
    const records = parseRecords(r.stdout);
    let i = 0;
    const bad = () => new VolumeFsError('Unavailable', '/', msg('fs.unexpectedOutput', { what: 'snapshot', output: r.stderr }));
    const out: FolderSnapshot[] = [];
    for (let d = 0; d < dirs.length; d++) {
      const rec = records[i++];
      if (rec?.tag === 'E') out.push({ kind: 'same' });
      else if (rec?.tag === 'N') out.push({ kind: 'gone' });
      else if (rec?.tag === 'D' && rec.name !== undefined) {
        const entries: VolumeDirEntry[] = [];
        for (; records[i]?.tag === 'C'; i++) entries.push({ name: records[i].name ?? '', ...records[i].stat });
        out.push({ kind: 'listed', hash: rec.name, entries });
      } else throw bad();
    }
    const stats: (VolumeStat | undefined)[] = [];
    for (let f = 0; f < fps.length; f++) {
      const rec = records[i++];
      if (rec?.tag === 'S') stats.push(rec.stat);
      else if (rec?.tag === 'N') stats.push(undefined);
      else throw bad();
    }
    if (i !== records.length) throw bad();
    return { folders: out, files: stats };
  }

  private async snapshotByArchive(dirs: readonly { vp: string; hash?: string }[], fps: readonly string[], signal?: AbortSignal): Promise<Snapshot> {
    const folders: FolderSnapshot[] = [];
    for (const d of dirs) {
      const head = await this.headStat(d.vp, signal);
      if (!head || head.type !== 'directory') {
        folders.push({ kind: 'gone' });
        continue;
      }
      const hash = `mtime:${head.stat.mtimeMs}`;
      folders.push(hash === d.hash ? { kind: 'same' } : { kind: 'listed', hash, entries: await this.listByArchive(d.vp, signal) });
    }
    const files: (VolumeStat | undefined)[] = [];
    for (const vp of fps) {
      const info = await this.statByHead(vp, signal);
      const target = info.stat?.type === 'symlink' && info.realPath !== undefined ? await this.headStat(fromHelper(info.realPath), signal) : undefined;
      files.push(target ? target.stat : info.stat?.type === 'symlink' && !info.stat.targetType ? undefined : info.stat);
    }
    return { folders, files };
  }

  async read(p: string, signal?: AbortSignal): Promise<Buffer> {
    const vp = normalise(p);
    let target = vp;
    for (let hops = 0; hops < 2; hops++) {
      const got = await this.getFile(target, signal);
      if (got.kind === 'file') return got.data;
      if (got.kind === 'directory') throw new VolumeFsError('FileIsADirectory', vp, msg('fs.isFolder'));
      if (got.kind === 'other') throw new VolumeFsError('NoPermissions', vp, msg('fs.notRegular'));
      // A symlink: the archive sends the link itself; read what it points to.
      const [info] = await this.statPaths([vp], signal);
      if (!info.stat?.targetType) throw new VolumeFsError('FileNotFound', vp, msg('fs.brokenLink'));
      if (info.stat.targetType === 'directory') throw new VolumeFsError('FileIsADirectory', vp, msg('fs.isFolder'));
      target = this.insideVolume(vp, info.realPath);
    }
    throw new VolumeFsError('FileNotFound', vp, msg('fs.linkLoop'));
  }

  /**
   * Writes a whole file. An overwritten file keeps its mode and owner; a new one gets mode 0644 and
   * the owner of its folder. Writes through a symlink reach its target.
   */
  async write(p: string, data: Uint8Array, opts: WriteOptions, signal?: AbortSignal): Promise<void> {
    const vp = normalise(p);
    if (vp === '/') throw new VolumeFsError('FileIsADirectory', vp, msg('fs.isFolder'));
    const [info, parent] = await this.statPaths([vp, path.dirname(vp)], signal);
    let target = vp;
    let mode = 0o644;
    let owner: { uid: number; gid: number };
    if (info.stat) {
      if (!opts.overwrite) throw new VolumeFsError('FileExists', vp, msg('fs.exists'));
      let st = info.stat;
      if (st.type === 'symlink') {
        if (!st.targetType) throw new VolumeFsError('FileNotFound', vp, msg('fs.brokenLink'));
        target = this.insideVolume(vp, info.realPath);
        st = await this.stat(target, signal);
      }
      if (st.type === 'directory') throw new VolumeFsError('FileIsADirectory', vp, msg('fs.isFolder'));
      if (st.type !== 'file') throw new VolumeFsError('NoPermissions', vp, msg('fs.notRegular'));
      mode = st.mode;
      owner = st.uid !== undefined && st.gid !== undefined ? { uid: st.uid, gid: st.gid } : await this.ownerByArchive(target, signal);
    } else {
      if (!opts.create) throw new VolumeFsError('FileNotFound', vp, msg('fs.noSuchFile'));
      if (!parent.stat) throw new VolumeFsError('FileNotFound', vp, msg('fs.noFolder'));
      if (parent.stat.type !== 'directory' && parent.stat.targetType !== 'directory') throw new VolumeFsError('FileNotADirectory', vp, msg('fs.parentNotFolder'));
      const ps = parent.stat;
      owner = ps.uid !== undefined && ps.gid !== undefined ? { uid: ps.uid, gid: ps.gid } : await this.ownerByArchive(path.dirname(vp), signal);
    }
    if (this.readOnly) throw new VolumeFsError('NoPermissions', vp, msg('fs.readOnly'));
    await this.notBusy(vp);
    await this.putEntry(target, { type: 'file', mode, uid: owner.uid, gid: owner.gid, data }, signal);
  }

  /** Creates one folder (its parent must exist), owned like its parent. */
  async mkdir(p: string, signal?: AbortSignal): Promise<void> {
    const vp = normalise(p);
    const [info, parent] = await this.statPaths([vp, path.dirname(vp)], signal);
    if (info.stat) throw new VolumeFsError('FileExists', vp, msg('fs.exists'));
    if (!parent.stat) throw new VolumeFsError('FileNotFound', vp, msg('fs.noParent'));
    if (parent.stat.type !== 'directory' && parent.stat.targetType !== 'directory') throw new VolumeFsError('FileNotADirectory', vp, msg('fs.parentNotFolder'));
    if (this.readOnly) throw new VolumeFsError('NoPermissions', vp, msg('fs.readOnly'));
    await this.notBusy(vp);
    if (this.mode === 'archive') {
      const owner = await this.ownerByArchive(path.dirname(vp), signal);
      await this.putEntry(vp, { type: 'directory', mode: 0o755, uid: owner.uid, gid: owner.gid }, signal);
      return;
    }
    await this.run(vp, ['sh', '-c', MKDIR_SCRIPT, 'sh', toHelper(vp), `${parent.stat.uid ?? 0}:${parent.stat.gid ?? 0}`], signal);
  }

  async delete(p: string, opts: { recursive: boolean }, signal?: AbortSignal): Promise<void> {
    const vp = normalise(p);
    if (vp === '/') throw new VolumeFsError('NoPermissions', vp, msg('fs.rootDelete'));
    const st = await this.stat(vp, signal);
    this.needShell(vp, 'delete');
    if (this.readOnly) throw new VolumeFsError('NoPermissions', vp, msg('fs.readOnly'));
    await this.notBusy(vp);
    if (st.type === 'directory' && !opts.recursive && (await this.list(vp, signal)).length > 0) {
      throw new VolumeFsError('NoPermissions', vp, msg('fs.folderNotEmpty'));
    }
    await this.run(vp, ['sh', '-c', DELETE_SCRIPT, 'sh', toHelper(vp)], signal);
  }

  async rename(from: string, to: string, opts: { overwrite: boolean }, signal?: AbortSignal): Promise<void> {
    await this.moveOrCopy('rename', from, to, opts, signal);
  }

  async copy(from: string, to: string, opts: { overwrite: boolean }, signal?: AbortSignal): Promise<void> {
    await this.moveOrCopy('copy', from, to, opts, signal);
  }

  private async moveOrCopy(op: 'rename' | 'copy', from: string, to: string, opts: { overwrite: boolean }, signal?: AbortSignal): Promise<void> {
    const src = normalise(from);
    const dst = normalise(to);
    if (src === '/' || dst === '/') throw new VolumeFsError('NoPermissions', src === '/' ? src : dst, msg('fs.rootMove', { op: msg(`fs.op.${op}`) }));
    if (src === dst) {
      if (op === 'rename') return;
      throw new VolumeFsError('FileExists', dst, msg('fs.same'));
    }
    // Overwriting would first remove a folder that holds the source, or move a folder into itself.
    if (dst.startsWith(src + '/')) throw new VolumeFsError('NoPermissions', dst, msg('fs.intoItself', { op: msg(`fs.op.${op}`) }));
    if (src.startsWith(dst + '/') && opts.overwrite) throw new VolumeFsError('NoPermissions', dst, msg('fs.replaceSource', { op: msg(`fs.op.${op}`) }));
    const [s, d] = await this.statPaths([src, dst], signal);
    if (!s.stat) throw new VolumeFsError('FileNotFound', src, msg('fs.noSuchEntry'));
    if (d.stat && !opts.overwrite) throw new VolumeFsError('FileExists', dst, msg('fs.exists'));
    if (this.readOnly) throw new VolumeFsError('NoPermissions', dst, msg('fs.readOnly'));
    await this.notBusy(dst);
    if (this.mode === 'archive') {
      if (op === 'copy' && s.stat.type === 'file') {
        await this.write(dst, await this.read(src, signal), { create: true, overwrite: opts.overwrite }, signal);
        return;
      }
      this.needShell(src, op);
    }
    // `mv -T` replaces a file atomically; only a folder in the way is removed first.
    const removeFirst = d.stat !== undefined && (d.stat.type === 'directory' || op === 'copy') ? '1' : '0';
    await this.run(dst, ['sh', '-c', op === 'rename' ? RENAME_SCRIPT : COPY_SCRIPT, 'sh', toHelper(src), toHelper(dst), removeFirst], signal);
  }

  // ---- metadata -------------------------------------------------------------------------------

  private async statPaths(vps: readonly string[], signal?: AbortSignal): Promise<PathInfo[]> {
    if (this.mode === 'archive') return Promise.all(vps.map((vp) => this.statByHead(vp, signal)));
    const r = await this.exec(['sh', '-c', STAT_SCRIPT, 'sh', FIELDS, ...vps.map(toHelper)], signal);
    if (r.code !== 0) throw errorFromStderr(vps[0], r.stderr);
    const records = parseRecords(r.stdout);
    const out: PathInfo[] = [];
    let cur: { stat?: VolumeStat; targetType?: EntryType; realPath?: string } | undefined;
    const flush = () => {
      if (cur) out.push(cur.stat ? { stat: { ...cur.stat, ...(cur.targetType ? { targetType: cur.targetType } : {}) }, ...(cur.realPath ? { realPath: cur.realPath } : {}) } : {});
    };
    for (const rec of records) {
      if (rec.tag === 'S' || rec.tag === 'N') {
        flush();
        cur = rec.tag === 'S' ? { stat: rec.stat } : {};
      } else if (cur && rec.tag === 'T') cur.targetType = rec.stat.type;
      else if (cur && rec.tag === 'R' && rec.name !== undefined) cur.realPath = rec.name;
    }
    flush();
    if (out.length !== vps.length) throw new VolumeFsError('Unavailable', vps[0], msg('fs.unexpectedOutput', { what: 'stat', output: r.stderr }));
    return out;
  }

  private async statByHead(vp: string, signal?: AbortSignal): Promise<PathInfo> {
    const head = await this.headStat(vp, signal);
    if (!head) return {};
    if (head.type !== 'symlink') return { stat: head.stat };
    const real = head.linkTarget.startsWith(MOUNT + '/') || head.linkTarget === MOUNT ? fromHelper(head.linkTarget) : undefined;
    const target = real !== undefined ? await this.headStat(real, signal) : undefined;
    return { stat: { ...head.stat, ...(target ? { targetType: target.type } : {}) }, ...(real !== undefined ? { realPath: toHelper(real) } : {}) };
  }

  private async headStat(vp: string, signal?: AbortSignal): Promise<{ type: EntryType; stat: VolumeStat; linkTarget: string } | undefined> {
    let res: { headers?: Record<string, string>; destroy?: () => void };
    try {
      res = (await call(() => this.helper.infoArchive({ path: toHelper(vp), abortSignal: signal }))) as typeof res;
    } catch (e) {
      if (e instanceof EngineError && e.kind === 'notFound') return undefined;
      throw toFsError(vp, e);
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

  private async listByArchive(vp: string, signal?: AbortSignal): Promise<VolumeDirEntry[]> {
    const head = await this.headStat(vp, signal);
    if (!head) throw new VolumeFsError('FileNotFound', vp, msg('fs.noSuchEntry'));
    if (head.type !== 'directory') throw new VolumeFsError('FileNotADirectory', vp, msg('fs.notFolder'));
    const body = await this.getArchive(vp, signal);
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
          const type: EntryType = h.type === 'file' || h.type === 'contiguous-file' ? 'file' : h.type === 'directory' ? 'directory' : h.type === 'symlink' ? 'symlink' : 'other';
          out.push({ name: parts[1], type, size: h.size ?? 0, mtimeMs: (h.mtime ?? new Date(0)).getTime(), mode: (h.mode ?? 0) & 0o7777, uid: h.uid ?? 0, gid: h.gid ?? 0 });
        }
        entry.resume();
      }
    } catch (e) {
      throw toFsError(vp, e);
    } finally {
      body.destroy();
    }
    return out;
  }

  // ---- data through the archive endpoints -----------------------------------------------------

  private async getArchive(vp: string, signal?: AbortSignal): Promise<Readable> {
    try {
      const s = (await call(() => this.helper.getArchive({ path: toHelper(vp), abortSignal: signal }))) as Readable;
      s.on('data', (c: Buffer) => (this.bytesReceived += c.length));
      return s;
    } catch (e) {
      throw toFsError(vp, e);
    }
  }

  /** Archive mode: HEAD has no owner, so read the first tar header of a GET and drop the rest unread. */
  private async ownerByArchive(vp: string, signal?: AbortSignal): Promise<{ uid: number; gid: number }> {
    const body = await this.getArchive(vp, signal);
    const ex = tar.extract();
    body.pipe(ex);
    try {
      for await (const entry of ex) {
        entry.resume();
        return { uid: entry.header.uid ?? 0, gid: entry.header.gid ?? 0 };
      }
    } catch (e) {
      throw toFsError(vp, e);
    } finally {
      body.destroy(); // GET holds the container lock until its stream is gone
    }
    throw new VolumeFsError('Unavailable', vp, msg('fs.emptyArchive'));
  }

  private async getFile(vp: string, signal?: AbortSignal): Promise<{ kind: 'file'; data: Buffer } | { kind: 'directory' | 'symlink' | 'other' }> {
    const body = await this.getArchive(vp, signal);
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
        if (h.size !== undefined && data.length !== h.size) throw new VolumeFsError('Unavailable', vp, msg('fs.changedWhileRead', { got: data.length, size: h.size }));
        return { kind: 'file', data };
      }
    } catch (e) {
      throw toFsError(vp, e);
    } finally {
      body.destroy(); // GET holds the container lock until its stream is gone
    }
    throw new VolumeFsError('Unavailable', vp, msg('fs.emptyArchive'));
  }

  private async putEntry(vp: string, e: { type: 'file' | 'directory'; mode: number; uid: number; gid: number; data?: Uint8Array }, signal?: AbortSignal): Promise<void> {
    const pack = tar.pack();
    const body = new PassThrough();
    pack.pipe(body);
    const data = e.data ?? new Uint8Array(0);
    pack.entry({ name: path.basename(vp), type: e.type, mode: e.mode, uid: e.uid, gid: e.gid, mtime: new Date(), size: e.type === 'file' ? data.length : 0 }, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    pack.finalize();
    try {
      // noOverwriteDirNonDir: never let a file entry replace a folder that appeared since our stat.
      await call(() => this.helper.putArchive(body, { path: toHelper(path.dirname(vp)), noOverwriteDirNonDir: 'true', abortSignal: signal }));
    } catch (err) {
      throw toFsError(vp, err);
    }
  }

  /**
   * Runs a long job over the volume in the helper (shell mode only; MOUNT is the volume's root), its
   * output streamed to `onStdout`; aborting kills the job's processes in the helper (helperJobs).
   * For searches and disk usage: argv vectors only, user input never inside a script's text.
   */
  async job(argv: string[], onStdout: (chunk: Buffer) => void, what: FsOp, signal?: AbortSignal): Promise<JobResult> {
    this.needShell('/', what);
    return runJob(this.helper, argv, { signal, onStdout, onBytes: (n) => { this.bytesReceived += n; } });
  }

  // ---- exec -----------------------------------------------------------------------------------

  private needShell(vp: string, op: FsOp): void {
    if (this.mode !== 'shell') throw new VolumeFsError('Unavailable', vp, msg('fs.needsShell', { op: msg(`fs.op.${op}`) }));
  }

  private insideVolume(vp: string, real: string | undefined): string {
    if (real === undefined || !(real === MOUNT || real.startsWith(MOUNT + '/'))) {
      throw new VolumeFsError('NoPermissions', vp, msg('fs.linkOutside'));
    }
    return fromHelper(real);
  }

  /** Runs a command that prints nothing on success; turns its stderr into a VolumeFsError. */
  private async run(vp: string, argv: string[], signal?: AbortSignal): Promise<void> {
    const r = await this.exec(argv, signal);
    if (r.code !== 0) throw errorFromStderr(vp, r.stderr);
  }

  private async exec(argv: string[], signal?: AbortSignal): Promise<ExecResult> {
    this.execs++;
    return execIn(this.helper, argv, { signal, onBytes: (n) => { this.bytesReceived += n; } });
  }
}

// ---- paths and parsing ----------------------------------------------------------------------

/** A volume path: absolute, POSIX, no `.`/`..` left, no NUL. The root is `/`. */
export function normalise(p: string): string {
  if (p.includes('\0')) throw new VolumeFsError('FileNotFound', p, msg('fs.nul'));
  const n = path.normalize('/' + p);
  return n.length > 1 && n.endsWith('/') ? n.slice(0, -1) : n;
}

function toHelper(vp: string): string {
  return vp === '/' ? MOUNT : MOUNT + vp;
}

function fromHelper(hp: string): string {
  return hp === MOUNT ? '/' : hp.slice(MOUNT.length);
}

function modeType(mode: number): EntryType {
  switch (mode & 0o170000) {
    case 0o100000: return 'file';
    case 0o040000: return 'directory';
    case 0o120000: return 'symlink';
    default: return 'other';
  }
}

function goModeType(mode: number): EntryType {
  // Go's FileMode: ModeDir 1<<31, ModeSymlink 1<<27; device, pipe, socket and irregular bits too.
  if (mode & 0x80000000) return 'directory';
  if (mode & (1 << 27)) return 'symlink';
  if (mode & ((1 << 26) | (1 << 25) | (1 << 24) | (1 << 21) | (1 << 19))) return 'other';
  return 'file';
}

interface StatRecord {
  readonly tag: 'S' | 'T' | 'C' | 'L' | 'N' | 'B' | 'U' | 'R' | 'D' | 'E';
  readonly stat: VolumeStat;
  /** Entry name for C/L records (listing), resolved path for R, listing hash for D. */
  readonly name?: string;
}

const NO_STAT: VolumeStat = { type: 'other', size: 0, mtimeMs: 0, mode: 0 };

/**
 * Parses the helper's records, byte by byte so that multi-byte names and names with newlines or
 * spaces survive: `S|T FIELDS\n` (a path, a link's target) or `C|L FIELDS ./NAME/\n` (a listed
 * entry, a listed link's target), where NAME ends at the first `/` (no name holds one);
 * `R<path>\0\n` for a resolved link; `D<hash>\n` before a snapshot's changed listing; `N`, `B`,
 * `U`, `E` alone on a line.
 */
export function parseRecords(buf: Buffer): StatRecord[] {
  const out: StatRecord[] = [];
  let i = 0;
  const bad = () => new VolumeFsError('Unavailable', '/', msg('fs.unparsable', { what: 'helper', near: `byte ${i}` }));
  while (i < buf.length) {
    const tag = String.fromCharCode(buf[i]) as StatRecord['tag'];
    if (tag === 'N' || tag === 'B' || tag === 'U' || tag === 'E') {
      if (buf[i + 1] !== 0x0a) throw bad();
      out.push({ tag, stat: NO_STAT });
      i += 2;
      continue;
    }
    if (tag === 'R') {
      const end = buf.indexOf(0, i + 1);
      if (end < 0 || buf[end + 1] !== 0x0a) throw bad();
      out.push({ tag, stat: NO_STAT, name: buf.subarray(i + 1, end).toString('utf8') });
      i = end + 2;
      continue;
    }
    if (tag === 'D') {
      const end = buf.indexOf(0x0a, i + 1);
      if (end < 0) throw bad();
      out.push({ tag, stat: NO_STAT, name: buf.subarray(i + 1, end).toString('latin1') });
      i = end + 1;
      continue;
    }
    const named = tag === 'C' || tag === 'L';
    if ((tag !== 'S' && tag !== 'T' && !named) || buf[i + 1] !== 0x20) throw bad();
    i += 2;
    const tok: string[] = [];
    for (let k = 0; k < FIELD_COUNT; k++) {
      const end = buf.indexOf(k === FIELD_COUNT - 1 && !named ? 0x0a : 0x20, i);
      if (end < 0) throw bad();
      tok.push(buf.subarray(i, end).toString('latin1'));
      i = end + 1;
    }
    let name: string | undefined;
    if (named) {
      if (buf[i] !== 0x2e || buf[i + 1] !== 0x2f) throw bad();
      const end = buf.indexOf(0x2f, i + 2);
      if (end < 0 || buf[end + 1] !== 0x0a) throw bad();
      name = buf.subarray(i + 2, end).toString('utf8');
      i = end + 2;
    }
    const rawMode = parseInt(tok[0], 16);
    const stat: VolumeStat = {
      type: modeType(rawMode),
      size: Number(tok[1]),
      uid: Number(tok[2]),
      gid: Number(tok[3]),
      mode: rawMode & 0o7777,
      mtimeMs: parseStatTime(tok[4], tok[5], tok[6]),
    };
    out.push({ tag, stat, ...(name !== undefined ? { name } : {}) });
  }
  return out;
}

/** `2026-11-28 02:58:30.312539109 +0000` (stat's %y) to ms since the epoch. */
export function parseStatTime(date: string, time: string, zone: string): number {
  const [hms, frac = ''] = time.split('.');
  const ms = (frac + '000').slice(0, 3);
  const z = /^[+-]\d{4}$/.test(zone) ? `${zone.slice(0, 3)}:${zone.slice(3)}` : 'Z';
  const t = Date.parse(`${date}T${hms}.${ms}${z}`);
  if (Number.isNaN(t)) throw new VolumeFsError('Unavailable', '/', msg('fs.badTime', { time: `${date} ${time} ${zone}` }));
  return t;
}

/** Maps a failed command's stderr (busybox or coreutils wording) to an error code, keeping the reason. */
function errorFromStderr(vp: string, stderr: string): VolumeFsError {
  const said = stderr.split(MOUNT).join('').trim().split('\n').pop();
  const reason = said ? msg('plain', { detail: said }) : msg('fs.commandFailed');
  const code: VolumeFsErrorCode = /No such file or directory|can't cd/i.test(stderr) && !/Not a directory/i.test(stderr)
    ? 'FileNotFound'
    : /File exists/i.test(stderr)
      ? 'FileExists'
      : /Not a directory/i.test(stderr)
        ? 'FileNotADirectory'
        : /Is a directory/i.test(stderr)
          ? 'FileIsADirectory'
          : /Read-only file system|Permission denied|Operation not permitted/i.test(stderr)
            ? 'NoPermissions'
            : 'Unavailable';
  return new VolumeFsError(code, vp, reason);
}

/** Maps an engine error from an archive call to a VolumeFsError, keeping the engine's reason. */
function toFsError(vp: string, e: unknown): Error {
  if (e instanceof VolumeFsError) return e;
  if ((e as { name?: string }).name === 'AbortError') return e as Error;
  if (e instanceof EngineError) {
    const reason = isCoded(e) && e.text.code !== 'engine.said' ? e.text : msg('plain', { detail: e.message.split(MOUNT).join('') || e.kind });
    if (e.kind === 'notFound') return new VolumeFsError('FileNotFound', vp, reason, { cause: e });
    if (e.kind === 'readOnly' || /read-only|permission denied/i.test(e.message)) return new VolumeFsError('NoPermissions', vp, reason, { cause: e });
    if (/not a directory/i.test(e.message)) return new VolumeFsError('FileNotADirectory', vp, reason, { cause: e });
    if (/cannot overwrite|directory with non-directory|non-directory with directory/i.test(e.message)) return new VolumeFsError('FileIsADirectory', vp, reason, { cause: e });
    if (e.kind === 'unreachable') return new VolumeFsError('Unavailable', vp, reason, { cause: e });
    return new VolumeFsError('Unavailable', vp, reason, { cause: e });
  }
  return e as Error;
}
