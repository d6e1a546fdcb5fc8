// A volume's contents as a tar stream through `docker exec` of `tar` in a running helper (owners kept
// by number): for engines whose archive endpoints lose owners (Podman). Reads and writes with backpressure.
// Design notes: docs/data-operations.md#srccorehelpersexectarts
import type Dockerode from 'dockerode';
import { type Readable, Transform, type TransformCallback } from 'node:stream';
import { call } from '../engine/engine';
import { touchCommands, TimeFixups } from '../archive/extractionPlan';
import { TarReader, type TarEntry } from '../archive/tarReader';
import { LinkOwners } from '../archive/tarSafety';
import { headerOf } from '../archive/tarWalker';
import { CoreError, msg, textOf } from '../message';
import { execIn } from './helperExec';
import { imageExists, removeHelper, startShellHelper } from './helperContainers';
import { helperImageCandidates } from './helperImages';
import { HelperCommandError } from './workHelpers';

/** An image whose `tar` knows what these streams need, and whether it is GNU tar. */
export interface TarImage {
  readonly image: string;
  /** GNU tar dates folders and symlinks and owns symlinks itself; busybox tar leaves them to us. */
  readonly gnu: boolean;
}

/**
 * What a helper image must have: `tar` that writes and reads `--numeric-owner` (an image's
 * /etc/passwd must not remap ids by name: uid 33 is www-data in busybox, 82 in alpine), and the
 * `chown` and `touch` that set what busybox tar leaves out. Prints "gnu" for GNU tar.
 */
const TAR_PROBE = [
  'for c in tar chown touch mkdir; do command -v "$c" >/dev/null || exit 3; done',
  'd=/tmp/cv-tar-probe; mkdir -p "$d/in/f" || exit 3',
  'tar -c --numeric-owner -f "$d/a.tar" -C "$d" in && tar -x --numeric-owner -f "$d/a.tar" -C "$d/in" || exit 4',
  'case "$(tar --version 2>&1)" in *"GNU tar"*) echo gnu ;; *) echo other ;; esac',
].join('\n');

/** Probe answers per engine connection and image (a probe starts a container: once is enough). */
const probed = new WeakMap<Dockerode, Map<string, TarImage | null>>();

/**
 * The first helper image on the engine whose `tar` passes the probe (the configured one, then local
 * busybox/alpine: helperImageCandidates; nothing is pulled), or undefined.
 */
export async function tarImage(docker: Dockerode, configured?: string, labels?: Readonly<Record<string, string>>): Promise<TarImage | undefined> {
  let known = probed.get(docker);
  if (!known) probed.set(docker, (known = new Map<string, TarImage | null>()));
  for (const image of await helperImageCandidates(docker, configured)) {
    let found = known.get(image);
    if (found === undefined) {
      found = await probe(docker, image, labels);
      if (found !== undefined) known.set(image, found);
    }
    if (found) return found;
  }
  return undefined;
}

/** The probe's answer: null when the image lacks what it needs, undefined when it could not be asked. */
async function probe(docker: Dockerode, image: string, labels?: Readonly<Record<string, string>>): Promise<TarImage | null | undefined> {
  if (!(await imageExists(docker, image))) return undefined;
  let c: Dockerode.Container;
  try {
    c = await startShellHelper(docker, image, { purpose: 'tar-probe', labels });
  } catch {
    return undefined; // it does not start here (no shell, the engine refuses): not this image, this time
  }
  try {
    const r = await execIn(c, ['sh', '-c', TAR_PROBE]);
    return r.code === 0 ? { image, gnu: r.stdout.toString('utf8').trim() === 'gnu' } : null;
  } catch {
    return undefined;
  } finally {
    await removeHelper(c);
  }
}

/**
 * The engine's multiplexed exec stream (8-byte frame headers: 1 stdout, 2 stderr) split as it
 * flows: standard output passes on with backpressure, the tail of standard error is kept.
 */
