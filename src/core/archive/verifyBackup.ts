// Verify a backup: read the whole file, hash, decompress and parse every entry, check each is safe to
// restore, compare with the sidecar, and report what a restore would refuse.
// Design notes: docs/data-operations.md#srccorearchiveverifybackupts
import { createHash } from 'node:crypto';
import { createReadStream, readSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { decompressor, sniffFormat, type Decompressor, type ReadableFormat } from './archiveFormat';
import { ExtractionPlan } from './extractionPlan';
import { readSidecar, type BackupSidecar } from './backupSidecar';
import { EntryGuard, LayoutProbe, LinkOwners, TopFolders, UnsafeArchiveError } from './tarSafety';
import { OwnerRecord } from './ownerRecord';
import { TarCheck, type TarStats } from './tarTap';
import { type CodedError, isCoded, type Message, msg, type Progress, textOf } from '../message';

export interface VerifyResult {
  readonly format: ReadableFormat;
  readonly stats: TarStats;
  readonly archiveBytes: number;
  readonly sha256: string;
  /** The folder all entries sit under ('' = root), as found in the archive. */
  readonly prefix: string;
  readonly sidecar?: BackupSidecar;
  /** Problems found; empty when the backup is good. */
  readonly problems: Message[];
  /** The first entry that would be refused by restore, if any. */
  readonly unsafe?: Message;
  /** Owner and mode of the folders near the top (absent when the archive could not be read). */
  readonly folders?: Pick<TopFolders, 'get'>;
  /** The symlinks' owners (absent when the archive could not be read). */
  readonly linkOwners?: Pick<LinkOwners, 'complete' | 'under'>;
  /** What restoring it exactly takes (absent when the archive could not be read). */
  readonly plan?: ExtractionPlan;
  /** Each entry's owner, when asked for (VerifyOptions.owners): a restore compares them afterwards. */
  readonly owners?: OwnerRecord;
}

export class VerifyError extends Error implements CodedError {
  constructor(
    readonly text: Message,
    readonly result?: VerifyResult,
  ) {
    super(text.toString());
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
  /** Keep each entry's owner (VerifyResult.owners). */
  readonly owners?: boolean;
}

/**
 * Everything verification learns from an archive's raw bytes, fed in order: sha256 and size of the
 * file, and (through the decompressor, if any) the tar's headers, checked for safety and layout.
 * Backup's fast path feeds it while `tar` is still writing the file.
 */
export class ArchiveInspector {
  readonly hash = createHash('sha256');
  bytes = 0;
  readonly guard = new EntryGuard();
  readonly probe = new LayoutProbe();
  readonly folders = new TopFolders();
  readonly linkOwners = new LinkOwners();
  readonly plan = new ExtractionPlan();
  unsafe: Message | undefined;
  readonly check: TarCheck;
  private readonly unz: Decompressor | undefined;
  private unzError: Error | undefined;
  private unzDone: Promise<void> | undefined;

  constructor(
    readonly format: ReadableFormat,
    readonly owners?: OwnerRecord,
  ) {
    this.check = new TarCheck((h) => {
      if (h.entry) this.plan.add(h.entry);
      this.owners?.add(h);
      this.probe.add(h);
      this.folders.add(h);
      this.linkOwners.add(h);
      try {
        this.guard.check(h);
      } catch (e) {
        if (!(e instanceof UnsafeArchiveError)) throw e;
        this.unsafe ??= e.text;
      }
    });
    this.unz = decompressor(format);
    if (this.unz) {
      const unz = this.unz;
      unz.on('data', (c: Buffer) => {
        if (this.unzError) return;
        try {
          this.check.push(c);
        } catch (e) {
          this.unzError = e as Error;
        }
      });
      this.unzDone = new Promise<void>((resolve) => {
        unz.on('end', resolve);
        unz.on('error', (e: Error) => {
          this.unzError ??= e;
          resolve();
        });
      });
    }
  }

  /** Feeds raw bytes synchronously: only for an inspector made for plain tar ('tar', no decompressor). */
  pushPlain(chunk: Buffer): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    this.check.push(chunk);
  }

  /** Feeds raw file bytes; resolves when they are taken (backpressure for compressed input). */
  async push(chunk: Buffer): Promise<void> {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    if (!this.unz) {
      this.check.push(chunk);
      return;
    }
    if (this.unzError) throw this.unzError;
    if (!this.unz.write(chunk)) await new Promise<void>((resolve) => this.unz?.once('drain', resolve));
    const failed = this.decompressionError();
    if (failed) throw failed;
  }

  private decompressionError(): Error | undefined {
    return this.unzError;
  }

  /** No more bytes: throws if the archive is truncated or corrupted. Returns the sha256. */
  async end(): Promise<string> {
    if (this.unz) {
      this.unz.end();
      await this.unzDone;
      if (this.unzError) throw this.unzError;
    }
    this.check.end();
    return this.hash.digest('hex');
  }

  destroy(): void {
    this.unz?.destroy();
  }
}

/** Parses the whole archive. Never throws for a bad archive: problems are listed in the result. */
export async function inspectArchive(file: string, opts: VerifyOptions = {}): Promise<VerifyResult> {
  const format = await sniffFormat(file);
  const sidecar = opts.expected ?? (opts.noSidecar ? undefined : await readSidecar(file));
  const { size } = await stat(file);
  const insp = new ArchiveInspector(format, opts.owners ? new OwnerRecord() : undefined);
  const problems: Message[] = [];
  let sha256 = '';
  try {
    for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20, signal: opts.signal })) {
      await insp.push(chunk as Buffer);
      opts.progress?.({ done: insp.bytes, total: size });
    }
    sha256 = await insp.end();
  } catch (e) {
    insp.destroy();
    if (opts.signal?.aborted) throw e;
    problems.push(describeParseError(e as Error, format));
  }
  return finishInspection(insp, sha256, sidecar, problems);
}

