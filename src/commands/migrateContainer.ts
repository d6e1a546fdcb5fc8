// Upgrade a container's image keeping its data (S6): pick the container, the new image and whether to
// keep the old one, see the plan, then it runs with progress and is undone on failure or cancel.
// Design notes (script argument): docs/ui.md#srccommandsmigratecontainerts
import * as vscode from 'vscode';
import { call } from '../core/engine/engine';
import { executeUpgrade, planUpgrade, type UpgradeResult } from '../core/operations/migrations/upgradeImage';
import { defineCommand } from '../services';
import { dataOpContext } from './dataOpProgress';
import { confirmPlan, MIGRATION_OPTIONS, migrationTiming, runPlan } from './migrationUi';
import { Cancelled, containerArg } from './targets';

export const migrateContainer = defineCommand({
  id: 'containerVolumes.migrateContainer',
  changesData: true,
  options: { image: 'string', keepOld: 'boolean', ...MIGRATION_OPTIONS },
  async run(services, { target, options: o }): Promise<UpgradeResult> {
    const container = await containerArg(services, target);
    const ctx = dataOpContext(services);
    let image = o.image;
    if (!image) {
      const images = await call(() => ctx.docker.listImages());
      const tags = images
        .flatMap((i) => i.RepoTags ?? [])
        .filter((t) => t !== '<none>:<none>')
        .sort();
      const picked = await services.prompter.quickPick(
        tags.map((t) => ({ label: t, description: t === container.image ? vscode.l10n.t('current image') : undefined })),
        {
          title: vscode.l10n.t('Upgrade {0} to a new image', container.name),
          placeHolder: vscode.l10n.t('The image the new container runs (it keeps every volume of {0})', container.name),
        },
      );
      if (!picked) throw new Cancelled();
      image = picked.label;
    }
    let keepOld = o.keepOld;
    if (keepOld === undefined) {
      const remove = { label: vscode.l10n.t('Remove the old container when the new one is up'), keep: false };
      const keep = { label: vscode.l10n.t('Keep the old container, stopped and renamed, as a way back'), keep: true };
      const picked = await services.prompter.quickPick([remove, keep], { title: vscode.l10n.t('Upgrade {0} to {1}', container.name, image) });
      if (!picked) throw new Cancelled();
      keepOld = picked.keep;
    }
    const plan = await planUpgrade(ctx, {
      container: container.id,
      image,
      keepOld,
      ...migrationTiming(o),
    });
    const f = plan.facts;
    await confirmPlan(services, plan, vscode.l10n.t('Upgrade'), [
      vscode.l10n.t('Mounted as before: {0}', f.mounts || vscode.l10n.t('nothing')),
      vscode.l10n.t('Command of the new container: {0}', f.command),
    ]);
    const result = await runPlan(services, ctx, plan, vscode.l10n.t('Upgrading {0}', container.name), executeUpgrade);
    void vscode.window.showInformationMessage(
      result.oldName
        ? vscode.l10n.t('{0} now runs {1}; the old container is kept, stopped, as {2}.', result.name, result.image, result.oldName)
        : vscode.l10n.t('{0} now runs {1}, with all its volumes.', result.name, result.image),
    );
    return result;
  },
});
