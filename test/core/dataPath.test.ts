// The one data-path rule (operations/dataPath.ts): what it allows before asking the engine, and the
// path it chooses for real volumes on the test engine.
import * as assert from 'node:assert/strict';
import { inspectVolume } from '../../src/core/engine/volumeArchive';
import { WorkHelpers } from '../../src/core/helpers/workHelpers';
import { chooseDataPath, dataPathRule, type DataOp, type DataPathRule, type FastPath } from '../../src/core/operations/dataPath';
import type { VolumeInfo } from '../../src/core/engine/types';
import { BUSYBOX, cleanup, createVolume, labels, testEngine, uniq } from '../support/docker';

const SUITE = 'data-path-rule';

/** Runs `fn` as if on `platform` (the rule reads process.platform). */
function onPlatform<T>(platform: NodeJS.Platform, fn: () => T): T {
  const was = Object.getOwnPropertyDescriptor(process, 'platform')!;
  Object.defineProperty(process, 'platform', { ...was, value: platform });
  try {
    return fn();
  } finally {
    Object.defineProperty(process, 'platform', was);
  }
}

suite('data path: one rule for backup, restore and clone', function () {
  this.timeout(60_000);
  const docker = testEngine().docker;
  const work = new WorkHelpers(docker, { images: () => Promise.resolve([BUSYBOX]) });
  const local: FastPath = { localEngine: true, helperImage: BUSYBOX, workHelpers: work };
  const backup: DataOp = { kind: 'backup', format: 'tar', folder: '/tmp' };
  const restore: DataOp = {
    kind: 'restore',
    file: '/backups/x.tar',
    archive: { format: 'tar', plan: { plainTarIssue: undefined }, linkOwnersComplete: true, rootFolderKnown: true },
  };
  const clone: DataOp = { kind: 'clone' };

  suiteSetup(() => cleanup(docker, SUITE));
  suiteTeardown(async () => {
    await work.dispose();
    await cleanup(docker, SUITE);
  });

  test('a remote engine, or no fast path: the archive endpoints for every operation', () => {
    const ops: readonly DataOp[] = [backup, restore, clone];
    for (const fast of [undefined, { ...local, localEngine: false }]) {
      for (const op of ops) {
        const rule: DataPathRule = onPlatform('linux', () => dataPathRule(fast, op));
        assert.equal(rule.workHelpers, undefined, op.kind);
        assert.equal(rule.oneShotImage, undefined, op.kind);
        assert.ok(rule.why, op.kind);
      }
    }
  });

  test('a host folder counts only on Linux (backup, restore); a clone binds none', () => {
    assert.ok(onPlatform('darwin', () => dataPathRule(local, backup)).why);
    assert.ok(onPlatform('win32', () => dataPathRule(local, restore)).why);
    assert.equal(onPlatform('darwin', () => dataPathRule(local, clone)).workHelpers, work);
    assert.equal(onPlatform('linux', () => dataPathRule(local, backup)).workHelpers, work);
    assert.equal(onPlatform('linux', () => dataPathRule(local, restore)).workHelpers, work);
  });

  test('the archive: a compressed backup, or a restore busybox tar would not do exactly, takes the endpoints', () => {
    onPlatform('linux', () => {
      assert.match(dataPathRule(local, { ...backup, format: 'tar.gz' }).why ?? '', /no fast path/);
      const zst: DataOp = {
        kind: 'restore',
        file: '/backups/x.tar',
        archive: { format: 'tar.zst', plan: { plainTarIssue: undefined }, linkOwnersComplete: true, rootFolderKnown: true },
      };
      assert.match(dataPathRule(local, zst).why ?? '', /tar\.zst archive is decompressed here/);
      const sparse: DataOp = {
        kind: 'restore',
        file: '/backups/x.tar',
        archive: { format: 'tar', plan: { plainTarIssue: 'a sparse file' }, linkOwnersComplete: true, rootFolderKnown: true },
      };
      assert.match(dataPathRule(local, sparse).why ?? '', /a sparse file/);
    });
  });

  test('only a backup has a one-shot helper, and only with a helper image', () => {
    onPlatform('linux', () => {
      const noWork: FastPath = { localEngine: true, helperImage: BUSYBOX };
      assert.equal(dataPathRule(noWork, backup).oneShotImage, BUSYBOX);
      assert.ok(dataPathRule(noWork, restore).why);
      assert.ok(dataPathRule(noWork, clone).why);
      assert.ok(dataPathRule({ localEngine: true }, backup).why);
    });
  });

  test('on the engine: a plain local volume takes the work helper, one with driver options a one-shot helper (backup) or the endpoints (clone)', async function () {
    if (process.platform !== 'linux') this.skip();
    const plain = await createVolume(docker, SUITE, uniq('dp-plain'));
    const withOpts = uniq('dp-tmpfs');
    await docker.createVolume({ Name: withOpts, Labels: labels(SUITE), DriverOpts: { type: 'tmpfs', device: 'tmpfs' } });
    const info = async (name: string): Promise<VolumeInfo> => (await inspectVolume(docker, name))!;
    const [p, o] = [await info(plain), await info(withOpts)];

    const b = await chooseDataPath(docker, local, backup, () => Promise.resolve([p]));
    assert.equal(b.kind, 'work-helper');
    assert.deepEqual(b.kind === 'work-helper' && b.folders, [`/cv/volumes/${plain}/_data`]);
    assert.deepEqual(await chooseDataPath(docker, local, backup, () => Promise.resolve([o])), { kind: 'one-shot-helper', image: BUSYBOX });
    // A container's mount (no volume to reach): the one-shot helper.
    assert.equal((await chooseDataPath(docker, local, backup, () => Promise.resolve([undefined]))).kind, 'one-shot-helper');
    // A one-shot helper needs its image on the engine (nothing is pulled).
    assert.equal(
      (await chooseDataPath(docker, { ...local, helperImage: 'container-volumes/absent:none' }, backup, () => Promise.resolve([o]))).kind,
      'archive-endpoint',
    );

    assert.equal((await chooseDataPath(docker, local, clone, () => Promise.resolve([p, p]))).kind, 'work-helper');
    assert.equal((await chooseDataPath(docker, local, clone, () => Promise.resolve([p, o]))).kind, 'archive-endpoint');
    assert.equal((await chooseDataPath(docker, local, restore, () => Promise.resolve([o]))).kind, 'archive-endpoint');
  });
});
