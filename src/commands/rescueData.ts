// Rescue data from a container's writable layer: pick the container, a folder it changed, a name for
// the new volume, the plan; then the copy and the recreated container.
// Design notes (script argument): docs/ui.md#srccommandsrescuedatats
import * as vscode from 'vscode';
import { defaultVolumeName } from '../core/operations/migrations/nameVolume';
import { executeRescue, planRescue, writableLayerChanges, type RescueResult } from '../core/operations/migrations/rescueData';
import { defineCommand } from '../services';
import { dataOpContext } from './dataOpProgress';
import { confirmPlan, MIGRATION_OPTIONS, migrationTiming, runPlan } from './migrationUi';
import { Cancelled, containerArg } from './targets';

export const rescueData = defineCommand({
  id: 'containerVolumes.rescueData',
  changesData: true,
  options: { path: 'string', newName: 'string', ...MIGRATION_OPTIONS },
  async run(services, { target, options: o }): Promise<RescueResult> {
    const container = await containerArg(services, target);
    const ctx = dataOpContext(services);
    let path = o.path;
    if (!path) {
      const changes = (await writableLayerChanges(ctx, container.id)).filter((c) => c.kind !== 'deleted');
      // What a user can choose: what changed, except inside a folder the container added (/data, not
      // each file under it); folders of the image it changed (/var, /var/log) are listed with what
      // it added in them (/var/log/app), so a small part need not take a whole image folder along.
      const added = changes.filter((c) => c.kind === 'added');
      const tops = changes.filter((c) => !added.some((p) => p !== c && c.path.startsWith(`${p.path}/`))).sort((a, b) => a.path.localeCompare(b.path));
      if (tops.length === 0) throw new Error(vscode.l10n.t('{0} has written nothing outside its mounts.', container.name));
      const picked = await services.prompter.quickPick(
        tops.map((c) => ({ label: c.path, description: c.kind === 'added' ? vscode.l10n.t('added') : vscode.l10n.t('changed') })),
        {
          title: vscode.l10n.t('Rescue data from the writable layer of {0}', container.name),
          placeHolder: vscode.l10n.t('The folder to move into a new volume (a file moves with its folder)'),
        },
      );
      if (!picked) throw new Cancelled();
      path = picked.label;
    }
    let newName = o.newName;
    if (!newName) {
      newName = await services.prompter.inputBox({
        title: vscode.l10n.t('Rescue data from the writable layer of {0}', container.name),
        prompt: vscode.l10n.t('Name of the new volume'),
        value: defaultVolumeName(container.name, path),
      });
      if (!newName) throw new Cancelled();
    }
    const plan = await planRescue(ctx, {
      container: container.id,
      path,
      newName,
      volumeLabels: services.resourceLabels.volume,
      ...migrationTiming(o),
    });
    await confirmPlan(services, plan, vscode.l10n.t('Move It'), []);
    const result = await runPlan(services, ctx, plan, vscode.l10n.t('Rescuing {0} of {1}', path, container.name), executeRescue);
    void vscode.window.showInformationMessage(vscode.l10n.t('{0} now keeps {1} in the volume "{2}".', result.name, result.path, result.volume));
    return result;
  },
});
