// A content hash of a tar stream that two engines agree on when they hold the same data (entries'
// metadata and content bytes, not the tar's own bytes).
// Design notes (what counts and what does not): docs/data-operations.md#srccorearchivecontentdigestts
import { createHash } from 'node:crypto';
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

/** A pass-through stream (backpressure kept) that hashes the archive going through it. */
export class ContentDigest extends Transform {
  private readonly reader: TarReader;
  private readonly hash = createHash('sha256');
  tarBytes = 0;
  private result: DigestResult | undefined;
  private root: string | undefined;

  constructor(onEntry?: (e: TarEntry) => void) {
    super({ highWaterMark: 1 << 20 });
    this.reader = new TarReader({
      onEntry: (e) => {
        const name = e.path.replace(/^(\.?\/)+/, '').replace(/\/+$/, '');
        if (name === '' || name === '.') {
          this.root = JSON.stringify([e.type, e.mode & 0o1777, e.uid, e.gid]);
        } else {
          this.hash.update(
            JSON.stringify([
              e.type,
              name,
              e.type === 'link' ? e.linkpath?.replace(/^(\.?\/)+/, '') : e.linkpath,
              e.mode & 0o1777,
              e.uid,
              e.gid,
              e.size,
              e.mtime.sec,
              e.devmajor,
              e.devminor,
            ]) + '\n',
            'latin1',
          );
        }
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
      const root = this.root;
      this.result = {
        entries: this.reader.entries - (root === undefined ? 0 : 1),
        contentBytes: this.reader.contentBytes,
        sha256: this.hash.digest('hex'),
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
