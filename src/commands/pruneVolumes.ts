// Removes every unused volume after a confirmation that lists them: exactly the listed volumes, one by
// one, not the engine's prune.
// Design notes: docs/ui.md#srccommandsprunevolumests
import * as vscode from 'vscode';
import { removeVolumes } from '../core/operations/volumeAdmin';
import { defineCommand } from '../services';
import { volumeLabel } from '../tree/describe';
import { Cancelled } from './targets';

export const pruneVolumes = defineCommand({
  id: 'containerVolumes.pruneVolumes',
  changesData: true,
  // Scripts may narrow it to volumes carrying a label ({ label: 'key=value' } or { label: 'key' }).
  options: { label: 'text' },
  async run(services, { options }) {
    const label = options.label;
    const [key, value] = label !== undefined ? label.split(/=(.*)/s) : [];
    const matches = (labels: Readonly<Record<string, string>>) => key === undefined || (key in labels && (value === undefined || labels[key] === value));
    await services.inventory.refresh();
    const unused = services.inventory.current?.volumes.filter((v) => v.users.length === 0 && matches(v.labels)) ?? [];
    if (unused.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('There are no unused volumes.'));
      return { removed: [], failed: [] };
    }
    const remove = unused.length === 1 ? vscode.l10n.t('Remove 1 Volume') : vscode.l10n.t('Remove {0} Volumes', unused.length);
    const shown = unused.slice(0, 20).map((v) => `• ${volumeLabel(v)}`);
    if (unused.length > 20) shown.push(vscode.l10n.t('… and {0} more', unused.length - 20));
    const answer = await services.prompter.warning(
      unused.length === 1 ? vscode.l10n.t('Remove the 1 unused volume?') : vscode.l10n.t('Remove all {0} unused volumes?', unused.length),
      { modal: true, detail: `${shown.join('\n')}\n\n${vscode.l10n.t('Their data is deleted for good.')}` },
      remove,
    );
    if (answer !== remove) throw new Cancelled();
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Removing unused volumes'), cancellable: true },
      async (_p, token) => {
        const ctl = new AbortController();
        const sub = token.onCancellationRequested(() => ctl.abort());
        try {
          return await removeVolumes(
            services.engine.get(),
            unused.map((v) => v.name),
            ctl.signal,
          );
        } finally {
          sub.dispose();
        }
      },
    );
    await services.inventory.refresh();
    if (result.failed.length) {
      const failures = result.failed.map((f) => vscode.l10n.t('{0}: {1}', f.name, f.reason)).join(vscode.l10n.t('; '));
      void vscode.window.showWarningMessage(
        result.removed.length === 1
          ? vscode.l10n.t('Removed 1 volume; {0} could not be removed: {1}', result.failed.length, failures)
          : vscode.l10n.t('Removed {0} volumes; {1} could not be removed: {2}', result.removed.length, result.failed.length, failures),
      );
    }
    return result;
  },
});
