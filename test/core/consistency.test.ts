// "Running containers can be stopped for a consistent copy": for a volume and for a bind mount alike,
// the containers that write into the data are stopped during the backup and started again after,
// once the backup's helper is gone.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { backupVolume } from '../../src/core/operations/backupVolume';
import { BUSYBOX, cleanup, createVolume, runContainer, sh, testContext, testEngine, uniq } from '../support/docker';
import { containerEvents, removedAndStarted } from '../support/engineEvents';
import type { FastPath } from '../../src/core/operations/dataPath';

const SUITE = 'consistency';

suite('backup consistency: stopping the writers (real engine)', function () {
  this.timeout(120000);
  const docker = testEngine().docker;
  let dir: string;
  suiteSetup(async () => {
    await cleanup(docker, SUITE);
    dir = mkdtempSync(path.join(os.tmpdir(), 'cv-consistency-'));
  });
  suiteTeardown(async () => {
    await cleanup(docker, SUITE);
    rmSync(dir, { recursive: true, force: true });
  });

  const startedAt = async (id: string) => {
    const s = (await docker.getContainer(id).inspect()).State;
    return { running: s.Running, startedAt: s.StartedAt };
  };

  test("a bind mount's backup stops every running container that binds the folder or a folder inside it, and only those", async () => {
    const data = path.join(dir, 'app');
    mkdirSync(path.join(data, 'uploads'), { recursive: true });
    writeFileSync(path.join(data, 'uploads', 'a.txt'), 'a');
    const other = path.join(dir, 'other');
    mkdirSync(other);
    const owner = uniq('cv-bind-owner');
    const ownerId = await runContainer(docker, SUITE, { name: owner, binds: [`${data}:/data`] });
    const innerId = await runContainer(docker, SUITE, { name: uniq('cv-bind-inner'), binds: [`${path.join(data, 'uploads')}:/up`] });
    const otherId = await runContainer(docker, SUITE, { name: uniq('cv-bind-other'), binds: [`${other}:/data`] });
    const before = await Promise.all([ownerId, innerId, otherId].map(startedAt));

    const res = await backupVolume(testContext(docker, SUITE), {
      source: { container: owner, path: '/data' },
      file: path.join(dir, 'app.tar'),
      stopContainers: true,
    });

    const inner = (await docker.getContainer(innerId).inspect()).Name.replace(/^\//, '');
    assert.deepEqual([...res.stoppedContainers].sort(), [owner, inner].sort());
    const after = await Promise.all([ownerId, innerId, otherId].map(startedAt));
    assert.deepEqual(
      after.map((s) => s.running),
      [true, true, true],
      'all running again',
    );
    assert.notEqual(after[0].startedAt, before[0].startedAt, 'the owner was stopped and started again');
    assert.notEqual(after[1].startedAt, before[1].startedAt, 'the container binding a folder inside was stopped and started again');
    assert.equal(after[2].startedAt, before[2].startedAt, 'a container binding another folder was left alone');
    assert.equal(res.sidecar.entryCount >= 2, true);
  });

  const paths: [string, FastPath | undefined, string, string][] = [
    ['the archive endpoint', undefined, 'backup', 'archive-endpoint'],
    ['a one-shot tar helper', { localEngine: true, helperImage: BUSYBOX }, 'backup-tar', 'helper-tar'],
  ];
  for (const [how, fastPath, purpose, method] of paths) {
    test(`${how}: the backup's helper is removed before the stopped container starts again`, async () => {
      const volume = await createVolume(docker, SUITE, uniq('cv-order'));
      await sh(docker, SUITE, 'echo a > /v/a', [`${volume}:/v`]);
      const user = await runContainer(docker, SUITE, { binds: [`${volume}:/data`], cmd: ['sh', '-c', 'trap "exit 0" TERM; while :; do sleep 1; done'] });
      const since = Date.now();
      const res = await backupVolume(testContext(docker, SUITE, { fastPath }), {
        source: { volumeName: volume },
        file: path.join(dir, `order-${purpose}.tar`),
        stopContainers: true,
      });
      assert.equal(res.method, method);
      assert.equal(res.stoppedContainers.length, 1);
      assert.deepEqual(removedAndStarted(await containerEvents(docker, SUITE, since), purpose, user), [`${purpose} removed`, 'started']);
    });
  }
});
