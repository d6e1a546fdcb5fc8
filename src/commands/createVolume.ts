// Creates a named volume; asks for the name (validated as you type) unless given { name }.
import * as vscode from 'vscode';
import { createVolume as create } from '../core/operations/volumeAdmin';
import { isVolumeName } from '../core/volumeName';
import type { CommandSpec } from '../services';
import { argObject, Cancelled, stringArg, volumeNameHint } from './targets';

export const createVolume: CommandSpec = {
  id: 'containerVolumes.createVolume',
  changesData: true,
  async run(services, arg) {
    const o = argObject(arg);
    const name = stringArg(o, 'name') ?? await services.prompter.inputBox({
      title: vscode.l10n.t('Create Volume'),
      prompt: vscode.l10n.t('Name of the new volume'),
      validateInput: (v) => (v && !isVolumeName(v) ? volumeNameHint() : undefined),
    });
    if (name === undefined) throw new Cancelled();
    await create(services.engine.get(), name, { ...services.resourceLabels.volume });
    await services.inventory.refresh();
    return name;
  },
};
