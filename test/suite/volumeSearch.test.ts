// Go to File in Volume, Find in Volume and Show Disk Usage inside the real extension host, run as
// commands with their argument objects (no prompt), on the real engine: the file opened, the results
// view's content, the disk usage view, and Delete… from it (the file gone, Go to File's list reloaded).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { HELPER_LABEL } from '../../src/core/engine/engine';
import { cleanup, createVolume, sh, testEngine, uniq } from '../support/docker';
import { api, until } from './api';
import { answering, ScriptedPrompter } from './prompter';

const SUITE = 'ext-find';

suite('Find in volumes (extension host)', function () {
  this.timeout(120000);
  const docker = testEngine().docker;
  let vol: string;

  suiteSetup(async () => {
    await cleanup(docker, SUITE);
    const ext = await api();
    await until('the engine connection', () => ext.services.engine.state.kind === 'ok');
    vol = await createVolume(docker, SUITE, uniq('cv-extfind'));
    await sh(
      docker,
      SUITE,
      'mkdir -p /v/etc/app /v/data && printf "name=x\\nport=8080\\n" > /v/etc/app/app.conf && head -c 200000 /dev/zero > /v/data/blob.bin',
      [`${vol}:/v`],
    );
    await until('the volume in the inventory', async () => {
      await ext.services.inventory.refresh();
      return ext.services.inventory.current?.volumes.some((v) => v.name === vol);
    });
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const helpers = await docker.listContainers({ all: true, filters: { label: [HELPER_LABEL], volume: [vol] } });
    await Promise.all(
      helpers.map((h) =>
        docker
          .getContainer(h.Id)
          .remove({ force: true })
          .catch(() => undefined),
      ),
    );
    await cleanup(docker, SUITE);
  });

  test('Go to File opens the best fuzzy match from the volume', async () => {
    const ext = await api();
    const uri = (await ext.runCommand('containerVolumes.goToFileInVolume', { volumeName: vol, query: 'apcnf' })) as string;
    assert.ok(uri.endsWith(`/${vol}/etc/app/app.conf`), uri);
    const editor = await until('the editor', () => vscode.window.activeTextEditor);
    assert.equal(editor.document.uri.toString(), uri);
    assert.equal(editor.document.getText(), 'name=x\nport=8080\n');
    await assert.rejects(ext.runCommand('containerVolumes.goToFileInVolume', { volumeName: vol, query: 'zzzz' }), /No file/);
  });

  test('Find in Volume fills the Search Results view; a line opens at its number', async () => {
    const ext = await api();
    const r = (await ext.runCommand('containerVolumes.findInVolume', { volumeName: vol, query: '8080' })) as { files: number; matches: number };
    assert.deepEqual([r.files, r.matches], [1, 1]);
    const results = ext.services.volumeSearch.results;
    const files = results.getChildren();
    assert.equal(files.length, 1);
    const lines = results.getChildren(files[0]);
    const item = results.getTreeItem(lines[0]);
    assert.equal(typeof item.label === 'object' ? item.label.label : item.label, 'port=8080');
    assert.deepEqual(typeof item.label === 'object' ? item.label.highlights : undefined, [[5, 9]]);
    assert.equal(item.description, '2');
    const [uri, opts] = item.command?.arguments as [vscode.Uri, vscode.TextDocumentShowOptions];
    await vscode.commands.executeCommand(item.command?.command ?? '', uri, opts);
    const editor = await until('the editor at line 2', () =>
      vscode.window.activeTextEditor?.selection.start.line === 1 ? vscode.window.activeTextEditor : undefined,
    );
    assert.equal(editor.document.getText(editor.selection), '8080');
  });

  test('Show Disk Usage lists folders by size; Delete… removes a file and Go to File forgets it', async () => {
    const ext = await api();
    const r = (await ext.runCommand('containerVolumes.showDiskUsage', { volumeName: vol })) as { bytes: number; entries: number };
    assert.equal(r.entries, 2);
    const usage = ext.services.volumeSearch.usage;
    const top = usage.getChildren();
    const labels = top.map((n) => usage.getTreeItem(n).label);
    assert.deepEqual(labels, ['Biggest files', 'data', 'etc'], 'biggest files first, then folders biggest first');
    const biggest = usage.getChildren(top[0]);
    assert.equal(usage.getTreeItem(biggest[0]).label, 'blob.bin');
    await ext.runCommand('containerVolumes.goToFileInVolume', { volumeName: vol, query: 'blob' });
    await answering(ext, new ScriptedPrompter().on(/^Delete /, 'Delete'), () => ext.runCommand('containerVolumes.deleteUsageEntry', biggest[0]));
    const left = await sh(docker, SUITE, 'ls /v/data', [`${vol}:/v`]);
    assert.equal(left.trim(), '');
    assert.equal(usage.getChildren(usage.getChildren()[0]).length, 1, 'only app.conf is left among the biggest files');
    await assert.rejects(ext.runCommand('containerVolumes.goToFileInVolume', { volumeName: vol, query: 'blob' }), /No file/);
  });

  test('Open as Folder makes a Disk Usage folder a folder of the workspace, or reveals it in the one that holds it', async () => {
    const ext = await api();
    await ext.runCommand('containerVolumes.showDiskUsage', { volumeName: vol });
    const usage = ext.services.volumeSearch.usage;
    const etc = usage.getChildren().find((n) => usage.getTreeItem(n).label === 'etc');
    assert.ok(etc && etc.kind === 'folder', 'the etc folder is listed');
    const before = vscode.workspace.workspaceFolders?.length ?? 0;
    const opened = (await ext.runCommand('containerVolumes.openUsageFolder', etc)) as { uri: string; added: boolean };
    assert.deepEqual(opened, { uri: etc.uri.toString(), added: true });
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.equal(folders.length, before + 1);
    const added = folders[folders.length - 1];
    assert.equal(added.uri.toString(), etc.uri.toString());
    assert.equal(added.name, `${vol} · /etc`);
    const inside = (await vscode.workspace.fs.readDirectory(added.uri)).map(([n]) => n);
    assert.ok(inside.length > 0, 'the folder lists its files through the volume');
    // a second time: already a folder of the workspace, so nothing is added
    const again = (await ext.runCommand('containerVolumes.openUsageFolder', etc)) as { added: boolean };
    assert.equal(again.added, false);
    assert.equal(vscode.workspace.workspaceFolders?.length, before + 1);
    await assert.rejects(ext.runCommand('containerVolumes.openUsageFolder', usage.getChildren(usage.getChildren()[0])[0]), /Choose a folder/);
    vscode.workspace.updateWorkspaceFolders(folders.length - 1, 1);
  });
});