/**
 * Checks a plain tar FILE by its headers alone, seeking over file contents: every entry's safety,
 * the layout, counts, truncation, header checksums, and the sidecar's counts, in milliseconds per
 * GiB. What it cannot see is a damaged byte inside a file's contents: callers that write compare the
 * sha256 of what they stream with the sidecar's (see restore). Not for compressed archives.
 */
export async function scanPlainTar(file: string, opts: VerifyOptions = {}): Promise<VerifyResult> {
  const sidecar = opts.expected ?? (opts.noSidecar ? undefined : await readSidecar(file));
  const insp = new ArchiveInspector('tar', opts.owners ? new OwnerRecord() : undefined);
  const walker = insp.check.walker;
  const problems: Message[] = [];
  const fh = await open(file, 'r');
  const size = (await fh.stat()).size;
  // Headers are read through a 64 KiB window: small files' headers are found without a read each.
  const window = Buffer.alloc(64 * 1024);
  let winStart = 0;
  let winEnd = 0;
  const blockAt = (at: number): Buffer => {
    if (at < winStart || at + 512 > winEnd) {
      const got = readSync(fh.fd, window, 0, window.length, at);
      winStart = at;
      winEnd = at + got;
    }
    return window.subarray(at - winStart, Math.min(at - winStart + 512, winEnd - winStart));
  };
  let pos = 0;
  try {
    for (let n = 0; ; n++) {
      if (n % 2000 === 0) {
        opts.signal?.throwIfAborted();
        await new Promise((r) => setImmediate(r)); // headers are read synchronously: yield now and then
      }
      const skip = walker.skipping;
      if (skip > 0) {
        const k = Math.min(skip, size - pos);
        walker.advance(k);
        pos += k;
        if (pos >= size) break;
        continue;
      }
      const block = blockAt(pos);
      if (block.length === 0) break;
      insp.check.push(block);
      pos += block.length;
      if (walker.ended) break; // a zero block ends the archive; GNU tar's padding after it is not read
    }
    insp.check.end();
  } catch (e) {
    if (opts.signal?.aborted) throw e;
    problems.push(describeParseError(e as Error, 'tar'));
  } finally {
    await fh.close();
  }
  insp.bytes = size;
  const prefix = layout(insp, problems);
  if (sidecar && problems.length === 0) {
    const mismatch = sizeMismatch(sidecar, size) ?? countMismatch(sidecar, insp.check.stats);
    if (mismatch) problems.push(mismatch);
  }
  return inspected(insp, '', prefix, sidecar, problems);
}

