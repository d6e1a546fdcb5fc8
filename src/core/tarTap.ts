// A pass-through stream that parses the tar going through it: every byte goes on unchanged (with
// backpressure), and on the side each entry header is shown to a callback, entries and content
// bytes are counted, and the end of the stream is checked to be a complete archive (the engine can
// answer 200 with a short archive; an archive cut short must never be taken for a good one).
import { Transform, type TransformCallback } from 'node:stream';
import * as tar from 'tar-stream';

export interface TarStats {
  /** Entries (files, folders, links ...), not counting pax/GNU long-name headers. */
  entries: number;
  /** Sum of the sizes of regular files' contents. */
  contentBytes: number;
  /** Bytes of plain tar that went through. */
  tarBytes: number;
}

export class TruncatedArchiveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TruncatedArchiveError';
  }
}

export class TarTap extends Transform {
  readonly stats: TarStats = { entries: 0, contentBytes: 0, tarBytes: 0 };
  private readonly extract = tar.extract();
  private extractError: Error | undefined;
  private finished = false;
  private finishWaiters: (() => void)[] = [];
  /** The last 1024 bytes seen: a complete tar ends with two zero blocks. */
  private tail: Buffer = Buffer.alloc(0);

  constructor(private readonly onEntry?: (h: tar.Header) => void) {
    super();
    this.extract.on('entry', (header: tar.Header, body, next) => {
      try {
        this.onEntry?.(header);
      } catch (e) {
        this.fail(e as Error);
        body.resume();
        return;
      }
      this.stats.entries++;
      if (header.type === 'file' || header.type === 'contiguous-file') this.stats.contentBytes += header.size ?? 0;
      body.on('end', () => next());
      body.resume();
    });
    this.extract.on('error', (e: Error) => this.fail(e));
    this.extract.on('finish', () => {
      this.finished = true;
      for (const w of this.finishWaiters.splice(0)) w();
    });
  }

  private fail(e: Error): void {
    if (this.extractError) return;
    this.extractError = /Unexpected end of data/i.test(e.message)
      ? new TruncatedArchiveError('The archive is truncated (it ends in the middle of an entry).')
      : e;
    this.destroy(this.extractError);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    if (this.extractError) return cb(this.extractError);
    this.stats.tarBytes += chunk.length;
    this.tail = chunk.length >= 1024 ? chunk.subarray(chunk.length - 1024) : Buffer.concat([this.tail, chunk]).subarray(-1024);
    const forward = () => {
      if (this.extractError) return cb(this.extractError);
      cb(null, chunk);
    };
    if (this.extract.write(chunk)) forward();
    else this.extract.once('drain', forward);
  }

  override _flush(cb: TransformCallback): void {
    const done = () => {
      if (this.extractError) return cb(this.extractError);
      if (this.tail.length < 1024 || this.tail.some((b) => b !== 0)) {
        return cb(new TruncatedArchiveError('The archive is truncated (its end-of-archive marker is missing).'));
      }
      cb();
    };
    if (this.finished) return done();
    this.finishWaiters.push(done);
    this.extract.once('error', done);
    this.extract.end(undefined);
  }

  override _destroy(err: Error | null, cb: (error: Error | null) => void): void {
    this.extract.destroy();
    cb(err);
  }
}
