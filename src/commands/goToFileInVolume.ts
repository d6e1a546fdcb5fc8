// Go to File in Volume…: a QuickPick over the volume's file paths, filtered fuzzily like Quick Open,
// opening the file picked. The list is cached per open volume.
// Design notes: docs/ui.md#srccommandsgotofileinvolumets
import * as vscode from 'vscode';
import { fuzzyFilter, type FileIndexState } from '../core/files/fileIndex';
import { fileUri } from '../model/VolumeSearch';
import { defineCommand } from '../services';
import { searchTarget, targetLabel } from './searchTarget';
import { sayError } from '../coreText';

const SHOWN = 200;

interface FileItem extends vscode.QuickPickItem {
  readonly path: string;
}

export const goToFileInVolume = defineCommand({
  id: 'containerVolumes.goToFileInVolume',
  options: { query: 'text' },
  async run(services, { target, options }) {
    const t = await searchTarget(services, target);
    const index = services.volumeSearch.index(t);
    const under = t.folder === '/' ? '' : t.folder;
    const inFolder = (paths: readonly string[]) => (under ? paths.filter((p) => p.startsWith(under + '/')) : paths);
    const query = options.query;
    if (query !== undefined) {
      await index.ensureFresh();
      if (index.state.error) throw index.state.error;
      const best = fuzzyFilter(query, inFolder(index.state.paths), 1)[0];
      if (!best) throw new Error(vscode.l10n.t('No file of {0} matches "{1}".', targetLabel(t), query));
      const uri = fileUri(t, best.path);
      await vscode.commands.executeCommand('vscode.open', uri);
      return uri.toString();
    }

    const qp = vscode.window.createQuickPick<FileItem>();
    const subscriptions: vscode.Disposable[] = [qp];
    qp.title = vscode.l10n.t('Go to File in {0}', targetLabel(t));
    qp.placeholder = vscode.l10n.t('Type to find a file by name (letters in order, like Quick Open)');
    qp.matchOnDescription = false;
    qp.matchOnDetail = false;
    const render = (s: FileIndexState) => {
      const paths = inFolder(s.paths);
      // Our own fuzzy order; alwaysShow keeps VS Code's substring filter from hiding our matches.
      qp.items = fuzzyFilter(qp.value, paths, SHOWN).map((m) => {
        const slash = m.path.lastIndexOf('/');
        const dir = m.path.slice(under.length, slash);
        return { label: m.path.slice(slash + 1), description: dir ? dir.slice(1) : undefined, path: m.path, alwaysShow: true };
      });
      qp.busy = s.loading;
      if (s.error) qp.placeholder = vscode.l10n.t('Could not list the files: {0}', sayError(s.error));
      else if (s.complete) {
        qp.placeholder =
          paths.length === 1
            ? vscode.l10n.t('1 file · type to find it by name (letters in order, like Quick Open)')
            : vscode.l10n.t('{0} files · type to find one by name (letters in order, like Quick Open)', paths.length);
      }
    };
    try {
      subscriptions.push(new vscode.Disposable(index.subscribe(render)));
      subscriptions.push(qp.onDidChangeValue(() => render(index.state)));
      const picked = new Promise<FileItem | undefined>((resolve) => {
        subscriptions.push(qp.onDidAccept(() => resolve(qp.selectedItems[0] ?? qp.activeItems[0])));
        subscriptions.push(qp.onDidHide(() => resolve(undefined)));
      });
      render(index.state);
      qp.show();
      void index.ensureFresh();
      const item = await picked;
      if (!item) return undefined;
      qp.hide();
      const uri = fileUri(t, item.path);
      await vscode.commands.executeCommand('vscode.open', uri);
      return uri.toString();
    } finally {
      for (const d of subscriptions) d.dispose();
    }
  },
});
