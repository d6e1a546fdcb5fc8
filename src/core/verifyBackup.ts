// Verify a backup: read the whole file, hash it, decompress it, parse every entry to the end-of-archive
// marker (truncation and corruption show up here), check each entry is safe to restore, and compare
// with the sidecar. Backup runs this on its temporary file before it renames it.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { decompressor, sniffFormat, type ArchiveFormat } from './archiveFormat';
import { readSidecar, type BackupSidecar } from './backupSidecar';
import { EntryGuard, LayoutProbe, UnsafeArchiveError } from './tarSafety';
import { TarTap, type TarStats } from './tarTap';
import type { Progress } from './types';

export interface VerifyResult {
  readonly format: ArchiveFormat;
  readonly stats: TarStats;
  readonly archiveBytes: number;
  readonly sha256: string;
  /** The folder all entries sit under ('' = root), as found in the archive. */
  readonly prefix: string;
  readonly sidecar?: BackupSidecar;
  /** Problems found; empty when the backup is good. */
  readonly problems: string[];
  /** The first entry that would be refused by restore, if any. */
  readonly unsafe?: string;
}

export class VerifyError extends Error {
  constructor(message: string, readonly result?: VerifyResult) {
    super(message);
    this.name = 'VerifyError';
  }
}

export interface VerifyOptions {
  readonly signal?: AbortSignal;
  readonly progress?: Progress;
  /** Compare with this description instead of reading `<file>.json` (backup passes its own). */
  readonly expected?: BackupSidecar;
  /** Do not look for `<file>.json` (a backup being made has none yet). */
  readonly noSidecar?: boolean;
}

/** Byte counter + hasher for the raw file bytes. */
class Hasher extends Transform {
  readonly hash = createHash('sha256');
  bytes = 0;
  constructor(private readonly onBytes?: (n: number) => void) {
    super();
  }
  override _transform(chunk: Buffer, _e: BufferEncoding, cb: (err?: Error | null, data?: Buffer) => void): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    this.onBytes?.(this.bytes);
    cb(null, chunk);
  }
}

function sink(): Writable {
  return new Writable({ write(_c, _e, cb) { cb(); } });
}

/** Parses the whole archive. Never throws for a bad archive: problems are listed in the result. */
export async function inspectArchive(file: string, opts: VerifyOptions = {}): Promise<VerifyResult> {
  const format = await sniffFormat(file);
  const sidecar = opts.expected ?? (opts.noSidecar ? undefined : await readSidecar(file));
  const guard = new EntryGuard();
  const probe = new LayoutProbe();
  let unsafe: string | undefined;
  const tap = new TarTap((h) => {
    probe.add(h);
    try {
      guard.check(h);
    } catch (e) {
      if (!(e instanceof UnsafeArchiveError)) throw e;
      unsafe ??= e.message;
    }
  });
  const { size } = await stat(file);
  const hasher = new Hasher((n) => opts.progress?.({ done: n, total: size }));
  const problems: string[] = [];
  try {
    await pipeline([createReadStream(file), hasher, ...[decompressor(format)].filter((s) => s !== undefined), tap, sink()], { signal: opts.signal });
  } catch (e) {
    if (opts.signal?.aborted) throw e;
    problems.push(describeParseError(e as Error, format));
  }
  if (unsafe) problems.push(unsafe);
  let prefix = '';
  try {
    prefix = probe.result().join('/');
  } catch {
    /* an unsafe name: already listed */
  }
  const sha256 = hasher.hash.digest('hex');
  if (sidecar) {
    if (sidecar.sha256 !== sha256) problems.push(`The archive's sha256 (${sha256.slice(0, 12)}…) differs from the one recorded at backup (${sidecar.sha256.slice(0, 12)}…): the file was changed or damaged.`);
    if (sidecar.archiveBytes !== undefined && sidecar.archiveBytes !== hasher.bytes) problems.push(`The archive has ${hasher.bytes} bytes; ${sidecar.archiveBytes} were recorded.`);
    if (problems.length === 0 && sidecar.entryCount !== tap.stats.entries) problems.push(`The archive has ${tap.stats.entries} entries; ${sidecar.entryCount} were recorded.`);
    if (problems.length === 0 && sidecar.contentBytes !== tap.stats.contentBytes) problems.push(`The archive holds ${tap.stats.contentBytes} bytes of file data; ${sidecar.contentBytes} were recorded.`);
  }
  return { format, stats: { ...tap.stats }, archiveBytes: hasher.bytes, sha256, prefix, sidecar, problems, unsafe };
}

function describeParseError(e: Error, format: ArchiveFormat): string {
  const m = e.message;
  if (e.name === 'TruncatedArchiveError') return m;
  if (/unexpected end of file/i.test(m)) return `The ${format} archive is truncated (the compressed stream ends early).`;
  if (/incorrect header check|invalid (block|distance|stored)|zstd|Z_DATA_ERROR/i.test(m) || (e as NodeJS.ErrnoException).code === 'Z_DATA_ERROR') return `The ${format} archive is corrupted (${m}).`;
  if (/Invalid tar header/i.test(m)) return `The archive is corrupted: ${m.replace(/\. Maybe.*$/, '')}.`;
  return `The archive cannot be read: ${m}`;
}

/** Verifies a backup; throws VerifyError listing what is wrong. */
export async function verifyBackup(file: string, opts: VerifyOptions = {}): Promise<VerifyResult> {
  const r = await inspectArchive(file, opts);
  if (r.problems.length) throw new VerifyError(`${file}: ${r.problems.join(' ')}`, r);
  return r;
}
