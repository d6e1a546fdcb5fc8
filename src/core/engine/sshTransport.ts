// An engine reached over ssh, the way the docker CLI does it: the system's `ssh` runs
// `docker system dial-stdio` on the remote machine and the HTTP requests go through its stdin and stdout.
// Design notes: docs/engines.md#srccoreenginesshtransportts
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import * as http from 'node:http';
import { Duplex } from 'node:stream';
import { EngineConfigError } from './engineConfig';
import { type CodedError, type Message, msg } from '../message';

/** How long an idle ssh connection is kept for the next request. */
const IDLE_MS = 15_000;

export interface SshTarget {
  readonly user?: string;
  readonly host: string;
  readonly port?: number;
}

/** ssh://[user@]host[:port] as the docker CLI accepts it (no path, no password). */
export function parseSshHost(address: string): SshTarget {
  let u: URL;
  try {
    u = new URL(address);
  } catch {
    throw new EngineConfigError(msg('config.notAddress', { address }));
  }
  if (u.protocol !== 'ssh:' || !u.hostname || u.password || (u.pathname && u.pathname !== '/') || u.search || u.hash || u.hostname.startsWith('-')) {
    throw new EngineConfigError(msg('config.badSsh', { address }));
  }
  return { user: u.username ? decodeURIComponent(u.username) : undefined, host: u.hostname, port: u.port ? Number(u.port) : undefined };
}

/** The ssh command line, as the docker CLI builds it (its connhelper), plus BatchMode: nobody can type a password here. */
export function sshArgv(t: SshTarget): string[] {
  return [
    '-o',
    'ConnectTimeout=30',
    '-o',
    'BatchMode=yes',
    '-T',
    ...(t.user ? ['-l', t.user] : []),
    ...(t.port ? ['-p', String(t.port)] : []),
    '--',
    t.host,
    'docker',
    'system',
    'dial-stdio',
  ];
}

export class SshTransportError extends Error implements CodedError {
  readonly code = 'ECONNREFUSED';
  constructor(readonly text: Message) {
    super(text.toString());
    this.name = 'SshTransportError';
  }
}

/** The stdin/stdout of one `ssh ... docker system dial-stdio` as a socket for Node's HTTP client. */
class SshStdioSocket extends Duplex {
  private stderr = '';
  private received = false;
  private idle: NodeJS.Timeout | undefined;
  private timeoutMs = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly address: string,
  ) {
    super({ allowHalfOpen: false });
    child.stdout.on('data', (d: Buffer) => {
      this.received = true;
      this.touch();
      if (!this.push(d)) child.stdout.pause();
    });
    // ssh closes its stdout before it exits: the end of the stream is decided by how it exited,
    // so a refused login is ssh's own reason, not a bare "connection reset".
    child.stderr.on('data', (d: Buffer) => {
      if (this.stderr.length < 4096) this.stderr += d.toString('utf8');
    });
    child.stdin.on('error', () => undefined); // the exit below says why
    child.on('error', (e) => this.destroy(new SshTransportError(msg('engine.sshFailed', { address: this.address, detail: e.message }))));
    child.on('close', (code) => {
      if (this.destroyed) return;
      if (code === 0) {
        this.push(null);
        return;
      }
      const detail = lastLine(this.stderr) || `ssh exited ${code ?? 'on a signal'}`;
      this.destroy(new SshTransportError(msg(this.received ? 'engine.sshClosed' : 'engine.sshFailed', { address: this.address, detail })));
    });
  }

  override _read(): void {
    this.child.stdout.resume();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    this.touch();
    if (this.child.stdin.write(chunk)) cb();
    else this.child.stdin.once('drain', () => cb());
  }

  override _final(cb: (e?: Error | null) => void): void {
    this.child.stdin.end(() => cb());
  }

  override _destroy(err: Error | null, cb: (e?: Error | null) => void): void {
    clearTimeout(this.idle);
    clearTimeout(this.timer);
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill();
    cb(err);
  }

  // What Node's HTTP client and Agent call on a socket.
  setKeepAlive(): this {
    return this;
  }

  setNoDelay(): this {
    return this;
  }

  setTimeout(ms: number, cb?: () => void): this {
    this.timeoutMs = ms;
    if (cb) this.once('timeout', cb);
    this.touch();
    return this;
  }

  get timeout(): number {
    return this.timeoutMs;
  }

  private touch(): void {
    clearTimeout(this.timer);
    if (this.timeoutMs > 0) {
      this.timer = setTimeout(() => this.emit('timeout'), this.timeoutMs);
      this.timer.unref();
    }
  }

  ref(): this {
    for (const s of [this.child.stdin, this.child.stdout, this.child.stderr]) (s as unknown as { ref?: () => void }).ref?.();
    this.child.ref();
    return this;
  }

  unref(): this {
    for (const s of [this.child.stdin, this.child.stdout, this.child.stderr]) (s as unknown as { unref?: () => void }).unref?.();
    this.child.unref();
    return this;
  }

  /** Kept in the agent's pool: closes itself if no request takes it in time. */
  parkIdle(): void {
    clearTimeout(this.idle);
    this.idle = setTimeout(() => this.destroy(), IDLE_MS);
    this.idle.unref();
  }

  unpark(): void {
    clearTimeout(this.idle);
  }
}

function lastLine(s: string): string {
  return (
    s
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean)
      .pop() ?? ''
  );
}

/** An HTTP agent whose every connection is a new `ssh ... docker system dial-stdio`. */
export class SshAgent extends http.Agent {
  private readonly argv: string[];

  constructor(
    private readonly address: string,
    readonly sshCommand = 'ssh',
  ) {
    super({ keepAlive: true, maxSockets: 8, maxFreeSockets: 2 });
    this.argv = sshArgv(parseSshHost(address));
  }

  // Node's Agent takes the returned socket as the connection.
  override createConnection(): Duplex {
    const child = spawn(this.sshCommand, this.argv, { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    return new SshStdioSocket(child, this.address);
  }

  override keepSocketAlive(socket: Duplex): boolean {
    if (!(socket instanceof SshStdioSocket)) return false;
    socket.unref();
    socket.parkIdle();
    return true;
  }

  override reuseSocket(socket: Duplex, req: http.ClientRequest): void {
    // Node's own removes the error listener it put on the parked socket: without it one more stays
    // per reuse, and the 11th prints a MaxListenersExceededWarning on stderr.
    super.reuseSocket(socket, req);
    if (socket instanceof SshStdioSocket) {
      socket.unpark();
      socket.ref();
    }
  }
}
