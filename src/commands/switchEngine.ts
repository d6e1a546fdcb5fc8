// Switch Engine…: the engine the views and commands use, picked from the known engines and persisted
// as the settings express it. Argument: { to: <context name | address> }.
// Design notes: docs/ui.md#srccommandsswitchenginets
import * as vscode from 'vscode';
import { engineRef, knownEngines, resolveEngine, resolveTarget } from '../core/engine/engineConfig';
import { engineSourceText } from '../engineText';
import { defineCommand, type EngineState, type Services } from '../services';
import { Cancelled } from './targets';

async function pick(services: Services): Promise<string> {
  const cfg = vscode.workspace.getConfiguration('containerVolumes');
  const s = services.engine.state;
  const current = s.kind !== 'connecting' ? s.endpoint?.host : undefined;
  const items = knownEngines({ setting: cfg.get<string>('dockerHost') || undefined, environmentToo: true }).map((e) => ({
    label: e.host === current ? `$(check) ${e.name}` : e.name,
    description: [e.name === e.host ? '' : e.host, engineSourceText(e.source), e.host === current ? vscode.l10n.t('current') : ''].filter(Boolean).join(' · '),
    to: engineRef(e),
  }));
  const picked = await services.prompter.quickPick(items, { placeHolder: vscode.l10n.t('Choose the engine the views and commands use') });
  if (!picked) throw new Cancelled();
  return picked.to;
}

export const switchEngine = defineCommand({
  id: 'containerVolumes.switchEngine',
  // `to`: a context's name or an address; an engine's root row carries it too.
  options: { to: 'string' },
  async run(services, { options }): Promise<EngineState> {
    const to = options.to ?? (await pick(services));
    // An unknown context or a nonsense address: one clear error, and the settings are left as they were.
    const target = resolveTarget(to);
    let natural: string | undefined;
    try {
      natural = resolveEngine({}).host;
    } catch {
      natural = undefined;
    }
    const isAddress = to.includes('://') || to.startsWith('/');
    const host = natural === target.host || !isAddress ? '' : target.host;
    const context = natural === target.host || isAddress ? '' : to.trim();
    const cfg = vscode.workspace.getConfiguration('containerVolumes');
    if ((cfg.get<string>('dockerHost') ?? '') !== host) await cfg.update('dockerHost', host || undefined, vscode.ConfigurationTarget.Global);
    if ((cfg.get<string>('dockerContext') ?? '') !== context) await cfg.update('dockerContext', context || undefined, vscode.ConfigurationTarget.Global);
    // The change event switched the engine; wait (bounded, as the ping is) until the chosen one answered or did not.
    const deadline = Date.now() + 15_000;
    for (;;) {
      await services.engine.reconnect();
      const s = services.engine.state;
      if ((s.kind !== 'connecting' && s.endpoint?.host === target.host) || Date.now() > deadline) return s;
      await new Promise((r) => setTimeout(r, 100));
    }
  },
});
