// Consistency for backups: stop the running containers that use a volume or a host folder (bind
// mounts), and start exactly those again afterwards (also when the backup fails or is cancelled). Containers that were already
// stopped stay stopped.
import type Dockerode from 'dockerode';
import { call } from './engine';
import type { Progress } from './types';
import { CoreError, type Message, msg, textOf } from './message';

export interface StoppedContainers {
  readonly names: readonly string[];
  /** Starts again what was stopped; collects failures instead of stopping at the first. */
  restart(): Promise<void>;
}

/** Whose users: a volume by name, or a host folder that containers bind-mount. */
export type DataLocation = string | { readonly hostPath: string };

/** True when one path is the other or lies inside it: a container binding either writes into the data. */
function overlaps(a: string, b: string): boolean {
  const inside = (x: string, y: string) => x === y || x.startsWith(y.endsWith('/') ? y : `${y}/`);
  return inside(a, b) || inside(b, a);
}

/** Running containers that mount the volume (directly or through --volumes-from), or bind the folder. */
export async function runningUsers(docker: Dockerode, of: DataLocation): Promise<{ id: string; name: string }[]> {
  const list = typeof of === 'string'
    ? await call(() => docker.listContainers({ filters: { volume: [of], status: ['running'] } }))
    : await call(() => docker.listContainers({ filters: { status: ['running'] } }));
  return list
    .filter((c) => (c.Mounts ?? []).some((m) => (typeof of === 'string' ? m.Name === of : m.Type === 'bind' && overlaps(m.Source, of.hostPath))))
    .map((c) => ({ id: c.Id, name: (c.Names[0] ?? c.Id).replace(/^\//, '') }));
}

export async function stopUsers(docker: Dockerode, of: DataLocation, progress?: Progress, excludeIds: readonly string[] = []): Promise<StoppedContainers> {
  const users = (await runningUsers(docker, of)).filter((u) => !excludeIds.includes(u.id));
  const stopped: { id: string; name: string }[] = [];
  const restart = async () => {
    const errors: Message[] = [];
    for (const c of stopped.splice(0).reverse()) {
      progress?.({ message: msg('progress.starting', { container: c.name }) });
      try {
        await call(() => docker.getContainer(c.id).start());
      } catch (e) {
        if (!/already started|304/i.test((e as Error).message)) errors.push(msg('stop.restartFailed', { container: c.name, detail: textOf(e) }));
      }
    }
    if (errors.length) throw new CoreError(msg('stop.couldNotStart', { errors }));
  };
  try {
    for (const c of users) {
      progress?.({ message: msg('progress.stopping', { container: c.name }) });
      await call(() => docker.getContainer(c.id).stop({ t: 10 }));
      stopped.push(c);
    }
  } catch (e) {
    await restart().catch(() => undefined);
    throw e;
  }
  return { names: stopped.map((c) => c.name), restart };
}