/** Lists an unsafe entry among the problems and returns the folder all entries sit under. */
function layout(insp: ArchiveInspector, problems: Message[]): string {
  if (insp.unsafe) problems.push(insp.unsafe);
  else if (insp.plan.unsupported && !problems.some((p) => p.code === 'verify.unsupported')) {
    problems.push(msg('verify.unsupported', { detail: insp.plan.unsupported }));
  }
  try {
    return insp.probe.result().join('/');
  } catch {
    return ''; // an unsafe name: already listed
  }
}

function sizeMismatch(sidecar: BackupSidecar, bytes: number): Message | undefined {
  return sidecar.archiveBytes !== undefined && sidecar.archiveBytes !== bytes ? msg('verify.bytes', { bytes, recorded: sidecar.archiveBytes }) : undefined;
}

/** The first difference between the archive's counts and its record, if any. */
function countMismatch(sidecar: BackupSidecar, stats: TarStats): Message | undefined {
  if (sidecar.entryCount !== stats.entries) return msg('verify.entries', { entries: stats.entries, recorded: sidecar.entryCount });
  if (sidecar.contentBytes !== stats.contentBytes) return msg('verify.contentBytes', { bytes: stats.contentBytes, recorded: sidecar.contentBytes });
  return undefined;
}

/** The result of an inspection whose bytes were all fed (or that failed with `problems`). */
export function finishInspection(insp: ArchiveInspector, sha256: string, sidecar: BackupSidecar | undefined, problems: Message[]): VerifyResult {
  const prefix = layout(insp, problems);
  if (!sha256) sha256 = insp.hash.copy().digest('hex');
  if (sidecar) {
    if (sidecar.sha256 !== sha256) problems.push(msg('verify.sha256', { got: sha256.slice(0, 12), recorded: sidecar.sha256.slice(0, 12) }));
    const size = sizeMismatch(sidecar, insp.bytes);
    if (size) problems.push(size);
    const mismatch = problems.length === 0 ? countMismatch(sidecar, insp.check.stats) : undefined;
    if (mismatch) problems.push(mismatch);
  }
  return inspected(insp, sha256, prefix, sidecar, problems);
}

/** The result both ways of reading build from what the inspector collected. */
function inspected(insp: ArchiveInspector, sha256: string, prefix: string, sidecar: BackupSidecar | undefined, problems: Message[]): VerifyResult {
  return {
    format: insp.format,
    stats: insp.check.stats,
    archiveBytes: insp.bytes,
    sha256,
    prefix,
    sidecar,
    problems,
    unsafe: insp.unsafe,
    folders: insp.folders,
    linkOwners: insp.linkOwners,
    plan: insp.plan,
    owners: insp.owners,
  };
}

function describeParseError(e: Error, format: ReadableFormat): Message {
  const m = e.message;
  if ((e.name === 'TruncatedArchiveError' || e.name === 'UnsafeArchiveError') && isCoded(e)) return e.text;
  if (e.name === 'UnsupportedEntryError') return msg('verify.unsupported', { detail: textOf(e) });
  if (e.name === 'CorruptArchiveError') return msg('verify.corrupt', { detail: textOf(e) });
  if (/unexpected end of file/i.test(m)) return msg('verify.compressedTruncated', { format });
  if (/incorrect header check|invalid (block|distance|stored)|zstd|Z_DATA_ERROR/i.test(m) || (e as NodeJS.ErrnoException).code === 'Z_DATA_ERROR') {
    return msg('verify.compressedCorrupt', { format, detail: m });
  }
  if (/Invalid tar header/i.test(m)) return msg('verify.corrupt', { detail: m.replace(/\. Maybe.*$/, '') });
  return msg('verify.unreadable', { detail: m });
}

/** Verifies a backup; throws VerifyError listing what is wrong. */
export async function verifyBackup(file: string, opts: VerifyOptions = {}): Promise<VerifyResult> {
  const r = await inspectArchive(file, opts);
  if (r.problems.length) throw new VerifyError(msg('verify.failed', { file, problems: r.problems }), r);
  return r;
}
