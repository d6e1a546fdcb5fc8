// Shared by Copy to Engine… and Move to Engine…: which engine, the name there, a confirmation for a
// move, then the core's copyVolumeToEngine with a cancellable progress.
// Design notes (arguments): docs/ui.md#srccommandsenginetransferts
import * as vscode from 'vscode';
import { copyVolumeToEngine, type CopyToEngineResult } from '../core/operations/copyToEngine';
import { Engine } from '../core/engine/engine';
import { knownEngines, normaliseHost, resolveTarget } from '../core/engine/engineConfig';
import { isVolumeName } from '../core/volumeName';
import type { CommandInput, Services } from '../services';
import { say, sayError } from '../coreText';
import { engineSourceText } from '../engineText';
import { BUSY_OPTIONS, busyPolicy, dataOpContext, withCancellableProgress } from './dataOpProgress';
import { Cancelled, volumeArg, volumeNameHint } from './targets';

/** `{ to: <context name | address>, newName, ifBusy }` beside the volume. */
export const TRANSFER_OPTIONS = { to: 'string', newName: 'string', ...BUSY_OPTIONS } as const;

async function pickEngine(services: Services, currentHost: string): Promise<string> {
  const setting = vscode.workspace.getConfiguration('containerVolumes').get<string>('dockerHost') || undefined;
  const items: (vscode.QuickPickItem & { to?: string })[] = knownEngines({ setting, environmentToo: true })
    .filter((e) => e.host !== currentHost)
    .map((e) => ({
      label: e.name,
      description: e.name === e.host ? engineSourceText(e.source) : `${e.host} · ${engineSourceText(e.source)}`,
      to: e.source === 'context' ? e.name : e.host,
    }));
  const enter = vscode.l10n.t('Enter a host…');
  items.push({ label: enter, alwaysShow: true });
  const picked = await services.prompter.quickPick(items, { placeHolder: vscode.l10n.t('Choose the engine to copy to') });
  if (!picked) throw new Cancelled();
  if (picked.to) return picked.to;
  const typed = await services.prompter.inputBox({
    prompt: vscode.l10n.t('Engine address (unix://, tcp://, ssh://user@host)'),
    validateInput: (s) => {
      try {
        normaliseHost(s.trim());
        return undefined;
      } catch (e) {
        return sayError(e);
      }
    },
  });
  if (!typed) throw new Cancelled();
  return typed.trim();
}

export async function transferToEngine(
  services: Services,
  { target: given, options: o }: CommandInput<typeof TRANSFER_OPTIONS>,
  move: boolean,
): Promise<CopyToEngineResult> {
  const v = await volumeArg(
    services,
    given,
    undefined,
    move ? vscode.l10n.t('Choose a volume to move to another engine') : vscode.l10n.t('Choose a volume to copy to another engine'),
  );
  const from = services.engine.get();
  const ctx = dataOpContext(services);
  const givenTo = o.to;
  const to = givenTo ?? (await pickEngine(services, from.endpoint.host));
  const target = new Engine(resolveTarget(to));
  let newName = o.newName;
  if (!newName && !givenTo) {
    newName = await services.prompter.inputBox({
      title: move ? vscode.l10n.t('Move {0} to {1}', v.name, target.endpoint.host) : vscode.l10n.t('Copy {0} to {1}', v.name, target.endpoint.host),
      prompt: vscode.l10n.t('Name of the volume on the other engine'),
      value: v.name,
      validateInput: (s) => (isVolumeName(s) ? undefined : volumeNameHint()),
    });
    if (!newName) throw new Cancelled();
  }
  const name = newName ?? v.name;
  if (move) {
    // A move removes the source: always asked, whoever runs the command.
    const go = vscode.l10n.t('Move');
    const answer = await services.prompter.warning(
      vscode.l10n.t('Move volume "{0}" to {1}?', v.name, target.endpoint.host),
      {
        modal: true,
        detail: vscode.l10n.t('It is copied and verified on both engines first; then "{0}" is removed from this engine, unless a container uses it.', v.name),
      },
      go,
    );
    if (answer !== go) throw new Cancelled();
  }
  const sizes = await services.inventory.sizes().catch(() => new Map<string, number>());
  const size = sizes.get(v.name);
  const title = move ? vscode.l10n.t('Moving {0} to {1}', v.name, target.endpoint.host) : vscode.l10n.t('Copying {0} to {1}', v.name, target.endpoint.host);
  const result = await withCancellableProgress(title, (signal, progress) =>
    copyVolumeToEngine(
      ctx,
      {
        source: v.name,
        to: target,
        target: name,
        move,
        sizeHint: size !== undefined && size > 0 ? size : undefined,
        volumeLabels: services.resourceLabels.volume,
      },
      { signal, progress, lock: busyPolicy(services, o.ifBusy) },
    ),
  );
  await services.inventory.refresh();
  for (const w of result.warnings) void vscode.window.showWarningMessage(say(w));
  void vscode.window.showInformationMessage(
    result.sourceRemoved
      ? result.entries === 1
        ? vscode.l10n.t('Moved {0} to "{1}" on {2} (1 entry, verified on both engines).', v.name, result.volumeName, target.endpoint.host)
        : vscode.l10n.t('Moved {0} to "{1}" on {2} ({3} entries, verified on both engines).', v.name, result.volumeName, target.endpoint.host, result.entries)
      : result.entries === 1
        ? vscode.l10n.t('Copied {0} to "{1}" on {2} (1 entry, verified on both engines).', v.name, result.volumeName, target.endpoint.host)
        : vscode.l10n.t('Copied {0} to "{1}" on {2} ({3} entries, verified on both engines).', v.name, result.volumeName, target.endpoint.host, result.entries),
  );
  return result;
}
