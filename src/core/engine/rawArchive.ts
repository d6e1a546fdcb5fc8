// The archive GET and PUT on sockets of our own, read into one reused buffer and written in reused
// blocks, without Node's HTTP client (a fresh 64 KiB buffer per read: ~1 s of CPU per 600 MiB). Not ssh.
// Design notes: docs/data-operations.md#srccoreenginerawarchivets
import type Dockerode from 'dockerode';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { EngineError, toEngineError } from './engine';
import { msg } from '../message';

/** Opens a connection to the engine whose reads land in `onread`'s buffer. */
export type RawConnect = (onread: net.OnReadOpts) => net.Socket;

/** Where an engine is, for a socket of our own (what Engine resolved for dockerode). */
export type RawTarget =
  | { readonly kind: 'path'; readonly path: string }
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number; readonly tls?: tls.ConnectionOptions };

const connectors = new WeakMap<object, RawConnect>();

/** The connector for `target`. */
export function rawConnector(target: RawTarget): RawConnect {
  switch (target.kind) {
    case 'path':
      return (onread) => net.connect({ path: target.path, onread });
    case 'tcp': {
      const { host, port } = target;
      if (!target.tls) return (onread) => net.connect({ host, port, onread });
      // As https.request would: the name checked against the certificate, SNI unless it is an address.
      const servername = net.isIP(host) ? undefined : host;
      const opts = target.tls;
      // tls.connect takes `onread` as net.connect does (Node's documentation); its types omit it.
      return (onread) => tls.connect({ ...opts, host, port, ...(servername ? { servername } : {}), onread } as tls.ConnectionOptions);
    }
  }
}

/** Makes `docker`'s archive GETs go through `connect` (Engine does this for every transport but ssh). */
export function setRawConnect(docker: Dockerode, connect: RawConnect): void {
  connectors.set(docker, connect);
}

/** GET /containers/{id}/archive?path=… on its own socket (see rawGet), or undefined: the modem's getArchive then. */
export type RawGetArchive = (containerId: string, path: string, onBody: (b: Buffer) => boolean, signal?: AbortSignal) => RawGet;

/** The raw GET for `docker`; undefined over ssh, or for a dockerode not made by Engine. */
export function rawArchiveGetter(docker: Dockerode): RawGetArchive | undefined {
  const connect = connectors.get(docker);
  return connect && ((id, path, onBody, signal) => rawGet(connect, id, path, onBody, signal));
}

/** A GET in flight. */
export interface RawGet {
  /** Settles when the body has ended (the answer's last chunk) or the GET failed. */
  readonly done: Promise<void>;
  /** Reads again after `onBody` returned false. */
  resume(): void;
  /** Closes the connection (an unfinished GET keeps the helper locked); `done` rejects if not settled. */
  destroy(): void;
}

/** Bytes per read: few reads, and the buffer still fits the CPU's cache for the hash that follows. */
const READ_BUFFER = 1 << 20;
/** An answer's head, or an error's body, longer than this is not the engine's. */
const MAX_HEAD = 64 << 10;

/**
 * GET /containers/{id}/archive?path=`path`, the body handed to `onBody` in order as views of one reused
 * buffer (valid only during the call; return false to pause until `resume`). Errors are EngineErrors
 * as the modem's would be, or what onBody threw; a cancel rejects with an AbortError.
 */
