// Name an anonymous volume: pick the anonymous mount, a name, see the plan, then the copy and the
// recreated container. The anonymous volume is kept.
// Design notes (script argument): docs/ui.md#srccommandsnamevolumets
import * as vscode from 'vscode';
import { defaultVolumeName, executeNameVolume, planNameVolume, type NameVolumeResult } from '../core/operations/migrations/nameVolume';
import { inspectVolume } from '../core/engine/volumeArchive';
import { defineCommand } from '../services';
import { dataOpContext } from './dataOpProgress';
import { volumeNameProblem } from '../core/volumeName';
import { say } from '../coreText';
import { confirmPlan, MIGRATION_OPTIONS, migrationTiming, runPlan } from './migrationUi';
import { Cancelled, mountArg } from './targets';

export const nameVolume = defineCommand({
  id: 'containerVolumes.nameVolume',
  changesData: true,
  options: { newName: 'string', ...MIGRATION_OPTIONS },
  async run(services, { target: given, options: o }): Promise<NameVolumeResult> {
    const target = await mountArg(services, given);
    const ctx = dataOpContext(services);
    let newName = o.newName;
    if (!newName) {
      newName = await services.prompter.inputBox({
        title: vscode.l10n.t('Name the anonymous volume of {0} at {1}', target.containerName, target.mount.destination),
        prompt: vscode.l10n.t('Name of the new volume (a copy; the anonymous one is kept)'),
        value: defaultVolumeName(target.containerName, target.mount.destination),
        validateInput: async (s) => {
          const problem = volumeNameProblem(s);
          if (problem) return say(problem);
          return (await inspectVolume(ctx.docker, s)) ? vscode.l10n.t('Volume "{0}" already exists.', s) : undefined;
        },
      });
      if (!newName) throw new Cancelled();
    }
    const plan = await planNameVolume(ctx, {
      container: target.containerId,
      destination: target.mount.destination,
      newName,
      volumeLabels: services.resourceLabels.volume,
      ...migrationTiming(o),
    });
    await confirmPlan(services, plan, vscode.l10n.t('Name It'), []);
    const result = await runPlan(services, ctx, plan, vscode.l10n.t('Naming the volume of {0}', target.containerName), executeNameVolume);
    void vscode.window.showInformationMessage(
      vscode.l10n.t(
        '{0} now mounts the volume "{1}" at {2}; the anonymous volume is kept until you remove it.',
        result.name,
        result.volume,
        target.mount.destination,
      ),
    );
    return result;
  },
});
