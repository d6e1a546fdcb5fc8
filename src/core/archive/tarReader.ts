// The one tar reader every archive goes through before and while it is written: every format GNU tar,
// bsdtar, Python and busybox write, each entry described as GNU tar would extract it. Push-based, bounded.
// Design notes: docs/data-operations.md#srccorearchivetarreaderts
import { type CodedError, type Message, msg } from '../message';

export type EntryType = 'file' | 'link' | 'symlink' | 'character-device' | 'block-device' | 'directory' | 'fifo';

export interface SparseSegment {
  readonly offset: number;
  readonly length: number;
}

export interface TarEntry {
  /** The name, bytes as latin1 chars. */
  readonly path: string;
  /** The link target of a symlink or hard link, bytes as latin1 chars. */
  readonly linkpath: string | null;
  readonly type: EntryType;
  /** The header's type flag ('0', '5', 'S', 'A', ...). */
  readonly flag: string;
  /** Size of the file as extracted (a sparse file's full size); 0 for non-files. */
  readonly size: number;
  /** Content bytes the archive stores for it (a sparse file's data segments only). */
  readonly storedSize: number;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  /** Seconds since 1970 (negative before) and nanoseconds (0..999999999). */
  readonly mtime: { readonly sec: number; readonly nsec: number };
  readonly devmajor: number;
  readonly devminor: number;
  /** The data segments of a sparse file, in order (undefined: not sparse). */
  readonly sparse?: readonly SparseSegment[];
  /** 'ustar' (POSIX), 'gnu' (GNU and old GNU), 'v7' (no magic). */
  readonly magic: 'ustar' | 'gnu' | 'v7';
  /**
   * Attributes that only an extended (pax) header holds, or that differ from the plain header's
   * fields: a reader of plain headers (busybox tar) gets these wrong.
   */
  readonly extended: readonly ('path' | 'linkpath' | 'mtime' | 'size' | 'uid' | 'gid' | 'sparse')[];
  /** What GNU tar says about it while extracting it faithfully (an unknown type taken as a file). */
  readonly note?: Message;
  /** The archive has a GNU volume label before this entry (GNU tar skips it; busybox stops at it). */
  readonly labelled?: boolean;
}

export class TruncatedArchiveError extends Error implements CodedError {
  constructor(readonly text: Message) {
    super(text.toString());
    this.name = 'TruncatedArchiveError';
  }
}

export class CorruptArchiveError extends Error implements CodedError {
  constructor(readonly text: Message) {
    super(text.toString());
    this.name = 'CorruptArchiveError';
  }
}

/** An entry the reader understands but that cannot be restored as GNU tar would. */
export class UnsupportedEntryError extends Error implements CodedError {
  constructor(
    readonly text: Message,
    readonly entry: string,
  ) {
    super(text.toString());
    this.name = 'UnsupportedEntryError';
  }
}

const TYPES: Record<string, EntryType> = {
  '0': 'file',
  '\0': 'file',
  '7': 'file',
  '1': 'link',
  '2': 'symlink',
  '3': 'character-device',
  '4': 'block-device',
  '5': 'directory',
  '6': 'fifo',
  D: 'directory',
  S: 'file',
};
/** Headers that describe the next entry (or all that follow) and are not entries themselves. 'X': Solaris' pax. */
const META = new Set(['L', 'K', 'x', 'g', 'X']);
/** Long names, pax records and sparse maps larger than this are refused (memory stays bounded). */
const MAX_META = 1 << 20;
/** Sparse segments per file (a map of 1 MiB of pax records holds about 40,000). */
const MAX_SEGMENTS = 1 << 17;

/** `a/./b//c/` -> `a/b/c`: a path's components without empty and `.` ones (binary strings too). */
export function pathComponents(p: string): string {
  return p
    .split('/')
    .filter((x) => x !== '' && x !== '.')
    .join('/');
}

/** A name for messages: UTF-8 where it is, control characters shown as '?', shortened. */
export function displayName(binary: string): string {
  const s = Buffer.from(binary, 'latin1')
    .toString('utf8')
    .replace(/[\x00-\x1f\x7f]/g, '?');
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}

