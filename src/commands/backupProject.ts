// Back Up Project…: every volume of a Compose project (its group in the Volumes view, or a pick), the
// project's containers stopped once when the user wants consistency. Argument: { project, … } as Back Up Volumes.
import * as vscode from 'vscode';
import type { CommandSpec } from '../services';
import { runBackupSet } from './backupVolumes';
import { stringArg } from './dataOpProgress';
import { argObject, Cancelled } from './targets';

export const backupProject: CommandSpec = {
  id: 'containerVolumes.backupProject',
  async run(services, arg) {
    const o = argObject(arg);
    let project = stringArg(o, 'project');
    if (!project) {
      if (!services.inventory.current) await services.inventory.refresh();
      const projects = [...new Set((services.inventory.current?.volumes ?? []).map((v) => v.composeProject).filter((p): p is string => !!p))].sort();
      if (!projects.length) throw new Error(vscode.l10n.t('No volume belongs to a Compose project.'));
      project = await vscode.window.showQuickPick(projects, { placeHolder: vscode.l10n.t('Choose a Compose project') });
      if (!project) throw new Cancelled();
    }
    return runBackupSet(services, { ...o, project, kind: undefined });
  },
};
