// Recreate a container on other volumes (copies of the old ones), for the migrations that change where
// its data lives: name an anonymous volume, give it its own copy.
// Design notes (the steps): docs/migrations.md#srccoreoperationsmigrationsrecreatets
import type Dockerode from 'dockerode';
import { call, EngineError } from '../../engine/engine';
import type { OperationContext } from '../operationContext';
import { OperationRefusedError } from '../operationErrors';
import { msg, type Message } from '../../message';
import { volumeNameProblem } from '../../volumeName';
import { COMPOSE_PROJECT_LABEL, COMPOSE_SERVICE_LABEL } from '../../engine/types';
import { shortVolume, type Plan, type PlanStep } from './plan';
import { newContainerSpec } from './upgradeImage';

export interface RecreateOptions {
  readonly stopTimeoutSeconds?: number;
  readonly settleMs?: number;
  /** Labels on the new volumes (on top of the source volume's). */
  readonly volumeLabels?: Readonly<Record<string, string>>;
}

export interface Substitution {
  /** The mount's destination in the container. */
  readonly destination: string;
  readonly fromVolume: string;
  readonly toVolume: string;
}

export async function inspectContainer(ctx: OperationContext, container: string): Promise<Dockerode.ContainerInspectInfo> {
  return call(() => ctx.docker.getContainer(container).inspect()).catch((e: EngineError) => {
    throw e.kind === 'notFound' ? new OperationRefusedError(msg('mig.noContainer', { name: container }), 'notFound') : e;
  });
}

export async function checkNewVolumeName(ctx: OperationContext, name: string): Promise<void> {
  const problem = volumeNameProblem(name);
  if (problem) throw new OperationRefusedError(problem, 'invalid');
  const exists = await call(() => ctx.docker.getVolume(name).inspect()).then(
    () => true,
    () => false,
  );
  if (exists) throw new OperationRefusedError(msg('mig.volumeExists', { name }), 'exists');
}

