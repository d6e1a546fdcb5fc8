// Nothing outside the extension can skip a confirmation or reach its services: activate() exports
// nothing, and a destructive command run through executeCommand (as another extension or a command
// link would) asks its confirmation whatever its argument says (`confirmed: true`, `replace: true`),
// and changes nothing when it is dismissed. Arguments cannot put labels on what the commands create.
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BackupResult } from '../../src/core/operations/backupVolume';
import { engineIdOf, volumeUri } from '../../src/fs/volumeUri';
import type { Prompter } from '../../src/prompter';
import type { TestHooks } from '../../src/testHooks';
import { BUSYBOX, cleanup, createVolume, labels, runContainer, sh, testEngine, uniq } from '../support/docker';
import { api, EXTENSION_ID } from './api';
import { ScriptedPrompter } from './prompter';

const SUITE = 'ext-confirm';

suite('Confirmations cannot be skipped from outside', function () {
  this.timeout(120000);
  const docker = testEngine().docker;
  const L = labels(SUITE);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cv-ext-confirm-'));
  let hooks: TestHooks;
  let original: Prompter;
  let dismissing: ScriptedPrompter;
  let vol: string;

  suiteSetup(async () => {
    hooks = await api();
    original = hooks.prompter;
    await cleanup(docker, SUITE);
    hooks.resourceLabels = { helper: L, volume: L };
    vol = await createVolume(docker, SUITE, uniq('cv-confirm'));
    await sh(docker, SUITE, 'echo keep > /v/keep.txt', [`${vol}:/v`]);
    await hooks.services.inventory.refresh();
  });
  setup(() => {
    dismissing = new ScriptedPrompter(); // answers nothing: every question is dismissed
    hooks.prompter = dismissing;
  });
  teardown(() => {
    hooks.prompter = original;
  });
  suiteTeardown(async () => {
    hooks.resourceLabels = {};
    await cleanup(docker, SUITE);
    rmSync(dir, { recursive: true, force: true });
  });

  const askedModal = (re: RegExp) => dismissing.asked.some((q) => q.kind === 'warning' && q.modal && re.test(q.message));
  const exists = (v: string) =>
    docker
      .getVolume(v)
      .inspect()
      .then(
        () => true,
        () => false,
      );

  test('an argument of the wrong type ends the command with one message, before anything is asked or done', async () => {
    const file = path.join(dir, 'wrong-type.tar');
    await assert.rejects(
      Promise.resolve(hooks.runCommand('containerVolumes.backupVolume', { volumeName: vol, file, stopContainers: 'yes' })),
      /^Error: The argument "stopContainers" must be true or false; it was "yes"\. Nothing was done\.$/,
    );
    assert.equal(existsSync(file), false, 'no backup written');
    await assert.rejects(
      Promise.resolve(hooks.runCommand('containerVolumes.removeVolume', { volumeName: 7 })),
      /The argument "volumeName" must be a text; it was 7\./,
    );
    await assert.rejects(
      Promise.resolve(hooks.runCommand('containerVolumes.backupVolume', { volumeName: vol, file, ifBusy: 'later' })),
      /The argument "ifBusy" must be one of "wait", "refuse"; it was "later"\./,
    );
    assert.ok(await exists(vol), 'the volume is still there');
    assert.deepEqual(dismissing.asked, [], 'nothing was asked');
  });

  test('the extension exports nothing to other extensions', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    assert.equal(await ext.activate(), undefined);
    assert.equal(ext.exports, undefined, 'no services, no runCommand');
  });

  test('Remove Volume with confirmed: true still asks, and a dismissed question removes nothing', async () => {
    const v = await createVolume(docker, SUITE, uniq('cv-confirm-rm'));
    await hooks.services.inventory.refresh();
    assert.equal(await vscode.commands.executeCommand('containerVolumes.removeVolume', { volumeName: v, confirmed: true }), undefined);
    assert.ok(askedModal(/^Remove volume/), `asked: ${JSON.stringify(dismissing.asked)}`);
    assert.equal(await exists(v), true, 'the volume is still there');
  });

  test('Remove Unused Volumes with confirmed: true still asks, and removes nothing', async () => {
    const v = await createVolume(docker, SUITE, uniq('cv-confirm-prune'));
    await vscode.commands.executeCommand('containerVolumes.pruneVolumes', { confirmed: true, label: `dev.container-volumes.test=${SUITE}` });
    assert.ok(askedModal(/^Remove (all \d+|the 1) unused volumes?\?/), `asked: ${JSON.stringify(dismissing.asked)}`);
    assert.equal(await exists(v), true);
    assert.equal(await exists(vol), true);
  });

  test("Restore with replace: true and confirmed: true still asks before replacing a volume's contents", async () => {
    const file = path.join(dir, 'other.tar');
    const other = await createVolume(docker, SUITE, uniq('cv-confirm-other'));
    await sh(docker, SUITE, 'echo other > /v/other.txt', [`${other}:/v`]);
    await hooks.services.inventory.refresh();
    const b = (await hooks.runCommand('containerVolumes.backupVolume', { volumeName: other, file, format: 'tar', stopContainers: false })) as BackupResult;
    assert.ok(b.sidecar.entryCount >= 1);
    await vscode.commands.executeCommand('containerVolumes.restoreVolume', { file, volumeName: vol, replace: true, confirmed: true, stopContainers: true });
    assert.ok(askedModal(/^Replace the contents of volume/), `asked: ${JSON.stringify(dismissing.asked)}`);
    assert.equal((await sh(docker, SUITE, 'ls /v', [`${vol}:/v`])).trim(), 'keep.txt', 'the volume is as it was');
  });

  test('Upgrade (Migrate) with confirmed: true still asks for the plan, and the container is left alone', async () => {
    const name = uniq('cv-confirm-app');
    const id = await runContainer(docker, SUITE, { name });
    await hooks.services.inventory.refresh();
    await vscode.commands.executeCommand('containerVolumes.migrateContainer', { containerName: name, image: BUSYBOX, keepOld: false, confirmed: true });
    assert.ok(askedModal(/^Upgrade /), `asked: ${JSON.stringify(dismissing.asked)}`);
    const c = await docker.getContainer(name).inspect();
    assert.equal(c.Id, id, 'the same container');
    assert.equal(c.State.Running, true);
  });

  test('Delete… (Disk Usage) with confirmed: true still asks, and the file stays', async () => {
    const uri = volumeUri(engineIdOf(hooks.services.engine.get().endpoint), vol, { path: '/keep.txt' });
    await vscode.commands.executeCommand('containerVolumes.deleteUsageEntry', { uri, kind: 'file', file: { path: '/keep.txt', bytes: 5 }, confirmed: true });
    assert.ok(askedModal(/^Delete \/keep\.txt/), `asked: ${JSON.stringify(dismissing.asked)}`);
    assert.equal((await sh(docker, SUITE, 'cat /v/keep.txt', [`${vol}:/v`])).trim(), 'keep');
  });

  test("labels in a command's argument are not put on what it creates", async () => {
    const name = uniq('cv-confirm-made');
    await vscode.commands.executeCommand('containerVolumes.createVolume', { name, labels: { planted: 'yes' }, volumeLabels: { planted: 'yes' } });
    const v = await docker.getVolume(name).inspect();
    assert.equal(v.Labels?.planted, undefined);
    assert.equal(v.Labels?.['dev.container-volumes.test'], SUITE, "only the test hooks' labels");
  });
});