function rawGet(connect: RawConnect, containerId: string, path: string, onBody: (b: Buffer) => boolean, signal?: AbortSignal): RawGet {
  let socket: net.Socket | undefined;
  let settle!: (e?: Error) => void;
  const done = new Promise<void>((resolve, reject) => {
    let settled = false;
    settle = (e?: Error) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      socket?.destroy();
      if (e === undefined) resolve();
      else reject(e);
    };
  });
  const onAbort = () => settle(Object.assign(new Error('aborted'), { name: 'AbortError' }));
  if (signal?.aborted) {
    onAbort();
    return { done, resume: () => undefined, destroy: () => undefined };
  }
  signal?.addEventListener('abort', onAbort, { once: true });
  const answer = new AnswerDecoder(onBody);
  /** Feeds read bytes; false: paused (onBody asked, or the GET is over). */
  const feed = (b: Buffer): boolean => {
    try {
      const more = answer.push(b);
      if (answer.failure) settle(answer.failure);
      else if (answer.ended) settle();
      return more;
    } catch (e) {
      settle(e as Error); // what onBody threw (a corrupt archive): the GET stops here
      return false;
    }
  };
  try {
    socket = connect({
      buffer: Buffer.allocUnsafe(READ_BUFFER),
      callback: (n, buf) => feed((buf as Buffer).subarray(0, n)),
    });
  } catch (e) {
    settle(toEngineError(e));
    return { done, resume: () => undefined, destroy: () => undefined };
  }
  const s = socket;
  // Written once connected (and, with TLS, once the handshake is done).
  s.write(`GET /containers/${encodeURIComponent(containerId)}/archive?path=${encodeURIComponent(path)} HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n`);
  s.on('error', (e) => settle(toEngineError(e)));
  // The end of the connection means what the answer says by then, counting what a pause still holds.
  let eof = false;
  const onEnd = () => {
    eof = true;
    if (!answer.holding) settle(answer.closed());
  };
  s.on('end', onEnd);
  s.on('close', onEnd);
  return {
    done,
    // What the paused read had left goes first; the socket reads again only once that is taken.
    resume: () => {
      const rest = answer.takeRest();
      if (rest && !feed(rest)) return;
      if (eof) settle(answer.closed());
      else s.resume();
    },
    destroy: () => settle(new EngineError(msg('engine.closed'), 'unreachable')),
  };
}

/** PUT /containers/{id}/archive?path=…&noOverwriteDirNonDir=true on its own socket (see rawPut). */
export type RawPutArchive = (containerId: string, path: string, signal?: AbortSignal) => RawPut;

/** The raw PUT for `docker`; undefined where there is no raw GET either. */
export function rawArchivePutter(docker: Dockerode): RawPutArchive | undefined {
  const connect = connectors.get(docker);
  return connect && ((id, path, signal) => rawPut(connect, id, path, signal));
}

/** A PUT in flight: the tar body written in blocks, the engine's answer read once it is sent. */
export interface RawPut {
  /** Sends `b` (copied: it may be reused once this returns); false: wait for `drained` before more. Throws once the PUT failed. */
  write(b: Buffer): boolean;
  /** Resolves once fewer than two blocks are on their way (or the PUT failed: `write` then throws). */
  drained(): Promise<void>;
  /** Ends the body; resolves when the engine answered 200, rejects with its error. */
  end(): Promise<void>;
  /** Closes the connection (the engine stops extracting); `end` rejects if not settled. */
  destroy(): void;
}

/** Bytes per chunk of the body: the engine reads it in large pieces, and few writes cost less. */
const PUT_BLOCK = 4 << 20;

/**
 * PUT with a chunked body assembled in reused 4 MiB blocks (one chunk each, written while the next
 * fills). An answer that comes before the body's end (the engine refused, or failed midway) fails the
 * PUT with the engine's words, not with the broken pipe that follows.
 */
