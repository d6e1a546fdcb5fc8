// A pass-through stream that parses the tar going through it: every byte goes on unchanged (with
// backpressure), and on the side each entry header is shown to a callback, entries and content
// bytes are counted, and the end of the stream is checked to be a complete archive (the engine can
// answer 200 with a short archive; an archive cut short must never be taken for a good one). The
// end is the first zero block, as for GNU tar: a lone one at the end is complete, and the zero
// padding GNU tar adds up to its 10 KiB record is not part of the archive.
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
