// The data commands in the real extension host, driven with argument objects (no prompts): back up,
// verify, restore into a new volume, refuse a non-empty one without replace, replace, clone; and
// .tar.zst, which only a host whose Node has zstd offers.
// Runs the CommandSpecs directly with the extension's services, so it does not depend on the table;
// the test hooks label what they create and answer the replace confirmation.
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { backupVolume } from '../../src/commands/backupVolume';
import { cloneVolume } from '../../src/commands/cloneVolume';
import { restoreVolume } from '../../src/commands/restoreVolume';
import { verifyBackup } from '../../src/commands/verifyBackup';
import { availableFormats } from '../../src/core/archive/archiveFormat';
import type { BackupResult } from '../../src/core/operations/backupVolume';
import type { CloneResult } from '../../src/core/operations/cloneVolume';
import type { RestoreResult } from '../../src/core/operations/restoreVolume';
import type { VerifyResult } from '../../src/core/archive/verifyBackup';
import { cleanup, createVolume, labels, sh, testEngine, uniq } from '../support/docker';
import { api, runCommand } from './api';
import { answering, ScriptedPrompter } from './prompter';

const SUITE = 'data';

suite('Data commands (backup, verify, restore, clone)', function () {
  this.timeout(120000);
  const docker = testEngine().docker;
  const L = labels(SUITE);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cv-ext-data-'));
  let vol: string;

  suiteSetup(async () => {
    await cleanup(docker, SUITE);
    (await api()).resourceLabels = { helper: L, volume: L };
    vol = await createVolume(docker, SUITE, uniq('cv-ext-src'));
    await sh(docker, SUITE, 'echo hello > /v/a && mkdir /v/d && ln -s ../a /v/d/l', [`${vol}:/v`]);
  });
  suiteTeardown(async () => {
    (await api()).resourceLabels = {};
    await cleanup(docker, SUITE);
    rmSync(dir, { recursive: true, force: true });
  });

  test('backup, verify, restore into a new volume, refuse non-empty, replace with a safety backup, clone', async () => {
    const hooks = await api();
    const { services } = hooks;
    await services.inventory.refresh();
    const file = path.join(dir, 'b.tar');
    const b = (await runCommand(backupVolume, { volumeName: vol, file, format: 'tar', stopContainers: false })) as BackupResult;
    assert.ok(existsSync(file) && existsSync(`${file}.json`));
    assert.equal(b.sidecar.volume.name, vol);

    const v = (await runCommand(verifyBackup, { file })) as VerifyResult;
    assert.equal(v.stats.entries, b.sidecar.entryCount);

    const fresh = uniq('cv-ext-new');
    const r = (await runCommand(restoreVolume, { file, volumeName: fresh })) as RestoreResult;
    assert.equal(r.created, true);
    assert.match(await sh(docker, SUITE, 'cat /v/a; readlink /v/d/l', [`${fresh}:/v`]), /hello[\s\S]*\.\.\/a/);

    await sh(docker, SUITE, 'echo extra > /v/extra', [`${fresh}:/v`]);
    await assert.rejects(Promise.resolve(runCommand(restoreVolume, { file, volumeName: fresh, replace: false })), /not empty/);
    assert.match(await sh(docker, SUITE, 'ls /v', [`${fresh}:/v`]), /extra/);

    const safety = path.join(dir, 'safety.tar');
    const confirm = new ScriptedPrompter().on(/^Replace the contents of volume/, 'Replace Contents');
    const rr = (await answering(hooks, confirm, () => runCommand(restoreVolume, { file, volumeName: fresh, safetyBackupFile: safety }))) as RestoreResult;
    assert.equal(confirm.asked.filter((q) => q.modal).length, 1, 'the replace was confirmed once');
    assert.equal(rr.safetyBackup, safety);
    assert.doesNotMatch(await sh(docker, SUITE, 'ls /v', [`${fresh}:/v`]), /extra/);

    const cloned = uniq('cv-ext-clone');
    const c = (await runCommand(cloneVolume, { volumeName: vol, newName: cloned })) as CloneResult;
    assert.equal(c.volumeName, cloned);
    assert.match(await sh(docker, SUITE, 'cat /v/a', [`${cloned}:/v`]), /hello/);
  });

  test(".tar.zst where the extension host's Node has zstd (code-server's Node 24): backup, verify, restore", async function () {
    // Node 20 (older VS Code builds) has no zstd: the format is not offered there, and this is pending, not passed.
    if (!availableFormats().includes('tar.zst')) this.skip();
    const file = path.join(dir, 'b.tar.zst');
    const b = (await runCommand(backupVolume, { volumeName: vol, file, format: 'tar.zst', stopContainers: false })) as BackupResult;
    assert.equal(b.sidecar.format, 'tar.zst');
    assert.equal(readFileSync(file).subarray(0, 4).toString('hex'), '28b52ffd', 'a zstd frame');
    const v = (await runCommand(verifyBackup, { file })) as VerifyResult;
    assert.equal(v.stats.entries, b.sidecar.entryCount);
    const fresh = uniq('cv-ext-zst');
    const r = (await runCommand(restoreVolume, { file, volumeName: fresh })) as RestoreResult;
    assert.equal(r.method, 'archive-endpoint');
    assert.match(await sh(docker, SUITE, 'cat /v/a; readlink /v/d/l', [`${fresh}:/v`]), /hello[\s\S]*\.\.\/a/);
  });
});
