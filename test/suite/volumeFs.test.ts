// The docker-volume: file system inside the real extension host, through vscode.workspace.fs and a
// saved TextDocument, on the real engine; the result is checked from a container mounting the volume.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { HELPER_LABEL } from '../../src/core/engine/engine';
import { engineIdOf, volumeUri } from '../../src/fs/volumeUri';
import { cleanup, createVolume, sh, testEngine, uniq } from '../support/docker';
import { api, until } from './api';

const SUITE = 'ext-fs';

suite('docker-volume file system', function () {
  this.timeout(120000);
  const docker = testEngine().docker;
  let vol: string;
  let root: vscode.Uri;
  let roRoot: vscode.Uri;
  const at = (p: string) => root.with({ path: root.path + p });
  const inVolume = async (script: string) => (await sh(docker, SUITE, script, [`${vol}:/v`])).replace(/\r/g, '');
  const text = (s: string) => Buffer.from(s, 'utf8');

  async function fails(p: Thenable<unknown>, code: string): Promise<vscode.FileSystemError> {
    try {
      await p;
    } catch (e) {
      assert.ok(e instanceof vscode.FileSystemError, String(e));
      assert.equal(e.code, code, e.message);
      return e;
    }
    assert.fail(`expected ${code}`);
  }

  suiteSetup(async () => {
    await cleanup(docker, SUITE);
    const ext = await api();
    await until('the engine connection', () => ext.services.engine.state.kind === 'ok');
    vol = await createVolume(docker, SUITE, uniq('cv-extfs'));
    await sh(
      docker,
      SUITE,
      'mkdir -p /v/etc/app && printf "port=1\\n" > /v/etc/app/app.conf && chown -R 70:70 /v/etc && chmod 0600 /v/etc/app/app.conf && ln -s etc/app/app.conf /v/conf-link',
      [`${vol}:/v`],
    );
    const id = engineIdOf(ext.services.engine.get().endpoint);
    root = volumeUri(id, vol);
    roRoot = volumeUri(id, vol, { readOnly: true });
  });

  suiteTeardown(async () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const i = folders.findIndex((f) => f.uri.scheme === 'docker-volume');
    if (i >= 0) vscode.workspace.updateWorkspaceFolders(i, folders.length - i);
    await new Promise((r) => setTimeout(r, 1000)); // the provider closes the helper when the folder goes
    // The read-only folder was never a workspace folder: its helper would wait for the idle timeout.
    // Remove the helpers of this suite's volume (only those), so the volume can go too.
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

  test('stat and readDirectory show real types, sizes and times', async () => {
    const st = await vscode.workspace.fs.stat(at('/etc/app/app.conf'));
    assert.equal(st.type, vscode.FileType.File);
    assert.equal(st.size, 7);
    const secs = Number((await inVolume('stat -c %Y /v/etc/app/app.conf')).trim());
    assert.equal(Math.floor(st.mtime / 1000), secs);
    assert.equal((await vscode.workspace.fs.stat(root)).type, vscode.FileType.Directory);
    const entries = new Map(await vscode.workspace.fs.readDirectory(root));
    assert.equal(entries.get('etc'), vscode.FileType.Directory);
    assert.equal(entries.get('conf-link'), vscode.FileType.SymbolicLink | vscode.FileType.File);
  });

  test('read, write new and overwrite (owner and mode kept), errors', async () => {
    assert.equal(Buffer.from(await vscode.workspace.fs.readFile(at('/conf-link'))).toString(), 'port=1\n');
    await vscode.workspace.fs.writeFile(at('/etc/app/app.conf'), text('port=2\n'));
    await vscode.workspace.fs.writeFile(at('/etc/app/new.conf'), text('new\n'));
    assert.equal(await inVolume('stat -c "%u:%g %a" /v/etc/app/app.conf /v/etc/app/new.conf; cat /v/etc/app/app.conf'), '70:70 600\n70:70 644\nport=2\n');
    await fails(vscode.workspace.fs.readFile(at('/missing')), 'FileNotFound');
    await fails(vscode.workspace.fs.stat(at('/missing/deeper')), 'FileNotFound');
    await fails(vscode.workspace.fs.readDirectory(at('/etc/app/app.conf')), 'FileNotADirectory');
    await fails(vscode.workspace.fs.readFile(at('/etc')), 'FileIsADirectory');
  });

  test('mkdir, copy, rename, delete (recursive)', async () => {
    await vscode.workspace.fs.createDirectory(at('/work'));
    await vscode.workspace.fs.writeFile(at('/work/a.txt'), text('a'));
    await vscode.workspace.fs.copy(at('/work'), at('/work-copy'));
    await vscode.workspace.fs.rename(at('/work-copy/a.txt'), at('/work-copy/b.txt'));
    await fails(vscode.workspace.fs.rename(at('/work/a.txt'), at('/etc/app/app.conf'), { overwrite: false }), 'FileExists');
    assert.equal(await inVolume('cat /v/work/a.txt /v/work-copy/b.txt; ls -1 /v/work-copy'), 'aab.txt\n');
    await vscode.workspace.fs.delete(at('/work'), { recursive: true, useTrash: false });
    await vscode.workspace.fs.delete(at('/work-copy'), { recursive: true, useTrash: false });
    assert.equal(await inVolume('ls -1 /v'), 'conf-link\netc\n');
  });

  test('a name with spaces, quotes, a newline and Unicode is one file, nothing runs', async () => {
    const name = 'it\'s "a" $(touch pwned)\nnaïve ✓; rm -rf ~';
    const uri = vscode.Uri.joinPath(root, name);
    await vscode.workspace.fs.writeFile(uri, text('weird'));
    assert.equal(Buffer.from(await vscode.workspace.fs.readFile(uri)).toString(), 'weird');
    assert.ok((await vscode.workspace.fs.readDirectory(root)).some(([n]) => n === name));
    await vscode.workspace.fs.delete(uri);
    assert.equal(await inVolume('ls -1 /v; find / -xdev -name "pwned*" 2>/dev/null'), 'conf-link\netc\n');
  });

  test('a read-only volume folder refuses writes with the engine reason', async () => {
    const ro = (p: string) => roRoot.with({ path: roRoot.path + p });
    assert.equal(Buffer.from(await vscode.workspace.fs.readFile(ro('/etc/app/app.conf'))).toString(), 'port=2\n');
    const e = await fails(vscode.workspace.fs.writeFile(ro('/etc/app/app.conf'), text('x')), 'NoPermissions');
    assert.match(e.message, /read-only/i);
    await fails(vscode.workspace.fs.delete(ro('/etc'), { recursive: true }), 'NoPermissions');
    assert.equal(await inVolume('cat /v/etc/app/app.conf'), 'port=2\n');
  });

  test('S8: a document edited and saved in VS Code is seen at once by a container mounting the volume', async () => {
    const doc = await vscode.workspace.openTextDocument(at('/etc/app/app.conf'));
    const editor = await vscode.window.showTextDocument(doc);
    await editor.edit((b) => b.insert(new vscode.Position(doc.lineCount - 1, 0), 'saved=from-vscode\n'));
    assert.ok(await doc.save(), 'the document saved');
    assert.equal(await inVolume('cat /v/etc/app/app.conf; stat -c "%u:%g %a" /v/etc/app/app.conf'), 'port=2\nsaved=from-vscode\n70:70 600\n');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('Add to Workspace adds the volume as a folder whose files the workspace lists', async () => {
    const ext = await api();
    await ext.services.inventory.refresh();
    const before = vscode.workspace.workspaceFolders?.length ?? 0;
    const changed = new Promise<vscode.WorkspaceFoldersChangeEvent>((resolve, reject) => {
      const timer = setTimeout(() => {
        sub.dispose();
        reject(new Error('no onDidChangeWorkspaceFolders event'));
      }, 20000);
      const sub = vscode.workspace.onDidChangeWorkspaceFolders((e) => {
        clearTimeout(timer);
        sub.dispose();
        resolve(e);
      });
    });
    const added = await ext.runCommand('containerVolumes.addVolumeToWorkspace', { volumeName: vol });
    assert.equal(added, root.toString());
    const e = await changed;
    assert.equal(e.added[0]?.uri.toString(), root.toString());
    assert.equal(vscode.workspace.workspaceFolders?.length, before + 1);
    const folder = vscode.workspace.getWorkspaceFolder(at('/etc/app/app.conf'));
    assert.equal(folder?.uri.toString(), root.toString());
    assert.ok((await vscode.workspace.fs.readDirectory(folder.uri)).some(([n]) => n === 'etc'));
  });
});
