// Give a container its own copy of the volumes it mounts through --volumes-from: pick the container,
// see the plan, then the copies and the recreated container.
// Design notes (script argument): docs/ui.md#srccommandsowncopyts
import * as vscode from 'vscode';
import { executeOwnCopy, planOwnCopy, type OwnCopyResult } from '../core/operations/migrations/ownCopy';
import { defineCommand } from '../services';
import { dataOpContext } from './dataOpProgress';
import { confirmPlan, MIGRATION_OPTIONS, migrationTiming, runPlan } from './migrationUi';
import { containerArg } from './targets';

export const ownCopy = defineCommand({
  id: 'containerVolumes.ownCopy',
  changesData: true,
  options: { names: 'stringMap', ...MIGRATION_OPTIONS },
  async run(services, { target, options: o }): Promise<OwnCopyResult> {
    const container = await containerArg(services, target);
    const ctx = dataOpContext(services);
    const names = o.names;
    const plan = await planOwnCopy(ctx, {
      container: container.id,
      names,
      volumeLabels: services.resourceLabels.volume,
      ...migrationTiming(o),
    });
    await confirmPlan(services, plan, vscode.l10n.t('Copy'), []);
    const result = await runPlan(services, ctx, plan, vscode.l10n.t('Giving {0} its own copy', container.name), executeOwnCopy);
    void vscode.window.showInformationMessage(
      vscode.l10n.t(
        '{0} now has its own copy: {1}.',
        result.name,
        Object.entries(result.volumes)
          .map(([d, v]) => `${d} → ${v}`)
          .join(', '),
      ),
    );
    return result;
  },
});
