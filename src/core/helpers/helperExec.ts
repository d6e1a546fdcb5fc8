// `docker exec` of an argv vector (never a shell string built from names) in a running helper,
// collecting stdout and stderr by reading the engine's multiplexed stream ourselves (dockerode's
// demuxStream ignores backpressure and never ends its targets).
import type Dockerode from 'dockerode';
import type { Readable } from 'node:stream';
import { call } from '../engine/engine';

export interface ExecResult {
  readonly code: number;
  readonly stdout: Buffer;
  readonly stderr: string;
}

export interface ExecOptions {
  readonly signal?: AbortSignal;
  /** Called with the size of every chunk received (byte accounting). */
  readonly onBytes?: (n: number) => void;
  /** The command's standard input (closed when it ends); none when absent. */
  readonly stdin?: Readable;
}

export async function execIn(container: Dockerode.Container, argv: string[], opts: ExecOptions = {}): Promise<ExecResult> {
  const out: Buffer[] = [];
  const r = await execStream(container, argv, { ...opts, onStdout: (b) => out.push(b) });
  return { code: r.code, stdout: Buffer.concat(out), stderr: r.stderr };
}

/** Like execIn, but standard output goes to `onStdout` as it arrives instead of being collected. */
export async function execStream(
  container: Dockerode.Container,
  argv: string[],
  opts: ExecOptions & { readonly onStdout: (chunk: Buffer) => void; readonly onStderr?: (chunk: Buffer) => void },
): Promise<{ readonly code: number; readonly stderr: string }> {
  const { signal } = opts;
  signal?.throwIfAborted();
  const input = opts.stdin;
  const ex = await call(() => container.exec({ Cmd: argv, AttachStdout: true, AttachStderr: true, AttachStdin: !!input, Tty: false, User: '0' }));
  const stream = await call(() => ex.start({ hijack: true, stdin: !!input }));
  // The input's end half-closes the connection: the command reads the end of its input.
  input?.pipe(stream);
  const err: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    let pending: Buffer = Buffer.alloc(0);
    const onAbort = () => {
      stream.destroy();
      reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    stream.on('data', (chunk: Buffer) => {
      opts.onBytes?.(chunk.length);
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      while (pending.length >= 8) {
        const size = pending.readUInt32BE(4);
        if (pending.length < 8 + size) break;
        const frame = pending.subarray(8, 8 + size);
        if (pending[0] === 2) {
          err.push(frame);
          opts.onStderr?.(frame);
        } else opts.onStdout(frame);
        pending = pending.subarray(8 + size);
      }
    });
    const done = () => {
      signal?.removeEventListener('abort', onAbort);
      // The engine has ended its side (the command exited): close ours too rather than rely on the
      // upgraded socket's half-close handling to release it.
      stream.destroy();
      resolve();
    };
    stream.on('end', done);
    stream.on('close', done);
    stream.on('error', (e) => {
      signal?.removeEventListener('abort', onAbort);
      reject(e instanceof Error ? e : new Error(String(e)));
    });
  });
  // The exit code can lag the end of the stream by a moment.
  for (let i = 0; ; i++) {
    const info = await call(() => ex.inspect());
    if (!info.Running || i >= 50) return { code: info.ExitCode ?? -1, stderr: Buffer.concat(err).toString('utf8') };
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** One shell word, single-quoted, for the few helper scripts that run through sh -c. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
