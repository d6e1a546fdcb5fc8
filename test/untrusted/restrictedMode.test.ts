// Restricted Mode, in a real untrusted window (run-ext-tests.sh --untrusted): a volume folder opens
// read-only (read-only files, writes refused, a helper that mounts the volume read-only) and a
// command that changes data says why and waits for trust; dismissed, nothing is changed. Read-only
// commands keep working. The manifest says "limited" and hides the data-changing menu items.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { commands } from '../../src/commands';
import { HELPER_LABEL } from '../../src/core/engine/engine';
import { engineIdOf, volumeUri } from '../../src/fs/volumeUri';
import type { Prompter } from '../../src/prompter';
import type { TestHooks } from '../../src/testHooks';
import { cleanup, createVolume, labels, sh, testEngine, uniq } from '../support/docker';
import { api, EXTENSION_ID, until } from '../suite/api';
import { ScriptedPrompter } from '../suite/prompter';

const SUITE = 'ext-untrusted';

suite('Restricted Mode (an untrusted workspace)', function () {
  this.timeout(120000);
  const docker = testEngine().docker;
  let hooks: TestHooks;
  let original: Prompter;
  let vol: string;
  let root: vscode.Uri;

  const helpersOf = async (v: string) => await docker.listContainers({ all: true, filters: { label: [HELPER_LABEL], volume: [v] } });

  suiteSetup(async () => {
    hooks = await api();
    original = hooks.prompter;
    hooks.resourceLabels = { helper: labels(SUITE), volume: labels(SUITE) };
    await cleanup(docker, SUITE);
    vol = await createVolume(docker, SUITE, uniq('cv-untrusted'));
    await sh(docker, SUITE, 'echo hello > /v/hello.txt', [`${vol}:/v`]);
    await until('the engine connection', () => hooks.services.engine.state.kind === 'ok');
    await hooks.services.inventory.refresh();
    root = volumeUri(engineIdOf(hooks.services.engine.get().endpoint), vol);
  });
  teardown(() => {
    hooks.prompter = original;
  });
  suiteTeardown(async () => {
    const i = (vscode.workspace.workspaceFolders ?? []).findIndex((f) => f.uri.toString() === root.toString());
    if (i >= 0) {
      const removed = new Promise<void>((resolve) => {
        const sub = vscode.workspace.onDidChangeWorkspaceFolders(() => {
          sub.dispose();
          resolve();
        });
      });
      vscode.workspace.updateWorkspaceFolders(i, 1);
      await removed;
    }
    await until("the volume's helper removed", async () => (await helpersOf(vol)).length === 0, 30000).catch(() => undefined);
    hooks.resourceLabels = {};
    await cleanup(docker, SUITE);
  });

  test('the window really is in Restricted Mode', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  test('a docker-volume folder in the workspace opens read-only: read-only files, writes refused, a read-only helper', async () => {
    const added = new Promise<void>((resolve) => {
      const sub = vscode.workspace.onDidChangeWorkspaceFolders(() => {
        sub.dispose();
        resolve();
      });
    });
    assert.ok(vscode.workspace.updateWorkspaceFolders(vscode.workspace.workspaceFolders?.length ?? 0, 0, { uri: root, name: `volume ${vol}` }));
    await added;
    const file = vscode.Uri.joinPath(root, 'hello.txt');
    const st = await vscode.workspace.fs.stat(file);
    assert.equal(st.permissions, vscode.FilePermission.Readonly, 'VS Code shows the file read-only');
    assert.equal(new TextDecoder().decode(await vscode.workspace.fs.readFile(file)), 'hello\n', 'reading works');
    await assert.rejects(
      Promise.resolve(vscode.workspace.fs.writeFile(file, new TextEncoder().encode('changed\n'))),
      (e: Error) => e instanceof vscode.FileSystemError && e.code === 'NoPermissions',
    );
    await assert.rejects(
      Promise.resolve(vscode.workspace.fs.writeFile(vscode.Uri.joinPath(root, 'new.txt'), new Uint8Array())),
      (e: Error) => e instanceof vscode.FileSystemError && e.code === 'NoPermissions',
    );
    await assert.rejects(Promise.resolve(vscode.workspace.fs.delete(file)), (e: Error) => e instanceof vscode.FileSystemError && e.code === 'NoPermissions');
    assert.equal((await sh(docker, SUITE, 'ls /v; cat /v/hello.txt', [`${vol}:/v`])).replace(/\r/g, '').trim(), 'hello.txt\nhello', 'the volume is unchanged');
    const helpers = await helpersOf(vol);
    assert.ok(helpers.length > 0, 'a helper serves the folder');
    for (const h of helpers) {
      for (const m of (h.Mounts ?? []).filter((x) => x.Name === vol)) assert.equal(m.RW, false, `helper ${h.Names?.[0]} mounts ${vol} read-only`);
    }
  });

  test('a command that changes data says why and waits for trust; dismissed, nothing is changed', async () => {
    const asked = new ScriptedPrompter(); // dismisses every question
    hooks.prompter = asked;
    const name = uniq('cv-untrusted-new');
    await vscode.commands.executeCommand('containerVolumes.createVolume', { name });
    await vscode.commands.executeCommand('containerVolumes.removeVolume', { volumeName: vol });
    await assert.rejects(hooks.runCommand('containerVolumes.cloneVolume', { volumeName: vol, newName: `${name}-clone` }), /cancelled/);
    const why = asked.asked.filter(
      (q) => q.kind === 'warning' && q.modal && /^Restricted Mode: ".+" changes data, so it runs only in a trusted workspace\.$/.test(q.message),
    );
    assert.equal(why.length, 3, `asked: ${JSON.stringify(asked.asked)}`);
    assert.deepEqual(why[0].items, ['Manage Workspace Trust']);
    assert.match(why[0].message, /"Create Volume…"/, 'the command is named by its title');
    assert.equal(asked.asked.length, 3, 'nothing else was asked: the commands did not start');
    assert.equal(
      await docker
        .getVolume(name)
        .inspect()
        .then(
          () => true,
          () => false,
        ),
      false,
      'no volume was created',
    );
    assert.equal(
      await docker
        .getVolume(vol)
        .inspect()
        .then(
          () => true,
          () => false,
        ),
      true,
      'the volume was not removed',
    );
  });

  test('read-only commands work as usual', async () => {
    hooks.prompter = new ScriptedPrompter();
    assert.equal(await vscode.commands.executeCommand('containerVolumes.copyName', { volumeName: vol }), vol);
    const found = (await hooks.runCommand('containerVolumes.findInVolume', { volumeName: vol, query: 'hello' })) as { matches: number };
    assert.equal(found.matches, 1);
  });

  test('the manifest: supported "limited" with a reason, and every data-changing menu item needs trust', () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
      capabilities: { untrustedWorkspaces: { supported: unknown; description?: string } };
      contributes: { menus: Record<string, { command: string; when?: string }[]> };
    };
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.ok(pkg.capabilities.untrustedWorkspaces.description && !pkg.capabilities.untrustedWorkspaces.description.startsWith('%'));
    const changing = new Set(commands.filter((c) => c.changesData).map((c) => c.id));
    assert.ok(changing.has('containerVolumes.removeVolume') && changing.has('containerVolumes.restoreVolume'));
    const items = [...(pkg.contributes.menus['view/title'] ?? []), ...(pkg.contributes.menus['view/item/context'] ?? [])].filter((m) =>
      changing.has(m.command),
    );
    assert.ok(items.length >= changing.size - 1);
    for (const m of items) assert.match(m.when ?? '', /&& isWorkspaceTrusted$/, m.command);
  });
});