/** True when a binary string's bytes are valid UTF-8. */
export function isUtf8Name(binary: string): boolean {
  if (/^[\x00-\x7f]*$/.test(binary)) return true;
  const b = Buffer.from(binary, 'latin1');
  return Buffer.from(b.toString('utf8'), 'utf8').equals(b);
}

function cstring(b: Buffer, start: number, end: number): string {
  const z = b.indexOf(0, start);
  return b.toString('latin1', start, z === -1 || z > end ? end : z);
}

/** An octal or GNU base-256 number field (base-256 may be negative: times before 1970). NaN if malformed. */
function numeric(b: Buffer, start: number, end: number): number {
  if (b[start] & 0x80) {
    const negative = (b[start] & 0x40) !== 0;
    let n = 0n;
    for (let i = start; i < end; i++) n = (n << 8n) | BigInt(i === start ? b[i] & 0x7f : b[i]);
    if (negative) n -= 1n << BigInt((end - start) * 8 - 1);
    const v = Number(n);
    return Number.isSafeInteger(v) ? v : NaN;
  }
  let n = 0;
  let i = start;
  while (i < end && (b[i] === 0x20 || b[i] === 0)) i++;
  if (i === end) return 0;
  for (; i < end; i++) {
    const c = b[i];
    if (c === 0x20 || c === 0) break;
    if (c < 0x30 || c > 0x37) return NaN;
    n = n * 8 + (c - 0x30);
  }
  return n;
}

function checksumOk(b: Buffer, at: number): boolean {
  const want = numeric(b, at + 148, at + 156);
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < 512; i++) {
    const c = i >= 148 && i < 156 ? 0x20 : b[at + i];
    unsigned += c;
    signed += c > 127 ? c - 256 : c;
  }
  return want === unsigned || want === signed;
}

function isZeroBlock(b: Buffer, at: number): boolean {
  for (let i = at; i < at + 512; i++) if (b[i] !== 0) return false;
  return true;
}

type Records = [string, string][];

/** Pax records in order (a key may repeat: sparse 0.0 lists its map that way); values as binary strings. */
function parsePax(data: Buffer): Records {
  const out: Records = [];
  let i = 0;
  while (i < data.length) {
    if (data[i] === 0) break; // zero padding some writers leave after the last record
    const sp = data.indexOf(0x20, i);
    if (sp === -1) throw new CorruptArchiveError(msg('tar.paxRecord'));
    const len = Number(data.toString('ascii', i, sp));
    if (!Number.isInteger(len) || len <= sp - i || i + len > data.length || data[i + len - 1] !== 0x0a) {
      throw new CorruptArchiveError(msg('tar.paxRecord'));
    }
    const rec = data.toString('latin1', sp + 1, i + len - 1);
    const eq = rec.indexOf('=');
    if (eq <= 0) throw new CorruptArchiveError(msg('tar.paxRecord'));
    out.push([rec.slice(0, eq), rec.slice(eq + 1)]);
    i += len;
  }
  return out;
}

/** A pax time ("1700000000.123456789", "-618062399.75") as seconds (floor) and nanoseconds. */
export function parsePaxTime(v: string): { sec: number; nsec: number } | undefined {
  const m = /^(-?)(\d+)(?:\.(\d*))?$/.exec(v);
  if (!m) return undefined;
  const whole = Number(m[2]);
  const frac = Number((m[3] ?? '').slice(0, 9).padEnd(9, '0'));
  if (!Number.isSafeInteger(whole)) return undefined;
  if (!m[1]) return { sec: whole, nsec: frac };
  return frac === 0 ? { sec: -whole, nsec: 0 } : { sec: -whole - 1, nsec: 1e9 - frac };
}

function decimal(v: string | undefined, what: string): number {
  const n = v !== undefined && /^\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n)) throw new CorruptArchiveError(msg('tar.paxNumber', { field: what }));
  return n;
}

interface Pending {
  /** What is being collected from the data area. */
  kind: 'meta' | 'sparse-ext' | 'sparse-map';
  data: Buffer;
  fill: number;
}

