// Archive formats we write and read: plain tar, gzip and zstd (where the runtime's zlib has it);
// read only: .tar.bz2, .tar.xz and .tar.zst on any Node. Compression happens in our process.
// Design notes: docs/data-operations.md#srccorearchivearchiveformatts
import { createReadStream } from 'node:fs';
import { Duplex, PassThrough, Readable, Transform } from 'node:stream';
import * as zlib from 'node:zlib';
import { Decompress as ZstdDecompress } from 'fzstd';
import unbzip2 from 'unbzip2-stream';
import { XzReadableStream } from 'xz-decompress';
import { CoreError, msg } from '../message';

export type ArchiveFormat = 'tar' | 'tar.gz' | 'tar.zst';
/** What restore and verify read: what we write, and bzip2 and xz. */
export type ReadableFormat = ArchiveFormat | 'tar.bz2' | 'tar.xz';

type ZstdZlib = typeof zlib & { createZstdCompress?: () => Transform; createZstdDecompress?: () => Transform };
const z = zlib as ZstdZlib;

/** True when this runtime can write and read .tar.zst. */
export function zstdAvailable(): boolean {
  return typeof z.createZstdCompress === 'function' && typeof z.createZstdDecompress === 'function';
}

/** Formats the user may choose here. */
export function availableFormats(): ArchiveFormat[] {
  return zstdAvailable() ? ['tar', 'tar.gz', 'tar.zst'] : ['tar', 'tar.gz'];
}

export class ArchiveFormatError extends CoreError {}

export function parseFormat(s: string): ArchiveFormat {
  const f = s.replace(/^\./, '').toLowerCase();
  const alias: Record<string, ArchiveFormat> = {
    tar: 'tar',
    'tar.gz': 'tar.gz',
    tgz: 'tar.gz',
    gz: 'tar.gz',
    'tar.zst': 'tar.zst',
    zst: 'tar.zst',
    tzst: 'tar.zst',
  };
  const found = alias[f];
  if (!found) throw new ArchiveFormatError(msg('format.unknown', { format: s, expected: availableFormats().join(', ') }));
  if (found === 'tar.zst' && !zstdAvailable()) throw new ArchiveFormatError(msg('format.noZstdUse', { version: process.version }));
  return found;
}

/** The format a file name implies (by extension), or undefined. */
export function formatFromFileName(file: string): ArchiveFormat | undefined {
  const f = file.toLowerCase();
  if (f.endsWith('.tar.gz') || f.endsWith('.tgz')) return 'tar.gz';
  if (f.endsWith('.tar.zst') || f.endsWith('.tzst')) return 'tar.zst';
  if (f.endsWith('.tar')) return 'tar';
  return undefined;
}

/** A decompressor is a stream: write compressed bytes, read plain tar. */
export type Decompressor = Duplex;

/** The compressor for a format, or undefined for plain tar. */
export function compressor(format: ArchiveFormat): Transform | undefined {
  switch (format) {
    case 'tar':
      return undefined;
    case 'tar.gz':
      return zlib.createGzip({ level: 6 });
    case 'tar.zst':
      if (!z.createZstdCompress) throw new ArchiveFormatError(msg('format.noZstd', { version: process.version }));
      return z.createZstdCompress();
  }
}

/** Detects the compression of a file from its magic bytes (not its name: names lie). */
export async function sniffFormat(file: string): Promise<ReadableFormat> {
  const head = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let n = 0;
    const s = createReadStream(file, { start: 0, end: 5 });
    s.on('data', (c) => {
      const b = Buffer.from(c);
      chunks.push(b);
      n += b.length;
    });
    s.on('error', reject);
    s.on('end', () => resolve(Buffer.concat(chunks, n)));
  });
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'tar.gz';
  if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528) return 'tar.zst';
  if (head.length >= 4 && head.toString('latin1', 0, 3) === 'BZh' && head[3] >= 0x31 && head[3] <= 0x39) return 'tar.bz2';
  if (head.length >= 6 && head.equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) return 'tar.xz';
  return 'tar';
}

function zstdStream(): Transform {
  let fail: Error | undefined;
  const t = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      try {
        d.push(chunk);
      } catch (e) {
        fail = e as Error;
      }
      cb(fail);
    },
    flush(cb) {
      try {
        d.push(new Uint8Array(0), true);
      } catch (e) {
        return cb(e as Error);
      }
      cb();
    },
  });
  // Copied: the decoder reuses its window.
  const d = new ZstdDecompress((data) => {
    t.push(Buffer.from(data));
  });
  return t;
}

function bzip2Stream(): Transform {
  const inner = unbzip2();
  const t = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      try {
        inner.write(chunk);
      } catch (e) {
        return cb(e as Error);
      }
      cb();
    },
    flush(cb) {
      inner.once('end', () => cb());
      inner.end();
    },
  });
  inner.on('data', (c: Buffer) => t.push(c));
  inner.on('error', (e: Error) => t.destroy(e));
  return t;
}

function xzStream(): Duplex {
  const input = new PassThrough();
  const web = Readable.toWeb(input) as unknown as ReadableStream<Uint8Array>;
  const output = Readable.fromWeb(new XzReadableStream(web));
  return Duplex.from({ writable: input, readable: output });
}

/** The decompressor for a format, or undefined for plain tar. */
export function decompressor(format: ReadableFormat): Decompressor | undefined {
  switch (format) {
    case 'tar':
      return undefined;
    case 'tar.gz':
      return zlib.createGunzip();
    case 'tar.zst':
      return z.createZstdDecompress ? z.createZstdDecompress() : zstdStream();
    case 'tar.bz2':
      return bzip2Stream();
    case 'tar.xz':
      return xzStream();
  }
}
