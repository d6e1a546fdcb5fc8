// A streaming tar reader that looks only at headers: content bytes are skipped by arithmetic, never
// copied, so reading a 1 GiB archive costs little more than the read itself. It checks every header's
// checksum (corruption), follows GNU long names and pax records (path, linkpath, size), hands each
// entry's header to a callback, and knows whether the archive ended properly (truncation).
// It replaces a general tar parser on every path where bytes only pass through (verify, backup,
// restore, clone): that parser allocated a stream per entry and was the largest cost of a verify.

export interface TarHeader {
  readonly name: string;
  /** file, link, symlink, character-device, block-device, directory, fifo, contiguous-file, or unknown-<flag>. */
  readonly type: string;
  readonly linkname: string | null;
  readonly size: number;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
}

export class TruncatedArchiveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TruncatedArchiveError';
  }
}

export class CorruptArchiveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CorruptArchiveError';
  }
}

const TYPES: Record<string, string> = {
  '0': 'file', '\0': 'file', '1': 'link', '2': 'symlink', '3': 'character-device', '4': 'block-device',
  '5': 'directory', '6': 'fifo', '7': 'contiguous-file',
};
/** Headers that describe the next entry (or the whole archive) and are not entries themselves. */
const META = new Set(['L', 'K', 'x', 'g']);
/** Long names and pax records larger than this are refused (no archive needs them; memory stays bounded). */
const MAX_META = 1 << 20;

function cstring(b: Buffer, start: number, end: number): string {
  const z = b.indexOf(0, start);
  return b.toString('utf8', start, z === -1 || z > end ? end : z);
}

