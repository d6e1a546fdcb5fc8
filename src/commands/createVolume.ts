// Creates a named volume; asks for the name (validated as you type) unless given { name }.
import * as vscode from 'vscode';
import { createVolume as create } from '../core/operations/volumeAdmin';
import { isVolumeName } from '../core/volumeName';
import { defineCommand } from '../services';
import { Cancelled, volumeNameHint } from './targets';

export const createVolume = defineCommand({
  id: 'containerVolumes.createVolume',
  changesData: true,
  options: { name: 'string' },
  async run(services, { options }) {
    const name =
      options.name ??
      (await services.prompter.inputBox({
        title: vscode.l10n.t('Create Volume'),
        prompt: vscode.l10n.t('Name of the new volume'),
        validateInput: (v) => (v && !isVolumeName(v) ? volumeNameHint() : undefined),
      }));
    if (name === undefined) throw new Cancelled();
    await create(services.engine.get(), name, { ...services.resourceLabels.volume });
    await services.inventory.refresh();
    return name;
  },
});