function rawPut(connect: RawConnect, containerId: string, path: string, signal?: AbortSignal): RawPut {
  let failure: Error | undefined;
  let settle!: (e?: Error) => void;
  let socket: net.Socket | undefined;
  const waiters: (() => void)[] = [];
  const wake = () => {
    for (const w of waiters.splice(0)) w();
  };
  const done = new Promise<void>((resolve, reject) => {
    let settled = false;
    settle = (e?: Error) => {
      if (settled) return;
      settled = true;
      failure = e;
      signal?.removeEventListener('abort', onAbort);
      socket?.destroy();
      wake();
      if (e === undefined) resolve();
      else reject(e);
    };
  });
  done.catch(() => undefined); // read by end(); a failure before it shows in write()
  const onAbort = () => settle(Object.assign(new Error('aborted'), { name: 'AbortError' }));
  const answer = new AnswerDecoder(() => true);
  let ended = false;
  const settleFromAnswer = () => {
    if (answer.failure) settle(answer.failure);
    else if (answer.ended) settle(ended ? undefined : new EngineError(msg('engine.closed'), 'unreachable'));
  };
  if (signal?.aborted) onAbort();
  else {
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      socket = connect({
        buffer: Buffer.allocUnsafe(MAX_HEAD),
        callback: (n, buf) => {
          try {
            answer.push((buf as Buffer).subarray(0, n));
          } catch (e) {
            answer.failure ??= e as Error;
          }
          settleFromAnswer();
          return true;
        },
      });
    } catch (e) {
      settle(toEngineError(e));
    }
  }
  const s = socket;
  if (s) {
    s.write(
      `PUT /containers/${encodeURIComponent(containerId)}/archive?path=${encodeURIComponent(path)}&noOverwriteDirNonDir=true HTTP/1.1\r\n` +
        'Host: docker\r\nContent-Type: application/x-tar\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n',
    );
    // A broken pipe after the engine answered is that answer; the answer is read before the error is taken.
    s.on('error', (e) => setImmediate(() => settle(answer.failure ?? (answer.started ? answer.closed() : undefined) ?? toEngineError(e))));
    s.on('end', () => settle(answer.closed() ?? (ended ? undefined : new EngineError(msg('engine.closed'), 'unreachable'))));
    s.on('close', () => settle(answer.closed() ?? (ended ? undefined : new EngineError(msg('engine.closed'), 'unreachable'))));
  }
  const free: Buffer[] = [];
  let block: Buffer | undefined;
  let fill = 0;
  let inFlight = 0;
  const send = () => {
    if (!block || !fill || !s) return;
    const b = block;
    block = undefined;
    const n = fill;
    fill = 0;
    inFlight++;
    s.cork();
    s.write(`${n.toString(16)}\r\n`);
    s.write(n === b.length ? b : b.subarray(0, n), () => {
      inFlight--;
      free.push(b);
      if (inFlight < 2) wake();
    });
    s.write('\r\n');
    s.uncork();
  };
  return {
    write(b) {
      if (failure) throw failure;
      for (let i = 0; i < b.length;) {
        block ??= free.pop() ?? Buffer.allocUnsafe(PUT_BLOCK);
        const k = b.copy(block, fill, i);
        fill += k;
        i += k;
        if (fill === block.length) send();
      }
      return inFlight < 2;
    },
    drained() {
      if (inFlight < 2 || failure || !s || s.destroyed) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
    async end() {
      if (failure) throw failure;
      send();
      ended = true;
      s?.write('0\r\n\r\n');
      return done;
    },
    destroy: () => settle(new EngineError(msg('engine.closed'), 'unreachable')),
  };
}

/** Decodes one HTTP/1.1 answer: its head, then a body chunked, of a Content-Length, or up to the close. */
class AnswerDecoder {
  ended = false;
  failure: Error | undefined;
  private head: Buffer[] = [];
  private headBytes = 0;
  private status = 0;
  /** 'head' until the blank line; then the body's framing. */
  private state: 'head' | 'size' | 'data' | 'data-crlf' | 'trailer' | 'length' | 'close' = 'head';
  private line = '';
  private left = 0;
  private errorBody: Buffer[] = [];

  constructor(private readonly onBody: (b: Buffer) => boolean) {}

  /** What a read had left when onBody asked for a pause (a copy: the read buffer is reused). */
  private rest: Buffer | undefined;

  /** Whether the answer's head has come. */
  get started(): boolean {
    return this.status !== 0;
  }

  /** Whether a pause left bytes to feed. */
  get holding(): boolean {
    return this.rest !== undefined;
  }

  /** The bytes left by a pause, once: fed again on resume. */
  takeRest(): Buffer | undefined {
    const r = this.rest;
    this.rest = undefined;
    return r;
  }