class ExecDemux extends Transform {
  private static readonly STDERR_KEPT = 8 << 10;
  private readonly header = Buffer.alloc(8);
  private headerFill = 0;
  private left = 0;
  private kind = 0;
  private err: Buffer[] = [];
  private errBytes = 0;

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    let i = 0;
    while (i < chunk.length) {
      if (this.left === 0) {
        const k = Math.min(8 - this.headerFill, chunk.length - i);
        chunk.copy(this.header, this.headerFill, i, i + k);
        this.headerFill += k;
        i += k;
        if (this.headerFill < 8) break;
        this.headerFill = 0;
        this.kind = this.header[0];
        this.left = this.header.readUInt32BE(4);
        continue;
      }
      const k = Math.min(this.left, chunk.length - i);
      const part = chunk.subarray(i, i + k);
      i += k;
      this.left -= k;
      if (this.kind === 1) this.push(part);
      else if (this.kind === 2) this.keepErr(part);
    }
    cb();
  }

  private keepErr(part: Buffer): void {
    this.err.push(Buffer.from(part));
    this.errBytes += part.length;
    while (this.errBytes > ExecDemux.STDERR_KEPT && this.err.length > 1) this.errBytes -= this.err.shift()!.length;
  }

  get stderr(): string {
    return Buffer.concat(this.err).toString('utf8').trim().slice(-400);
  }
}

/**
 * The exec's exit code once its stream has closed (it can lag by a moment), or -1 when it still runs
 * after five seconds: a command that has not finished has not succeeded.
 */
async function exitOf(ex: Dockerode.Exec): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const info = await call(() => ex.inspect());
    if (!info.Running) return info.ExitCode ?? -1;
    await new Promise((r) => setTimeout(r, 50));
  }
  return -1;
}

function tarFailed(command: string, code: number, stderr: string): HelperCommandError {
  return new HelperCommandError(msg('work.commandFailed', { command, code, output: stderr }), code);
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('aborted');
}

/** A tar stream that `tar -c` in a helper writes. */
export interface TarOutput {
  /** Plain tar: read it to its end, or destroy it (which ends the exec's connection). */
  readonly stream: Readable;
  /**
   * Once the stream has ended: resolves when tar exited 0, else rejects with its exit code and
   * standard error. A tar that failed part-way may have written a well-formed but short archive:
   * only this says so.
   */
  finished(): Promise<void>;
}

/** `tar -c -C dir names...` in the running helper `c`, its standard output as a stream. */
export async function tarOut(c: Dockerode.Container, dir: string, names: readonly string[], signal?: AbortSignal): Promise<TarOutput> {
  signal?.throwIfAborted();
  const argv = ['tar', '-c', '--numeric-owner', '-f', '-', '-C', dir, ...names];
  const ex = await call(() => c.exec({ Cmd: argv, AttachStdout: true, AttachStderr: true, AttachStdin: false, Tty: false, User: '0' }));
  const sock = await call(() => ex.start({ hijack: true, stdin: false }));
  const out = new ExecDemux({ highWaterMark: 1 << 20 });
  const onAbort = () => {
    out.destroy(abortReason(signal!));
    sock.destroy();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  sock.on('error', (e) => out.destroy(e));
  out.on('close', () => sock.destroy()); // a reader that gives up frees the connection (tar then stops on EPIPE)
  const closed = new Promise<void>((resolve) =>
    sock.once('close', () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }),
  );
  sock.pipe(out);
  let result: Promise<void> | undefined;
  return {
    stream: out,
    finished: () =>
      (result ??= closed.then(async () => {
        signal?.throwIfAborted();
        const code = await exitOf(ex);
        if (code !== 0) throw tarFailed('tar -c', code, out.stderr);
      })),
  };
}

/**
 * What busybox `tar -x` leaves undone, learnt from the entries as they stream past: the folders'
 * and symlinks' times (folders change as files go in; symlinks are not dated) and the symlinks'
 * owners. GNU tar does all of it itself.
 */
class BusyboxLeftovers {
  readonly times = new TimeFixups();
  readonly links = new LinkOwners();

