// A content hash of a tar stream that two engines agree on when they hold the same data: every
// entry's type, name, link, permission bits, owner, size and mtime (whole seconds, as the archive
// endpoint keeps them), then its content bytes, in archive order. Bytes of the tar itself (header
// layout, padding, pax records) do not count, so the engine's version does not matter. setuid and
// setgid bits are left out: the engine's upload drops them and modeRepair puts them back, with a
// warning when it cannot. The root entry's mtime is left out: extracting into it changes it.
import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { TarReader, type TarEntry } from './tarReader';

export interface DigestResult {
  readonly entries: number;
  readonly contentBytes: number;
  readonly sha256: string;
}

/** A pass-through stream (backpressure kept) that hashes the archive going through it. */
export class ContentDigest extends Transform {
  private readonly reader: TarReader;
  private readonly hash = createHash('sha256');
  tarBytes = 0;
  private result: DigestResult | undefined;

  constructor(onEntry?: (e: TarEntry) => void) {
    super({ highWaterMark: 1 << 20 });
    this.reader = new TarReader({
      onEntry: (e) => {
        const root = ['', '.', './', '/'].includes(e.path);
        this.hash.update(JSON.stringify([e.type, e.path.replace(/\/$/, ''), e.linkpath, e.mode & 0o1777, e.uid, e.gid, e.size, root ? 0 : e.mtime.sec, e.devmajor, e.devminor]) + '\n', 'latin1');
        onEntry?.(e);
      },
      onData: (c) => this.hash.update(c),
    });
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
      this.result = { entries: this.reader.entries, contentBytes: this.reader.contentBytes, sha256: this.hash.digest('hex') };
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
