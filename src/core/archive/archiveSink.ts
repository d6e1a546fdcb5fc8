// The archive endpoint's plain tar written straight to a file by one stream stage: every chunk is
// hashed and parsed as it arrives (synchronously, by the inspector) and the chunks waiting for the
// disk go out in one vectored write. Design notes: docs/data-operations.md#srccorearchivearchivesinkts
import type { FileHandle } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { ArchiveInspector } from './verifyBackup';

/** Buffers in one writev (Linux's IOV_MAX). */
const MAX_IOV = 1024;

export class InspectingFileSink extends Writable {
  /** What was written: hash, counts, the parse and its safety checks (settled by its end()). */
  readonly insp = new ArchiveInspector('tar');
  private position = 0;

  /** `lag`: bytes the file may lag behind what was received before the source is paused. */
  constructor(
    private readonly fh: FileHandle,
    lag: number,
  ) {
    super({ highWaterMark: lag });
  }

  /** Bytes written to the file. */
  get written(): number {
    return this.position;
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    this._writev([{ chunk }], cb);
  }

  override _writev(chunks: { chunk: Buffer }[], cb: (e?: Error | null) => void): void {
    const bufs = chunks.map((c) => c.chunk);
    try {
      for (const b of bufs) this.insp.pushPlain(b);
    } catch (e) {
      return cb(e as Error);
    }
    this.writeAll(bufs).then(() => cb(), cb);
  }

  /** The end: a truncated archive fails the stream here (the engine ended its answer early). */
  override _final(cb: (e?: Error | null) => void): void {
    try {
      this.insp.check.end();
    } catch (e) {
      return cb(e as Error);
    }
    cb();
  }

  private async writeAll(bufs: Buffer[]): Promise<void> {
    for (let i = 0; i < bufs.length; i += MAX_IOV) {
      let group = bufs.slice(i, i + MAX_IOV);
      let want = group.reduce((n, b) => n + b.length, 0);
      while (want > 0) {
        const { bytesWritten } = await this.fh.writev(group, this.position);
        this.position += bytesWritten;
        want -= bytesWritten;
        if (want > 0) group = [Buffer.concat(group).subarray(bytesWritten)]; // a short write: the rest
      }
    }
  }
}

/** Bytes per block written to the file. */
const BLOCK = 4 << 20;

/**
 * The same for the raw GET (rawArchive.ts), whose bytes are views of one reused read buffer: each is
 * hashed and parsed where it lies (still in the CPU's cache), then copied into a block; full blocks
 * are written in order while the next fills. `take` returns false once two blocks wait for the disk
 * (pause the reader until `drained`); it always keeps what it was given.
 */
export class InspectingBlockWriter {
  readonly insp = new ArchiveInspector('tar');
  private readonly free: Buffer[] = [];
  private readonly full: { b: Buffer; n: number }[] = [];
  private block: Buffer | undefined;
  private fill = 0;
  private position = 0;
  private writing: Promise<void> | undefined;
  private failure: Error | undefined;
  private waiter: (() => void) | undefined;

  constructor(private readonly fh: FileHandle) {}

  /** Bytes written to the file. */
  get written(): number {
    return this.position;
  }

  /** Takes `b` (valid only during the call): throws what the parse throws, or a failed write. */
  take(b: Buffer): boolean {
    if (this.failure) throw this.failure;
    this.insp.pushPlain(b);
    for (let i = 0; i < b.length;) {
      this.block ??= this.free.pop() ?? Buffer.allocUnsafe(BLOCK);
      const k = b.copy(this.block, this.fill, i);
      this.fill += k;
      i += k;
      if (this.fill === this.block.length) this.queue();
    }
    return this.full.length < 2;
  }

  /** Resolves once fewer than two blocks wait (at once if so already). */
  drained(): Promise<void> {
    if (this.full.length < 2 || this.failure) return Promise.resolve();
    return new Promise((resolve) => (this.waiter = resolve));
  }

  /** The body is over: writes what is left, and fails if the archive did not end (TruncatedArchiveError). */
  async end(): Promise<void> {
    if (this.fill) this.queue();
    while (this.writing) await this.writing;
    if (this.failure) throw this.failure;
    this.insp.check.end();
  }

  /** Waits for the write in progress (after a failure elsewhere, before the file is closed). */
  async settle(): Promise<void> {
    while (this.writing) await this.writing.catch(() => undefined);
  }

  private queue(): void {
    if (!this.block) return;
    this.full.push({ b: this.block, n: this.fill });
    this.block = undefined;
    this.fill = 0;
    this.writing ??= this.writeQueued();
  }

  private async writeQueued(): Promise<void> {
    try {
      while (this.full.length && !this.failure) {
        const { b, n } = this.full[0];
        for (let off = 0; off < n;) {
          const { bytesWritten } = await this.fh.write(b, off, n - off, this.position);
          off += bytesWritten;
          this.position += bytesWritten;
        }
        this.full.shift();
        this.free.push(b);
        if (this.full.length < 2) {
          this.waiter?.();
          this.waiter = undefined;
        }
      }
    } catch (e) {
      this.failure = e as Error;
      this.waiter?.();
      this.waiter = undefined;
    } finally {
      this.writing = undefined;
    }
  }
}
