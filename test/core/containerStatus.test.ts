// The engine's status lines, as the real daemon writes them, read into our terms (so the views can
// say them in 简体中文); and go-units' HumanDuration forms, which a short test cannot wait for.
import * as assert from 'node:assert/strict';
import { parseContainerStatus, parseDuration, statusWithoutTime } from '../../src/core/engine/containerStatus';
import { inventoryKey } from '../../src/core/engine/inventory';
import type { Container, Inventory } from '../../src/core/engine/types';
import { BUSYBOX, cleanup, labels, runContainer, testEngine, uniq } from '../support/docker';

const SUITE = 'status';

suite("container status lines (the engine's English, read into our terms)", function () {
  this.timeout(120_000);
  const docker = testEngine().docker;
  suiteSetup(() => cleanup(docker, SUITE));
  suiteTeardown(() => cleanup(docker, SUITE));

  test('what the real daemon writes: created, up, exited with its code, paused, health starting', async () => {
    const created = await runContainer(docker, SUITE, { name: uniq('cv-st-created'), start: false });
    const up = await runContainer(docker, SUITE, { name: uniq('cv-st-up') });
    const exited = await runContainer(docker, SUITE, { name: uniq('cv-st-exited'), cmd: ['sh', '-c', 'exit 3'] });
    const paused = await runContainer(docker, SUITE, { name: uniq('cv-st-paused') });
    await docker.getContainer(paused).pause();
    const health = await docker.createContainer({
      name: uniq('cv-st-health'),
      Image: BUSYBOX,
      Cmd: ['sleep', '3600'],
      Labels: labels(SUITE),
      Healthcheck: { Test: ['CMD', 'true'], Interval: 3600e9, StartPeriod: 3600e9 },
    });
    await health.start();
    await docker.getContainer(exited).wait();
    const list = await docker.listContainers({ all: true, filters: { label: [`${Object.keys(labels(SUITE))[0]}=${SUITE}`] } });
    const status = (id: string) => list.find((c) => c.Id === id)?.Status ?? '';
    const of = (id: string) => parseContainerStatus(status(id));
    assert.deepEqual(of(created), { kind: 'created' }, status(created));
    assert.equal(of(up).kind, 'up', status(up));
    const e = of(exited);
    assert.ok(e.kind === 'exited' && e.code === 3 && e.ago, `${status(exited)} -> ${JSON.stringify(e)}`);
    const p = of(paused);
    assert.ok(p.kind === 'up' && p.health === 'paused', `${status(paused)} -> ${JSON.stringify(p)}`);
    const h = of(health.id);
    assert.ok(h.kind === 'up' && h.health === 'starting', `${status(health.id)} -> ${JSON.stringify(h)}`);
    await docker.getContainer(paused).unpause();
  });

  test("HumanDuration's forms, restarting, removal, dead; anything else is kept as it came", () => {
    assert.deepEqual(parseDuration('Less than a second'), { about: 'lessThanASecond' });
    assert.deepEqual(parseDuration('1 second'), { n: 1, unit: 'second' });
    assert.deepEqual(parseDuration('About a minute'), { about: 'aMinute' });
    assert.deepEqual(parseDuration('45 minutes'), { n: 45, unit: 'minute' });
    assert.deepEqual(parseDuration('About an hour'), { about: 'anHour' });
    assert.deepEqual(parseDuration('3 weeks'), { n: 3, unit: 'week' });
    assert.deepEqual(parseDuration('2 years'), { n: 2, unit: 'year' });
    assert.deepEqual(parseContainerStatus('Up 2 hours (unhealthy)'), { kind: 'up', for: { n: 2, unit: 'hour' }, health: 'unhealthy' });
    assert.deepEqual(parseContainerStatus('Restarting (1) 5 seconds ago'), { kind: 'restarting', code: 1, ago: { n: 5, unit: 'second' } });
    assert.deepEqual(parseContainerStatus('Exited (137) About an hour ago'), { kind: 'exited', code: 137, ago: { about: 'anHour' } });
    assert.deepEqual(parseContainerStatus('Removal In Progress'), { kind: 'removing' });
    assert.deepEqual(parseContainerStatus('Dead'), { kind: 'dead' });
    assert.deepEqual(parseContainerStatus('Up for a while'), { kind: 'other', text: 'Up for a while' });
    assert.deepEqual(parseContainerStatus(''), { kind: 'other', text: '' });
  });

  test('two loads compare equal when only time passed: durations left out, health, exit code and state kept', () => {
    assert.equal(statusWithoutTime('Up 3 seconds'), statusWithoutTime('Up About an hour'));
    assert.equal(statusWithoutTime('Up 2 days (healthy)'), 'up healthy');
    assert.notEqual(statusWithoutTime('Up 2 days (healthy)'), statusWithoutTime('Up 2 days (unhealthy)'));
    assert.equal(statusWithoutTime('Exited (0) 5 seconds ago'), statusWithoutTime('Exited (0) 2 hours ago'));
    assert.notEqual(statusWithoutTime('Exited (0) 5 seconds ago'), statusWithoutTime('Exited (137) 5 seconds ago'));
    assert.notEqual(statusWithoutTime('Exited (0) 5 seconds ago'), statusWithoutTime('Up 5 seconds'));
    assert.equal(statusWithoutTime('Something new'), 'Something new');
    const c: Container = {
      id: 'a'.repeat(64),
      name: 'web',
      image: 'img',
      state: 'running',
      status: 'Up 3 seconds',
      created: 1,
      labels: {},
      mounts: [],
      volumesFrom: [],
    };
    const inv = (over: Partial<Container>, takenAt: number): Inventory => ({ containers: [{ ...c, ...over }], volumes: [], takenAt });
    assert.equal(inventoryKey(inv({}, 1)), inventoryKey(inv({ status: 'Up 4 minutes' }, 2)), 'later, nothing new');
    assert.notEqual(inventoryKey(inv({}, 1)), inventoryKey(inv({ state: 'exited', status: 'Exited (0) 1 second ago' }, 2)), 'stopped');
    assert.notEqual(inventoryKey(inv({}, 1)), inventoryKey(inv({ name: 'web2' }, 1)), 'renamed');
  });
});