  add(e: TarEntry): void {
    if (e.type === 'directory' || e.type === 'symlink') this.times.add(e.path, e.mtime.sec, e.type === 'symlink');
    if (e.type === 'symlink') this.links.add(headerOf(e));
  }

  get complete(): boolean {
    return this.times.complete && this.links.complete;
  }

  /** chown -h of the symlinks, then touch of the folders and symlinks, under `dir`. */
  commands(dir: string): string[][] {
    const out: string[][] = [];
    for (const [owner, links] of this.links.under('')) {
      for (let i = 0; i < links.length; i += 1000) out.push(['chown', '-h', owner, '--', ...links.slice(i, i + 1000).map((l) => `${dir}/${l}`)]);
    }
    out.push(...touchCommands(this.times, '', dir));
    return out;
  }
}

/**
 * Extracts the plain tar `body` into `dir` of the running helper `c` by `tar -x --numeric-owner`
 * with the stream on its standard input (the write half ended when `body` ends), then sets what
 * busybox tar leaves undone. Throws tar's exit code and standard error when it fails. The caller
 * checks `body` (entries it may write) and, afterwards, what was written.
 */
export async function tarIn(c: Dockerode.Container, dir: string, body: Readable, opts: { gnu: boolean; signal?: AbortSignal }): Promise<void> {
  const { signal } = opts;
  signal?.throwIfAborted();
  const argv = ['tar', '-x', '--numeric-owner', '-f', '-', '-C', dir];
  const ex = await call(() => c.exec({ Cmd: argv, AttachStdin: true, AttachStdout: true, AttachStderr: true, Tty: false, User: '0' }));
  const sock = await call(() => ex.start({ hijack: true, stdin: true }));
  const out = new ExecDemux();
  sock.pipe(out).resume(); // tar -x writes nothing to stdout; its stderr is kept
  const leftovers = opts.gnu ? undefined : new BusyboxLeftovers();
  const reader = leftovers && new TarReader({ onEntry: (e) => leftovers.add(e) });
  try {
    await new Promise<void>((resolve, reject) => {
      let bodyDone = false;
      let tarGone = false;
      let settled = false;
      const finish = (e?: unknown) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        if (e === undefined) resolve();
        else reject(e instanceof Error ? e : new Error(textOf(e).toString()));
      };
      const onAbort = () => finish(abortReason(signal!));
      signal?.addEventListener('abort', onAbort, { once: true });
      body.on('data', (chunk: Buffer) => {
        try {
          reader?.push(chunk);
        } catch (e) {
          finish(e);
          return;
        }
        if (!tarGone && !sock.write(chunk)) body.pause();
      });
      sock.on('drain', () => body.resume());
      body.on('error', (e) => finish(e));
      body.on('end', () => {
        bodyDone = true;
        if (tarGone) finish();
        else sock.end(); // tar sees the end of its input
      });
      // Writes after tar has exited fail (EPIPE): its exit code says whether that matters.
      sock.on('error', () => undefined);
      sock.on('close', () => {
        tarGone = true;
        if (bodyDone) {
          finish();
          return;
        }
        // tar stopped reading before the stream ended: after the end-of-archive marker (the rest is
        // padding, read to the end so the sender finishes), or because it failed.
        body.resume();
        void exitOf(ex).then(
          (code) => {
            if (code !== 0) finish(tarFailed('tar -x', code, out.stderr));
          },
          (e: unknown) => finish(e),
        );
      });
    });
  } finally {
    sock.destroy();
  }
  const code = await exitOf(ex);
  if (code !== 0) throw tarFailed('tar -x', code, out.stderr);
  if (!leftovers) return;
  if (!leftovers.complete) throw new CoreError(msg('execTar.undatable', { max: TimeFixups.MAX }));
  for (const argv of leftovers.commands(dir)) {
    const r = await execIn(c, argv, { signal });
    if (r.code !== 0) throw tarFailed(argv[0], r.code, r.stderr.trim().slice(-400));
  }
}
