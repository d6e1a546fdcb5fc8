// The one way every migration runs: `plan()` returns typed steps a person can read, `executePlan()`
// carries them out in order and undoes what was done, newest first, on any failure or cancel.
// Design notes: docs/migrations.md#srccoreoperationsmigrationsplants
import { setTimeout as delay } from 'node:timers/promises';
import type Dockerode from 'dockerode';
import { cloneVolume } from '../cloneVolume';
import type { OperationContext } from '../operationContext';
import { call, EngineError } from '../../engine/engine';
import { createIdleHelper, removeHelper } from '../../helpers/helperContainers';
import { getArchive, putArchive } from '../../engine/volumeArchive';
import { CancelledError } from '../operationErrors';
import { type CodedError, CoreError, isCoded, type Lang, type Message, msg, type Progress } from '../../message';

/** A container the plan acts on: one that exists now (by id), or one a `create` step makes (by ref). */
export type ContainerRef = { readonly existing: string } | { readonly created: string };

export type PlanStep =
  | { readonly kind: 'rename'; readonly container: ContainerRef; readonly from: string; readonly to: string }
  | {
      readonly kind: 'create';
      readonly ref: string;
      readonly name: string;
      readonly image: string;
      readonly spec: Dockerode.ContainerCreateOptions;
      /** Networks connected after create (the engine takes one at create time). */
      readonly connect: readonly { readonly network: string; readonly endpoint: Dockerode.EndpointSettings }[];
    }
  | {
      readonly kind: 'createVolume';
      readonly name: string;
      readonly driver: string;
      readonly labels: Readonly<Record<string, string>>;
      readonly driverOpts?: Readonly<Record<string, string>>;
    }
  /** Copies a volume into a NEW volume (driver, labels and contents: cloneVolume); undone by removing it. */
  | { readonly kind: 'copy'; readonly fromVolume: string; readonly toVolume: string; readonly labels?: Readonly<Record<string, string>> }
  /** Copies a folder of a container's filesystem (its writable layer) into a volume. */
  | { readonly kind: 'copyPath'; readonly container: ContainerRef; readonly containerName: string; readonly path: string; readonly toVolume: string }
  /** `forCopy`: a container that writes to a volume being copied, stopped for the copy only. */
  | { readonly kind: 'stop'; readonly container: ContainerRef; readonly name: string; readonly timeoutSeconds?: number; readonly forCopy?: boolean }
  /** `again`: starts what a `stop` of this plan stopped; nothing to undo (that stop's undo starts it anyway). */
  | { readonly kind: 'start'; readonly container: ContainerRef; readonly name: string; readonly again?: boolean }
  /** Start (when needed) and check the container stays up for `settleMs`; `leaveStopped` stops it again after. */
  | { readonly kind: 'check'; readonly container: ContainerRef; readonly name: string; readonly settleMs: number; readonly leaveStopped: boolean }
  | { readonly kind: 'remove'; readonly container: ContainerRef; readonly name: string };

export type StepKind = PlanStep['kind'];

export interface Plan {
  /** Which migration: 'upgrade', 'volumesFrom', ... */
  readonly migration: string;
  /** One line: what the migration does, for titles. */
  readonly title: Message;
  readonly steps: readonly PlanStep[];
  /** Things the user should know before going on (Compose, dropped settings, ...). */
  readonly warnings: readonly Message[];
  /** Set when a container the plan replaces belongs to a Compose project. */
  readonly compose?: { readonly project: string; readonly service?: string };
  /** Facts the caller shows or returns (names, ids). */
  readonly facts: Readonly<Record<string, string>>;
}

/** Copies one volume into a new one; the default is cloneVolume through the engine. */
export type VolumeCopier = (
  from: string,
  to: string,
  o: { signal?: AbortSignal; progress?: Progress; labels?: Readonly<Record<string, string>> },
) => Promise<void>;

export interface ExecuteOptions {
  readonly signal?: AbortSignal;
  readonly progress?: Progress;
  /** Every step and every undo, one line each (the output channel, the CLI's stderr). */
  readonly log?: (line: string) => void;
  /** How `copy` steps copy (default: cloneVolume in the plan's context: its lock key, fast path and helper labels). */
  readonly copyVolume?: VolumeCopier;
}

export interface ExecuteResult {
  /** Ids of the containers the plan created, by ref. */
  readonly created: Readonly<Record<string, string>>;
}

/** A migration failed or was cancelled and everything it did was undone. */
export class MigrationRolledBackError extends Error implements CodedError {
  readonly text: Message;
  constructor(
    readonly title: Message,
    readonly reason: Error,
    readonly undoFailures: readonly Message[],
  ) {
    const why = reasonText(reason);
    const text =
      undoFailures.length === 0
        ? msg('mig.rolledBack', { reason: why, title })
        : msg('mig.rolledBackLeft', { reason: why, title, failures: undoFailures.reduce((all, f) => msg('mig.failureList', { all, next: f })) });
    super(text.toString(), { cause: reason });
    this.text = text;
    this.name = 'MigrationRolledBackError';
  }
}

