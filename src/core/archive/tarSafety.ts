// What a restore may write: every entry is checked before the volume is touched, so nothing lands outside
// it or goes through a symlink the archive made. Also LayoutProbe: the one folder all entries sit under.
// Design notes: docs/data-operations.md#srccorearchivetarsafetyts
import { type CodedError, type Message, msg } from '../message';

export interface EntryHeader {
  readonly name: string;
  readonly type?: string | null;
  readonly linkname?: string | null;
  readonly size?: number;
}

export class UnsafeArchiveError extends Error implements CodedError {
  constructor(
    readonly text: Message,
    readonly entry: string,
  ) {
    super(text.toString());
    this.name = 'UnsafeArchiveError';
  }
}

/** Splits an entry name into components: `./a//b/` -> ['a', 'b']; the root (`./`, `.`) -> []. */
export function entryComponents(name: string, what: Message = msg('tar.entry')): string[] {
  if (name.includes('\0')) throw new UnsafeArchiveError(msg('unsafe.nul', { what, name: printable(name) }), name);
  if (name.startsWith('/')) throw new UnsafeArchiveError(msg('unsafe.absolute', { what, name: printable(name) }), name);
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) throw new UnsafeArchiveError(msg('unsafe.climbs', { what, name: printable(name) }), name);
  return parts;
}

function printable(s: string): string {
  const clean = s.replace(/[\x00-\x1f\x7f]/g, '?');
  return clean.length > 120 ? `${clean.slice(0, 119)}…` : clean;
}

const ALLOWED_TYPES = new Set(['file', 'contiguous-file', 'directory', 'symlink', 'link', 'fifo']);
const DEVICE_TYPES = new Set(['character-device', 'block-device']);

/** Checks entries one by one, in archive order. State: the symlinks seen so far. */
export class EntryGuard {
  private readonly symlinks = new Set<string>();

  constructor(private readonly opts: { allowDevices?: boolean } = {}) {}

  check(h: EntryHeader): void {
    const parts = entryComponents(h.name);
    const p = parts.join('/');
    const type = h.type ?? 'unknown';
    if (DEVICE_TYPES.has(type)) {
      if (!this.opts.allowDevices) throw new UnsafeArchiveError(msg('unsafe.device', { name: printable(h.name) }), h.name);
    } else if (!ALLOWED_TYPES.has(type)) {
      throw new UnsafeArchiveError(msg('unsafe.entryType', { name: printable(h.name), type }), h.name);
    }
    if (parts.length === 0 && type !== 'directory') {
      throw new UnsafeArchiveError(msg('unsafe.rootNotFolder', { name: printable(h.name), type: entryTypeText(type) }), h.name);
    }
    this.throughSymlink(parts, h.name, 'unsafe.throughSymlink');
    if (type === 'link') {
      const target = entryComponents(h.linkname ?? '', msg('tar.linkTarget', { name: printable(h.name) }));
      if (target.length === 0) throw new UnsafeArchiveError(msg('unsafe.linkToRoot', { name: printable(h.name) }), h.name);
      this.throughSymlink(target, h.name, 'unsafe.linkThroughSymlink');
    }
    if (type === 'symlink') this.symlinks.add(p);
  }

  private throughSymlink(parts: string[], name: string, what: 'unsafe.throughSymlink' | 'unsafe.linkThroughSymlink'): void {
    if (this.symlinks.size === 0) return;
    for (let i = 1; i < parts.length; i++) {
      const ancestor = parts.slice(0, i).join('/');
      if (this.symlinks.has(ancestor)) {
        throw new UnsafeArchiveError(msg(what, { name: printable(name), symlink: printable(ancestor) }), name);
      }
    }
  }
}

function lcp(a: readonly string[], b: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < Math.min(a.length, b.length) && a[i] === b[i]; i++) out.push(a[i]);
  return out;
}

function isPrefix(a: readonly string[], b: readonly string[]): boolean {
  return a.length <= b.length && a.every((x, i) => b[i] === x);
}

/**
 * Finds the folder every entry sits under: `logs/` for the seed's archives, `var/lib/mysql/` for
 * `tar cf x.tar /var/lib/mysql` (whose parent folders may or may not have entries of their own).
 * An archive with a root entry (`./`), or with entries side by side at the top, has none.
 * Streaming and bounded: the set of folders kept while no file has been seen is capped.
 */
export class LayoutProbe {
  private root = false;
  /** lcp of the parent folders of all non-folder entries. */
  private files: string[] | undefined;
  /** lcp of folder entries that are not ancestors of `files` (undefined: none yet). */
  private dirs: string[] | undefined;
  /** Folder entries seen before the first file (ancestors or not: we cannot tell yet). */
  private pending: string[][] | undefined = [];
  private static readonly MAX_PENDING = 10_000;

