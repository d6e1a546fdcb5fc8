// Shared by the migration commands: the plan shown before anything changes (a modal listing every
// step and warning), and the run with a cancellable progress notification, every step and every undo
// written to the log channel.
import * as vscode from 'vscode';
import type { Engine } from '../core/engine';
import { CancelledError } from '../core/operationErrors';
import { formatPlan, shortVolume, type ExecuteOptions, type Plan, type PlanStep } from '../core/migrations/plan';
import type { Services } from '../services';
import { Cancelled } from './targets';

/** A step as the user reads it, in their language. */
export function stepText(s: PlanStep): string {
  switch (s.kind) {
    case 'rename': return vscode.l10n.t('Rename {0} to {1}', s.from, s.to);
    case 'create': {
      const from = (s.spec.HostConfig?.VolumesFrom ?? []) as string[];
      return from.length ? vscode.l10n.t('Create {0} from {1} with --volumes-from {2}', s.name, s.image, from.join(', ')) : vscode.l10n.t('Create {0} from {1}', s.name, s.image);
    }
    case 'createVolume': return vscode.l10n.t('Create the volume {0}', s.name);
    case 'copy': return vscode.l10n.t('Copy {0} into the new volume {1}', shortVolume(s.fromVolume), s.toVolume);
    case 'copyPath': return vscode.l10n.t('Copy {0} of {1} into {2}', s.path, s.containerName, s.toVolume);
    case 'stop': return vscode.l10n.t('Stop {0}', s.name);
    case 'start': return vscode.l10n.t('Start {0}', s.name);
    case 'check': return s.leaveStopped
      ? vscode.l10n.t('Start {0}, check that it stays up, and stop it again', s.name)
      : vscode.l10n.t('Start {0} and check that it stays up', s.name);
    case 'remove': return vscode.l10n.t('Remove {0} (its volumes stay)', s.name);
  }
}

/**
 * Shows the plan and asks to go on. `extra` lines go between the steps and the warnings. Resolves
 * when the user agrees; throws Cancelled otherwise. Skipped when the argument object says
 * `confirmed: true` (the plan still goes to the log).
 */
export async function confirmPlan(services: Services, plan: Plan, go: string, extra: readonly string[], confirmed: boolean): Promise<void> {
  services.log.info(`plan: ${formatPlan(plan)}`);
  if (confirmed) return;
  const lines = [
    vscode.l10n.t('Nothing has changed yet. These steps run in order; if one fails or you cancel, everything done is undone.'),
    '',
    ...plan.steps.map((s, i) => `${i + 1}. ${stepText(s)}`),
    ...(extra.length ? ['', ...extra] : []),
    ...(plan.warnings.length ? ['', ...plan.warnings.map((w) => `⚠ ${w}`)] : []),
  ];
  const answer = await vscode.window.showWarningMessage(plan.title, { modal: true, detail: lines.join('\n') }, go);
  if (answer !== go) throw new Cancelled();
}

/** Runs the plan with a cancellable notification; on cancel, says everything was undone. */
export async function runPlan<T>(services: Services, engine: Engine, plan: Plan, title: string,
  finish: (engine: Engine, plan: Plan, o: ExecuteOptions) => Promise<T>, extra: Partial<ExecuteOptions> = {}): Promise<T> {
  const log = (line: string) => services.log.info(`${plan.migration}: ${line}`);
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (p, token) => {
    const ac = new AbortController();
    const sub = token.onCancellationRequested(() => ac.abort());
    try {
      return await finish(engine, plan, {
        ...extra, signal: ac.signal, log,
        progress: (e) => { if (e.message) p.report({ message: e.message }); },
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
