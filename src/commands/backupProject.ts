// Back Up Project…: every volume of a Compose project (its group in the Volumes view, or a pick), the
// project's containers stopped once when the user wants consistency. Argument: { project, … } as Back Up Volumes.
import * as vscode from 'vscode';
import { defineCommand } from '../services';
import { BACKUP_SET_OPTIONS, runBackupSet } from './backupVolumes';
import { Cancelled } from './targets';

export const backupProject = defineCommand({
  id: 'containerVolumes.backupProject',
  changesData: true, // stops containers when the user chooses consistency
  options: BACKUP_SET_OPTIONS,
  async run(services, { options }) {
    let project = options.project;
    if (!project) {
      if (!services.inventory.current) await services.inventory.refresh();
      const projects = [...new Set((services.inventory.current?.volumes ?? []).map((v) => v.composeProject).filter((p): p is string => !!p))].sort();
      if (!projects.length) throw new Error(vscode.l10n.t('No volume belongs to a Compose project.'));
      const picked = await services.prompter.quickPick(
        projects.map((p) => ({ label: p })),
        { placeHolder: vscode.l10n.t('Choose a Compose project') },
      );
      if (!picked) throw new Cancelled();
      project = picked.label;
    }
    // The project alone: not the row it was run on (a volume of the project).
    return runBackupSet(services, { target: { kind: 'none' }, options: { ...options, project } });
  },
});