  add(h: EntryHeader): void {
    const parts = entryComponents(h.name);
    if (parts.length === 0) {
      this.root = true;
      return;
    }
    if (h.type === 'directory') {
      if (this.files === undefined && this.pending) {
        this.pending.push(parts);
        if (this.pending.length > LayoutProbe.MAX_PENDING) this.flushPending();
      } else if (this.files === undefined || !isPrefix(parts, this.files)) {
        this.addDir(parts);
      }
      return;
    }
    const parent = parts.slice(0, -1);
    this.files = this.files === undefined ? parent : lcp(this.files, parent);
    this.flushPending();
  }

  private addDir(parts: string[]): void {
    this.dirs = this.dirs === undefined ? parts : lcp(this.dirs, parts);
  }

  private flushPending(): void {
    const pending = this.pending ?? [];
    this.pending = undefined;
    for (const d of pending) if (this.files === undefined || !isPrefix(d, this.files)) this.addDir(d);
  }

  /** The common folder as components ([] when the archive's contents sit at its root). */
  result(): string[] {
    if (this.root) return [];
    if (this.files === undefined) {
      // Only folders: their lcp (ancestors of each other collapse onto the deepest common one).
      const all = [...(this.pending ?? []), ...(this.dirs ? [this.dirs] : [])];
      if (all.length === 0) return [];
      return all.reduce((a, b) => lcp(a, b));
    }
    this.flushPending();
    return this.dirs === undefined ? this.files : lcp(this.files, this.dirs);
  }
}

/** An entry's header with its owner and permission bits. */
type OwnedHeader = EntryHeader & { readonly mode: number; readonly uid: number; readonly gid: number };

/** The components of a name, or undefined for an unsafe one (EntryGuard refuses the archive). */
function safeComponents(name: string): string[] | undefined {
  try {
    return entryComponents(name);
  } catch {
    return undefined;
  }
}

/** A folder entry's owner and permission bits. */
export interface FolderMeta {
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
}

/**
 * Owner and mode of the folder entries near the archive's top. A restore that puts a folder's
 * contents at the volume's root (the seed's `logs/`) gives the root that folder's owner and mode, as
 * extracting the folder onto the volume's mount point does. Bounded: folders deeper than MAX_DEPTH
 * or beyond the first MAX are not kept, and asking for one of those answers "not known".
 */
export class TopFolders {
  static readonly MAX_DEPTH = 4;
  static readonly MAX = 256;
  private readonly seen = new Map<string, FolderMeta>();
  private full = false;

  add(h: OwnedHeader): void {
    const parts = h.type === 'directory' ? safeComponents(h.name) : undefined;
    if (!parts || parts.length === 0 || parts.length > TopFolders.MAX_DEPTH) return;
    const key = parts.join('/');
    if (!this.seen.has(key) && this.seen.size >= TopFolders.MAX) {
      this.full = true;
      return;
    }
    this.seen.set(key, { mode: h.mode & 0o7777, uid: h.uid, gid: h.gid }); // a later entry wins, as in extraction
  }

  /** The folder's owner and mode; null when the archive has no entry for it; undefined when not known. */
  get(folder: string): FolderMeta | null | undefined {
    const meta = this.seen.get(folder);
    if (meta) return meta;
    return this.full || folder.split('/').length > TopFolders.MAX_DEPTH ? undefined : null;
  }
}

/**
 * The owner of every symlink in the archive, grouped by owner: busybox `tar x` leaves symlinks owned
 * by root (it chowns everything but them), so the fast restore sets them afterwards, one `chown -h`
 * per owner. Bounded: past MAX symlinks `complete` is false and the restore takes the engine's
 * extraction instead, which sets them itself.
 */
export class LinkOwners {
  static readonly MAX = 20_000;
  private readonly byOwner = new Map<string, string[]>();
  private count = 0;
  complete = true;

  add(h: OwnedHeader): void {
    const parts = h.type === 'symlink' && this.complete ? safeComponents(h.name) : undefined;
    if (!parts) return;
    if (++this.count > LinkOwners.MAX) {
      this.complete = false;
      this.byOwner.clear();
      return;
    }
    const owner = `${h.uid}:${h.gid}`;
    const list = this.byOwner.get(owner);
    if (list) list.push(parts.join('/'));
    else this.byOwner.set(owner, [parts.join('/')]);
  }

  /** Owner ("uid:gid") -> the symlinks under `folder` ('' = all), as paths relative to it. */
  under(folder: string): Map<string, string[]> {
    const out = new Map<string, string[]>();
    const lead = folder ? `${folder}/` : '';
    for (const [owner, paths] of this.byOwner) {
      const rel = paths.filter((p) => p.startsWith(lead)).map((p) => p.slice(lead.length));
      if (rel.length) out.set(owner, rel);
    }
    return out;
  }
}

/** A tar entry's type as a noun, for a sentence about it. */
function entryTypeText(type: string): Message {
  switch (type) {
    case 'file':
    case 'contiguous-file':
      return msg('entryType.file');
    case 'symlink':
      return msg('entryType.symlink');
    case 'link':
      return msg('entryType.link');
    case 'fifo':
      return msg('entryType.fifo');
    default:
      return msg('entryType.other', { type });
  }
}