/** What the header said, waiting for its sparse extension blocks or sparse map. */
interface Draft {
  entry: { -readonly [K in keyof Omit<TarEntry, 'sparse'>]: TarEntry[K] } & { sparse?: SparseSegment[] };
  /** Old GNU sparse: more map in extension blocks. */
  moreExt: boolean;
}

export interface TarReaderEvents {
  /** Every entry, before its content bytes. */
  onEntry?(e: TarEntry): void;
  /** The entry's stored content bytes (a sparse file's data segments, back to back). */
  onData?(chunk: Buffer): void;
  /** A GNU volume label (GNU tar skips it). */
  onLabel?(label: string): void;
}

export class TarReader {
  /** Entries handed to onEntry. */
  entries = 0;
  /** Sum of stored content bytes of regular files. */
  contentBytes = 0;
  /** Bytes seen. */
  bytes = 0;
  /** True once the end-of-archive marker (a zero block) was read. */
  ended = false;
  /** Bytes up to and including the first zero block (what the archive is; padding after it is not). */
  endOffset = -1;

  private header = Buffer.alloc(512);
  private headerFill = 0;
  /** Content bytes of the current entry still to come (handed to onData or skipped). */
  private content = 0;
  /** Padding after them. */
  private padding = 0;
  private pending: (Pending & { flag: string; size: number }) | undefined;
  private draft: Draft | undefined;
  private longName: string | undefined;
  private longLink: string | undefined;
  private pax: Records | undefined;
  private readonly global = new Map<string, string>();
  private labelled = false;

  constructor(private readonly events: TarReaderEvents = {}) {}

