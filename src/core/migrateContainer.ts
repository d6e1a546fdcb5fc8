// The seed's upgrade recipe in one step: replace a container by one from a new image that keeps
// all its volumes (`--volumes-from` the old one), with a way back at every step.
//   1. rename the old container aside (NAME -> NAME-pre-migration-TIMESTAMP)
//   2. create the new one under the old name from the new image, --volumes-from the old one, with
//      the old one's environment, labels, ports, restart policy and network
//   3. stop the old one, start the new one, and check that it stays up
//   4. remove the old one (its volumes stay: the new container mounts them) unless asked to keep it
// Any failure before step 4 removes the new container, renames the old one back and restarts it
// if it was running: the user is left where they started.
import type Dockerode from 'dockerode';
import { call, EngineError, type Engine } from './engine';
import type { Progress } from './types';
import { type Message, msg } from './message';

export interface MigrateOptions {
  /** Name or id of the container to replace. */
  readonly container: string;
  /** The new image (must exist on the engine: nothing is pulled here). */
  readonly image: string;
  /** Keep the old container (stopped, renamed) after success, as a way back. Default false. */
  readonly keepOld?: boolean;
  /** Seconds the old container gets to stop before it is killed (the engine's default: 10). */
  readonly stopTimeoutSeconds?: number;
  /** How long the new container must stay running to count as started. Default 2000 ms. */
  readonly settleMs?: number;
  readonly signal?: AbortSignal;
  readonly progress?: Progress;
}

export interface MigrateResult {
  readonly newId: string;
  readonly name: string;
  /** Set when the old container was kept. */
  readonly oldName?: string;
}

export async function migrateContainer(engine: Engine, o: MigrateOptions): Promise<MigrateResult> {
  const docker = engine.docker;
  const say = (message: Message) => o.progress?.({ message });
  const old = await call(() => docker.getContainer(o.container).inspect());
  await call(() => docker.getImage(o.image).inspect()).catch((e: EngineError) => {
    throw e.kind === 'notFound' ? new EngineError(msg('migrate.noImage', { image: o.image }), 'notFound') : e;
  });
  const name = old.Name.replace(/^\//, '');
  const wasRunning = old.State.Running;
  const asideName = `${name}-pre-migration-${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}`;
  const oldC = docker.getContainer(old.Id);
  let created: Dockerode.Container | undefined;
  let renamed = false;
  let stopped = false;

  const rollback = async (cause: unknown): Promise<never> => {
    say(msg('migrate.rollingBack'));
    if (created) await created.remove({ force: true, v: false }).catch(() => undefined);
    if (renamed) await oldC.rename({ name }).catch(() => undefined);
    if (stopped) await oldC.start().catch(() => undefined);
    throw cause instanceof Error ? cause : new Error(String(cause));
  };

  try {
    o.signal?.throwIfAborted();
    say(msg('migrate.renaming', { container: name, aside: asideName }));
    await call(() => oldC.rename({ name: asideName }));
    renamed = true;
    o.signal?.throwIfAborted();
    say(msg('migrate.creating', { container: name, image: o.image }));
    const hc = old.HostConfig;
    created = await call(() => docker.createContainer({
      name,
      Image: o.image,
      Env: old.Config.Env ?? undefined,
      Labels: old.Config.Labels ?? undefined,
      ExposedPorts: old.Config.ExposedPorts ?? undefined,
      Tty: old.Config.Tty,
      OpenStdin: old.Config.OpenStdin,
      WorkingDir: old.Config.WorkingDir || undefined,
      User: old.Config.User || undefined,
      HostConfig: {
        // Every mount of the old container (volumes, anonymous volumes, binds), as the seed does.
        VolumesFrom: [old.Id],
        PortBindings: hc.PortBindings as Dockerode.PortMap | undefined,
        RestartPolicy: hc.RestartPolicy,
        NetworkMode: hc.NetworkMode,
        ExtraHosts: (hc.ExtraHosts as string[] | null | undefined) ?? undefined,
      },
    }));
    o.signal?.throwIfAborted();
    if (wasRunning) {
      say(msg('progress.stopping', { container: asideName }));
      await call(() => oldC.stop(o.stopTimeoutSeconds !== undefined ? { t: o.stopTimeoutSeconds } : {}));
      stopped = true;
      say(msg('migrate.starting', { container: name }));
      await call(() => created!.start());
      await new Promise((r) => setTimeout(r, o.settleMs ?? 2000));
      const state = (await call(() => created!.inspect())).State;
      if (!state.Running) {
        throw new EngineError(state.Error ? msg('migrate.notUpWhy', { code: state.ExitCode, detail: state.Error }) : msg('migrate.notUp', { code: state.ExitCode }), 'other');
      }
    }
  } catch (err) {
    return rollback(err);
  }
  if (!o.keepOld) {
    say(msg('migrate.removing', { container: asideName }));
    // v: false - the volumes are the point; the new container mounts them now.
    await call(() => oldC.remove({ v: false }));
    return { newId: created.id, name };
  }
  return { newId: created.id, name, oldName: asideName };
}
