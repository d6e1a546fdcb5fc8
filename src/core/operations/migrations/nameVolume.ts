// Name an anonymous volume: copy it into a new named volume and recreate its container on it. The
// anonymous volume is kept (and still listed) until the user removes it: nothing is deleted here.
import { executePlan, shortVolume, type ExecuteOptions, type Plan } from './plan';
import { checkNewVolumeName, inspectContainer, otherUsers, planRecreate, type RecreateOptions } from './recreate';
import type { OperationContext } from '../operationContext';
import { OperationRefusedError } from '../operationErrors';
import { msg, type Message } from '../../message';
import { isAnonymousVolumeName } from '../../engine/types';

export interface NameVolumeInput extends RecreateOptions {
  /** Name or id of the container that mounts the anonymous volume. */
  readonly container: string;
  /** Where it mounts it. */
  readonly destination: string;
  /** The new volume's name; default `<container>-<last part of the destination>`. */
  readonly newName?: string;
}

export interface NameVolumeResult {
  readonly name: string;
  readonly newId: string;
  readonly volume: string;
  readonly anonymousVolume: string;
}

export function defaultVolumeName(container: string, destination: string): string {
  const base = destination.split('/').filter(Boolean).pop() ?? 'data';
  return `${container}-${base}`.replace(/[^a-zA-Z0-9_.-]/g, '_').replace(/^[^a-zA-Z0-9]+/, '');
}

export async function planNameVolume(ctx: OperationContext, input: NameVolumeInput): Promise<Plan> {
  const old = await inspectContainer(ctx, input.container);
  const name = old.Name.replace(/^\//, '');
  const m = old.Mounts.find((x) => x.Destination === input.destination);
  if (!m) throw new OperationRefusedError(msg('mig.noMount', { name, path: input.destination }), 'notFound');
  if (m.Type !== 'volume' || !m.Name || !isAnonymousVolumeName(m.Name)) {
    throw new OperationRefusedError(msg('mig.notAnonymous', { name, what: m.Name ?? m.Source, path: input.destination }), 'invalid');
  }
  const newName = input.newName ?? defaultVolumeName(name, input.destination);
  await checkNewVolumeName(ctx, newName);
  const others = await otherUsers(ctx, m.Name, old.Id);
  const warnings: Message[] = others.length ? [msg('mig.warn.othersKeep', { others: others.join(', '), volume: shortVolume(m.Name), name })] : [];
  const plan = await planRecreate(ctx, old, [{ destination: input.destination, fromVolume: m.Name, toVolume: newName }], {
    ...input,
    migration: 'nameVolume',
    title: msg('mig.title.nameVolume', { name, path: input.destination, newName }),
    warnings,
  });
  return { ...plan, facts: { ...plan.facts, volume: newName, anonymousVolume: m.Name } };
}

export async function executeNameVolume(ctx: OperationContext, plan: Plan, o: ExecuteOptions = {}): Promise<NameVolumeResult> {
  const r = await executePlan(ctx, plan, o);
  return { name: plan.facts.name, newId: r.created.new, volume: plan.facts.volume, anonymousVolume: plan.facts.anonymousVolume };
}

export async function nameVolume(ctx: OperationContext, input: NameVolumeInput, o: ExecuteOptions = {}): Promise<NameVolumeResult> {
  return executeNameVolume(ctx, await planNameVolume(ctx, input), o);
}
