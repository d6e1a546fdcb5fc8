// Archive formats we write and read: plain tar, gzip, and zstd where the runtime's zlib has it
// (Node 22.15+/23.8+; Node 20 has none, so it is hidden there). Compression happens in our process:
// the engine only ever sees plain tar (it mishandles compressed PUT bodies and slows GET down to
// 2 KiB chunks when asked to compress).
import { createReadStream } from 'node:fs';
import type { Transform } from 'node:stream';
import * as zlib from 'node:zlib';

export type ArchiveFormat = 'tar' | 'tar.gz' | 'tar.zst';

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

export class ArchiveFormatError extends Error {}

export function parseFormat(s: string): ArchiveFormat {
  const f = s.replace(/^\./, '').toLowerCase();
  const alias: Record<string, ArchiveFormat> = { tar: 'tar', 'tar.gz': 'tar.gz', tgz: 'tar.gz', gz: 'tar.gz', 'tar.zst': 'tar.zst', zst: 'tar.zst', tzst: 'tar.zst' };
  const found = alias[f];
  if (!found) throw new ArchiveFormatError(`Unknown archive format "${s}" (expected ${availableFormats().join(', ')}).`);
  if (found === 'tar.zst' && !zstdAvailable()) throw new ArchiveFormatError(`This Node.js (${process.version}) has no zstd support; use tar or tar.gz.`);
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

/** The compressor for a format, or undefined for plain tar. */
export function compressor(format: ArchiveFormat): Transform | undefined {
  switch (format) {
    case 'tar':
      return undefined;
    case 'tar.gz':
      return zlib.createGzip({ level: 6 });
    case 'tar.zst':
      if (!z.createZstdCompress) throw new ArchiveFormatError(`This Node.js (${process.version}) has no zstd support.`);
      return z.createZstdCompress();
  }
}

/** Detects the compression of a file from its magic bytes (not its name: names lie). */
export async function sniffFormat(file: string): Promise<ArchiveFormat> {
  const head = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let n = 0;
    const s = createReadStream(file, { start: 0, end: 3 });
    s.on('data', (c) => { const b = Buffer.from(c); chunks.push(b); n += b.length; });
    s.on('error', reject);
    s.on('end', () => resolve(Buffer.concat(chunks, n)));
  });
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'tar.gz';
  if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528) return 'tar.zst';
  return 'tar';
}

/** The decompressor for a format, or undefined for plain tar. */
export function decompressor(format: ArchiveFormat): Transform | undefined {
  switch (format) {
    case 'tar':
      return undefined;
    case 'tar.gz':
      return zlib.createGunzip();
    case 'tar.zst':
      if (!z.createZstdDecompress) throw new ArchiveFormatError(`This archive is zstd-compressed and this Node.js (${process.version}) cannot read zstd.`);
      return z.createZstdDecompress();
  }
}