/** An error's text as a Message: its own when coded, else the words it carries (the engine's). */
function reasonText(e: Error): Message {
  if (isCoded(e)) return e.text;
  const m = e.message.trim();
  return msg('mig.reason', { detail: /[.。)]$/.test(m) ? m : `${m}.` });
}

/** A one-line description of a step, for the plan, the progress and the log. */
export function describeStep(s: PlanStep): Message {
  switch (s.kind) {
    case 'rename':
      return msg('mig.step.rename', { from: s.from, to: s.to });
    case 'create': {
      const from = (s.spec.HostConfig?.VolumesFrom ?? []) as string[];
      return from.length
        ? msg('mig.step.createFrom', { name: s.name, image: s.image, from: from.join(', ') })
        : msg('mig.step.create', { name: s.name, image: s.image });
    }
    case 'createVolume':
      return msg('mig.step.createVolume', { name: s.name });
    case 'copy':
      return msg('mig.step.copy', { from: shortVolume(s.fromVolume), to: s.toVolume });
    case 'copyPath':
      return msg('mig.step.copyPath', { path: s.path, container: s.containerName, to: s.toVolume });
    case 'stop':
      return msg(s.forCopy ? 'mig.step.stopForCopy' : 'mig.step.stop', { name: s.name });
    case 'start':
      return msg(s.again ? 'mig.step.startAgain' : 'mig.step.start', { name: s.name });
    case 'check':
      return msg(s.leaveStopped ? 'mig.step.checkStop' : 'mig.step.check', { name: s.name });
    case 'remove':
      return msg('mig.step.remove', { name: s.name });
  }
}

export function shortVolume(name: string): string {
  return /^[0-9a-f]{64}$/.test(name) ? name.slice(0, 12) : name;
}

/** The plan as text: steps numbered, then warnings (the CLI prints it; the wizard shows it). */
export function formatPlan(plan: Plan, lang: Lang = 'en'): string {
  const lines = [plan.title.render(lang), ...plan.steps.map((s, i) => `  ${i + 1}. ${describeStep(s).render(lang)}`)];
  for (const w of plan.warnings) lines.push(msg('cli.mig.warning', { text: w }).render(lang));
  return lines.join('\n');
}

type Undo = { readonly what: Message; readonly run: () => Promise<void> };

