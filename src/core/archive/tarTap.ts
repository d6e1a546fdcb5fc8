// A pass-through stream that parses the tar going through it: bytes go on unchanged, each entry header
// is shown to a callback, and the end is checked to be a complete archive.
// Design notes: docs/data-operations.md#srccorearchivetartapts
import { Transform, type TransformCallback } from 'node:stream';
import { TarWalker, type TarHeader } from './tarWalker';

export { TruncatedArchiveError, CorruptArchiveError, type TarHeader } from './tarWalker';

export interface TarStats {
  /** Entries (files, folders, links ...), not counting pax/GNU long-name headers. */
  entries: number;
  /** Sum of the sizes of regular files' contents. */
  contentBytes: number;
  /** Bytes of plain tar that went through. */
  tarBytes: number;
  /** Bytes of the archive itself: up to and including its end-of-archive block (-1: not reached). */
  endOffset: number;
}

/** Checks the whole of a tar stream as it is fed, without a stream (for bytes read by other means). */
export class TarCheck {
  readonly walker: TarWalker;

  constructor(onEntry?: (h: TarHeader) => void) {
    this.walker = new TarWalker(onEntry);
  }

  get stats(): TarStats {
    return { entries: this.walker.entries, contentBytes: this.walker.contentBytes, tarBytes: this.walker.bytes, endOffset: this.walker.endOffset };
  }

  push(chunk: Buffer): void {
    this.walker.push(chunk);
  }

  end(): void {
    this.walker.end();
  }
}

export class TarTap extends Transform {
  private readonly check: TarCheck;

  constructor(onEntry?: (h: TarHeader) => void) {
    super({ highWaterMark: 1 << 20 });
    this.check = new TarCheck(onEntry);
  }

  get stats(): TarStats {
    return this.check.stats;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    try {
      this.check.push(chunk);
    } catch (e) {
      return cb(e as Error);
    }
    cb(null, chunk);
  }

  override _flush(cb: TransformCallback): void {
    try {
      this.check.end();
    } catch (e) {
      return cb(e as Error);
    }
    cb();
  }
}
