// Test fixtures on the real engine. Every resource a test creates carries TEST_LABEL with the
// suite's name as value; cleanup removes exactly those, before and after, and nothing else.
import Dockerode from 'dockerode';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { Engine, TEST_LABEL } from '../../src/core/engine/engine';
import { resolveEngine } from '../../src/core/engine/engineConfig';
import { operationContext, type OperationContext } from '../../src/core/operations/operationContext';

/** Offline images built by scripts/engine.sh. */
export const BUSYBOX = 'container-volumes/busybox:test';
export const EMPTY_IMAGE = 'container-volumes/empty:test';

export function testEngine(): Engine {
  return new Engine(resolveEngine());
}

/** The unix socket of the engine the tests use (DOCKER_HOST, else the default), for proxies in front of it. */
export function engineSocketPath(): string {
  const host = resolveEngine().host;
  if (!host.startsWith('unix://')) throw new Error(`these tests need a unix-socket engine, not ${host}`);
  return host.slice('unix://'.length);
}

export function labels(suite: string): Record<string, string> {
  return { [TEST_LABEL]: suite };
}

/**
 * Removes every container and volume labelled for this suite (containers first, forcibly), and the
 * anonymous volumes those containers used: they carry no label of their own, and a volume reached
 * through --volumes-from is not removed with the container.
 */
export async function cleanup(docker: Dockerode, suite: string): Promise<void> {
  const filter = { label: [`${TEST_LABEL}=${suite}`] };
  const containers = await docker.listContainers({ all: true, filters: filter });
  const anonymous = new Set(containers.flatMap((c) => (c.Mounts ?? []).map((m) => m.Name ?? '').filter((n) => /^[0-9a-f]{64}$/.test(n))));
  await Promise.all(
    containers.map((c) =>
      docker
        .getContainer(c.Id)
        .remove({ force: true, v: true })
        .catch(() => undefined),
    ),
  );
  const { Volumes } = await docker.listVolumes({ filters: filter });
  const names = [...(Volumes ?? []).map((v) => v.Name), ...anonymous];
  // Still in use by something that is not ours: the engine refuses, and that is right.
  await Promise.all(
    names.map((n) =>
      docker
        .getVolume(n)
        .remove()
        .catch(() => undefined),
    ),
  );
}

export interface RunOpts {
  name?: string;
  image?: string;
  cmd?: string[];
  binds?: string[];
  volumesFrom?: string[];
  volumes?: string[];
  start?: boolean;
}

/** `docker run -d` (or `create` with start: false) of a labelled container; returns its id. */
export async function runContainer(docker: Dockerode, suite: string, o: RunOpts): Promise<string> {
  const c = await docker.createContainer({
    name: o.name,
    Image: o.image ?? BUSYBOX,
    Cmd: o.cmd ?? ['sleep', '3600'],
    Labels: labels(suite),
    Volumes: Object.fromEntries((o.volumes ?? []).map((v) => [v, {}])),
    HostConfig: { Binds: o.binds, VolumesFrom: o.volumesFrom, Init: false },
  });
  if (o.start !== false) await c.start();
  return c.id;
}

export async function createVolume(docker: Dockerode, suite: string, name: string, extraLabels: Record<string, string> = {}): Promise<string> {
  const v = await docker.createVolume({ Name: name, Labels: { ...labels(suite), ...extraLabels } });
  return (v as unknown as { name?: string; Name?: string }).Name ?? name;
}

/** Runs a one-shot labelled busybox command with the given binds and returns its stdout. */
export async function sh(docker: Dockerode, suite: string, script: string, binds: string[] = [], volumesFrom: string[] = []): Promise<string> {
  const c = await docker.createContainer({
    Image: BUSYBOX,
    Cmd: ['sh', '-c', script],
    Labels: labels(suite),
    // No network: rootless Podman has none here (its default network needs slirp4netns and /dev/net/tun).
    HostConfig: { Binds: binds, VolumesFrom: volumesFrom, NetworkMode: 'none' },
    Tty: true,
  });
  try {
    await c.start();
    const res = (await c.wait()) as { StatusCode: number };
    // As a stream: docker-modem JSON-parses a buffered log body ("12" comes back as the number 12).
    const stream = await c.logs({ stdout: true, stderr: true, follow: true });
    const chunks: Buffer[] = [];
    for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(Buffer.from(chunk));
    const out = Buffer.concat(chunks).toString('utf8');
    if (res.StatusCode !== 0) throw new Error(`sh exited ${res.StatusCode}: ${out}`);
    return out;
  } finally {
    await c.remove({ force: true }).catch(() => undefined);
  }
}

