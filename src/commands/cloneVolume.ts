// Clone a volume into a new one (contents, driver and labels), on the same engine, with no temporary
// file. Test/script argument: { volumeName, newName, stopContainers }.
import * as vscode from 'vscode';
import { cloneVolume as clone, type CloneResult } from '../core/operations/cloneVolume';
import { inspectVolume } from '../core/engine/volumeArchive';
import { defineCommand } from '../services';
import { BUSY_OPTIONS, busyPolicy, dataOpContext, dataSettings, withCancellableProgress } from './dataOpProgress';
import { isVolumeName } from '../core/volumeName';
import { Cancelled, volumeArg, volumeNameHint } from './targets';
import { say } from '../coreText';

export const cloneVolume = defineCommand({
  id: 'containerVolumes.cloneVolume',
  changesData: true,
  options: { newName: 'string', stopContainers: 'boolean', ...BUSY_OPTIONS },
  async run(services, { target: given, options: o }): Promise<CloneResult> {
    const v = await volumeArg(services, given, undefined, vscode.l10n.t('Choose a volume to clone'));
    const docker = services.engine.get().docker;
    let newName = o.newName;
    if (!newName) {
      newName = await services.prompter.inputBox({
        title: vscode.l10n.t('Clone {0}', v.name),
        prompt: vscode.l10n.t('Name of the new volume'),
        value: `${v.name.slice(0, 40)}-copy`,
        validateInput: async (s) => {
          if (!isVolumeName(s)) return volumeNameHint();
          return (await inspectVolume(docker, s)) ? vscode.l10n.t('Volume "{0}" already exists.', s) : undefined;
        },
      });
      if (!newName) throw new Cancelled();
    }
    const settings = dataSettings();
    const target = newName;
    const sizes = await services.inventory.sizes().catch(() => new Map<string, number>());
    const size = sizes.get(v.name);
    const result = await withCancellableProgress(vscode.l10n.t('Cloning {0} to {1}', v.name, target), (signal, progress) =>
      clone(
        dataOpContext(services),
        {
          source: v.name,
          target,
          stopContainers: o.stopContainers ?? settings.stopContainers,
          sizeHint: size !== undefined && size > 0 ? size : undefined,
          volumeLabels: services.resourceLabels.volume,
        },
        { signal, progress, lock: busyPolicy(services, o.ifBusy) },
      ),
    );
    await services.inventory.refresh();
    for (const w of result.warnings) void vscode.window.showWarningMessage(say(w));
    void vscode.window.showInformationMessage(
      result.entries === 1
        ? vscode.l10n.t('Cloned {0} to the new volume "{1}" (1 entry).', v.name, target)
        : vscode.l10n.t('Cloned {0} to the new volume "{1}" ({2} entries).', v.name, target, result.entries),
    );
    return result;
  },
});
