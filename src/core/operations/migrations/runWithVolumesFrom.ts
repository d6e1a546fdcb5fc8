// Run a new container with another's volumes: the seed's data-volume-container pattern
// (`docker run --volumes-from log_home[:ro] IMAGE [COMMAND]`). Nothing existing is changed: the plan
// creates the new container and starts it; a failure removes it again.
import { call, EngineError } from '../../engine/engine';
import type { OperationContext } from '../operationContext';
import { OperationRefusedError } from '../operationErrors';
import { msg, type Message } from '../../message';
import { COMPOSE_PROJECT_LABEL } from '../../engine/types';
import { executePlan, type ExecuteOptions, type Plan, type PlanStep } from './plan';

export interface RunWithVolumesFromInput {
  /** Name or id of the container whose volumes the new one mounts. */
  readonly source: string;
  /** A local image (never pulled). */
  readonly image: string;
  /** The new container's name. */
  readonly name: string;
  /** Its command; the image's own when absent or empty. */
  readonly command?: readonly string[];
  /** `ro`: every inherited mount read-only; `rw`: as the source has them. Default `rw`. */
  readonly mode?: 'ro' | 'rw';
  /** Start it after creating it. Default true. */
  readonly start?: boolean;
  /**
   * Require it to stay up for this long after the start (ms), else undo. Default: no check - like
   * `docker run -d`, a command that ends (a one-shot job, the seed's `/bin/bash`) is not a failure.
   */
  readonly checkStaysUpMs?: number;
  /** Labels on the new container. */
  readonly labels?: Readonly<Record<string, string>>;
}

export interface RunWithVolumesFromResult {
  readonly id: string;
  readonly name: string;
}

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

export async function planRunWithVolumesFrom(ctx: OperationContext, input: RunWithVolumesFromInput): Promise<Plan> {
  const docker = ctx.docker;
  if (!NAME.test(input.name)) throw new OperationRefusedError(msg('mig.badContainerName', { name: input.name }), 'invalid');
  const src = await call(() => docker.getContainer(input.source).inspect()).catch((e: EngineError) => {
    throw e.kind === 'notFound' ? new OperationRefusedError(msg('mig.noContainer', { name: input.source }), 'notFound') : e;
  });
  await call(() => docker.getImage(input.image).inspect()).catch((e: EngineError) => {
    throw e.kind === 'notFound' ? new OperationRefusedError(msg('migrate.noImage', { image: input.image }), 'notFound') : e;
  });
  const taken = await call(() => docker.getContainer(input.name).inspect()).then(
    () => true,
    () => false,
  );
  if (taken) throw new OperationRefusedError(msg('mig.nameTaken', { name: input.name }), 'exists');
  const srcName = src.Name.replace(/^\//, '');
  const mode = input.mode ?? 'rw';
  const mounts = src.Mounts.filter((m) => m.Type === 'volume' || m.Type === 'bind');
  const warnings: Message[] = [];
  if (mounts.length === 0) warnings.push(msg('mig.warn.noMounts', { name: srcName }));
  const project = (src.Config.Labels ?? {})[COMPOSE_PROJECT_LABEL];
  // Nothing of the project is replaced (so no plan.compose, which the CLI refuses without
  // --compose-ok), but the new container lives outside it: the user should know.
  if (project) warnings.unshift(msg('mig.warn.composeSource', { source: srcName, project, name: input.name }));
  const command = input.command?.filter((a) => a.length > 0);
  const steps: PlanStep[] = [
    {
      kind: 'create',
      ref: 'new',
      name: input.name,
      image: input.image,
      connect: [],
      spec: {
        Image: input.image,
        ...(command?.length ? { Cmd: [...command] } : {}),
        Labels: { ...(input.labels ?? {}) },
        HostConfig: { VolumesFrom: [`${srcName}:${mode}`] },
      },
    },
  ];
  if (input.start !== false) {
    steps.push(
      input.checkStaysUpMs
        ? { kind: 'check', container: { created: 'new' }, name: input.name, settleMs: input.checkStaysUpMs, leaveStopped: false }
        : { kind: 'start', container: { created: 'new' }, name: input.name },
    );
  }
  return {
    migration: 'volumesFrom',
    title: msg(mode === 'ro' ? 'mig.title.volumesFromRo' : 'mig.title.volumesFromRw', { name: input.name, image: input.image, source: srcName }),
    steps,
    warnings,
    facts: {
      name: input.name,
      source: srcName,
      mode,
      image: input.image,
      mounts: mounts.map((m) => `${m.Destination}${mode === 'ro' || !m.RW ? ':ro' : ''}`).join(' '),
    },
  };
}

export async function executeRunWithVolumesFrom(ctx: OperationContext, plan: Plan, o: ExecuteOptions = {}): Promise<RunWithVolumesFromResult> {
  const r = await executePlan(ctx, plan, o);
  return { id: r.created.new, name: plan.facts.name };
}

export async function runWithVolumesFrom(ctx: OperationContext, input: RunWithVolumesFromInput, o: ExecuteOptions = {}): Promise<RunWithVolumesFromResult> {
  return executeRunWithVolumesFrom(ctx, await planRunWithVolumesFrom(ctx, input), o);
}
