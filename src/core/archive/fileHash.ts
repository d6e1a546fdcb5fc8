// sha256 of a file on a worker thread: one that reads it on its own (sha256OfFile: beside a helper's
// tar reading the same file), or one given the bytes this process streams from it anyway (FileShaTap:
// one read of the file, not two, and no hashing on the thread that feeds the engine).
import { open } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { CoreError, msg } from '../message';

/** The whole file hashed on a worker thread that reads it itself (no bytes pass between threads). */
export async function sha256OfFile(file: string, signal?: AbortSignal): Promise<string> {
  const tap = new FileShaTap(file);
  try {
    return await tap.digest(signal);
  } finally {
    tap.dispose();
  }
}

/**
 * Hashes what it is sent, in order: `{ chunk, n, back }` (the first n bytes of an ArrayBuffer, sent
 * back when `back`), then `{ rest, start }`: the file from `start` to its end, and the digest.
 */
const TAP_WORKER = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { closeSync, openSync, readSync } = require('node:fs');
const h = createHash('sha256');
parentPort.on('message', (m) => {
  if (m.chunk) {
    h.update(new Uint8Array(m.chunk, 0, m.n));
    if (m.back) parentPort.postMessage({ back: m.chunk }, [m.chunk]);
    return;
  }
  try {
    // Small reads into one buffer: hashed while still in the CPU's cache (half the CPU of 1 MiB reads).
    const fd = openSync(m.rest, 'r');
    const b = Buffer.allocUnsafe(128 << 10);
    try {
      for (let pos = m.start, n; (n = readSync(fd, b, 0, b.length, pos)) > 0; pos += n) h.update(b.subarray(0, n));
    } finally {
      closeSync(fd);
    }
    parentPort.postMessage({ sha256: h.digest('hex') });
  } catch (e) {
    parentPort.postMessage({ error: e.message });
  }
});
`;

/**
 * sha256 of a file that is being read anyway (a restore streaming it to the engine): the bytes are
 * hashed as they pass, on another thread (this one feeds the engine), and `digest` reads only what
 * the reader left (what follows the tar's end). One read of the file instead of two: on a machine
 * with few cores the second read competes with the engine that extracts. `dispose` when done.
 */
export class FileShaTap {
  private static readonly BUFFERS = 4;
  private static readonly SIZE = 1 << 20;
  private readonly worker: Worker;
  private hashed = 0;
  private made = 0;
  private readonly free: ArrayBuffer[] = [];
  private waiting: (() => void) | undefined;
  private answer: ((m: { sha256?: string; error?: string }) => void) | undefined;
  private failure: Error | undefined;

  constructor(private readonly file: string) {
    this.worker = new Worker(TAP_WORKER, { eval: true });
    this.worker.unref(); // never what keeps the process alive, were dispose forgotten
    this.worker.on('message', (m: { back?: ArrayBuffer; sha256?: string; error?: string }) => {
      if (m.back) {
        this.free.push(m.back);
        this.waiting?.();
      } else {
        this.answer?.(m);
      }
    });
    const fail = (e: Error) => {
      this.failure ??= e;
      this.waiting?.();
      this.answer?.({ error: e.message });
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new CoreError(msg('hash.exited', { code }))));
  }

  /**
   * The file from its first byte, read into a few buffers of this tap's own: each is hashed once the
   * consumer asks for what follows (it must have copied what it keeps by then), then read into again.
   */
  async *read(): AsyncGenerator<Buffer> {
    const fh = await open(this.file, 'r');
    try {
      for (;;) {
        const ab = await this.buffer();
        const n = (await fh.read(new Uint8Array(ab), 0, ab.byteLength, null)).bytesRead;
        if (n === 0) {
          this.free.push(ab);
          return;
        }
        yield Buffer.from(ab, 0, n);
        this.worker.postMessage({ chunk: ab, n, back: true }, [ab]);
        this.hashed += n;
      }
    } finally {
      await fh.close();
    }
  }

  /** `source` (the file read from its first byte, in order), hashed (a copy, on the other thread) as it is consumed. */
  async *tap(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    for await (const b of source) {
      const copy = new ArrayBuffer(b.length);
      new Uint8Array(copy).set(b);
      this.worker.postMessage({ chunk: copy, n: b.length, back: false }, [copy]);
      this.hashed += b.length;
      yield b;
    }
  }

  /** Once the reader is done with the file: the rest of it hashed, and the digest. */
  async digest(signal?: AbortSignal): Promise<string> {
    signal?.throwIfAborted();
    if (this.failure) throw this.failure;
    const onAbort = () => void this.worker.terminate();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const m = await new Promise<{ sha256?: string; error?: string }>((resolve) => {
        this.answer = resolve;
        this.worker.postMessage({ rest: this.file, start: this.hashed });
      });
      signal?.throwIfAborted();
      if (!m.sha256) throw new CoreError(m.error ? msg('hash.failedWhy', { detail: m.error }) : msg('hash.failed'));
      return m.sha256;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  dispose(): void {
    this.worker.removeAllListeners('exit');
    void this.worker.terminate();
  }

  private async buffer(): Promise<ArrayBuffer> {
    for (;;) {
      if (this.failure) throw this.failure;
      const ab = this.free.pop();
      if (ab) return ab;
      if (this.made < FileShaTap.BUFFERS) {
        this.made++;
        return new ArrayBuffer(FileShaTap.SIZE);
      }
      await new Promise<void>((resolve) => (this.waiting = resolve));
      this.waiting = undefined;
    }
  }
}
