// "Running containers can be stopped for a consistent copy": for a volume and for a bind mount alike,
// the containers that write into the data are stopped during the backup and started again after.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { backupVolume } from '../../src/core/operations/backupVolume';
import { cleanup, runContainer, testContext, testEngine, uniq } from '../support/docker';

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
});
