// How every command runs, from a menu, the palette, another extension or a test hook alike: a command
// that changes data first waits for workspace trust (Restricted Mode), saying why; then it runs.
import * as vscode from 'vscode';
import type { CommandSpec, Services } from '../services';
import { Cancelled } from './targets';

export async function runCommand(services: Services, spec: CommandSpec, args: readonly unknown[]): Promise<unknown> {
  if (spec.changesData) await waitForTrust(services, spec);
  return await spec.run(services, ...args);
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
    { modal: true, detail: vscode.l10n.t('This workspace is not trusted: its volumes open read-only and nothing is created, changed or removed. Trust the workspace to go on; until then nothing is changed.') },
    manage,
  );
  if (answer !== manage) throw new Cancelled();
  await vscode.commands.executeCommand('workbench.trust.manage');
  if (vscode.workspace.isTrusted) return;
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Waiting for workspace trust…'), cancellable: true },
    (_p, token) => new Promise<void>((resolve, reject) => {
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
