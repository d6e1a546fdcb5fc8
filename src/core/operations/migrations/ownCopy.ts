// Give a container its own copy of the data it mounts through --volumes-from: each inherited volume is
// copied into a new one and the container recreated on the copies. The source volumes are not changed.
// Design notes: docs/migrations.md#srccoreoperationsmigrationsowncopyts
import type { OperationContext } from '../operationContext';
import { OperationRefusedError } from '../operationErrors';
import { msg } from '../../message';
import { executePlan, type ExecuteOptions, type Plan } from './plan';
import { checkNewVolumeName, inspectContainer, planRecreate, type RecreateOptions, type Substitution } from './recreate';
import { defaultVolumeName } from './nameVolume';

export interface OwnCopyInput extends RecreateOptions {
  readonly container: string;
  /** New volume names by destination; default `<container>-<last part of the destination>`. */
  readonly names?: Readonly<Record<string, string>>;
}

export interface OwnCopyResult {
  readonly name: string;
  readonly newId: string;
  /** destination -> new volume. */
  readonly volumes: Readonly<Record<string, string>>;
}

export async function planOwnCopy(ctx: OperationContext, input: OwnCopyInput): Promise<Plan> {
  const old = await inspectContainer(ctx, input.container);
  const name = old.Name.replace(/^\//, '');
  const from = (old.HostConfig.VolumesFrom ?? []) as string[];
  if (from.length === 0) throw new OperationRefusedError(msg('mig.noVolumesFrom', { name }), 'invalid');
  // The volumes that came from the sources: those the sources mount at the same place.
  const inherited = new Set<string>();
  for (const ref of from) {
    const src = await inspectContainer(ctx, ref.replace(/:(ro|rw)$/, ''));
    for (const m of src.Mounts) if (m.Type === 'volume' && m.Name) inherited.add(`${m.Name} ${m.Destination}`);
  }
  const subs: Substitution[] = [];
  for (const m of old.Mounts) {
    if (m.Type !== 'volume' || !m.Name || !inherited.has(`${m.Name} ${m.Destination}`)) continue;
    const toVolume = input.names?.[m.Destination] ?? defaultVolumeName(name, m.Destination);
    await checkNewVolumeName(ctx, toVolume);
    subs.push({ destination: m.Destination, fromVolume: m.Name, toVolume });
  }
  if (subs.length === 0) throw new OperationRefusedError(msg('mig.onlyBinds', { name }), 'invalid');
  const plan = await planRecreate(ctx, old, subs, {
    ...input,
    migration: 'ownCopy',
    title: msg('mig.title.ownCopy', { name, paths: subs.map((s) => s.destination).join(', ') }),
    warnings: [],
  });
  return { ...plan, facts: { ...plan.facts, copies: JSON.stringify(Object.fromEntries(subs.map((s) => [s.destination, s.toVolume]))) } };
}

export async function executeOwnCopy(ctx: OperationContext, plan: Plan, o: ExecuteOptions = {}): Promise<OwnCopyResult> {
  const r = await executePlan(ctx, plan, o);
  return { name: plan.facts.name, newId: r.created.new, volumes: JSON.parse(plan.facts.copies) as Record<string, string> };
}

export async function ownCopy(ctx: OperationContext, input: OwnCopyInput, o: ExecuteOptions = {}): Promise<OwnCopyResult> {
  return executeOwnCopy(ctx, await planOwnCopy(ctx, input), o);
}
