// sha256 of a file: on a worker thread that reads it on its own (sha256OfFile: beside a helper's
// tar reading the same file, so off the critical path; no bytes are passed between threads), or from
// the bytes this process streams from it anyway (FileShaTap: one read of the file, not two).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { CoreError, msg } from '../message';

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { closeSync, openSync, readSync } = require('node:fs');
const h = createHash('sha256');
try {
  // Small reads into one buffer: hashed while still in the CPU's cache (half the CPU of 1 MiB reads).
  const fd = openSync(workerData, 'r');
  const b = Buffer.allocUnsafe(128 << 10);
  try {
    for (let n; (n = readSync(fd, b, 0, b.length, null)) > 0;) h.update(b.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  parentPort.postMessage({ sha256: h.digest('hex') });
} catch (e) {
  parentPort.postMessage({ error: e.message });
}
`;

export async function sha256OfFile(file: string, signal?: AbortSignal): Promise<string> {
  signal?.throwIfAborted();
  const worker = new Worker(WORKER, { eval: true, workerData: file });
  const onAbort = () => void worker.terminate();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await new Promise<string>((resolve, reject) => {
      worker.once('message', (m: { sha256?: string; error?: string }) =>
        m.sha256 ? resolve(m.sha256) : reject(new CoreError(m.error ? msg('hash.failedWhy', { detail: m.error }) : msg('hash.failed'))),
      );
      worker.once('error', reject);
      worker.once('exit', (code) => reject(signal?.aborted ? new Error('aborted') : new CoreError(msg('hash.exited', { code }))));
    });
  } finally {
    signal?.removeEventListener('abort', onAbort);
    void worker.terminate();
  }
}

/**
 * sha256 of a file that is being read anyway (a restore streaming it to the engine): the bytes are
 * hashed as they pass, and `digest` reads only what the reader left (what follows the tar's end).
 * One read of the file instead of two: on a machine with few cores the second read competes with the
 * engine that extracts.
 */
export class FileShaTap {
  private readonly hash = createHash('sha256');
  private hashed = 0;

  constructor(private readonly file: string) {}

  /** `source` (the file read from its first byte, in order), hashed as it is consumed. */
  async *tap(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    for await (const b of source) {
      this.hash.update(b);
      this.hashed += b.length;
      yield b;
    }
  }

  /** Once the reader is done with the file: the rest of it hashed, and the digest. */
  async digest(signal?: AbortSignal): Promise<string> {
    for await (const b of createReadStream(this.file, { start: this.hashed, highWaterMark: 128 << 10, signal }) as AsyncIterable<Buffer>) this.hash.update(b);
    return this.hash.digest('hex');
  }
}
