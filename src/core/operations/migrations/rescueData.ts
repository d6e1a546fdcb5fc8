// Rescue data from a container's writable layer: copy a folder it changed outside its mounts into a
// new volume and recreate the container with that volume mounted there. A failure undoes it all.
// Design notes: docs/migrations.md#srccoreoperationsmigrationsrescuedatats
import { call } from '../../engine/engine';
import type { OperationContext } from '../operationContext';
import { getArchive } from '../../engine/volumeArchive';
import { OperationRefusedError } from '../operationErrors';
import { msg } from '../../message';
import { executePlan, type ExecuteOptions, type Plan } from './plan';
import { checkNewVolumeName, inspectContainer, planRecreate, type RecreateOptions } from './recreate';
import { defaultVolumeName } from './nameVolume';

export interface Change {
  readonly path: string;
  readonly kind: 'modified' | 'added' | 'deleted';
}

/** What the container changed in its own filesystem (not in its mounts), folders first. */
export async function writableLayerChanges(ctx: OperationContext, container: string): Promise<Change[]> {
  const c = await inspectContainer(ctx, container);
  const raw = ((await call(() => ctx.docker.getContainer(c.Id).changes())) ?? []) as { Path: string; Kind: number }[];
  const mounts = c.Mounts.map((m) => m.Destination);
  return raw
    .filter((x) => !mounts.some((m) => x.Path === m || x.Path.startsWith(`${m}/`)))
    .map((x) => ({ path: x.Path, kind: x.Kind === 1 ? ('added' as const) : x.Kind === 2 ? ('deleted' as const) : ('modified' as const) }));
}

/** Whether `path` in the container's filesystem is a folder (the engine's path stat; false for a file or link). */
export async function isFolderIn(ctx: OperationContext, containerId: string, path: string): Promise<boolean> {
  const res = await getArchive(ctx.docker, containerId, path);
  res.destroy();
  const header = res.headers['x-docker-container-path-stat'];
  const stat = JSON.parse(Buffer.from(String(header ?? ''), 'base64').toString('utf8') || '{}') as { mode?: number };
  // Go's os.FileMode: the top bit says "directory".
  return ((stat.mode ?? 0) & 0x80000000) !== 0;
}

export interface RescueInput extends RecreateOptions {
  readonly container: string;
  /**
   * The folder to rescue (absolute, in the container's filesystem). A file is rescued with its
   * folder: a volume is mounted on a folder (the engine's API 1.41 has no volume subpaths), so the
   * whole folder as the container sees it - the image's files there too - becomes the volume.
   */
  readonly path: string;
  /** The new volume; default `<container>-<last part of path>`. */
  readonly newName?: string;
}

export interface RescueResult {
  readonly name: string;
  readonly newId: string;
  readonly volume: string;
  /** The folder now mounted from the volume (the chosen path, or a chosen file's folder). */
  readonly path: string;
}

export async function planRescue(ctx: OperationContext, input: RescueInput): Promise<Plan> {
  const old = await inspectContainer(ctx, input.container);
  const name = old.Name.replace(/^\//, '');
  const chosen = input.path.replace(/\/+$/, '');
  // ':' would split the mount's bind string (volume:path:options).
  if (!chosen.startsWith('/') || chosen === '' || chosen.split('/').includes('..') || chosen.includes(':')) {
    throw new OperationRefusedError(msg('mig.notAbsolute', { path: input.path }), 'invalid');
  }
  const isMountPath = (p: string) => old.Mounts.some((m) => p === m.Destination || p.startsWith(`${m.Destination}/`) || m.Destination.startsWith(`${p}/`));
  if (isMountPath(chosen)) throw new OperationRefusedError(msg('mig.isMount', { path: chosen, name }), 'invalid');
  const changes = await writableLayerChanges(ctx, old.Id);
  const changedUnder = (p: string) => changes.some((c) => c.kind !== 'deleted' && (c.path === p || c.path.startsWith(`${p}/`)));
  if (!changedUnder(chosen)) throw new OperationRefusedError(msg('mig.nothingChanged', { name, path: chosen }), 'notFound');
  const isFolder = await isFolderIn(ctx, old.Id, chosen);
  const path = isFolder ? chosen : chosen.slice(0, chosen.lastIndexOf('/'));
  if (path === '') throw new OperationRefusedError(msg('mig.rescueRootFile', { path: chosen, name }), 'invalid');
  // A file's folder may hold a mount (a volume at /etc/app): mounting the volume there would hide it.
  if (isMountPath(path)) throw new OperationRefusedError(msg('mig.isMount', { path, name }), 'invalid');
  const newName = input.newName ?? defaultVolumeName(name, path);
  await checkNewVolumeName(ctx, newName);
  const plan = await planRecreate(ctx, old, [], {
    ...input,
    migration: 'rescue',
    title: msg('mig.title.rescue', { path, name, newName }),
    warnings: [isFolder ? msg('mig.warn.rescue', { path, name, volume: newName }) : msg('mig.warn.rescueFile', { file: chosen, path, name, volume: newName })],
  });
  // Before the create: the volume, then the copy (the container is stopped by then when it ran).
  const steps = [...plan.steps];
  const create = steps.findIndex((s) => s.kind === 'create');
  steps.splice(
    create,
    0,
    { kind: 'createVolume', name: newName, driver: 'local', labels: { ...(input.volumeLabels ?? {}) } },
    { kind: 'copyPath', container: { existing: old.Id }, containerName: plan.facts.asideName, path, toVolume: newName },
  );
  const createStep = steps[create + 2];
  if (createStep.kind === 'create') {
    const binds = [...(createStep.spec.HostConfig?.Binds ?? []), `${newName}:${path}`];
    steps[create + 2] = { ...createStep, spec: { ...createStep.spec, HostConfig: { ...createStep.spec.HostConfig, Binds: binds } } };
  }
  return { ...plan, steps, facts: { ...plan.facts, volume: newName, path, chosen } };
}

export async function executeRescue(ctx: OperationContext, plan: Plan, o: ExecuteOptions = {}): Promise<RescueResult> {
  const r = await executePlan(ctx, plan, o);
  return { name: plan.facts.name, newId: r.created.new, volume: plan.facts.volume, path: plan.facts.path };
}

export async function rescueData(ctx: OperationContext, input: RescueInput, o: ExecuteOptions = {}): Promise<RescueResult> {
  return executeRescue(ctx, await planRescue(ctx, input), o);
}
