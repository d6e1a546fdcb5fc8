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
