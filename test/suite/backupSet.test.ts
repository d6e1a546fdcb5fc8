// Several volumes in one go in the real extension host: a multi-selection in the Volumes view backed
// up into one folder, a Compose project's group (Back Up Project…), and Restore Project… as a new
// project, driven with argument objects (no prompts).
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { backupProject } from '../../src/commands/backupProject';
import { backupVolume } from '../../src/commands/backupVolume';
import { restoreProject } from '../../src/commands/restoreProject';
import { COMPOSE_PROJECT_LABEL, COMPOSE_VOLUME_LABEL, readSetRecord, type BackupSetResult } from '../../src/core/operations/backupSet';
import type { RestoreProjectResult } from '../../src/core/operations/restoreProject';
import { cleanup, createVolume, labels, runContainer, sh, testEngine, uniq } from '../support/docker';
import { api, runCommand, until } from './api';
import { answering, ScriptedPrompter } from './prompter';

const SUITE = 'backupset-ext';

suite('Back up several volumes, a project; restore a project', function () {
  this.timeout(180000);
  const docker = testEngine().docker;
  const L = labels(SUITE);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cv-ext-set-'));
  let project: string;
  let a: string;
  let b: string;
  let loose: string;

  suiteSetup(async () => {
    await cleanup(docker, SUITE);
    project = uniq('cvextset').toLowerCase();
    const mk = (key: string) => createVolume(docker, SUITE, `${project}_${key}`, { [COMPOSE_PROJECT_LABEL]: project, [COMPOSE_VOLUME_LABEL]: key });
    a = await mk('data');
    b = await mk('media');
    loose = await createVolume(docker, SUITE, uniq('cv-ext-loose'));
    await sh(docker, SUITE, 'echo one > /a/f && echo two > /b/g && echo three > /c/h', [`${a}:/a`, `${b}:/b`, `${loose}:/c`]);
    await runContainer(docker, SUITE, { name: `${project}-app-1`, binds: [`${a}:/data`] });
    (await api()).resourceLabels = { helper: L, volume: L };
  });
  suiteTeardown(async () => {
    (await api()).resourceLabels = {};
    await cleanup(docker, SUITE);
    rmSync(dir, { recursive: true, force: true });
  });

  test('several volumes selected in the view: one folder, one archive each, one record', async () => {
    const { services } = await api();
    await services.inventory.refresh();
    const out = mkdtempSync(path.join(dir, 'sel-'));
    const node = (name: string) => ({ kind: 'volume', volumeName: name, volume: services.inventory.current?.volumes.find((v) => v.name === name) });
    // As VS Code calls a command on a multi-selection: the clicked node, then every selected node.
    const r = (await runCommand(backupVolume, { ...node(loose), dir: out, stopContainers: false }, [node(loose), node(b)])) as BackupSetResult;
    assert.deepEqual(r.done.map((d) => d.sidecar.volume.name).sort(), [b, loose].sort());
    assert.equal(readdirSync(out).filter((f) => f.endsWith('.tar')).length, 2);
    assert.ok(r.recordFile && existsSync(r.recordFile));
  });

  test('Back Up Project… then Restore Project… under a new name: Compose labels, same contents, the app running again', async () => {
    const { services } = await api();
    await until('the project in the inventory', async () => {
      await services.inventory.refresh();
      return services.inventory.current?.volumes.filter((v) => v.composeProject === project).length === 2;
    });
    const out = mkdtempSync(path.join(dir, 'proj-'));
    const r = (await runCommand(backupProject, { project, dir: out, stopContainers: true })) as BackupSetResult;
    assert.deepEqual(r.done.map((d) => d.sidecar.volume.name).sort(), [a, b].sort());
    assert.deepEqual(r.record.stoppedContainers, [`${project}-app-1`]);
    assert.ok((await docker.getContainer(`${project}-app-1`).inspect()).State.Running);
    assert.equal((await readSetRecord(r.recordFile ?? '')).project, project);

    const copy = `${project}b`;
    const hooks = await api();
    const rr = (await runCommand(restoreProject, { from: out, project: copy })) as RestoreProjectResult;
    assert.deepEqual(rr.volumes.map((v) => v.volumeName).sort(), [`${copy}_data`, `${copy}_media`]);
    assert.equal((await sh(docker, SUITE, 'cat /a/f /b/g', [`${copy}_data:/a`, `${copy}_media:/b`])).replace(/\r/g, ''), 'one\ntwo\n');
    const inv = services.inventory.current;
    assert.deepEqual(
      inv?.volumes
        .filter((v) => v.composeProject === copy)
        .map((v) => v.name)
        .sort(),
      [`${copy}_data`, `${copy}_media`],
    );

    // Again into the same (now non-empty) project: the user is asked; dismissed, nothing changes.
    await sh(docker, SUITE, 'echo changed > /a/f', [`${copy}_data:/a`]);
    const dismiss = new ScriptedPrompter();
    await assert.rejects(Promise.resolve(answering(hooks, dismiss, () => runCommand(restoreProject, { from: out, project: copy }))), /cancelled/);
    assert.ok(
      dismiss.asked.some((q) => q.kind === 'warning' && q.modal && /not empty/.test(q.message)),
      JSON.stringify(dismiss.asked),
    );
    assert.equal((await sh(docker, SUITE, 'cat /a/f', [`${copy}_data:/a`])).replace(/\r/g, ''), 'changed\n');
    // Answered "Replace": a safety backup first, then the record's contents.
    const replace = new ScriptedPrompter().on(/not empty/, /^Replace/);
    const again = (await answering(hooks, replace, () => runCommand(restoreProject, { from: out, project: copy }))) as RestoreProjectResult;
    assert.ok(again.volumes.find((v) => v.volumeName === `${copy}_data`)?.safetyBackup);
    assert.equal((await sh(docker, SUITE, 'cat /a/f', [`${copy}_data:/a`])).replace(/\r/g, ''), 'one\n');
  });
});
