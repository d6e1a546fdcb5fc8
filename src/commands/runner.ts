// How every command runs, from a menu, the palette, another extension or a test hook alike: its argument
// is parsed once (commandArgs.ts), a data-changing one waits for workspace trust, then it runs.
import * as vscode from 'vscode';
import type { CommandInput, CommandSpec, Services } from '../services';
import { ArgumentError, describeValue, parseCommandArgs, type Expected } from './commandArgs';
import { Cancelled } from './targets';

/** Commands that do not call the row's engine (names, the engine roots' own commands): run as they are. */
const ANY_ENGINE = new Set([
  'containerVolumes.copyName',
  'containerVolumes.copyContainerName',
  'containerVolumes.switchEngine',
  'containerVolumes.retryEngine',
  'containerVolumes.refresh',
]);

export async function runCommand(services: Services, spec: CommandSpec, args: readonly unknown[]): Promise<unknown> {
  // Parsed before anything is asked or done: a wrong argument ends the command with one message.
  const input = parseInput(spec, args);
  const engine = ANY_ENGINE.has(spec.id) ? ({ kind: 'current' } as const) : input.engine;
  if (engine.kind === 'mixed') throw new Error(vscode.l10n.t('The selected rows are on different engines: select rows of one engine.'));
  if (spec.changesData) await waitForTrust(services, spec);
  // A row of another engine (several engines shown): the command acts on that engine, through its own
  // connection and inventory; the current engine is not switched and nothing of it changes.
  return await spec.run(engine.kind === 'host' ? await onEngine(services, engine.host) : services, input);
}

/** The command's argument as its target and declared options; a value of the wrong type is refused in the user's language. */
export function parseInput(spec: CommandSpec, args: readonly unknown[]): CommandInput {
  try {
    return parseCommandArgs(args, spec.options ?? {}, (x): x is vscode.Uri => x instanceof vscode.Uri);
  } catch (e) {
    if (!(e instanceof ArgumentError)) throw e;
    throw new Error(vscode.l10n.t('The argument "{0}" must be {1}; it was {2}. Nothing was done.', e.key, expectedText(e.expected), describeValue(e.got)), {
      cause: e,
    });
  }
}

function expectedText(e: Expected): string {
  if (typeof e === 'object') return vscode.l10n.t('one of {0}', e.oneOf.map((x) => `"${x}"`).join(vscode.l10n.t(', ')));
  switch (e) {
    case 'string':
      return vscode.l10n.t('a text');
    case 'text':
      return vscode.l10n.t('a text');
    case 'boolean':
      return vscode.l10n.t('true or false');
    case 'number':
      return vscode.l10n.t('a number');
    case 'strings':
      return vscode.l10n.t('a list of texts');
    case 'stringOrStrings':
      return vscode.l10n.t('a text or a list of texts');
    case 'stringMap':
      return vscode.l10n.t('an object whose values are texts');
    case 'object':
      return vscode.l10n.t('an object');
  }
}

/** The services a command on a row of another engine is handed: that engine's connection and inventory, the rest shared. */
async function onEngine(services: Services, host: string): Promise<Services> {
  if (host === services.engineRoots.currentHost()) return services; // switched to it meanwhile: it is the current engine
  const scope = services.engineRoots.scope(host);
  await scope.engine.ready(); // loads it when its root was collapsed or reloaded since; says why when it does not answer
  const scoped: Services = Object.create(services) as Services; // getters (prompter, resourceLabels) still read the live values
  Object.defineProperties(scoped, { engine: { value: scope.engine }, inventory: { value: scope.inventory } });
  return scoped;
}

/**
 * In Restricted Mode a data-changing command says why it does not run and offers to manage trust;
 * if the user grants it, the command goes on, else it ends and nothing is changed.
 */
async function waitForTrust(services: Services, spec: CommandSpec): Promise<void> {
  if (vscode.workspace.isTrusted) return;
  const manage = vscode.l10n.t('Manage Workspace Trust');
  const answer = await services.prompter.warning(
    vscode.l10n.t('Restricted Mode: "{0}" changes data, so it runs only in a trusted workspace.', commandTitle(services, spec)),
    {
      modal: true,
      detail: vscode.l10n.t(
        'This workspace is not trusted: its volumes open read-only and nothing is created, changed or removed. Trust the workspace to go on; until then nothing is changed.',
      ),
    },
    manage,
  );
  if (answer !== manage) throw new Cancelled();
  await vscode.commands.executeCommand('workbench.trust.manage');
  if (vscode.workspace.isTrusted) return;
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Waiting for workspace trust…'), cancellable: true },
    (_p, token) =>
      new Promise<void>((resolve, reject) => {
        const subs = [
          vscode.workspace.onDidGrantWorkspaceTrust(() => settle(resolve)),
          token.onCancellationRequested(() => settle(() => reject(new Cancelled()))),
        ];
        const settle = (then: () => void) => {
          for (const s of subs) s.dispose();
          then();
        };
      }),
  );
}

/** The command's title as the palette shows it (package.json's localised title), else its id. */
function commandTitle(services: Services, spec: CommandSpec): string {
  const pkg = services.context.extension.packageJSON as { contributes?: { commands?: { command: string; title: string }[] } };
  const title = pkg.contributes?.commands?.find((c) => c.command === spec.id)?.title;
  return title && !title.startsWith('%') ? title : spec.id;
}
