// The `docker-volume:` file system: a volume's files as a workspace folder, through one VolumeFiles
// per open volume; changes made by containers are found by polling what the user can see.
// Design notes: docs/ui.md#srcfsvolumefilesystemproviderts
import * as vscode from 'vscode';
import { VolumeFiles, VolumeFsError, type VolumeDirEntry, type VolumeStat } from '../core/files/volumeFiles';
import { helperImageCandidates } from '../core/helpers/helperImages';
import type { Engine } from '../core/engine/engine';
import type { Services } from '../services';
import { engineIdOf, parseVolumeUri, VOLUME_SCHEME, volumeSessionKey, type VolumeLocation } from './volumeUri';
import { Message, msg, textOf } from '../core/message';
import { say } from '../coreText';

const IDLE_CLOSE_MS = 5 * 60_000;
const POLL_MS = 3000;
/** A folder the Explorer listed within this time is polled for changes. */
const LISTED_TTL_MS = 10 * 60_000;
const MAX_POLLED_DIRS = 30;
/** stat() results remembered so a file opened in an editor starts from what the editor read. */
const MAX_RECENT_STATS = 500;
/** A folder copied between two volumes deeper than this is refused (a cycle of folder links). */
const MAX_COPY_DEPTH = 64;

interface Session {
  readonly key: string;
  readonly files: Promise<VolumeFiles>;
  lastUsed: number;
}

/** A folder the poll watches and what it held when last seen. */
interface WatchedFolder {
  readonly uri: vscode.Uri;
  readonly loc: VolumeLocation;
  listedAt: number;
  /** Entry name -> signature (type, size, mtime, mode). */
  entries: Map<string, string>;
  /** Hash of the last snapshot listing (undefined after a readDirectory: the next poll sends it all). */
  hash?: string;
  /** Bumped by readDirectory: a poll that started before does not overwrite the newer listing. */
  version: number;
}

/** A file open in an editor: its signature (size, mtime, mode), null when gone, undefined when not seen yet. */
interface WatchedFile {
  readonly uri: vscode.Uri;
  readonly loc: VolumeLocation;
  sig: string | null | undefined;
}

/** What one poll did (tests wait on it). */
export interface PollReport {
  readonly volumes: number;
  readonly folders: number;
  readonly files: number;
  readonly events: number;
  /** `docker exec` runs during the poll, all volumes together (one per volume polled). */
  readonly execs: number;
}