  /** Feeds bytes read; returns false when onBody asked for a pause (the rest of `b` is kept for takeRest). */
  push(b: Buffer): boolean {
    let more = true;
    let i = 0;
    if (this.state === 'head') {
      i = this.readHead(b);
      if (i < 0) return true;
    }
    const body = (s: number, e: number) => {
      if (e <= s) return;
      if (this.status !== 200) {
        this.collectError(b.subarray(s, e));
        return;
      }
      if (!this.onBody(b.subarray(s, e))) more = false;
    };
    while (i < b.length && !this.ended && !this.failure) {
      if (!more) {
        this.rest = Buffer.from(b.subarray(i));
        return false;
      }
      switch (this.state) {
        case 'size':
        case 'trailer': {
          const j = b.indexOf(10, i);
          const end = j < 0 ? b.length : j;
          this.line += b.toString('latin1', i, end);
          if (this.line.length > 1024) return this.fail(msg('engine.badAnswer', { detail: 'chunk size line' }));
          i = j < 0 ? b.length : j + 1;
          if (j < 0) break;
          const line = this.line.replace(/\r$/, '');
          this.line = '';
          if (this.state === 'trailer') {
            if (line === '') this.finish();
            break;
          }
          const size = /^[0-9a-fA-F]+/.exec(line);
          if (!size) return this.fail(msg('engine.badAnswer', { detail: `chunk size "${line.slice(0, 40)}"` }));
          this.left = parseInt(size[0], 16);
          this.state = this.left === 0 ? 'trailer' : 'data';
          break;
        }
        case 'data': {
          const k = Math.min(this.left, b.length - i);
          body(i, i + k);
          i += k;
          this.left -= k;
          if (this.left === 0) this.state = 'data-crlf';
          break;
        }
        case 'data-crlf': {
          const j = b.indexOf(10, i);
          if (j < 0) {
            i = b.length;
            break;
          }
          i = j + 1;
          this.state = 'size';
          break;
        }
        case 'length': {
          const k = Math.min(this.left, b.length - i);
          body(i, i + k);
          i += k;
          this.left -= k;
          if (this.left === 0) this.finish();
          break;
        }
        case 'close':
          body(i, b.length);
          i = b.length;
          break;
        case 'head':
          break;
      }
    }
    return more && !this.failure;
  }

  /** The connection closed: what that means at this point of the answer. */
  closed(): Error | undefined {
    if (this.ended) return this.failure;
    if (this.state === 'close') {
      this.finish();
      return this.failure;
    }
    if (this.status && this.status !== 200) {
      this.finishError();
      return this.failure;
    }
    return new EngineError(msg('engine.closed'), 'unreachable');
  }

  private readHead(b: Buffer): number {
    this.head.push(Buffer.from(b)); // b is reused by the next read: keep a copy
    this.headBytes += b.length;
    const all = Buffer.concat(this.head);
    const at = all.indexOf('\r\n\r\n', 0, 'latin1');
    if (at < 0) {
      if (this.headBytes > MAX_HEAD) this.fail(msg('engine.badAnswer', { detail: 'head too long' }));
      return -1;
    }
    this.head = [];
    const lines = all.toString('latin1', 0, at).split('\r\n');
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
    if (!status) {
      this.fail(msg('engine.badAnswer', { detail: (lines[0] ?? '').slice(0, 60) }));
      return -1;
    }
    this.status = Number(status[1]);
    const header = (name: string) =>
      lines
        .slice(1)
        .find((l) => l.toLowerCase().startsWith(`${name}:`))
        ?.slice(name.length + 1)
        .trim();
    const length = header('content-length');
    if (/chunked/i.test(header('transfer-encoding') ?? '')) this.state = 'size';
    else if (length !== undefined && /^\d+$/.test(length)) {
      this.left = Number(length);
      this.state = 'length';
      if (this.left === 0) this.finish();
    } else this.state = 'close';
    // The rest of this read, relative to b: the head ended inside it.
    return b.length - (all.length - at - 4);
  }

  private collectError(b: Buffer): void {
    const have = this.errorBody.reduce((n, x) => n + x.length, 0);
    if (have < MAX_HEAD) this.errorBody.push(Buffer.from(b.subarray(0, MAX_HEAD - have)));
  }

  private finish(): void {
    if (this.status !== 200) return this.finishError();
    this.ended = true;
  }

  /** An answer other than 200: the engine's message, as the modem would have reported it. */
  private finishError(): void {
    this.ended = true;
    const text = Buffer.concat(this.errorBody).toString('utf8');
    let json: { message?: string } | undefined;
    try {
      json = JSON.parse(text) as { message?: string };
    } catch {
      json = undefined;
    }
    this.failure = toEngineError({ statusCode: this.status, json, message: json?.message ?? (text.trim() || `HTTP ${this.status}`) });
  }

  private fail(m: ReturnType<typeof msg>): boolean {
    this.failure = new EngineError(m, 'other');
    return false;
  }
}
