// Test fixtures on the real engine. Every resource a test creates carries TEST_LABEL with the
// suite's name as value; cleanup removes exactly those, before and after, and nothing else.
import Dockerode from 'dockerode';
import { Engine, TEST_LABEL } from '../../src/core/engine';
import { resolveEngine } from '../../src/core/engineConfig';

/** Offline images built by scripts/engine.sh. */
export const BUSYBOX = 'container-volumes/busybox:test';
export const EMPTY_IMAGE = 'container-volumes/empty:test';

export function testEngine(): Engine {
  return new Engine(resolveEngine());
}

export function labels(suite: string): Record<string, string> {
  return { [TEST_LABEL]: suite };
}

/** Removes every container and volume labelled for this suite (containers first, forcibly). */
export async function cleanup(docker: Dockerode, suite: string): Promise<void> {
  const filter = { label: [`${TEST_LABEL}=${suite}`] };
  const containers = await docker.listContainers({ all: true, filters: filter });
  await Promise.all(containers.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined)));
  const { Volumes } = await docker.listVolumes({ filters: filter });
  await Promise.all((Volumes ?? []).map((v) => docker.getVolume(v.Name).remove({ force: true }).catch(() => undefined)));
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
    Image: BUSYBOX, Cmd: ['sh', '-c', script], Labels: labels(suite),
    HostConfig: { Binds: binds, VolumesFrom: volumesFrom }, Tty: true,
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
