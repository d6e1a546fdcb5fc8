// A streaming tar reader that looks only at headers (content skipped by arithmetic): the simple view of
// each entry the data operations use, on top of archive/tarReader.ts.
import { TarReader, type TarEntry } from './tarReader';

export { TruncatedArchiveError, CorruptArchiveError, UnsupportedEntryError } from './tarReader';

export interface TarHeader {
  readonly name: string;
  /** file, link, symlink, character-device, block-device, directory, fifo, contiguous-file. */
  readonly type: string;
  readonly linkname: string | null;
  /** The file's size as extracted (a sparse file's full size). */
  readonly size: number;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  /** Everything the reader knows about the entry (binary name, mtime, sparse map ...). */
  readonly entry?: TarEntry;
}

function utf8(binary: string): string {
  return Buffer.from(binary, 'latin1').toString('utf8');
}

/** The simple view of an entry. */
export function headerOf(e: TarEntry): TarHeader {
  return {
    name: utf8(e.path),
    type: e.flag === '7' ? 'contiguous-file' : e.type,
    linkname: e.linkpath === null ? null : utf8(e.linkpath),
    size: e.size,
    mode: e.mode,
    uid: e.uid,
    gid: e.gid,
    entry: e,
  };
}

export class TarWalker {
  private readonly reader: TarReader;

  constructor(onEntry?: (h: TarHeader) => void) {
    this.reader = new TarReader(onEntry ? { onEntry: (e) => onEntry(headerOf(e)) } : {});
  }

  /** Entries (files, folders, links ...), not counting long-name, pax headers and volume labels. */
  get entries(): number {
    return this.reader.entries;
  }

  /** Sum of the stored sizes of regular files' contents. */
  get contentBytes(): number {
    return this.reader.contentBytes;
  }

  /** Bytes seen. */
  get bytes(): number {
    return this.reader.bytes;
  }

  /** True once the end-of-archive marker (a zero block) was read. */
  get ended(): boolean {
    return this.reader.ended;
  }

  /** Bytes of the archive up to and including its end-of-archive block (-1 before it). */
  get endOffset(): number {
    return this.reader.endOffset;
  }

  /** Feeds the next bytes. Throws CorruptArchiveError, UnsupportedEntryError, or whatever onEntry throws. */
  push(chunk: Buffer): void {
    this.reader.push(chunk);
  }

  /** Content bytes the walker would skip next (a reader that can seek need not read them). */
  get skipping(): number {
    return this.reader.skipping;
  }

  /** Counts `n` skipped bytes as read without seeing them (n <= skipping). */
  advance(n: number): void {
    this.reader.advance(n);
  }

  /** The stream is over: throws TruncatedArchiveError unless the archive ended properly. */
  end(): void {
    this.reader.end();
  }
}