/** Unique-per-run names so parallel runs and leftovers never collide. */
export function uniq(prefix: string): string {
  return `${prefix}-${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
}

export interface SeedNames {
  readonly logHome: string;
  readonly logger01: string;
  readonly logger02: string;
  readonly bind: string;
  readonly named: string;
}

/**
 * The blog post's set-up, labelled for `suite`: log_home (`-v /logs`, a date every second),
 * logger01 --volumes-from log_home, logger02 --volumes-from logger01, a container with a read-only
 * bind mount of `hostDir` at /logs, and a named volume no container uses.
 */
export async function createSeed(docker: Dockerode, suite: string, hostDir: string): Promise<SeedNames> {
  const n = { logHome: uniq('log_home'), logger01: uniq('logger01'), logger02: uniq('logger02'), bind: uniq('ro_bind'), named: uniq('named') };
  await runContainer(docker, suite, { name: n.logHome, volumes: ['/logs'], cmd: ['sh', '-c', 'while true; do date >> /logs/log; sleep 1; done'] });
  await runContainer(docker, suite, { name: n.logger01, volumesFrom: [n.logHome] });
  await runContainer(docker, suite, { name: n.logger02, volumesFrom: [n.logger01] });
  await runContainer(docker, suite, { name: n.bind, binds: [`${hostDir}:/logs:ro`] });
  await createVolume(docker, suite, n.named);
  return n;
}

/**
 * An engine a project script starts: its address from `variable` (scripts/test.sh exports it), else
 * from the script itself (idempotent), for a targeted run without it.
 */
function scriptEngineHost(variable: string, script: string): string {
  const set = process.env[variable]?.trim();
  if (set) return set;
  const host = execFileSync('bash', [path.resolve(__dirname, '../../../scripts', script)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  process.env[variable] = host;
  return host;
}

/** The second real engine (scripts/second-engine.sh, CV_SECOND_DOCKER_HOST). */
export function secondEngineHost(): string {
  return scriptEngineHost('CV_SECOND_DOCKER_HOST', 'second-engine.sh');
}

export function secondEngine(): Engine {
  return new Engine(resolveEngine({ host: secondEngineHost() }));
}

/** The client certificates scripts/second-engine.sh made for its TLS port. */
export function secondEngineTlsDir(): string {
  return path.join(path.dirname(secondEngineHost().slice('unix://'.length)), 'tls', 'client');
}

/** `<dir>/wrong`: the second engine's client certificate with a ca.pem of a CA made here, which did not sign the server. */
export function wrongCaDir(dir: string): string {
  const wrong = path.join(dir, 'wrong');
  if (existsSync(path.join(wrong, 'ca.pem'))) return wrong;
  mkdirSync(wrong, { recursive: true });
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=some other CA',
      '-keyout',
      path.join(wrong, 'ca-key.pem'),
      '-out',
      path.join(wrong, 'ca.pem'),
    ],
    { stdio: 'ignore' },
  );
  for (const f of ['cert.pem', 'key.pem']) copyFileSync(path.join(secondEngineTlsDir(), f), path.join(wrong, f));
  return wrong;
}

/** Podman's Docker-compatible socket (scripts/podman.sh, CV_PODMAN_DOCKER_HOST). */
export function podmanEngineHost(): string {
  return scriptEngineHost('CV_PODMAN_DOCKER_HOST', 'podman.sh');
}

export function podmanEngine(): Engine {
  return new Engine(resolveEngine({ host: podmanEngineHost() }));
}

/** Rootless Podman's socket, run by its own user (scripts/podman-rootless.sh, CV_PODMAN_ROOTLESS_DOCKER_HOST). */
export function podmanRootlessEngineHost(): string {
  return scriptEngineHost('CV_PODMAN_ROOTLESS_DOCKER_HOST', 'podman-rootless.sh');
}

export function podmanRootlessEngine(): Engine {
  return new Engine(resolveEngine({ host: podmanRootlessEngineHost() }));
}

/**
 * The context most tests run an operation in: the suite's labels on every helper and lock it makes, the
 * rest as given (by default no fast path, no helper image, and lock key '').
 */
export function testContext(docker: Dockerode, suite: string, extra: Partial<Omit<OperationContext, 'docker' | 'helperLabels'>> = {}): OperationContext {
  return operationContext(docker, { ...extra, helperLabels: labels(suite) });
}

/** An operation's environment on `engine` (operationContext.ts): its client and its address as the lock key. */
export function contextOf(engine: Engine, env: Partial<Omit<OperationContext, 'docker' | 'engineHost'>> = {}): OperationContext {
  return operationContext(engine.docker, { engineHost: engine.endpoint.host, ...env });
}
