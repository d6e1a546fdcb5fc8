// Shared by the data commands (backup, restore, clone, verify): a cancellable notification whose
// Cancel button aborts the core operation's AbortSignal, fed by the core's Progress callback; and
// the settings those commands read.
import * as vscode from 'vscode';
import type { ArchiveFormat } from '../core/archive/archiveFormat';
import { operationContext, type OperationContext } from '../core/operations/operationContext';
import type { BusyChoice, LockPolicy } from '../core/operations/engineLocks';
import { holderText } from '../tree/describe';
import type { Services } from '../services';
import type { Progress } from '../core/message';
import { Cancelled } from './targets';
import { say } from '../coreText';

export async function withCancellableProgress<T>(title: string, fn: (signal: AbortSignal, progress: Progress) => Promise<T>): Promise<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (p, token) => {
    const ac = new AbortController();
    const sub = token.onCancellationRequested(() => ac.abort());
    let percent = 0;
    let message: string | undefined;
    try {
      return await fn(ac.signal, (e) => {
        if (e.message) message = say(e.message);
        if (e.total && e.done !== undefined) {
          const now = Math.min(100, Math.floor((e.done / e.total) * 100));
          p.report({ message, increment: Math.max(0, now - percent) });
          percent = Math.max(percent, now);
        } else if (e.message) {
          p.report({ message });
        }
      });
    } catch (e) {
      if (ac.signal.aborted) throw new Cancelled();
      throw e;
    } finally {
      sub.dispose();
    }
  });
}

export function dataSettings(): { stopContainers: boolean; defaultFormat: ArchiveFormat; helperImage: string | undefined } {
  const cfg = vscode.workspace.getConfiguration('containerVolumes');
  const fmt = cfg.get<string>('backup.defaultFormat', 'tar');
  return {
    stopContainers: cfg.get<boolean>('backup.stopContainers', false),
    defaultFormat: fmt === 'tar.gz' || fmt === 'tar.zst' ? fmt : 'tar',
    helperImage: cfg.get<string>('helperImage', '').trim() || undefined,
  };
}

/**
 * The environment of a data operation on the current engine, the one place the extension builds it:
 * its lock key, the fast paths (they apply only when it runs on this machine), the helper image
 * setting, the labels our helpers carry.
 */
export function dataOpContext(services: Services): OperationContext {
  const engine = services.engine.get();
  const { helperImage } = dataSettings();
  return operationContext(engine.docker, {
    engineHost: engine.endpoint.host,
    fastPath: { localEngine: engine.local, helperImage, workHelpers: services.engine.workHelpers() },
    helperImage,
    helperLabels: services.resourceLabels.helper,
  });
}

/** The option of every data command that takes a volume's lock (busyPolicy): `ifBusy: 'wait' | 'refuse'`. */
export const BUSY_OPTIONS = { ifBusy: ['wait', 'refuse'] } as const satisfies Record<string, readonly BusyChoice[]>;

/**
 * What a data command does when another window, the CLI or another machine holds the volume: the
 * argument `ifBusy: 'wait' | 'refuse'` (scripts, tests) decides, else a modal asks: Wait (a
 * cancellable "Waiting for …" progress) or Cancel (nothing is changed).
 */
export function busyPolicy(services: Services, ifBusy: BusyChoice | undefined): LockPolicy {
  if (ifBusy !== undefined) return { onBusy: () => ifBusy };
  return {
    onBusy: async (holder): Promise<BusyChoice> => {
      const wait = vscode.l10n.t('Wait');
      const answer = await services.prompter.warning(
        vscode.l10n.t('Volume "{0}" is busy.', holder.volume),
        {
          modal: true,
          detail: `${holderText(holder)}\n\n${vscode.l10n.t('Wait until it ends (you can cancel while waiting), or cancel now: nothing is changed.')}`,
        },
        wait,
      );
      if (answer !== wait) throw new Cancelled();
      return 'wait';
    },
  };
}
