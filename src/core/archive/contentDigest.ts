// A content hash of a tar stream that two engines agree on when they hold the same data (entries'
// metadata and content bytes, in any order; not the tar's own bytes).
// Design notes (what counts and what does not): docs/data-operations.md#srccorearchivecontentdigestts
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { type EntryType, TarReader, type TarEntry } from './tarReader';

export interface DigestResult {
  /** Entries other than the root. */
  readonly entries: number;
  /** The root entry's type, mode and owner, when the archive has one. */
  readonly root?: string;
  readonly contentBytes: number;
  readonly sha256: string;
}

/** What one entry adds to the digest: from a tar header here, from a listing of the volume elsewhere (targetCheck.ts). */
export interface DigestEntry {
  readonly type: EntryType;
  /** Bare name (no "./"), bytes as latin1 chars. */
  readonly name: string;
  /** A symlink's target (null for others). */
  readonly linkpath: string | null;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly mtimeSec: number;
  /** A regular file's size and content sha256 (`size:hex`); unused for other types. */
  readonly data?: string;
  readonly devmajor: number;
  readonly devminor: number;
}

/** The line hashed for one entry (other than the root): both sides of a comparison build it here. */
export function entryLine(e: DigestEntry): string {
  const meta = [e.mode & 0o1777, e.uid, e.gid, e.mtimeSec];
  if (e.type === 'file') return JSON.stringify(['file', e.name, ...meta, e.data ?? 'unknown']);
  // Device numbers mean something only for devices (tar writers fill the fields of others with 0 or nothing).
  const device = e.type === 'character-device' || e.type === 'block-device';
  return JSON.stringify([e.type, e.name, e.linkpath, ...meta, 0, device ? e.devmajor : 0, device ? e.devminor : 0]);
}

/** The root folder's type, mode and owner as the digest records them. */
export function rootLine(type: EntryType, mode: number, uid: number, gid: number): string {
  return JSON.stringify([type, mode & 0o1777, uid, gid]);
}

const MASK = (1n << 256n) - 1n;

/**
 * The order-independent sum of the entries' lines (mod 2^256) and the hard links' groups of names:
 * the same entries and groups in any order give the same hash.
 */
export class DigestSum {
  private sum = 0n;
  private readonly links: [string, string][] = [];

  add(e: DigestEntry): void {
    this.sum = (this.sum + BigInt(`0x${createHash('sha256').update(entryLine(e), 'latin1').digest('hex')}`)) & MASK;
  }

  /** Two names of one inode (a hard link and what it names). */
  link(name: string, other: string): void {
    this.links.push([name, other]);
  }

  get sha256(): string {
    const hash = createHash('sha256').update(this.sum.toString(16).padStart(64, '0'));
    for (const group of linkGroups(this.links)) hash.update(`\n${JSON.stringify(group)}`, 'latin1');
    return hash.digest('hex');
  }
}

/** A regular file whose content is streaming through. */
interface OpenFile {
  readonly entry: Omit<DigestEntry, 'data'>;
  readonly size: number;
  readonly hash: Hash;
}

/**
 * A pass-through stream (backpressure kept) that hashes the archive going through it, whatever the
 * order of its entries (tar programs walk folders in different orders).
 */
export class ContentDigest extends Transform {
  /** Regular files remembered for the hard links that name them later (name -> size and content hash). */
  static readonly MAX_FILES = 500_000;
  private readonly reader: TarReader;
  private readonly sum = new DigestSum();
  tarBytes = 0;
  /** Regular files and hard links seen so far. */
  files = 0;
  /**
   * False when a listing of the extracted volume could not give the same digest: a sparse file (its
   * stored segments are hashed, not its content) or a hard link whose content is not known here.
   */
  listable = true;
  private result: DigestResult | undefined;
  private root: string | undefined;
  private open: OpenFile | undefined;
  private readonly known = new Map<string, string>();

  constructor(onEntry?: (e: TarEntry) => void) {
    super({ highWaterMark: 1 << 20 });
    this.reader = new TarReader({
      onEntry: (e) => {
        this.closeFile();
        this.add(e);
        onEntry?.(e);
      },
      onData: (c) => this.open?.hash.update(c),
    });
  }

  private add(e: TarEntry): void {
    const name = bare(e.path);
    const entry = {
      type: e.type,
      name,
      linkpath: e.type === 'symlink' ? e.linkpath : null,
      mode: e.mode,
      uid: e.uid,
      gid: e.gid,
      mtimeSec: e.mtime.sec,
      devmajor: e.devmajor,
      devminor: e.devminor,
    };
    if (name === '' || name === '.') {
      this.root = rootLine(e.type, e.mode, e.uid, e.gid);
    } else if (e.type === 'link') {
      // A hard link counts as one more regular file with its target's content, whichever name of the
      // inode the archive met first; the groups of names are hashed apart (DigestSum).
      const target = bare(e.linkpath ?? '');
      const data = this.known.get(target);
      if (data === undefined) this.listable = false;
      this.files++;
      this.sum.add({ ...entry, type: 'file', linkpath: null, data });
      this.sum.link(name, target);
    } else if (e.type === 'file') {
      if (e.sparse) this.listable = false;
      this.files++;
      this.open = { entry, size: e.size, hash: createHash('sha256') };
    } else {
      this.sum.add(entry);
    }
  }

  private closeFile(): void {
    const f = this.open;
    if (!f) return;
    this.open = undefined;
    const data = `${f.size}:${f.hash.digest('hex')}`;
    if (this.known.size < ContentDigest.MAX_FILES) this.known.set(f.entry.name, data);
    this.sum.add({ ...f.entry, data });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    try {
      this.feed(chunk);
    } catch (e) {
      return cb(e as Error);
    }
    cb(null, chunk);
  }

  override _flush(cb: TransformCallback): void {
    try {
      this.finish();
    } catch (e) {
      return cb(e as Error);
    }
    cb();
  }

  /** Hashes the next bytes without the stream (they may be reused once this returns); throws what the parse or onEntry throws. */
  feed(chunk: Buffer): void {
    this.reader.push(chunk);
    this.tarBytes += chunk.length;
  }

  /** The archive is over (without the stream): throws if it did not end properly; then `digest` is set. */
  finish(): void {
    this.reader.end();
    this.closeFile();
    const root = this.root;
    this.result = {
      entries: this.reader.entries - (root === undefined ? 0 : 1),
      contentBytes: this.reader.contentBytes,
      sha256: this.sum.sha256,
      ...(root === undefined ? {} : { root }),
    };
  }

  /** The counts and hash; undefined until the whole archive went through and ended properly. */
  get digest(): DigestResult | undefined {
    return this.result;
  }
}

/** A name without a leading "./" or "/" or a trailing "/". */
export function bare(name: string): string {
  return name.replace(/^(\.?\/)+/, '').replace(/\/+$/, '');
}

/** The hard links' groups of names (each sorted), sorted: the same however each archive chose its first name. */
function linkGroups(links: readonly [string, string][]): string[][] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.has(r) && parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  for (const [a, b] of links) {
    const [ra, rb] = [find(a), find(b)];
    if (ra !== rb) parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  }
  const groups = new Map<string, string[]>();
  for (const x of parent.keys()) {
    const r = find(x);
    const g = groups.get(r);
    if (g) g.push(x);
    else groups.set(r, [x]);
  }
  return [...groups.values()].map((g) => g.sort()).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}
