// The `docker-volume:` file system: a volume's files as a workspace folder, through VolumeFiles.
// Owns one VolumeFiles (and so one helper container) per open volume: opened on first use, closed
// when no workspace folder shows the volume and nothing touched it for a while, and on dispose.
// Changes made by containers are found by polling, and only what a user can see: the folders read
// by the Explorer in the last minutes and the files in visible editors, every few seconds while the
// window has focus (there is no change notification for a volume).
import * as vscode from 'vscode';
import { engineIdOf, localHelperImages, VolumeFiles, VolumeFsError, type VolumeStat } from '../core/volumeFiles';
import type { Services } from '../services';
import { parseVolumeUri, VOLUME_SCHEME, type VolumeLocation } from './volumeUri';

const IDLE_CLOSE_MS = 5 * 60_000;
const POLL_MS = 3000;
/** A folder the Explorer listed within this time is polled for changes. */
const LISTED_TTL_MS = 10 * 60_000;
const MAX_POLLED_DIRS = 30;

interface Session {
  readonly key: string;
  readonly files: Promise<VolumeFiles>;
  lastUsed: number;
}

export class VolumeFileSystemProvider implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.emitter.event;
  private readonly sessions = new Map<string, Session>();
  private readonly watched = new Map<string, number>();
  /** uri string -> when it was listed, and a fingerprint of what it held. */
  private readonly listed = new Map<string, { at: number; fingerprint: string }>();
  private readonly fileFingerprints = new Map<string, string>();
  private readonly timers: NodeJS.Timeout[] = [];
  private polling = false;

  constructor(private readonly services: Services) {
    this.timers.push(setInterval(() => void this.closeIdle(), 60_000));
    this.timers.push(setInterval(() => void this.poll(), POLL_MS));
  }

  dispose(): void {
    for (const t of this.timers) clearInterval(t);
    this.emitter.dispose();
    const all = [...this.sessions.values()];
    this.sessions.clear();
    for (const s of all) void s.files.then((f) => f.close(), () => undefined);
  }

  /** Number of open helpers (tests). */
  get openSessions(): number {
    return this.sessions.size;
  }

  // ---- FileSystemProvider ---------------------------------------------------------------------

  watch(uri: vscode.Uri): vscode.Disposable {
    const k = uri.toString();
    this.watched.set(k, (this.watched.get(k) ?? 0) + 1);
    return new vscode.Disposable(() => {
      const n = (this.watched.get(k) ?? 1) - 1;
      if (n <= 0) this.watched.delete(k);
      else this.watched.set(k, n);
    });
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    return this.op(uri, async (f, loc) => toFileStat(await f.quickStat(loc.path), loc.readOnly));
  }

  async readDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
    return this.op(uri, async (f, loc) => {
      const entries = await f.list(loc.path);
      this.listed.set(uri.toString(), { at: Date.now(), fingerprint: fingerprint(entries) });
      return entries.map((e) => [e.name, toFileType(e)] as [string, vscode.FileType]);
    });
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    return this.op(uri, (f, loc) => f.read(loc.path));
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array, options: { readonly create: boolean; readonly overwrite: boolean }): Promise<void> {
    await this.op(uri, async (f, loc) => {
      const existed = await f.quickStat(loc.path).then(() => true, () => false);
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
      const to = this.sameVolume(loc, newUri);
      await f.rename(loc.path, to.path, options);
      this.emitter.fire([{ type: vscode.FileChangeType.Deleted, uri: oldUri }, { type: vscode.FileChangeType.Created, uri: newUri }]);
    });
  }

  async copy(source: vscode.Uri, destination: vscode.Uri, options: { readonly overwrite: boolean }): Promise<void> {
    await this.op(source, async (f, loc) => {
      const to = this.sameVolume(loc, destination);
      await f.copy(loc.path, to.path, options);
      this.fire(vscode.FileChangeType.Created, destination);
    });
  }

  // ---- sessions -------------------------------------------------------------------------------

  private sameVolume(from: VolumeLocation, uri: vscode.Uri): VolumeLocation {
    const to = parseVolumeUri(uri);
    // Across volumes VS Code falls back to read + write when we say the operation is unavailable.
    if (to.volume !== from.volume || to.engineId !== from.engineId || to.readOnly !== from.readOnly) {
      throw vscode.FileSystemError.Unavailable(vscode.l10n.t('{0} and {1} are not in the same volume', from.path, uri.path));
    }
    return to;
  }

  private async op<T>(uri: vscode.Uri, fn: (f: VolumeFiles, loc: VolumeLocation) => Promise<T>): Promise<T> {
    const loc = parseVolumeUri(uri);
    try {
      return await fn(await this.files(loc), loc);
    } catch (e) {
      throw toFileSystemError(e, uri);
    }
  }

  private async files(loc: VolumeLocation): Promise<VolumeFiles> {
    const engine = await this.services.engine.ready();
    const current = engineIdOf(engine.endpoint);
    if (loc.engineId !== current) {
      throw vscode.FileSystemError.Unavailable(vscode.l10n.t('This folder belongs to another Docker engine ({0}); the extension is connected to {1}.', loc.engineId, engine.endpoint.host));
    }
    const key = `${loc.engineId}${loc.readOnly ? '+ro' : ''}/${loc.volume}`;
    let s = this.sessions.get(key);
    if (!s) {
      const configured = vscode.workspace.getConfiguration('containerVolumes').get<string>('helperImage')?.trim();
      const files = (async () => {
        const images = [...(configured ? [configured] : []), ...(await localHelperImages(engine.docker))];
        const f = await VolumeFiles.open(engine, { volume: loc.volume, readOnly: loc.readOnly, helperImages: images });
        this.services.log.info(`volume ${loc.volume}: helper ${f.helperId.slice(0, 12)} (${f.mode} mode${f.helperImage ? `, ${f.helperImage}` : ''})`);
        if (f.mode === 'archive') {
          void vscode.window.showWarningMessage(vscode.l10n.t('No helper image with a shell was found, so listing folders of "{0}" transfers their contents and delete/rename are unavailable. Set containerVolumes.helperImage to a local image such as busybox or alpine.', loc.volume));
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

  /** The open volume behind a `docker-volume:` URI, its helper started if need be (search, disk usage). */
  volumeFiles(uri: vscode.Uri): Promise<VolumeFiles> {
    return this.files(parseVolumeUri(uri));
  }

  /** Closes the helpers of volumes no workspace folder shows and nothing used lately. */
  private async closeIdle(): Promise<void> {
    const inWorkspace = new Set((vscode.workspace.workspaceFolders ?? []).filter((w) => w.uri.scheme === VOLUME_SCHEME).map((w) => {
      const l = parseVolumeUri(w.uri);
      return `${l.engineId}${l.readOnly ? '+ro' : ''}/${l.volume}`;
    }));
    for (const s of [...this.sessions.values()]) {
      if (!inWorkspace.has(s.key) && Date.now() - s.lastUsed > IDLE_CLOSE_MS) {
        this.sessions.delete(s.key);
        await s.files.then((f) => f.close(), () => undefined);
      }
    }
  }

  /** Closes the helper of a volume now (its folder was removed from the workspace). */
  async closeVolume(uri: vscode.Uri): Promise<void> {
    const l = parseVolumeUri(uri);
    const key = `${l.engineId}${l.readOnly ? '+ro' : ''}/${l.volume}`;
    const s = this.sessions.get(key);
    if (!s) return;
    this.sessions.delete(key);
    await s.files.then((f) => f.close(), () => undefined);
  }

  // ---- change polling -------------------------------------------------------------------------

  private fire(type: vscode.FileChangeType, uri: vscode.Uri): void {
    this.emitter.fire([{ type, uri }]);
  }

  private async poll(): Promise<void> {
    if (this.polling || !vscode.window.state.focused || this.watched.size === 0) return;
    this.polling = true;
    try {
      const now = Date.now();
      const dirs = [...this.listed.entries()].filter(([, v]) => now - v.at < LISTED_TTL_MS).sort((a, b) => b[1].at - a[1].at).slice(0, MAX_POLLED_DIRS);
      for (const [k] of this.listed) if (!dirs.some(([d]) => d === k)) this.listed.delete(k);
      const changes: vscode.FileChangeEvent[] = [];
      for (const [k, v] of dirs) {
        const uri = vscode.Uri.parse(k);
        const loc = parseVolumeUri(uri);
        if (!this.sessions.has(`${loc.engineId}${loc.readOnly ? '+ro' : ''}/${loc.volume}`)) continue;
        try {
          const entries = await (await this.files(loc)).list(loc.path);
          const fp = fingerprint(entries);
          if (fp !== v.fingerprint) {
            this.listed.set(k, { at: v.at, fingerprint: fp });
            changes.push({ type: vscode.FileChangeType.Changed, uri });
          }
        } catch {
          this.listed.delete(k);
          changes.push({ type: vscode.FileChangeType.Deleted, uri });
        }
      }
      for (const editor of vscode.window.visibleTextEditors) {
        const uri = editor.document.uri;
        if (uri.scheme !== VOLUME_SCHEME) continue;
        const loc = parseVolumeUri(uri);
        try {
          const st = await (await this.files(loc)).quickStat(loc.path);
          const fp = `${st.size}:${st.mtimeMs}`;
          const k = uri.toString();
          if (this.fileFingerprints.has(k) && this.fileFingerprints.get(k) !== fp) changes.push({ type: vscode.FileChangeType.Changed, uri });
          this.fileFingerprints.set(k, fp);
        } catch {
          /* gone: the next save tells the user */
        }
      }
      if (changes.length) this.emitter.fire(changes);
    } finally {
      this.polling = false;
    }
  }
}

function fingerprint(entries: readonly { name: string; size: number; mtimeMs: number; type: string }[]): string {
  return entries.map((e) => `${e.name}\0${e.type}\0${e.size}\0${e.mtimeMs}`).sort().join('\n');
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
    const msg = `${uri.path}: ${e.message.slice(e.path.length + 2)}`;
    switch (e.code) {
      case 'FileNotFound': return vscode.FileSystemError.FileNotFound(msg);
      case 'FileExists': return vscode.FileSystemError.FileExists(msg);
      case 'FileNotADirectory': return vscode.FileSystemError.FileNotADirectory(msg);
      case 'FileIsADirectory': return vscode.FileSystemError.FileIsADirectory(msg);
      case 'NoPermissions': return vscode.FileSystemError.NoPermissions(msg);
      case 'Unavailable': return vscode.FileSystemError.Unavailable(msg);
    }
  }
  const m = e instanceof Error ? e.message : String(e);
  return vscode.FileSystemError.Unavailable(`${uri.path}: ${m}`);
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
