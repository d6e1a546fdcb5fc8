// The extension as VS Code sees it: installed under its id, activates, and registers its commands.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID } from './api';

suite('Activation', function () {
  this.timeout(60000);

  test('the extension is installed in the extension host and activates', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is known to the extension host`);
    await ext.activate();
    assert.equal(ext.isActive, true);
    assert.equal((ext.packageJSON as { name?: string }).name, 'container-volumes');
  });

  test('every command contributed in package.json is registered, containerVolumes.refresh among them', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    await ext.activate();
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.ok(registered.has('containerVolumes.refresh'), 'containerVolumes.refresh is registered');
    const contributed = ((ext.packageJSON as { contributes?: { commands?: { command: string }[] } }).contributes?.commands ?? []).map((c) => c.command);
    assert.ok(contributed.length > 0, 'package.json contributes commands');
    const missing = contributed.filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });
});
