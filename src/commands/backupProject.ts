// Back Up Project…: every volume of a Compose project (its group in the Volumes view, or a pick), the
// project's containers stopped once when the user wants consistency. Argument: { project, … } as Back Up Volumes.
import * as vscode from 'vscode';
import type { CommandSpec } from '../services';
import { runBackupSet } from './backupVolumes';
import { argObject, Cancelled, stringArg } from './targets';

export const backupProject: CommandSpec = {
  id: 'containerVolumes.backupProject',
  changesData: true, // stops containers when the user chooses consistency
  async run(services, arg) {
    const o = argObject(arg);
    let project = stringArg(o, 'project');
    if (!project) {
      if (!services.inventory.current) await services.inventory.refresh();
      const projects = [...new Set((services.inventory.current?.volumes ?? []).map((v) => v.composeProject).filter((p): p is string => !!p))].sort();
      if (!projects.length) throw new Error(vscode.l10n.t('No volume belongs to a Compose project.'));
      const picked = await services.prompter.quickPick(projects.map((p) => ({ label: p })), { placeHolder: vscode.l10n.t('Choose a Compose project') });
      if (!picked) throw new Cancelled();
      project = picked.label;
    }
    return runBackupSet(services, { ...o, project, kind: undefined });
  },
};
