// Consistency for backups: stop the running containers that use a volume or a host folder (bind
// mounts), and start exactly those again afterwards (also when the backup fails or is cancelled). Containers that were already
// stopped stay stopped.
import type Dockerode from 'dockerode';
import type { CleanupStep } from './cleanup';
import { call } from '../engine/engine';
import { amend, CoreError, type Message, msg, type Progress, textOf } from '../message';

export interface StoppedContainers {
  readonly names: readonly string[];
  /** Starts again what was stopped; collects failures instead of stopping at the first. */
  restart(): Promise<void>;
}

/**
 * The cleanup step (cleanup.ts) that starts `stopped` again. A container that does not start is
 * added to a failed operation's error; run early or after success, that error goes to `onError`
 * (a warning), else it is thrown: the operation fails. With `progress`, a line says so first.
 */
export function restartStep(stopped: StoppedContainers, onError?: (e: unknown) => void, progress?: Progress): CleanupStep {
  return async (failure) => {
    progress?.({ message: msg('set.restarting') });
    try {
      await stopped.restart();
    } catch (re) {
      if (failure) amend(failure, msg('error.and', { first: textOf(failure), then: textOf(re) }));
      else if (onError) onError(re);
      else throw re;
    }
  };
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
  const list =
    typeof of === 'string'
      ? await call(() => docker.listContainers({ filters: { volume: [of], status: ['running'] } }))
      : await call(() => docker.listContainers({ filters: { status: ['running'] } }));
  return list
    .filter((c) => (c.Mounts ?? []).some((m) => (typeof of === 'string' ? m.Name === of : m.Type === 'bind' && overlaps(m.Source, of.hostPath))))
    .map((c) => ({ id: c.Id, name: (c.Names[0] ?? c.Id).replace(/^\//, '') }));
}

/** Stops the running users of one location, or of several at once (each container stopped once). */
export async function stopUsers(
  docker: Dockerode,
  of: DataLocation | readonly DataLocation[],
  progress?: Progress,
  excludeIds: readonly string[] = [],
): Promise<StoppedContainers> {
  const locations: readonly DataLocation[] = Array.isArray(of) ? of : [of as DataLocation];
  const found = new Map<string, { id: string; name: string }>();
  for (const l of locations) for (const u of await runningUsers(docker, l)) found.set(u.id, u);
  const users = [...found.values()].filter((u) => !excludeIds.includes(u.id));
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
  // In parallel, as Compose does: each may take its whole grace period.
  if (users.length) progress?.({ message: msg('progress.stopping', { container: users.map((c) => c.name).join(', ') }) });
  const results = await Promise.allSettled(
    users.map(async (c) => {
      await call(() => docker.getContainer(c.id).stop({ t: 10 }));
      stopped.push(c);
    }),
  );
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) {
    await restart().catch(() => undefined);
    throw failure.reason;
  }
  return { names: stopped.map((c) => c.name), restart };
}