  /** Feeds the next bytes. Throws CorruptArchiveError, UnsupportedEntryError, or what a callback throws. */
  push(chunk: Buffer): void {
    this.bytes += chunk.length;
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      if (this.ended) return; // after the marker: its second block and the record's padding
      if (this.pending) {
        const p = this.pending;
        const k = Math.min(p.data.length - p.fill, n - i);
        chunk.copy(p.data, p.fill, i, i + k);
        p.fill += k;
        i += k;
        if (p.fill === p.data.length) {
          this.pending = undefined;
          this.onPending(p);
        }
        continue;
      }
      if (this.content > 0) {
        const k = Math.min(this.content, n - i);
        this.content -= k;
        this.events.onData?.(chunk.subarray(i, i + k));
        i += k;
        continue;
      }
      if (this.padding > 0) {
        const k = Math.min(this.padding, n - i);
        this.padding -= k;
        i += k;
        continue;
      }
      if (this.headerFill === 0 && n - i >= 512) {
        this.onHeader(chunk, i, this.bytes - n + i);
        i += 512;
        continue;
      }
      const k = Math.min(512 - this.headerFill, n - i);
      chunk.copy(this.header, this.headerFill, i, i + k);
      this.headerFill += k;
      i += k;
      if (this.headerFill === 512) {
        this.headerFill = 0;
        this.onHeader(this.header, 0, this.bytes - n + i - 512);
      }
    }
  }

  /** Content bytes the reader would skip next when nobody reads them (a seeking reader need not read them). */
  get skipping(): number {
    return this.pending || this.events.onData ? 0 : this.content + this.padding;
  }

  /** Counts `n` skipped bytes as read without seeing them (n <= skipping). */
  advance(n: number): void {
    const k = Math.min(n, this.content);
    this.content -= k;
    this.padding -= n - k;
    this.bytes += n;
  }

  /** The stream is over: throws TruncatedArchiveError unless the archive ended properly. */
  end(): void {
    if (this.ended) return;
    if (this.content > 0 || this.padding > 0 || this.pending || this.headerFill > 0 || this.draft) {
      throw new TruncatedArchiveError(msg('tar.truncatedInEntry'));
    }
    throw new TruncatedArchiveError(msg('tar.truncatedNoEnd'));
  }

  private collect(kind: Pending['kind'], flag: string, size: number): void {
    if (size > MAX_META) throw new CorruptArchiveError(msg('tar.metaTooBig', { flag, size }));
    this.pending = { kind, flag, size, data: Buffer.alloc(kind === 'meta' ? size : 512), fill: 0 };
  }

  private onHeader(b: Buffer, at: number, offset: number): void {
    if (isZeroBlock(b, at)) {
      if (this.longName !== undefined || this.longLink !== undefined || this.pax) {
        throw new TruncatedArchiveError(msg('tar.truncatedAfterExtended'));
      }
      // One zero block ends the archive, as for GNU tar (a lone one at the end is fine).
      this.ended = true;
      this.endOffset = offset + 512;
      return;
    }
    if (!checksumOk(b, at)) {
      throw new CorruptArchiveError(msg('tar.checksum', { n: this.entries + 1 }));
    }
    const flag = String.fromCharCode(b[at + 156]);
    const headerSize = numeric(b, at + 124, at + 136);
    if (!Number.isSafeInteger(headerSize) || headerSize < 0) throw new CorruptArchiveError(msg('tar.sizeField'));
    if (META.has(flag)) {
      if (headerSize === 0) return;
      this.collect('meta', flag, headerSize);
      this.padding = (512 - (headerSize % 512)) % 512;
      return;
    }
    const magicField = b.toString('latin1', at + 257, at + 265);
    const magic = magicField === 'ustar\x0000' || magicField.startsWith('ustar\0') ? 'ustar' : magicField === 'ustar  \0' ? 'gnu' : 'v7';
    let path = cstring(b, at, at + 100);
    if (magic === 'ustar') {
      const prefix = cstring(b, at + 345, at + 500);
      if (prefix) path = `${prefix}/${path}`;
    }
    let linkpath: string | null = cstring(b, at + 157, at + 257) || null;
    if (flag === 'V') {
      // A GNU volume label: GNU tar lists it and extracts nothing.
      this.events.onLabel?.(path);
      this.labelled = true;
      this.resetExtended();
      this.content = headerSize;
      this.padding = (512 - (headerSize % 512)) % 512;
      if (this.events.onData) this.skipUnread();
      return;
    }
    const extended: TarEntry['extended'][number][] = [];
    if (this.longName !== undefined) path = this.longName;
    if (this.longLink !== undefined) linkpath = this.longLink;
    let size = headerSize;
    const fieldMtime = numeric(b, at + 136, at + 148);
    let mtime = { sec: fieldMtime, nsec: 0 };
    let uid = numeric(b, at + 108, at + 116);
    let gid = numeric(b, at + 116, at + 124);
    const mode = numeric(b, at + 100, at + 108);
    if (![fieldMtime, uid, gid, mode].every(Number.isFinite)) throw new CorruptArchiveError(msg('tar.numberField', { n: this.entries + 1 }));
    const rec = new Map(this.global);
    const records: Records = [...this.global, ...(this.pax ?? [])];
    for (const [k, v] of this.pax ?? []) rec.set(k, v);
    const name = rec.get('GNU.sparse.name') ?? rec.get('path');
    if (name !== undefined && name !== path) {
      path = name;
      extended.push('path');
    }
    const lp = rec.get('linkpath');
    if (lp !== undefined && lp !== linkpath) {
      linkpath = lp;
      extended.push('linkpath');
    }
    if (rec.has('size')) {
      const s = decimal(rec.get('size'), 'size');
      if (s !== size) extended.push('size');
      size = s;
    }
    if (rec.has('uid')) {
      const v = decimal(rec.get('uid'), 'uid');
      if (v !== uid) extended.push('uid');
      uid = v;
    }
    if (rec.has('gid')) {
      const v = decimal(rec.get('gid'), 'gid');
      if (v !== gid) extended.push('gid');
      gid = v;
    }
    if (rec.has('mtime')) {
      const t = parsePaxTime(rec.get('mtime') ?? '');
      if (!t) throw new CorruptArchiveError(msg('tar.paxMtime', { name: displayName(path) }));
      if (t.sec !== fieldMtime || t.nsec !== 0) extended.push('mtime');
      mtime = t;
    }
    this.resetExtended();
    if (flag === 'M') throw new UnsupportedEntryError(msg('tar.multiVolume', { name: displayName(path) }), path);
    if (flag === 'N') throw new UnsupportedEntryError(msg('tar.nameList', { name: displayName(path) }), path);
    let type: EntryType | undefined = TYPES[flag];
    let note: Message | undefined;
    if (!type) {
      // GNU tar: "Unknown file type 'A', extracted as normal file" (Solaris ACLs, star's inode entries ...).
      type = 'file';
      note = msg('tar.unknownType', { name: displayName(path), flag });
    }
    if (type === 'file' && path.endsWith('/') && (flag === '0' || flag === '\0' || flag === '7')) type = 'directory';
    const hasData = type === 'file' || flag === 'D';
    const dataSize = hasData ? size : 0;
    const entry: Draft['entry'] = {
      path,
      linkpath: type === 'link' || type === 'symlink' ? (linkpath ?? '') : null,
      type,
      flag,
      size: type === 'file' ? size : 0,
      storedSize: type === 'file' ? size : 0,
      mode,
      uid,
      gid,
      mtime,
      devmajor: numeric(b, at + 329, at + 337) || 0,
      devminor: numeric(b, at + 337, at + 345) || 0,
      magic,
      extended,
      note,
      labelled: this.labelled || undefined,
    };
    if (flag === 'D') entry.storedSize = 0;
    // Sparse files, in every format GNU tar writes.
    if (flag === 'S') {
      const segs: SparseSegment[] = [];
      this.sparseFields(b, at + 386, 4, segs, path);
      entry.sparse = segs;
      entry.size = numeric(b, at + 483, at + 495);
      extended.push('sparse');
      this.content = dataSize;
      this.padding = (512 - (dataSize % 512)) % 512;
      if (b[at + 482]) {
        this.draft = { entry, moreExt: true };
        this.collect('sparse-ext', 'S', 512);
        return;
      }
      this.emit(entry);
      return;
    }
    const major = rec.get('GNU.sparse.major');
    if (major !== undefined || rec.has('GNU.sparse.map') || rec.has('GNU.sparse.offset') || rec.has('GNU.sparse.numblocks')) {
      if (type !== 'file') throw new CorruptArchiveError(msg('tar.sparseNotFile', { name: displayName(path) }));
      extended.push('sparse');
      const real = decimal(rec.get('GNU.sparse.realsize') ?? rec.get('GNU.sparse.size'), 'GNU.sparse.size');
      entry.size = real;
      this.content = dataSize;
      this.padding = (512 - (dataSize % 512)) % 512;
      if (major !== undefined) {
        if (major !== '1' || rec.get('GNU.sparse.minor') !== '0') {
          throw new UnsupportedEntryError(
            msg('tar.sparseFormat', { name: displayName(path), version: `${major}.${rec.get('GNU.sparse.minor') ?? '?'}` }),
            path,
          );
        }
        // 1.0: the map is at the start of the data, in decimal lines, padded to a block.
        entry.sparse = [];
        this.draft = { entry, moreExt: false };
        if (this.content < 512) throw new CorruptArchiveError(msg('tar.sparseMissing', { name: displayName(path) }));
        this.content -= 512;
        entry.storedSize -= 512;
        this.collect('sparse-map', 'x', 512);
        return;
      }
      const segs: SparseSegment[] = [];
      const map = rec.get('GNU.sparse.map');
      if (map !== undefined) {
        const nums = map === '' ? [] : map.split(',').map((x) => decimal(x, 'GNU.sparse.map'));
        if (nums.length % 2) throw new CorruptArchiveError(msg('tar.sparseMalformed', { name: displayName(path) }));
        for (let k = 0; k < nums.length; k += 2) segs.push({ offset: nums[k], length: nums[k + 1] });
      } else {
        let off: number | undefined;
        for (const [k, v] of records) {
          if (k === 'GNU.sparse.offset') off = decimal(v, k);
          else if (k === 'GNU.sparse.numbytes') {
            if (off === undefined) throw new CorruptArchiveError(msg('tar.sparseMalformed', { name: displayName(path) }));
            segs.push({ offset: off, length: decimal(v, k) });
            off = undefined;
          }
        }
      }
      entry.sparse = segs;
      this.emit(entry);
      return;
    }
    this.content = dataSize;
    this.padding = (512 - (dataSize % 512)) % 512;
    this.emit(entry);
  }

  private sparseFields(b: Buffer, at: number, count: number, segs: SparseSegment[], path: string): void {
    for (let k = 0; k < count; k++) {
      const o = at + k * 24;
      if (b[o] === 0 && b[o + 12] === 0) return;
      const offset = numeric(b, o, o + 12);
      const length = numeric(b, o + 12, o + 24);
      if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
        throw new CorruptArchiveError(msg('tar.sparseMalformed', { name: displayName(path) }));
      }
      if (segs.length >= MAX_SEGMENTS) throw new UnsupportedEntryError(msg('tar.sparseSegments', { name: displayName(path), max: MAX_SEGMENTS }), path);
      segs.push({ offset, length });
    }
  }

  private onPending(p: Pending & { flag: string; size: number }): void {
    if (p.kind === 'meta') {
      if (p.flag === 'L') this.longName = cstring(p.data, 0, p.data.length);
      else if (p.flag === 'K') this.longLink = cstring(p.data, 0, p.data.length);
      else if (p.flag === 'g') for (const [k, v] of parsePax(p.data)) this.global.set(k, v);
      else this.pax = [...(this.pax ?? []), ...parsePax(p.data)];
      return;
    }
    const draft = this.draft;
    if (!draft) return;
    const e = draft.entry;
    if (p.kind === 'sparse-ext') {
      this.sparseFields(p.data, 0, 21, e.sparse ?? [], e.path);
      if (p.data[504]) {
        this.collect('sparse-ext', 'S', 512);
        return;
      }
      this.draft = undefined;
      this.emit(e);
      return;
    }
    // sparse-map (1.0): "count\n" then offset and length lines; more blocks until all are read.
    const text = p.data.toString('latin1');
    const lines = text.split('\n');
    const complete = lines.length - 1; // lines ended by '\n'
    const count = complete >= 1 ? Number(lines[0]) : NaN;
    if (complete >= 1 && (!Number.isSafeInteger(count) || count < 0 || count > MAX_SEGMENTS)) {
      throw new CorruptArchiveError(msg('tar.sparseMalformed', { name: displayName(e.path) }));
    }
    if (complete < 1 + 2 * count || Number.isNaN(count)) {
      // Needs another block of the map.
      if (p.data.length >= MAX_META || this.content < 512) throw new CorruptArchiveError(msg('tar.sparseMalformed', { name: displayName(e.path) }));
      this.content -= 512;
      e.storedSize -= 512;
      this.pending = { kind: 'sparse-map', flag: 'x', size: 0, data: Buffer.concat([p.data, Buffer.alloc(512)]), fill: p.data.length };
      return;
    }
    const segs: SparseSegment[] = [];
    for (let k = 0; k < count; k++) {
      segs.push({ offset: decimal(lines[1 + 2 * k], 'sparse map'), length: decimal(lines[2 + 2 * k], 'sparse map') });
    }
    e.sparse = segs;
    this.draft = undefined;
    this.emit(e);
  }

  private emit(e: Draft['entry']): void {
    if (e.sparse) {
      let at = 0;
      let stored = 0;
      for (const s of e.sparse) {
        if (s.offset < at || s.offset + s.length > e.size) throw new CorruptArchiveError(msg('tar.sparseMalformed', { name: displayName(e.path) }));
        at = s.offset + s.length;
        stored += s.length;
      }
      if (stored !== e.storedSize) {
        throw new CorruptArchiveError(msg('tar.sparseMismatch', { name: displayName(e.path), mapped: stored, stored: e.storedSize }));
      }
    }
    this.entries++;
    if (e.type === 'file') this.contentBytes += e.storedSize;
    this.events.onEntry?.(e);
    if (this.events.onData && e.flag === 'D') this.skipUnread();
  }

  /** Content nobody should see (a label's, a dump directory's listing): skipped even when onData reads. */
  private skipUnread(): void {
    if (!this.events.onData || this.content === 0) return;
    // Swallowed by a one-off pending buffer would cost memory: mark it as padding instead.
    this.padding += this.content;
    this.content = 0;
  }

  private resetExtended(): void {
    this.longName = undefined;
    this.longLink = undefined;
    this.pax = undefined;
  }
}