function numeric(b: Buffer, start: number, end: number): number {
  if (b[start] & 0x80) {
    // GNU base-256: big-endian, first byte's top bit is the flag (negative values are not sizes).
    if (b[start] === 0xff) return -1;
    let n = b[start] & 0x7f;
    for (let i = start + 1; i < end; i++) n = n * 256 + b[i];
    return n;
  }
  let n = 0;
  let i = start;
  while (i < end && (b[i] === 0x20 || b[i] === 0)) i++;
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

function parsePax(data: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  let i = 0;
  while (i < data.length) {
    const sp = data.indexOf(0x20, i);
    if (sp === -1) break;
    const len = Number(data.toString('ascii', i, sp));
    if (!Number.isInteger(len) || len <= 0 || i + len > data.length) throw new CorruptArchiveError('Invalid tar header: a pax record is malformed.');
    const rec = data.toString('utf8', sp + 1, i + len - 1);
    const eq = rec.indexOf('=');
    if (eq > 0) out.set(rec.slice(0, eq), rec.slice(eq + 1));
    i += len;
  }
  return out;
}

export class TarWalker {
  /** Entries (files, folders, links ...), not counting long-name and pax headers. */
  entries = 0;
  /** Sum of the sizes of regular files' contents. */
  contentBytes = 0;
  /** Bytes seen. */
  bytes = 0;
  /** True once the end-of-archive marker (a zero block) was read. */
  ended = false;

  private header = Buffer.alloc(512);
  private headerFill = 0;
  /** Content bytes (with padding) still to skip. */
  private skip = 0;
  /** Collecting the data of a long-name / pax header. */
  private meta: { flag: string; data: Buffer; fill: number; padding: number } | undefined;
  private longName: string | undefined;
  private longLink: string | undefined;
  private pax: Map<string, string> | undefined;

  constructor(private readonly onEntry?: (h: TarHeader) => void) {}

  /** Feeds the next bytes. Throws CorruptArchiveError, or whatever onEntry throws. */
  push(chunk: Buffer): void {
    this.bytes += chunk.length;
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      if (this.ended) {
        // After the marker: only the second zero block and the record's zero padding are expected.
        return;
      }
      if (this.skip > 0) {
        const k = Math.min(this.skip, n - i);
        this.skip -= k;
        i += k;
        continue;
      }
      if (this.meta) {
        const m = this.meta;
        const want = m.data.length - m.fill;
        const k = Math.min(want, n - i);
        chunk.copy(m.data, m.fill, i, i + k);
        m.fill += k;
        i += k;
        if (m.fill === m.data.length) {
          this.meta = undefined;
          this.skip = m.padding;
          this.applyMeta(m.flag, m.data);
        }
        continue;
      }
      // A header: parse in place when the whole block is in this chunk, else gather it.
      if (this.headerFill === 0 && n - i >= 512) {
        this.onHeader(chunk, i);
        i += 512;
        continue;
      }
      const k = Math.min(512 - this.headerFill, n - i);
      chunk.copy(this.header, this.headerFill, i, i + k);
      this.headerFill += k;
      i += k;
      if (this.headerFill === 512) {
        this.headerFill = 0;
        this.onHeader(this.header, 0);
      }
    }
  }

  /** Content bytes the walker would skip next (a reader that can seek need not read them). */
  get skipping(): number {
    return this.meta ? 0 : this.skip;
  }

  /** Counts `n` skipped bytes as read without seeing them (n <= skipping). */
  advance(n: number): void {
    this.skip -= n;
    this.bytes += n;
  }

  /** The stream is over: throws TruncatedArchiveError unless the archive ended properly. */
  end(): void {
    if (this.ended) return;
    if (this.skip > 0 || this.meta || this.headerFill > 0) throw new TruncatedArchiveError('The archive is truncated (it ends in the middle of an entry).');
    throw new TruncatedArchiveError('The archive is truncated (its end-of-archive marker is missing).');
  }

  private onHeader(b: Buffer, at: number): void {
    if (isZeroBlock(b, at)) {
      // One zero block ends the archive for every tar we know; a lone one is tolerated like GNU tar does.
      this.ended = true;
      return;
    }
    if (!checksumOk(b, at)) {
      throw new CorruptArchiveError(`Invalid tar header: the checksum of entry ${this.entries + 1}'s header does not match`);
    }
    const flag = String.fromCharCode(b[at + 156]);
    let size = numeric(b, at + 124, at + 136);
    if (!Number.isFinite(size) || size < 0) throw new CorruptArchiveError('Invalid tar header: its size field is not a number.');
    const padding = (512 - (size % 512)) % 512;
    if (META.has(flag)) {
      if (size > MAX_META) throw new CorruptArchiveError(`Invalid tar header: a ${flag} header of ${size} bytes.`);
      if (size === 0) return;
      this.meta = { flag, data: Buffer.alloc(size), fill: 0, padding };
      return;
    }
    const magic = b.toString('latin1', at + 257, at + 263);
    const ustar = magic === 'ustar\0';
    let name = cstring(b, at, at + 100);
    if (ustar) {
      const prefix = cstring(b, at + 345, at + 500);
      if (prefix) name = `${prefix}/${name}`;
    }
    let linkname: string | null = cstring(b, at + 157, at + 257) || null;
    if (this.longName !== undefined) name = this.longName;
    if (this.longLink !== undefined) linkname = this.longLink;
    let uid = numeric(b, at + 108, at + 116);
    let gid = numeric(b, at + 116, at + 124);
    const pax = this.pax;
    if (pax) {
      name = pax.get('path') ?? name;
      linkname = pax.get('linkpath') ?? linkname;
      if (pax.has('size')) size = Number(pax.get('size'));
      if (pax.has('uid')) uid = Number(pax.get('uid'));
      if (pax.has('gid')) gid = Number(pax.get('gid'));
      if (!Number.isSafeInteger(size) || size < 0) throw new CorruptArchiveError('Invalid tar header: a pax size is not a number.');
    }
    this.longName = undefined;
    this.longLink = undefined;
    this.pax = undefined;
    let type = TYPES[flag] ?? `unknown-${flag}`;
    if (type === 'file' && name.endsWith('/')) type = 'directory';
    const hasData = type === 'file' || type === 'contiguous-file' || type.startsWith('unknown-');
    const dataSize = hasData ? size : 0;
    this.entries++;
    if (type === 'file' || type === 'contiguous-file') this.contentBytes += size;
    this.onEntry?.({ name, type, linkname, size, mode: numeric(b, at + 100, at + 108), uid, gid });
    this.skip = dataSize + ((512 - (dataSize % 512)) % 512);
  }

  private applyMeta(flag: string, data: Buffer): void {
    if (flag === 'L') this.longName = cstring(data, 0, data.length);
    else if (flag === 'K') this.longLink = cstring(data, 0, data.length);
    else if (flag === 'x') this.pax = parsePax(data);
    // 'g': global pax records (comments, charset): nothing we rely on.
  }
}
