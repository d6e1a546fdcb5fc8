// Adds a volume (or a container's mount) to the current workspace as a folder. In a window with one
// folder or none, VS Code turns it into an untitled workspace and reloads the window.
import * as vscode from 'vscode';
import { defineCommand } from '../services';
import { volumeFolderTarget } from './volumeFolderTarget';

export const addVolumeToWorkspace = defineCommand({
  id: 'containerVolumes.addVolumeToWorkspace',
  async run(services, { target }) {
    const { uri, name } = await volumeFolderTarget(services, target);
    const folders = vscode.workspace.workspaceFolders ?? [];
    const existing = folders.find((f) => f.uri.toString() === uri.toString());
    if (existing) {
      await vscode.commands.executeCommand('revealInExplorer', uri);
      return uri.toString();
    }
    if (!vscode.workspace.updateWorkspaceFolders(folders.length, 0, { uri, name })) {
      throw new Error(vscode.l10n.t('VS Code refused to add {0} to the workspace.', name));
    }
    return uri.toString();
  },
});
