// Removes one unused volume after a modal confirmation (its data is deleted for good).
import * as vscode from 'vscode';
import { removeVolume as remove } from '../core/operations/volumeAdmin';
import { defineCommand } from '../services';
import { volumeLabel } from '../tree/describe';
import { Cancelled, volumeArg } from './targets';

export const removeVolume = defineCommand({
  id: 'containerVolumes.removeVolume',
  changesData: true,
  async run(services, { target }) {
    const v = await volumeArg(services, target, (x) => x.users.length === 0, vscode.l10n.t('Choose an unused volume to remove'));
    if (v.users.length > 0) {
      throw new Error(
        vscode.l10n.t('Volume "{0}" is used by {1}: remove those containers first.', volumeLabel(v), v.users.map((u) => u.containerName).join(', ')),
      );
    }
    const removeLabel = vscode.l10n.t('Remove Volume');
    const answer = await services.prompter.warning(
      vscode.l10n.t('Remove volume "{0}"?', volumeLabel(v)),
      { modal: true, detail: vscode.l10n.t('Its data ({0}) is deleted for good. Back it up first if you may need it.', v.mountpoint) },
      removeLabel,
    );
    if (answer !== removeLabel) throw new Cancelled();
    await remove(services.engine.get(), v.name);
    await services.inventory.refresh();
    return v.name;
  },
});
