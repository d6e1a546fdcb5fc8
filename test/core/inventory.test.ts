// The seed's own set-up on the real engine (S1, S2, S3, S7): what the inventory must say about it.
import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InventoryLoader, loadVolumeSizes } from '../../src/core/engine/inventory';
import type { Container, Inventory } from '../../src/core/engine/types';
import { cleanup, createSeed, sh, testEngine, type SeedNames } from '../support/docker';

const SUITE = 'inventory';

suite('inventory on the real engine (seed set-up)', function () {
  const engine = testEngine();
  const docker = engine.docker;
  let n: SeedNames;
  const hostDir = mkdtempSync(path.join(os.tmpdir(), 'cv-bind-'));
  let inv: Inventory;
  let loader: InventoryLoader;
  const byName = (name: string): Container => {
    const c = inv.containers.find((x) => x.name === name);
    assert.ok(c, `container ${name} is listed`);
    return c;
  };

  suiteSetup(async function () {
    this.timeout(120000);
    await cleanup(docker, SUITE);
    n = await createSeed(docker, SUITE, hostDir);
    loader = new InventoryLoader(engine);
    inv = await loader.load();
  });
  suiteTeardown(async () => cleanup(docker, SUITE));

  test('S1: log_home has one anonymous volume mounted at /logs', () => {
    const c = byName(n.logHome);
    assert.equal(c.state, 'running');
    assert.equal(c.mounts.length, 1);
    const m = c.mounts[0];
    assert.equal(m.type, 'volume');
    assert.equal(m.destination, '/logs');
    assert.equal(m.anonymous, true);
    assert.match(m.volumeName ?? '', /^[0-9a-f]{64}$/);
    assert.equal(m.viaContainer, undefined, 'the owner did not get it from anyone');
    const v = inv.volumes.find((x) => x.name === m.volumeName);
    assert.ok(v);
    assert.equal(v.anonymous, true);
  });

  test('S2: logger02 -> logger01 -> log_home all resolve to the one volume', () => {
    const vol = byName(n.logHome).mounts[0].volumeName;
    const l1 = byName(n.logger01);
    const l2 = byName(n.logger02);
    assert.equal(l1.mounts[0].volumeName, vol);
    assert.equal(l2.mounts[0].volumeName, vol);
    assert.equal(l1.mounts[0].viaContainer, n.logHome);
    assert.equal(l2.mounts[0].viaContainer, n.logger01);
    assert.deepEqual(
      l2.volumesFrom.map((r) => r.ref),
      [n.logger01],
    );
    assert.equal(l2.volumesFrom[0].resolvedId, l1.id);
    const v = inv.volumes.find((x) => x.name === vol);
    assert.deepEqual(v?.users.map((u) => u.containerName).sort(), [n.logHome, n.logger01, n.logger02].sort());
  });

  test('S3: the bind mount shows its host path and that it is read-only', () => {
    const m = byName(n.bind).mounts[0];
    assert.equal(m.type, 'bind');
    assert.equal(m.source, hostDir);
    assert.equal(m.destination, '/logs');
    assert.equal(m.readOnly, true);
    assert.equal(m.volumeName, undefined);
  });

  test('a named volume with no container is listed as unused, with its labels', () => {
    const v = inv.volumes.find((x) => x.name === n.named);
    assert.ok(v);
    assert.equal(v.users.length, 0);
    assert.equal(v.anonymous, false);
    assert.equal(v.labels['dev.container-volumes.test'], SUITE);
  });

  test('S7: after removing every container of a volume it is unused, sized, and its data still there', async function () {
    this.timeout(60000);
    const vol = byName(n.logHome).mounts[0].volumeName!;
    for (const name of [n.logger02, n.logger01, n.logHome]) await docker.getContainer(name).remove({ force: true });
    const after = await loader.load();
    const v = after.volumes.find((x) => x.name === vol);
    assert.ok(v, 'the anonymous volume survives its containers');
    assert.equal(v.users.length, 0);
    const sizes = await loadVolumeSizes(engine);
    assert.ok((sizes.get(vol) ?? 0) > 0, `size of ${vol} is known and non-zero: ${sizes.get(vol)}`);
    const out = await sh(docker, SUITE, 'wc -l < /v/log', [`${vol}:/v:ro`]);
    assert.ok(Number(out.trim()) >= 1, `the log is still readable: ${out}`);
    await docker.getVolume(vol).remove();
  });

  test('our own helper containers are not listed, and do not make a volume "in use"', async () => {
    const { startShellHelper, removeHelper } = await import('../../src/core/helpers/helperContainers');
    const helper = await startShellHelper(docker, 'container-volumes/busybox:test', {
      purpose: 'inventory-test',
      mounts: [{ source: n.named, target: '/v' }],
      labels: { 'dev.container-volumes.test': SUITE },
    });
    try {
      const now = await loader.load();
      assert.ok(!now.containers.some((c) => c.id === helper.id), 'the helper is not a listed container');
      assert.equal(now.volumes.find((v) => v.name === n.named)?.users.length, 0);
    } finally {
      await removeHelper(helper);
    }
  });

  test('inspect runs once per container: a second load makes exactly two list calls', async () => {
    await loader.load();
    const before = engine.apiCalls;
    await loader.load();
    assert.equal(engine.apiCalls - before, 2);
  });
});
