// Shared by the migration commands: the plan shown before anything changes (a modal listing every
// step and warning), and the run with a cancellable progress notification, every step and every undo
// written to the log channel.
import * as vscode from 'vscode';
import type { OperationContext } from '../core/operations/operationContext';
import { CancelledError } from '../core/operations/operationErrors';
import { describeStep, formatPlan, type ExecuteOptions, type Plan, type PlanStep } from '../core/operations/migrations/plan';
import type { Services } from '../services';
import { Cancelled } from './targets';
import { say } from '../coreText';

/** The timing options of every migration command (tests shorten the waits): `{ stopTimeoutSeconds, settleMs }`. */
export const MIGRATION_OPTIONS = { stopTimeoutSeconds: 'number', settleMs: 'number' } as const;

/** The timing options given, as the planners take them (absent ones left to their defaults). */
export function migrationTiming(o: { readonly stopTimeoutSeconds?: number; readonly settleMs?: number }): { stopTimeoutSeconds?: number; settleMs?: number } {
  return {
    ...(o.stopTimeoutSeconds !== undefined ? { stopTimeoutSeconds: o.stopTimeoutSeconds } : {}),
    ...(o.settleMs !== undefined ? { settleMs: o.settleMs } : {}),
  };
}

/** A step as the user reads it, in their language (the core's Message, with a capital). */
export function stepText(s: PlanStep): string {
  const text = say(describeStep(s));
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Shows the plan (a modal through the Prompter) and asks to go on. `extra` lines go between the
 * steps and the warnings. Resolves when the user agrees; throws Cancelled otherwise. No argument
 * skips it.
 */
export async function confirmPlan(services: Services, plan: Plan, go: string, extra: readonly string[]): Promise<void> {
  services.log.info(`plan: ${formatPlan(plan)}`);
  const lines = [
    vscode.l10n.t('Nothing has changed yet. These steps run in order; if one fails or you cancel, everything done is undone.'),
    '',
    ...plan.steps.map((s, i) => `${i + 1}. ${stepText(s)}`),
    ...(extra.length ? ['', ...extra] : []),
    ...(plan.warnings.length ? ['', ...plan.warnings.map((w) => `⚠ ${say(w)}`)] : []),
  ];
  const answer = await services.prompter.warning(say(plan.title), { modal: true, detail: lines.join('\n') }, go);
  if (answer !== go) throw new Cancelled();
}

/** Runs the plan in `ctx` (dataOpContext) with a cancellable notification; on cancel, says everything was undone. */
export async function runPlan<T>(
  services: Services,
  ctx: OperationContext,
  plan: Plan,
  title: string,
  finish: (ctx: OperationContext, plan: Plan, o: ExecuteOptions) => Promise<T>,
  extra: Partial<ExecuteOptions> = {},
): Promise<T> {
  const log = (line: string) => services.log.info(`${plan.migration}: ${line}`);
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (p, token) => {
    const ac = new AbortController();
    const sub = token.onCancellationRequested(() => ac.abort());
    try {
      return await finish(ctx, plan, {
        ...extra,
        signal: ac.signal,
        log,
        progress: (e) => {
          if (e.message) p.report({ message: say(e.message) });
        },
      });
    } catch (e) {
      if (e instanceof CancelledError) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Cancelled: everything is as it was before.'));
        throw new Cancelled();
      }
      throw e;
    } finally {
      sub.dispose();
      await services.inventory.refresh();
    }
  });
}
