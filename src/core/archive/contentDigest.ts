// A content hash of a tar stream that two engines agree on when they hold the same data (entries'
// metadata and content bytes, in any order; not the tar's own bytes).
// Design notes (what counts and what does not): docs/data-operations.md#srccorearchivecontentdigestts
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { TarReader, type TarEntry } from './tarReader';

export interface DigestResult {
  /** Entries other than the root. */
  readonly entries: number;
  /** The root entry's type, mode and owner, when the archive has one. */
  readonly root?: string;
  readonly contentBytes: number;
  readonly sha256: string;
}

const MASK = (1n << 256n) - 1n;

/** A regular file whose content is streaming through. */
interface OpenFile {
  readonly name: string;
  readonly meta: readonly number[];
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
  private sum = 0n;
  tarBytes = 0;
  private result: DigestResult | undefined;
  private root: string | undefined;
  private open: OpenFile | undefined;
  private readonly files = new Map<string, string>();
  private readonly links: [string, string][] = [];

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
    const meta = [e.mode & 0o1777, e.uid, e.gid, e.mtime.sec];
    if (name === '' || name === '.') {
      this.root = JSON.stringify([e.type, e.mode & 0o1777, e.uid, e.gid]);
    } else if (e.type === 'link') {
      // A hard link counts as one more regular file with its target's content, whichever name of the
      // inode the archive met first; the groups of names are hashed apart (flush).
      const target = bare(e.linkpath ?? '');
      this.count(JSON.stringify(['file', name, ...meta, this.files.get(target) ?? 'unknown']));
      this.links.push([name, target]);
    } else if (e.type === 'file') {
      this.open = { name, meta, size: e.size, hash: createHash('sha256') };
    } else {
      this.count(JSON.stringify([e.type, name, e.linkpath, ...meta, e.size, e.devmajor, e.devminor]));
    }
  }

  private closeFile(): void {
    const f = this.open;
    if (!f) return;
    this.open = undefined;
    const data = `${f.size}:${f.hash.digest('hex')}`;
    if (this.files.size < ContentDigest.MAX_FILES) this.files.set(f.name, data);
    this.count(JSON.stringify(['file', f.name, ...f.meta, data]));
  }

  /** Adds one entry's hash to the sum (mod 2^256): the same entries in any order give the same sum. */
  private count(line: string): void {
    this.sum = (this.sum + BigInt(`0x${createHash('sha256').update(line, 'latin1').digest('hex')}`)) & MASK;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    try {
      this.reader.push(chunk);
      this.tarBytes += chunk.length;
    } catch (e) {
      return cb(e as Error);
    }
    cb(null, chunk);
  }

  override _flush(cb: TransformCallback): void {
    try {
      this.reader.end();
      this.closeFile();
      const root = this.root;
      const hash = createHash('sha256').update(this.sum.toString(16).padStart(64, '0'));
      for (const group of linkGroups(this.links)) hash.update(`\n${JSON.stringify(group)}`, 'latin1');
      this.result = {
        entries: this.reader.entries - (root === undefined ? 0 : 1),
        contentBytes: this.reader.contentBytes,
        sha256: hash.digest('hex'),
        ...(root === undefined ? {} : { root }),
      };
    } catch (e) {
      return cb(e as Error);
    }
    cb();
  }

  /** The counts and hash; undefined until the whole archive went through and ended properly. */
  get digest(): DigestResult | undefined {
    return this.result;
  }
}

/** A name without a leading "./" or "/" or a trailing "/". */
function bare(name: string): string {
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
