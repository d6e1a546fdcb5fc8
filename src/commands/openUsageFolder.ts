// Open as Folder, from the Disk Usage view: the folder becomes a workspace folder of its own
// (a `docker-volume:` URI), or is revealed where a workspace folder already holds it.
// Design notes: docs/ui.md#srccommandsopenusagefolderts
import * as vscode from 'vscode';
import { parseVolumeUri } from '../fs/volumeUri';
import { defineCommand } from '../services';
import { usageEntry } from './usageEntryTarget';

export const openUsageFolder = defineCommand({
  id: 'containerVolumes.openUsageFolder',
  async run(services, { target }) {
    const e = usageEntry(target);
    const isFolder = e.kind === 'folder' || (await vscode.workspace.fs.stat(e.uri)).type & vscode.FileType.Directory;
    if (!isFolder) throw new Error(vscode.l10n.t('Choose a folder in the Disk Usage view.'));
    const holder = vscode.workspace.getWorkspaceFolder(e.uri);
    if (holder) {
      await vscode.commands.executeCommand('revealInExplorer', e.uri);
      if (holder.uri.toString() !== e.uri.toString()) await vscode.commands.executeCommand('list.expand');
      return { uri: e.uri.toString(), added: false };
    }
    const loc = parseVolumeUri(e.uri);
    const shown = services.volumeSearch.usage.shownVolume;
    const label = shown?.volume === loc.volume ? shown.label : loc.volume;
    const name = `${label} · ${loc.path}${loc.readOnly ? ' (ro)' : ''}`;
    const folders = vscode.workspace.workspaceFolders ?? [];
    const added = new Promise<void>((resolve) => {
      const sub = vscode.workspace.onDidChangeWorkspaceFolders(() => {
        sub.dispose();
        resolve();
      });
    });
    if (!vscode.workspace.updateWorkspaceFolders(folders.length, 0, { uri: e.uri, name })) {
      throw new Error(vscode.l10n.t('VS Code refused to add {0} to the workspace.', name));
    }
    await added;
    await vscode.commands.executeCommand('revealInExplorer', e.uri);
    return { uri: e.uri.toString(), added: true };
  },
});
