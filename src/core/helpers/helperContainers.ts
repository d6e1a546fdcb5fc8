// Helper containers: the small, labelled containers we create to reach a volume's data (create-only
// from our own empty image, or running from an image with a shell); leftovers of dead owners are swept.
// Design notes: docs/data-operations.md#srccorehelpershelpercontainersts
import type Dockerode from 'dockerode';
import * as os from 'node:os';
import { PassThrough, type Duplex } from 'node:stream';
import { call, HELPER_LABEL, HELPER_OWNER_LABEL, type EngineError } from '../engine/engine';
import { CoreError, type Message, msg } from '../message';

/** The image with no files at all, created locally by `import` of an empty tar (never pulled). */
export const EMPTY_IMAGE = 'container-volumes-empty:1';
export const OWNER = `${os.hostname()}:${process.pid}`;

export interface HelperMount {
  /** Volume name or absolute host path. */
  readonly source: string;
  readonly target: string;
  readonly readOnly?: boolean;
  readonly type?: 'volume' | 'bind';
}

export interface HelperSpec {
  readonly mounts?: readonly HelperMount[];
  readonly volumesFrom?: readonly string[];
  /** Extra labels (e.g. a test label). */
  readonly labels?: Readonly<Record<string, string>>;
  /** What the helper is for; shown in `docker ps` as part of its name. */
  readonly purpose: string;
}

/** Makes sure EMPTY_IMAGE exists (an empty tar imported; ~0 bytes, no pull). */
export async function ensureEmptyImage(docker: Dockerode): Promise<string> {
  try {
    await call(() => docker.getImage(EMPTY_IMAGE).inspect());
    return EMPTY_IMAGE;
  } catch (e) {
    if ((e as { kind?: string }).kind !== 'notFound') throw e;
  }
  const emptyTar = Buffer.alloc(1024); // two zero blocks: an empty tar archive
  const body = new PassThrough();
  body.end(emptyTar);
  // The name with its tag in `repo`, as the docker CLI sends it: Podman ignores a separate `tag`
  // (it names the image :latest), and every later create of EMPTY_IMAGE then fails there.
  const stream = await call(() => docker.importImage(body, { repo: EMPTY_IMAGE, changes: [`LABEL ${HELPER_LABEL}=image`] }));
  await new Promise<void>((resolve, reject) => docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve())));
  return EMPTY_IMAGE;
}

const emptyImageReady = new WeakMap<Dockerode, Promise<string>>();

/**
 * Creates something from EMPTY_IMAGE, made sure of once per engine connection rather than once per
 * container (a lock costs one call less); made sure of again if someone removed it meanwhile.
 */
export async function withEmptyImage<T>(docker: Dockerode, create: (image: string) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    let ready = emptyImageReady.get(docker);
    if (!ready) {
      const made = ensureEmptyImage(docker);
      emptyImageReady.set(docker, made);
      made.catch(() => {
        if (emptyImageReady.get(docker) === made) emptyImageReady.delete(docker);
      });
      ready = made;
    }
    const image = await ready;
    try {
      return await create(image);
    } catch (e) {
      if (attempt > 0 || (e as EngineError).kind !== 'notFound') throw e;
      if (emptyImageReady.get(docker) === ready) emptyImageReady.delete(docker); // the image is gone
    }
  }
}

function helperName(purpose: string): string {
  const rand = Math.random().toString(36).slice(2, 8);
  return `cv-${purpose.replace(/[^a-zA-Z0-9_.-]/g, '-').slice(0, 40)}-${rand}`;
}

function hostConfig(spec: HelperSpec): Dockerode.HostConfig {
  return {
    Mounts: (spec.mounts ?? []).map((m) => ({
      Type: m.type ?? (m.source.startsWith('/') ? 'bind' : 'volume'),
      Source: m.source,
      Target: m.target,
      ReadOnly: !!m.readOnly,
    })),
    VolumesFrom: spec.volumesFrom ? [...spec.volumesFrom] : undefined,
    NetworkMode: 'none',
    AutoRemove: false,
  };
}

function helperLabels(spec: HelperSpec): Record<string, string> {
  return { [HELPER_LABEL]: spec.purpose, [HELPER_OWNER_LABEL]: OWNER, ...(spec.labels ?? {}) };
}

/** A helper that is created and never started: only for the archive endpoints. */
export async function createIdleHelper(docker: Dockerode, spec: HelperSpec): Promise<Dockerode.Container> {
  return withEmptyImage(docker, (image) =>
    call(() =>
      docker.createContainer({
        name: helperName(spec.purpose),
        Image: image,
        Cmd: ['/none'], // never run; the engine wants a command to create the container
        Labels: helperLabels(spec),
        HostConfig: hostConfig(spec),
        NetworkDisabled: true,
      }),
    ),
  );
}

/** Our end of each running helper's lifeline (see startShellHelper); closed when it is removed. */
const lifelines = new WeakMap<Dockerode.Container, Duplex>();

/**
 * A helper that waits in an image with a shell, for exec-based work. It lives exactly as long as its
 * owner: its main process reads the stdin we attach before starting it, the engine closes that stdin
 * when our connection drops (StdinOnce) - however the owner ends, SIGKILL included - and AutoRemove
 * then removes it. (Safe: its mounts name their volumes, which AutoRemove never deletes.)
 */
