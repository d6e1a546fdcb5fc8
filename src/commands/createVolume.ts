// Creates a named volume; asks for the name (validated as you type) unless given { name }.
import * as vscode from 'vscode';
import { volumeNameProblem, createVolume as create } from '../core/volumeAdmin';
import type { CommandSpec } from '../services';
import { argObject, Cancelled } from './targets';

export const createVolume: CommandSpec = {
  id: 'containerVolumes.createVolume',
  async run(services, arg) {
    const o = argObject(arg);
    const labels = (o.labels && typeof o.labels === 'object' ? o.labels : {}) as Record<string, string>;
    const name = typeof o.name === 'string' ? o.name : await vscode.window.showInputBox({
      title: vscode.l10n.t('Create Volume'),
      prompt: vscode.l10n.t('Name of the new volume'),
      validateInput: (v) => (v ? volumeNameProblem(v) && vscode.l10n.t('Use at least two of letters, digits, "_", "." and "-", starting with a letter or digit.') : undefined),
    });
    if (name === undefined) throw new Cancelled();
    await create(services.engine.get(), name, labels);
    await services.inventory.refresh();
    return name;
  },
};
