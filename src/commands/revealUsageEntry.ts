// Reveal in Explorer, from the Disk Usage view: shows the file or folder in the Explorer, adding the
// volume to the workspace first (after asking) when it is not there yet.
import * as vscode from 'vscode';
import { parseVolumeUri, volumeUri } from '../fs/volumeUri';
import { defineCommand } from '../services';
import { Cancelled } from './targets';
import { usageEntry } from './usageEntryTarget';

export const revealUsageEntry = defineCommand({
  id: 'containerVolumes.revealUsageEntry',
  async run(services, { target }) {
    const e = usageEntry(target);
    if (!vscode.workspace.getWorkspaceFolder(e.uri)) {
      const loc = parseVolumeUri(e.uri);
      const add = vscode.l10n.t('Add to Workspace');
      const answer = await services.prompter.info(
        vscode.l10n.t('The volume {0} is not a folder of this workspace. Add it to show {1} in the Explorer?', loc.volume, loc.path),
        add,
      );
      if (answer !== add) throw new Cancelled();
      const root = volumeUri(loc.engineId, loc.volume, { readOnly: loc.readOnly });
      const n = vscode.workspace.workspaceFolders?.length ?? 0;
      const added = new Promise<void>((resolve) => {
        const sub = vscode.workspace.onDidChangeWorkspaceFolders(() => {
          sub.dispose();
          resolve();
        });
      });
      if (!vscode.workspace.updateWorkspaceFolders(n, 0, { uri: root, name: `volume ${loc.volume}` })) {
        throw new Error(vscode.l10n.t('The volume could not be added to the workspace.'));
      }
      await added;
    }
    await vscode.commands.executeCommand('revealInExplorer', e.uri);
    return e.uri.toString();
  },
});