export class VolumeFileSystemProvider implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.emitter.event;
  private readonly pollEmitter = new vscode.EventEmitter<PollReport>();
  /** Fires after every poll that ran (the window had focus). */
  readonly onDidPoll = this.pollEmitter.event;
  private readonly sessions = new Map<string, Session>();
  /** By uri string. */
  private readonly folders = new Map<string, WatchedFolder>();
  private readonly openFiles = new Map<string, WatchedFile>();
  private readonly recentStats = new Map<string, string>();
  /** The last polling failure logged per volume: a helper gone for good is said once, not every poll. */
  private readonly pollFailures = new Map<string, string>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly focusListener: vscode.Disposable;
  private polling = false;

  constructor(private readonly services: Services) {
    this.timers.push(setInterval(() => void this.closeIdle(), 60_000));
    this.timers.push(setInterval(() => void this.poll(), POLL_MS));
    // Back in the window: look at once, as the Explorer re-reads its folders then.
    this.focusListener = vscode.window.onDidChangeWindowState((s) => {
      if (s.focused) void this.poll();
    });
  }

  dispose(): void {
    for (const t of this.timers) clearInterval(t);
    this.focusListener.dispose();
    this.emitter.dispose();
    this.pollEmitter.dispose();
    const all = [...this.sessions.values()];
    this.sessions.clear();
    for (const s of all) {
      void s.files.then(
        (f) => f.close(),
        () => undefined,
      );
    }
  }

  // ---- FileSystemProvider ---------------------------------------------------------------------

  watch(): vscode.Disposable {
    // What is polled follows what is shown (folders listed, files in editors), not watch requests:
    // VS Code asks to watch a workspace root recursively, which polling a volume cannot afford.
    return new vscode.Disposable(() => undefined);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    return this.op(uri, async (f, loc) => {
      const st = await f.quickStat(loc.path);
      if (st.type === 'file') this.rememberStat(uri.toString(), fileSignature(st));
      return toFileStat(st, loc.readOnly);
    });
  }

  async readDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
    return this.op(uri, async (f, loc) => {
      const entries = await f.list(loc.path);
      const k = uri.toString();
      this.folders.set(k, { uri, loc, listedAt: Date.now(), entries: signatures(entries), version: (this.folders.get(k)?.version ?? 0) + 1 });
      return entries.map((e) => [e.name, toFileType(e)] as [string, vscode.FileType]);
    });
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    return this.op(uri, (f, loc) => f.read(loc.path));
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array, options: { readonly create: boolean; readonly overwrite: boolean }): Promise<void> {
    await this.op(uri, async (f, loc) => {
      const existed = await f.quickStat(loc.path).then(
        () => true,
        () => false,
      );
      await f.write(loc.path, content, options);
      this.fire(existed ? vscode.FileChangeType.Changed : vscode.FileChangeType.Created, uri);
    });
  }

  async createDirectory(uri: vscode.Uri): Promise<void> {
    await this.op(uri, async (f, loc) => {
      await f.mkdir(loc.path);
      this.fire(vscode.FileChangeType.Created, uri);
    });
  }

  async delete(uri: vscode.Uri, options: { readonly recursive: boolean }): Promise<void> {
    await this.op(uri, async (f, loc) => {
      await f.delete(loc.path, options);
      this.fire(vscode.FileChangeType.Deleted, uri);
    });
  }

  async rename(oldUri: vscode.Uri, newUri: vscode.Uri, options: { readonly overwrite: boolean }): Promise<void> {
    await this.op(oldUri, async (f, loc) => {
      const to = locate(newUri);
      if (sameVolume(loc, to)) await f.rename(loc.path, to.path, options);
      else {
        // VS Code hands one provider's moves to its rename, also between two of its volumes.
        if (loc.readOnly) throw new VolumeFsError('NoPermissions', loc.path, msg('fs.readOnly'));
        await this.copyAcross(f, loc, newUri, options.overwrite);
        await f.delete(loc.path, { recursive: true });
      }
      this.emitter.fire([
        { type: vscode.FileChangeType.Deleted, uri: oldUri },
        { type: vscode.FileChangeType.Created, uri: newUri },
      ]);
    });
  }

  async copy(source: vscode.Uri, destination: vscode.Uri, options: { readonly overwrite: boolean }): Promise<void> {
    await this.op(source, async (f, loc) => {
      const to = locate(destination);
      if (sameVolume(loc, to)) await f.copy(loc.path, to.path, options);
      else await this.copyAcross(f, loc, destination, options.overwrite);
      this.fire(vscode.FileChangeType.Created, destination);
    });
  }

  /**
   * A copy into another volume (or another engine's, or the same volume through a read-only URI):
   * VS Code gives copies within one provider to its copy(), with no fallback, so it is done here, the
   * way VS Code copies between two file systems: folders re-created, files read and written (new
   * files: mode 0644 and their folder's owner), links followed.
   */
  private async copyAcross(src: VolumeFiles, from: VolumeLocation, destination: vscode.Uri, overwrite: boolean): Promise<void> {
    const to = locate(destination);
    if (to.readOnly) throw new VolumeFsError('NoPermissions', to.path, msg('fs.readOnly'));
    const dst = await this.files(to);
    const st = await src.stat(from.path);
    const existing = await dst.stat(to.path).then(
      (s) => s,
      () => undefined,
    );
    if (existing) {
      if (!overwrite) throw new VolumeFsError('FileExists', to.path, msg('fs.exists'));
      await dst.delete(to.path, { recursive: true });
    }
    await copyTree(src, from.path, st, dst, to.path, 0);
  }

  // ---- sessions -------------------------------------------------------------------------------

  private async op<T>(uri: vscode.Uri, fn: (f: VolumeFiles, loc: VolumeLocation) => Promise<T>): Promise<T> {
    const loc = locate(uri);
    try {
      return await fn(await this.files(loc), loc);
    } catch (e) {
      throw toFileSystemError(e, uri);
    }
  }

  private async files(loc: VolumeLocation): Promise<VolumeFiles> {
    const engine = await this.engineOf(loc.engineId);
    const key = volumeSessionKey(loc);
    let s = this.sessions.get(key);
    if (!s) {
      const configured = vscode.workspace.getConfiguration('containerVolumes').get<string>('helperImage');
      const files = (async () => {
        const images = await helperImageCandidates(engine.docker, configured);
        const f = await VolumeFiles.open(engine, { volume: loc.volume, readOnly: loc.readOnly, helperImages: images });
        this.services.log.info(`volume ${loc.volume}: helper ${f.helperId.slice(0, 12)} (${f.mode} mode${f.helperImage ? `, ${f.helperImage}` : ''})`);
        if (f.mode === 'archive') {
          void vscode.window.showWarningMessage(
            vscode.l10n.t(
              'No helper image with a shell was found, so listing folders of "{0}" transfers their contents and delete/rename are unavailable. Set containerVolumes.helperImage to a local image such as busybox or alpine.',
              loc.volume,
            ),
          );
        }
        return f;
      })();
      s = { key, files, lastUsed: Date.now() };
      this.sessions.set(key, s);
      files.catch(() => this.sessions.delete(key)); // a failed open is retried on the next call
    }
    s.lastUsed = Date.now();
    return s.files;
  }

  /**
   * The engine of a `docker-volume:` URI: the current one, or another known engine (a volume opened from
   * its row while several engines are shown), through that engine's own connection.
   */
  private async engineOf(engineId: string): Promise<Engine> {
    const roots = this.services.engineRoots;
    const s = this.services.engine.state;
    if (s.kind === 'ok' && engineIdOf(s.endpoint) === engineId) return this.services.engine.get();
    const host = roots.hostOfId(engineId);
    if (host && host !== roots.currentHost()) return roots.engineOf(host);
    const engine = await this.services.engine.ready();
    if (engineIdOf(engine.endpoint) !== engineId) {
      throw vscode.FileSystemError.Unavailable(
        vscode.l10n.t('This folder belongs to Docker engine {0}, which is not among the known engines (docker contexts, DOCKER_HOST, settings).', engineId),
      );
    }
    return engine;
  }

  /** The open volume behind a `docker-volume:` URI, its helper started if need be (search, disk usage). */
  volumeFiles(uri: vscode.Uri): Promise<VolumeFiles> {
    return this.files(locate(uri));
  }

  /** Closes the helpers of volumes no workspace folder shows and nothing used lately. */
  private async closeIdle(): Promise<void> {
    const inWorkspace = new Set(
      (vscode.workspace.workspaceFolders ?? [])
        .filter((w) => w.uri.scheme === VOLUME_SCHEME)
        .map((w) => {
          const l = locate(w.uri);
          return volumeSessionKey(l);
        }),
    );
    for (const s of [...this.sessions.values()]) {
      if (!inWorkspace.has(s.key) && Date.now() - s.lastUsed > IDLE_CLOSE_MS) {
        this.sessions.delete(s.key);
        await s.files.then(
          (f) => f.close(),
          () => undefined,
        );
      }
    }
  }

  /** Closes the helper of a volume now (its folder was removed from the workspace). */
  async closeVolume(uri: vscode.Uri): Promise<void> {
    const l = locate(uri);
    const key = volumeSessionKey(l);
    const s = this.sessions.get(key);
    if (!s) return;
    this.sessions.delete(key);
    await s.files.then(
      (f) => f.close(),
      () => undefined,
    );
  }

  // ---- change polling -------------------------------------------------------------------------

  private fire(type: vscode.FileChangeType, uri: vscode.Uri): void {
    this.emitter.fire([{ type, uri }]);
  }

  private rememberStat(k: string, sig: string): void {
    this.recentStats.delete(k);
    this.recentStats.set(k, sig);
    if (this.recentStats.size > MAX_RECENT_STATS) this.recentStats.delete(this.recentStats.keys().next().value as string);
  }

  /** Looks at what is shown (while the window has focus) and reports what moved, in one batch. */
  private async poll(): Promise<void> {
    if (this.polling || !vscode.window.state.focused) return;
    this.polling = true;
    try {
      const report = await this.pollOnce();
      this.pollEmitter.fire(report);
    } catch (e) {
      this.services.log.warn(`volume polling: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      this.polling = false;
    }
  }

  private async pollOnce(): Promise<PollReport> {
    const now = Date.now();
    const roots = new Set((vscode.workspace.workspaceFolders ?? []).filter((w) => w.uri.scheme === VOLUME_SCHEME).map((w) => w.uri.toString()));
    // Workspace roots first, then the folders listed most recently; the rest is forgotten.
    const live = [...this.folders.entries()]
      .filter(([k, d]) => roots.has(k) || now - d.listedAt < LISTED_TTL_MS)
      .sort(([ka, a], [kb, b]) => Number(roots.has(kb)) - Number(roots.has(ka)) || b.listedAt - a.listedAt)
      .slice(0, MAX_POLLED_DIRS);
    const keep = new Set(live.map(([k]) => k));
    for (const k of [...this.folders.keys()]) if (!keep.has(k)) this.folders.delete(k);

    const shown = new Map<string, vscode.Uri>();
    for (const uri of openEditorUris()) if (uri.scheme === VOLUME_SCHEME) shown.set(uri.toString(), uri);
    for (const k of [...this.openFiles.keys()]) if (!shown.has(k)) this.openFiles.delete(k);
    for (const [k, uri] of shown) {
      if (this.openFiles.has(k)) continue;
      try {
        this.openFiles.set(k, { uri, loc: locate(uri), sig: this.recentStats.get(k) });
      } catch {
        /* not a volume path (a bare authority): nothing to watch */
      }
    }

    const byVolume = new Map<string, { folders: WatchedFolder[]; files: WatchedFile[] }>();
    const group = (loc: VolumeLocation) => {
      const key = volumeSessionKey(loc);
      let g = byVolume.get(key);
      if (!g) byVolume.set(key, (g = { folders: [], files: [] }));
      return g;
    };
    for (const [, d] of live) group(d.loc).folders.push(d);
    for (const f of this.openFiles.values()) group(f.loc).files.push(f);

    const events = new Map<string, vscode.FileChangeEvent>();
    const add = (type: vscode.FileChangeType, uri: vscode.Uri) => events.set(`${type} ${uri.toString()}`, { type, uri });
    let volumes = 0;
    let execs = 0;
    await Promise.all(
      [...byVolume].map(async ([key, g]) => {
        const session = this.sessions.get(key);
        if (!session) return; // never start a helper only to poll
        if (g.files.length) session.lastUsed = Date.now(); // an open editor keeps its volume's helper
        volumes++;
        const versions = g.folders.map((d) => d.version);
        let snap;
        try {
          const f = await session.files;
          const before = f.execs;
          snap = await f.snapshot(
            g.folders.map((d) => ({ path: d.loc.path, hash: d.hash })),
            g.files.map((x) => x.loc.path),
          );
          execs += f.execs - before;
        } catch (e) {
          const message = e instanceof Error ? e.message : String(e);
          if (this.pollFailures.get(key) !== message) this.services.log.warn(`volume polling of ${key}: ${message}`);
          this.pollFailures.set(key, message);
          return;
        }
        this.pollFailures.delete(key);
        snap.folders.forEach((s, i) => {
          const d = g.folders[i];
          if (s.kind === 'same' || d.version !== versions[i]) return;
          if (s.kind === 'gone') {
            this.folders.delete(d.uri.toString());
            add(vscode.FileChangeType.Deleted, d.uri);
            return;
          }
          const next = signatures(s.entries);
          diffEntries(d.entries, next, (type, name) => add(type, vscode.Uri.joinPath(d.uri, name)));
          d.entries = next;
          d.hash = s.hash;
        });
        snap.files.forEach((st, i) => {
          const f = g.files[i];
          const sig = st ? fileSignature(st) : null;
          if (f.sig === undefined) f.sig = sig;
          else if (f.sig !== sig) {
            add(sig === null ? vscode.FileChangeType.Deleted : f.sig === null ? vscode.FileChangeType.Created : vscode.FileChangeType.Changed, f.uri);
            f.sig = sig;
          }
        });
      }),
    );
    if (events.size) this.emitter.fire([...events.values()]);
    return { volumes, folders: live.length, files: this.openFiles.size, events: events.size, execs };
  }
}

/**
 * Restricted Mode: in an untrusted workspace every volume opens read-only (a read-only mount in its
 * helper, read-only editors), whatever its URI says; once trusted, the next use opens it read-write.
 */
function locate(uri: vscode.Uri): VolumeLocation {
  const loc = parseVolumeUri(uri);
  return loc.readOnly || vscode.workspace.isTrusted ? loc : { ...loc, readOnly: true };
}

function sameVolume(a: VolumeLocation, b: VolumeLocation): boolean {
  return volumeSessionKey(a) === volumeSessionKey(b);
}

/** Every resource open in an editor tab (text, diff sides, custom and notebook editors). */
function openEditorUris(): vscode.Uri[] {
  const out: vscode.Uri[] = [];
  for (const g of vscode.window.tabGroups.all) {
    for (const t of g.tabs) {
      const i = t.input;
      if (i instanceof vscode.TabInputText || i instanceof vscode.TabInputCustom || i instanceof vscode.TabInputNotebook) out.push(i.uri);
      else if (i instanceof vscode.TabInputTextDiff || i instanceof vscode.TabInputNotebookDiff) out.push(i.original, i.modified);
    }
  }
  return out;
}

function fileSignature(s: VolumeStat): string {
  return `${s.size}:${s.mtimeMs}:${s.mode}`;
}

function signatures(entries: readonly VolumeDirEntry[]): Map<string, string> {
  return new Map(entries.map((e) => [e.name, `${e.type}:${fileSignature(e)}`]));
}

/**
 * Entry-level changes between two listings of a folder: Created / Deleted for names that appeared or
 * vanished (both when an entry changed type), Changed for non-folders whose size, mtime or mode moved.
 * A folder's own size and mtime move with its contents: its children report those.
 */
export function diffEntries(
  before: ReadonlyMap<string, string>,
  after: ReadonlyMap<string, string>,
  report: (type: vscode.FileChangeType, name: string) => void,
): void {
  const typeOf = (sig: string) => sig.slice(0, sig.indexOf(':'));
  for (const [name, sig] of after) {
    const old = before.get(name);
    if (old === undefined) report(vscode.FileChangeType.Created, name);
    else if (old !== sig) {
      if (typeOf(old) !== typeOf(sig)) {
        report(vscode.FileChangeType.Deleted, name);
        report(vscode.FileChangeType.Created, name);
      } else if (typeOf(sig) !== 'directory') report(vscode.FileChangeType.Changed, name);
    }
  }
  for (const name of before.keys()) if (!after.has(name)) report(vscode.FileChangeType.Deleted, name);
}

/** Copies a file or folder from one volume to another through reads and writes (copyAcross). */
async function copyTree(src: VolumeFiles, from: string, st: VolumeStat, dst: VolumeFiles, to: string, depth: number): Promise<void> {
  const kind = st.type === 'symlink' ? st.targetType : st.type;
  if (kind === 'file') {
    await dst.write(to, await src.read(from), { create: true, overwrite: false });
  } else if (kind === 'directory') {
    if (depth > MAX_COPY_DEPTH) throw new VolumeFsError('NoPermissions', from, msg('fs.tooDeep'));
    await dst.mkdir(to);
    for (const e of await src.list(from)) {
      await copyTree(src, `${from === '/' ? '' : from}/${e.name}`, e, dst, `${to === '/' ? '' : to}/${e.name}`, depth + 1);
    }
  } else if (st.type === 'symlink') {
    throw new VolumeFsError('FileNotFound', from, msg('fs.brokenLink'));
  } else {
    throw new VolumeFsError('NoPermissions', from, msg('fs.specialFile'));
  }
}

function typeOf(t: string | undefined): vscode.FileType {
  return t === 'file' ? vscode.FileType.File : t === 'directory' ? vscode.FileType.Directory : vscode.FileType.Unknown;
}

function toFileType(s: VolumeStat): vscode.FileType {
  if (s.type === 'symlink') return vscode.FileType.SymbolicLink | typeOf(s.targetType);
  return typeOf(s.type);
}

function toFileStat(s: VolumeStat, readOnly: boolean): vscode.FileStat {
  // ctime (creation) is not known to stat(1): 0 says "unknown" rather than inventing one.
  return { type: toFileType(s), size: s.size, mtime: s.mtimeMs, ctime: 0, ...(readOnly ? { permissions: vscode.FilePermission.Readonly } : {}) };
}

function toFileSystemError(e: unknown, uri: vscode.Uri): Error {
  if (e instanceof vscode.FileSystemError) return e;
  if (e instanceof VolumeFsError) {
    const text = say(new Message('fs.error', { path: uri.path, reason: e.reason }));
    switch (e.code) {
      case 'FileNotFound':
        return vscode.FileSystemError.FileNotFound(text);
      case 'FileExists':
        return vscode.FileSystemError.FileExists(text);
      case 'FileNotADirectory':
        return vscode.FileSystemError.FileNotADirectory(text);
      case 'FileIsADirectory':
        return vscode.FileSystemError.FileIsADirectory(text);
      case 'NoPermissions':
        return vscode.FileSystemError.NoPermissions(text);
      case 'Unavailable':
        return vscode.FileSystemError.Unavailable(text);
    }
  }
  return vscode.FileSystemError.Unavailable(say(new Message('fs.error', { path: uri.path, reason: textOf(e) })));
}

/** Registers the provider for `docker-volume:`; extension.ts calls this from activate(). */
export function registerVolumeFileSystem(context: vscode.ExtensionContext, services: Services): VolumeFileSystemProvider {
  const provider = new VolumeFileSystemProvider(services);
  context.subscriptions.push(
    provider,
    vscode.workspace.registerFileSystemProvider(VOLUME_SCHEME, provider, { isCaseSensitive: true }),
    vscode.workspace.onDidChangeWorkspaceFolders((e) => {
      for (const f of e.removed) if (f.uri.scheme === VOLUME_SCHEME) void provider.closeVolume(f.uri);
    }),
  );
  return provider;
}
