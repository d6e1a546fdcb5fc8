import * as assert from 'node:assert/strict';
import { volumeChains } from '../../src/core/mountChains';
import type { Inventory, VolumeUse } from '../../src/core/types';

const use = (containerName: string, viaContainer?: string, readOnly = false): VolumeUse => ({
  containerId: `${containerName}-id`, containerName, containerState: 'running', destination: '/logs', readOnly, ...(viaContainer ? { viaContainer } : {}),
});
const inv = (users: VolumeUse[]): Inventory => ({
  containers: [], takenAt: 0,
  volumes: [{ name: 'v', driver: 'local', labels: {}, mountpoint: '/var/lib/docker/volumes/v/_data', scope: 'local', anonymous: false, users }],
});

suite('mount chains of a volume', () => {
  test('the seed chain: logger02 -> logger01 -> log_home', () => {
    const c = volumeChains(inv([use('log_home'), use('logger01', 'log_home'), use('logger02', 'logger01')]), 'v')!;
    assert.equal(c.roots.length, 1);
    assert.equal(c.roots[0].containerName, 'log_home');
    assert.equal(c.roots[0].children[0].containerName, 'logger01');
    assert.equal(c.roots[0].children[0].children[0].containerName, 'logger02');
    assert.deepEqual(c.paths[0], ['logger02', 'logger01', 'log_home']);
    assert.equal(c.paths.length, 3);
  });

  test('two owners and a fan-out; a source that is gone makes its follower a root', () => {
    const c = volumeChains(inv([use('a'), use('b'), use('c', 'a'), use('d', 'a'), use('e', 'removed')]), 'v')!;
    assert.deepEqual(c.roots.map((r) => r.containerName).sort(), ['a', 'b', 'e']);
    assert.deepEqual(c.roots.find((r) => r.containerName === 'a')!.children.map((x) => x.containerName).sort(), ['c', 'd']);
    assert.equal(c.roots.find((r) => r.containerName === 'e')!.viaContainer, 'removed');
  });

  test('an unused volume has no chains; an unknown one is undefined', () => {
    assert.deepEqual(volumeChains(inv([]), 'v')!.roots, []);
    assert.equal(volumeChains(inv([]), 'nope'), undefined);
  });
});
