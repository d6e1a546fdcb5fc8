// The test window itself: opened on a .code-workspace file with the harness's settings, so features
// that add workspace folders (updateWorkspaceFolders only works inside a workspace) can be tested.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';

suite('Test window', function () {
  this.timeout(60000);

  test('is a workspace (a .code-workspace file) with autosave off', () => {
    assert.ok(vscode.workspace.workspaceFile, 'a workspace file is open');
    assert.match(vscode.workspace.workspaceFile.path, /\.code-workspace$/);
    assert.equal(vscode.workspace.getConfiguration('files').get('autoSave'), 'off');
  });

  test('a folder can be appended to the workspace and removed again, in place', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cv-ws-'));
    const before = vscode.workspace.workspaceFolders?.length ?? 0;
    const changed = (timeoutMs: number) => new Promise<vscode.WorkspaceFoldersChangeEvent>((resolve, reject) => {
      const timer = setTimeout(() => { sub.dispose(); reject(new Error('no onDidChangeWorkspaceFolders event')); }, timeoutMs);
      const sub = vscode.workspace.onDidChangeWorkspaceFolders((e) => { clearTimeout(timer); sub.dispose(); resolve(e); });
    });
    try {
      const added = changed(15000);
      assert.ok(vscode.workspace.updateWorkspaceFolders(before, 0, { uri: vscode.Uri.file(dir), name: 'added' }));
      const e = await added;
      assert.equal(e.added[0]?.uri.fsPath, dir);
      assert.equal(vscode.workspace.workspaceFolders?.length, before + 1);
      const removed = changed(15000);
      assert.ok(vscode.workspace.updateWorkspaceFolders(before, 1));
      await removed;
      assert.equal(vscode.workspace.workspaceFolders?.length ?? 0, before);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