/** Names of the other containers that mount `volume` (they keep the old one). */
export async function otherUsers(ctx: OperationContext, volume: string, except: string): Promise<string[]> {
  const list = await call(() => ctx.docker.listContainers({ all: true, filters: { volume: [volume] } }));
  return list.filter((c) => c.Id !== except).map((c) => (c.Names[0] ?? c.Id).replace(/^\//, ''));
}

interface Writer {
  readonly id: string;
  readonly name: string;
  readonly autoRemove: boolean;
  readonly paused: boolean;
}

/** The running containers other than `except` that mount one of `volumes` read-write, by name. */
export async function volumeWriters(ctx: OperationContext, volumes: readonly string[], except: string): Promise<Writer[]> {
  const found = new Map<string, Writer>();
  for (const volume of volumes) {
    const list = await call(() => ctx.docker.listContainers({ filters: { volume: [volume] } }));
    for (const c of list) {
      if (c.Id === except || found.has(c.Id)) continue;
      if (!c.Mounts.some((m) => m.Type === 'volume' && m.Name === volume && m.RW)) continue;
      const info = await call(() => ctx.docker.getContainer(c.Id).inspect()).catch(() => undefined);
      if (!info || !(info.State.Running || info.State.Restarting)) continue;
      found.set(c.Id, { id: c.Id, name: info.Name.replace(/^\//, ''), autoRemove: info.HostConfig.AutoRemove === true, paused: info.State.Paused });
    }
  }
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
}

export async function planRecreate(
  ctx: OperationContext,
  old: Dockerode.ContainerInspectInfo,
  subs: readonly Substitution[],
  o: RecreateOptions & {
    readonly migration: string;
    readonly title: Message;
    readonly warnings: Message[];
  },
): Promise<Plan> {
  const docker = ctx.docker;
  const name = old.Name.replace(/^\//, '');
  if (old.HostConfig.AutoRemove) throw new OperationRefusedError(msg('mig.autoRemove', { name }), 'invalid');
  if (old.State.Paused) throw new OperationRefusedError(msg('mig.paused', { name }), 'invalid');
  const running = old.State.Running || old.State.Restarting;
  const asideName = `${name}-pre-migration-${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}`;
  if (
    await call(() => docker.getContainer(asideName).inspect()).then(
      () => true,
      () => false,
    )
  ) {
    throw new OperationRefusedError(msg('mig.asideTaken', { aside: asideName, name }), 'exists');
  }
  const oldImage = await call(() => docker.getImage(old.Image).inspect()).catch(() => undefined);
  if (!oldImage) throw new OperationRefusedError(msg('mig.imageGone', { name, image: old.Config.Image }), 'notFound');
  // The same image: by its name when that still means the same image, else by its id.
  const sameTag = await call(() => docker.getImage(old.Config.Image).inspect()).then(
    (i) => i.Id === old.Image,
    () => false,
  );
  const image = sameTag ? old.Config.Image : old.Image;
  const { spec, connect, warnings } = newContainerSpec(old, oldImage.Config, image);
  const binds = (spec.HostConfig?.Binds ?? []).map((b) => {
    const sub = subs.find(
      (s) =>
        b.startsWith(`${s.fromVolume}:${s.destination}`) &&
        (b.length === s.fromVolume.length + 1 + s.destination.length || b[s.fromVolume.length + 1 + s.destination.length] === ':'),
    );
    return sub ? `${sub.toVolume}${b.slice(sub.fromVolume.length)}` : b;
  });
  spec.HostConfig = { ...spec.HostConfig, Binds: binds };
  const labels = old.Config.Labels ?? {};
  const compose = labels[COMPOSE_PROJECT_LABEL] ? { project: labels[COMPOSE_PROJECT_LABEL], service: labels[COMPOSE_SERVICE_LABEL] } : undefined;
  const all = [...o.warnings, ...warnings];
  if (compose) all.unshift(msg('mig.warn.composeVolumes', { name, project: compose.project }));

  // Other running containers that write to a volume being copied would make the copy inconsistent
  // (a database's files from different moments): they are stopped for the copy and started right
  // after; a failure or cancel starts them too (the stop's undo). Those that cannot be stopped
  // without harm (--rm removes them, a paused one would come back unpaused) are only named.
  const writers = await volumeWriters(
    ctx,
    subs.map((s) => s.fromVolume),
    old.Id,
  );
  const volumes = subs.map((s) => shortVolume(s.fromVolume)).join(', ');
  const stoppable = writers.filter((w) => !w.autoRemove && !w.paused);
  const unstoppable = writers.filter((w) => w.autoRemove || w.paused);
  if (stoppable.length) all.push(msg('mig.warn.writersStopped', { writers: stoppable.map((w) => w.name).join(', '), volumes }));
  if (unstoppable.length) all.push(msg('mig.warn.stillWriting', { sources: unstoppable.map((w) => w.name).join(', '), volumes }));

  const oldRef = { existing: old.Id };
  const steps: PlanStep[] = [{ kind: 'rename', container: oldRef, from: name, to: asideName }];
  if (running) steps.push({ kind: 'stop', container: oldRef, name: asideName, timeoutSeconds: o.stopTimeoutSeconds });
  for (const w of stoppable) steps.push({ kind: 'stop', container: { existing: w.id }, name: w.name, timeoutSeconds: o.stopTimeoutSeconds, forCopy: true });
  for (const s of subs) steps.push({ kind: 'copy', fromVolume: s.fromVolume, toVolume: s.toVolume, labels: o.volumeLabels });
  for (const w of stoppable) steps.push({ kind: 'start', container: { existing: w.id }, name: w.name, again: true });
  steps.push({ kind: 'create', ref: 'new', name, image, spec, connect });
  steps.push({ kind: 'check', container: { created: 'new' }, name, settleMs: o.settleMs ?? 2000, leaveStopped: !running });
  steps.push({ kind: 'remove', container: oldRef, name: asideName });
  return {
    migration: o.migration,
    title: o.title,
    steps,
    warnings: all,
    compose,
    facts: { name, asideName, running: String(running), volumes: subs.map((s) => `${s.destination}=${s.toVolume}`).join(' ') },
  };
}
