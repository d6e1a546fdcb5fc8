// Jobs in a running helper: a `docker exec` of an argv vector whose output is handed over as it arrives,
// and which a cancel really stops (its processes are killed inside the helper).
// Design notes: docs/data-operations.md#srccorehelpershelperjobsts
import { randomBytes } from 'node:crypto';
import type Dockerode from 'dockerode';
import { execIn, execStream } from './helperExec';

/** Runs "$@" after recording the shell's pid under /tmp/cv-job-<token> (the shell becomes the command). */
const WRAPPER = 'echo $$ > "/tmp/cv-job-$0"; exec "$@"';

const KILL_SCRIPT = [
  'p=$(cat "/tmp/cv-job-$0" 2>/dev/null) || exit 1',
  'k() { for c in $(cat /proc/$1/task/*/children 2>/dev/null); do k "$c" "$2"; done; kill -"$2" "$1" 2>/dev/null; }',
  'k "$p" TERM',
  'i=0; while [ -d "/proc/$p" ] && [ "$(cut -d" " -f3 "/proc/$p/stat" 2>/dev/null)" != Z ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done',
  '[ $i -lt 50 ] || k "$p" KILL',
  'rm -f "/tmp/cv-job-$0"',
].join('\n');

export interface JobResult {
  readonly code: number;
  readonly stderr: string;
}

export interface JobOptions {
  readonly signal?: AbortSignal;
  /** Every chunk of standard output, in order, as it arrives. */
  readonly onStdout: (chunk: Buffer) => void;
  readonly onBytes?: (n: number) => void;
}

/** A fresh token naming one job inside a helper. */
export function jobToken(): string {
  return randomBytes(6).toString('hex');
}

/** `argv` wrapped so that killJob(container, token) can stop it. */
export function jobArgv(token: string, argv: readonly string[]): string[] {
  return ['sh', '-c', WRAPPER, token, ...argv];
}

/**
 * Kills the job's whole process tree, children first, and waits until it is gone (SIGKILL after five
 * seconds). Retries briefly when the job has not written its pid yet.
 */
export async function killJob(c: Dockerode.Container, token: string): Promise<void> {
  for (let i = 0; i < 20; i++) {
    const r = await execIn(c, ['sh', '-c', KILL_SCRIPT, token]).catch(() => undefined);
    if (r?.code === 0) return;
    await new Promise((res) => setTimeout(res, 50));
  }
}

/**
 * Runs `argv` in the helper, streaming its standard output to `onStdout`. On abort the job's
 * processes are killed in the helper, and the promise rejects only once they are gone.
 */
export async function runJob(c: Dockerode.Container, argv: readonly string[], opts: JobOptions): Promise<JobResult> {
  const { signal } = opts;
  signal?.throwIfAborted();
  const token = jobToken();
  let killed: Promise<void> | undefined;
  const onAbort = () => {
    killed = killJob(c, token);
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await execStream(c, jobArgv(token, argv), { signal, onStdout: opts.onStdout, onBytes: opts.onBytes });
  } catch (e) {
    await killed;
    throw e;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