/** Carries out a plan; on any failure or cancel, undoes what it did and throws MigrationRolledBackError. */
export async function executePlan(ctx: OperationContext, plan: Plan, o: ExecuteOptions = {}): Promise<ExecuteResult> {
  const { docker } = ctx;
  const log = o.log ?? (() => undefined);
  const created = new Map<string, string>();
  const undo: Undo[] = [];
  const idOf = (r: ContainerRef): string => {
    if ('existing' in r) return r.existing;
    const id = created.get(r.created);
    if (!id) throw new CoreError(msg('mig.noRef', { ref: r.created }));
    return id;
  };
  const checkCancel = () => {
    if (o.signal?.aborted) throw new CancelledError(plan.title);
  };

  try {
    for (const [i, step] of plan.steps.entries()) {
      const line = describeStep(step);
      log(`step ${i + 1}/${plan.steps.length}: ${line.toString()}`);
      o.progress?.({ message: line, done: i, total: plan.steps.length });
      checkCancel();
      await runStep(step);
    }
    o.progress?.({ done: plan.steps.length, total: plan.steps.length });
    log('done');
    return { created: Object.fromEntries(created) };
  } catch (err) {
    const reason = o.signal?.aborted && !(err instanceof CancelledError) ? new CancelledError(plan.title) : toError(err);
    log(`failed: ${reason.message}`);
    o.progress?.({ message: msg('mig.undoing') });
    const failures: Message[] = [];
    for (const u of undo.reverse()) {
      log(`undo: ${u.what.toString()}`);
      try {
        await u.run();
      } catch (e) {
        failures.push(msg('mig.undoFailure', { what: u.what, detail: isCoded(e) ? e.text : toError(e).message }));
        log(`undo failed: ${u.what.toString()}: ${toError(e).message}`);
      }
    }
    if (reason instanceof CancelledError && failures.length === 0) throw new CancelledError(plan.title);
    throw new MigrationRolledBackError(plan.title, reason, failures);
  }

  async function runStep(step: PlanStep): Promise<void> {
    switch (step.kind) {
      case 'rename': {
        const c = docker.getContainer(idOf(step.container));
        await call(() => c.rename({ name: step.to }));
        undo.push({ what: msg('mig.undo.rename', { to: step.to, from: step.from }), run: () => call(() => c.rename({ name: step.from })) });
        return;
      }
      case 'create': {
        const before = new Set(((await call(() => docker.listVolumes())).Volumes ?? []).map((v) => v.Name));
        const c = await call(() => docker.createContainer({ ...step.spec, name: step.name }));
        created.set(step.ref, c.id);
        // Removing what we made: the container, and the anonymous volumes its creation made (a VOLUME
        // of the new image nothing was mounted on), never a volume that existed before.
        undo.push({
          what: msg('mig.undo.removeContainer', { name: step.name }),
          run: async () => {
            const mounts = (await call(() => c.inspect()).catch(() => undefined))?.Mounts ?? [];
            await call(() => c.remove({ force: true, v: false }));
            for (const m of mounts) {
              if (m.Type === 'volume' && m.Name && !before.has(m.Name)) await call(() => docker.getVolume(m.Name!).remove());
            }
          },
        });
        for (const n of step.connect) {
          checkCancel();
          await call(() => docker.getNetwork(n.network).connect({ Container: c.id, EndpointConfig: n.endpoint }));
        }
        return;
      }
      case 'createVolume': {
        const existing = await call(() => docker.getVolume(step.name).inspect()).catch((e: EngineError) => {
          if (e.kind === 'notFound') return undefined;
          throw e;
        });
        if (existing) throw new EngineError(msg('volume.exists', { name: step.name }), 'conflict');
        await call(() =>
          docker.createVolume({
            Name: step.name,
            Driver: step.driver,
            Labels: { ...step.labels },
            DriverOpts: step.driverOpts ? { ...step.driverOpts } : undefined,
          }),
        );
        undo.push({ what: msg('mig.undo.removeVolume', { name: step.name }), run: () => call(() => docker.getVolume(step.name).remove()) });
        return;
      }
      case 'copy': {
        const copy: VolumeCopier =
          o.copyVolume ??
          (async (from, to, c) => {
            await cloneVolume(
              ctx,
              { source: from, target: to, volumeLabels: c.labels ? { ...c.labels } : undefined },
              { signal: c.signal, progress: c.progress },
            );
          });
        // cloneVolume removes a half-made target itself; a finished one is removed if a later step fails.
        await copy(step.fromVolume, step.toVolume, { signal: o.signal, progress: o.progress, labels: step.labels });
        undo.push({ what: msg('mig.undo.removeVolume', { name: step.toVolume }), run: () => call(() => docker.getVolume(step.toVolume).remove()) });
        return;
      }
      case 'copyPath': {
        // The archive's entries are named after the folder (`logs/...`): extracted at / of a helper
        // that mounts the volume at /logs, they land at the volume's root.
        const base = step.path.split('/').filter(Boolean).pop() ?? '';
        const helper = await createIdleHelper(docker, {
          purpose: 'rescue',
          mounts: [{ source: step.toVolume, target: `/${base}`, type: 'volume' }],
          labels: ctx.helperLabels ? { ...ctx.helperLabels } : undefined,
        });
        try {
          const stream = await getArchive(docker, idOf(step.container), step.path, o.signal);
          try {
            await putArchive(docker, helper.id, '/', stream, o.signal);
          } finally {
            stream.destroy();
          }
        } finally {
          await removeHelper(helper);
        }
        return; // the volume is removed by its createVolume's undo
      }
      case 'stop': {
        const c = docker.getContainer(idOf(step.container));
        await call(() => c.stop(step.timeoutSeconds !== undefined ? { t: step.timeoutSeconds } : {})).catch(ignoreNotModified);
        undo.push({ what: msg('mig.undo.start', { name: step.name }), run: () => call(() => c.start()).catch(ignoreNotModified) });
        return;
      }
      case 'start': {
        const c = docker.getContainer(idOf(step.container));
        await call(() => c.start()).catch(ignoreNotModified);
        if (!step.again) undo.push({ what: msg('mig.undo.stop', { name: step.name }), run: () => call(() => c.stop({ t: 5 })).catch(ignoreNotModified) });
        return;
      }
      case 'check': {
        const c = docker.getContainer(idOf(step.container));
        await call(() => c.start()).catch(ignoreNotModified);
        undo.push({ what: msg('mig.undo.stop', { name: step.name }), run: () => call(() => c.stop({ t: 5 })).catch(ignoreNotModified) });
        const startedAt = (await call(() => c.inspect())).State.StartedAt;
        await delay(step.settleMs, undefined, { signal: o.signal });
        const s = (await call(() => c.inspect())).State;
        // A restart policy can bring a crashing container back: a new StartedAt means it died meanwhile.
        if (!s.Running || s.Restarting || s.StartedAt !== startedAt) {
          throw new EngineError(
            s.Running && !s.Restarting
              ? msg('mig.restarted', { name: step.name })
              : s.Error
                ? msg('mig.exitedWhy', { name: step.name, code: s.ExitCode, detail: s.Error })
                : msg('mig.exited', { name: step.name, code: s.ExitCode }),
            'other',
          );
        }
        if (step.leaveStopped) await call(() => c.stop({ t: 10 })).catch(ignoreNotModified);
        return;
      }
      case 'remove': {
        const c = docker.getContainer(idOf(step.container));
        // v: false - the volumes are the point of every migration.
        await call(() => c.remove({ v: false }));
        return;
      }
    }
  }
}

function ignoreNotModified(e: EngineError): void {
  // 304: already stopped / already started.
  if (e.statusCode !== 304) throw e;
}

function toError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}