export async function startShellHelper(docker: Dockerode, image: string, spec: HelperSpec): Promise<Dockerode.Container> {
  const c = await call(() =>
    docker.createContainer({
      name: helperName(spec.purpose),
      Image: image,
      Entrypoint: ['sh', '-c', 'cat >/dev/null; exit 0'],
      Cmd: [],
      OpenStdin: true,
      StdinOnce: true,
      AttachStdin: true,
      Labels: helperLabels(spec),
      HostConfig: { ...hostConfig(spec), AutoRemove: true },
      NetworkDisabled: true,
    }),
  );
  let line: Duplex | undefined;
  try {
    line = (await call(() => c.attach({ stream: true, stdin: true, stdout: false, stderr: false, hijack: true }))) as Duplex;
    line.on('error', () => undefined); // the engine closing it is how the helper ends
    (line as Duplex & { unref?: () => void }).unref?.(); // never keeps a CLI process alive
    lifelines.set(c, line);
    await call(() => c.start());
  } catch (e) {
    await removeHelper(c);
    throw e;
  }
  return c;
}

/** Removes a helper, ignoring "already gone". Never throws: it runs in `finally` blocks. */
export async function removeHelper(c: Dockerode.Container): Promise<void> {
  try {
    await c.remove({ force: true, v: false });
  } catch {
    /* already gone, or the engine is down: the next start's sweep gets it */
  } finally {
    lifelines.get(c)?.destroy();
    lifelines.delete(c);
  }
}

function ownerAlive(owner: string | undefined): boolean {
  if (!owner) return false;
  const i = owner.lastIndexOf(':');
  const host = owner.slice(0, i);
  const pid = Number(owner.slice(i + 1));
  if (host !== os.hostname()) return true; // another machine's process: not ours to judge
  return pidAlive(pid);
}

/** True when a process of this machine with this pid runs (EPERM: it runs as another user). */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes helpers left by processes on this host that are gone (a crash, a killed window), and
 * those of other hosts older than `staleAfterMs` (volume locks excepted: see engineLocks.ts).
 * Helpers of live processes are left alone: two windows may share one engine. Returns the names
 * removed.
 */
export async function sweepHelpers(docker: Dockerode, staleAfterMs = 24 * 3600_000): Promise<string[]> {
  const list = await call(() => docker.listContainers({ all: true, filters: { label: [HELPER_LABEL] } }));
  const now = Date.now();
  const doomed = list.filter((c) => {
    const owner = c.Labels[HELPER_OWNER_LABEL];
    const host = owner?.slice(0, owner.lastIndexOf(':'));
    // Another host's volume lock lives as long as its lease is renewed (engineLocks.ts breaks it
    // when it is not), however old: never swept by age.
    if (host && host !== os.hostname()) return c.Labels[HELPER_LABEL] !== 'lock' && now - c.Created * 1000 > staleAfterMs;
    return !ownerAlive(owner);
  });
  await Promise.all(doomed.map((c) => removeHelper(docker.getContainer(c.Id))));
  return doomed.map((c) => (c.Names[0] ?? c.Id).replace(/^\//, ''));
}

/**
 * Runs one shell script in a helper from an image with a shell and waits for it; removes the helper
 * whatever happens. Throws with the script's output when it exits non-zero.
 */
export async function runShellHelper(docker: Dockerode, image: string, spec: HelperSpec, script: string, signal?: AbortSignal): Promise<string> {
  return runCreatedHelper(await createShellHelper(docker, image, spec, script), spec.purpose, signal);
}

/** The container runShellHelper runs, created and not started (a caller may create it early). */
export async function createShellHelper(docker: Dockerode, image: string, spec: HelperSpec, script: string): Promise<Dockerode.Container> {
  return call(() =>
    docker.createContainer({
      name: helperName(spec.purpose),
      Image: image,
      Entrypoint: ['sh', '-c', script],
      Cmd: [],
      Labels: helperLabels(spec),
      HostConfig: hostConfig(spec),
      NetworkDisabled: true,
      Tty: true,
    }),
  );
}

/** A one-shot helper's command exited non-zero: its exit code says what happened (a fast path's own codes). */
export class HelperFailedError extends CoreError {
  constructor(
    text: Message,
    readonly exitCode: number,
  ) {
    super(text);
    this.name = 'HelperFailedError';
  }
}

/** Starts a helper made by createShellHelper, waits for it, removes it; its output (read only on failure with 'onFailure'), or its failure. */
export async function runCreatedHelper(
  c: Dockerode.Container,
  purpose: string,
  signal?: AbortSignal,
  output: 'always' | 'onFailure' = 'always',
): Promise<string> {
  const onAbort = () => void c.kill().catch(() => undefined);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    signal?.throwIfAborted();
    await call(() => c.start());
    const res = (await call(() => c.wait())) as { StatusCode: number };
    const read = async () => (await call(() => c.logs({ stdout: true, stderr: true }))).toString('utf8');
    const out = res.StatusCode !== 0 || output === 'always' ? await read() : '';
    signal?.throwIfAborted();
    if (res.StatusCode !== 0) {
      throw new HelperFailedError(msg('helper.failed', { purpose, code: res.StatusCode, output: out.trim().slice(-300) }), res.StatusCode);
    }
    return out;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await removeHelper(c);
  }
}

/** True when the image exists on the engine (nothing is ever pulled). */
export async function imageExists(docker: Dockerode, image: string): Promise<boolean> {
  try {
    await call(() => docker.getImage(image).inspect());
    return true;
  } catch {
    return false;
  }
}
