// The migration wizards in the real extension host, driven with argument objects (no prompts), on the
// seed's set-up: each shows its result in the views at once, and a failure changes nothing.
import * as assert from 'node:assert/strict';
import type { NameVolumeResult } from '../../src/core/operations/migrations/nameVolume';
import type { OwnCopyResult } from '../../src/core/operations/migrations/ownCopy';
import type { RescueResult } from '../../src/core/operations/migrations/rescueData';
import type { RunWithVolumesFromResult } from '../../src/core/operations/migrations/runWithVolumesFrom';
import { BUSYBOX, cleanup, createSeed, labels, sh, testEngine, uniq, type SeedNames } from '../support/docker';
import { api } from './api';
import { answering, ScriptedPrompter } from './prompter';

const SUITE = 'ext-migrations';

suite('Migration commands (argument objects)', function () {
  this.timeout(120000);
  const docker = testEngine().docker;
  let seed: SeedNames;
  let volume: string;

  /** Runs a wizard with its inputs as an argument object; the Prompter answers the plan's modal with `button`. */
  async function confirmed<T>(plan: RegExp, button: string, id: string, arg: Record<string, unknown>): Promise<T> {
    const ext = await api();
    const prompter = new ScriptedPrompter().on(plan, button);
    const res = await answering(ext, prompter, () => ext.runCommand(id, arg));
    assert.ok(
      prompter.asked.some((q) => q.kind === 'warning' && q.modal && plan.test(q.message)),
      `the plan was shown: ${JSON.stringify(prompter.asked)}`,
    );
    return res as T;
  }

  suiteSetup(async () => {
    await cleanup(docker, SUITE);
    const L = labels(SUITE);
    (await api()).resourceLabels = { helper: L, volume: L, container: L };
    seed = await createSeed(docker, SUITE, '/tmp');
    volume = (await docker.getContainer(seed.logHome).inspect()).Mounts[0].Name!;
  });
  suiteTeardown(async () => {
    (await api()).resourceLabels = {};
    await cleanup(docker, SUITE);
  });

  test('Run a New Container with Its Volumes: read-only from logger01, in the Containers view at once with the inherited mount', async () => {
    const ext = await api();
    await ext.services.inventory.refresh();
    const name = uniq('ext-reader');
    const res = await confirmed<RunWithVolumesFromResult>(/^Run /, 'Run', 'containerVolumes.runWithVolumesFrom', {
      containerName: seed.logger01,
      image: BUSYBOX,
      name,
      command: 'sh -c "sleep 60"',
      mode: 'ro',
    });
    assert.equal(res.name, name);
    const c = ext.services.inventory.current?.containers.find((x) => x.name === name);
    assert.ok(c, 'the new container is in the inventory without waiting for an event');
    const m = c.mounts.find((x) => x.destination === '/logs');
    assert.equal(m?.volumeName, volume);
    assert.equal(m?.readOnly, true);
    assert.deepEqual((await docker.getContainer(name).inspect()).Config.Cmd, ['sh', '-c', 'sleep 60'], 'the command line split as a user typed it');
    // A name that is taken: one clear error, nothing created.
    await assert.rejects(
      ext.runCommand('containerVolumes.runWithVolumesFrom', { containerName: seed.logger01, image: BUSYBOX, name, command: [], mode: 'rw' }),
      /is taken/,
    );
  });

  test('Give the Container Its Own Copy: logger02 on a copy of its own, shown in the views; Name This Anonymous Volume: log_home on a named volume', async () => {
    const ext = await api();
    await ext.services.inventory.refresh();
    const copy = uniq('ext-logger02-logs');
    const own = await confirmed<OwnCopyResult>(/^Give /, 'Copy', 'containerVolumes.ownCopy', {
      containerName: seed.logger02,
      names: { '/logs': copy },
      stopTimeoutSeconds: 1,
      settleMs: 1000,
    });
    assert.deepEqual(own.volumes, { '/logs': copy });
    const c2 = ext.services.inventory.current?.containers.find((x) => x.name === seed.logger02);
    assert.equal(c2?.mounts.find((m) => m.destination === '/logs')?.volumeName, copy, 'the Containers view shows the copy at once');
    assert.match(await sh(docker, SUITE, 'cat /v/log', [`${copy}:/v:ro`]), /\d{2}:\d{2}:\d{2}/, 'the copy holds the log');

    const named = uniq('ext-log_home-logs');
    const res = await confirmed<NameVolumeResult>(/^Name the anonymous volume/, 'Name It', 'containerVolumes.nameVolume', {
      containerName: seed.logHome,
      destination: '/logs',
      newName: named,
      stopTimeoutSeconds: 1,
      settleMs: 1000,
    });
    assert.equal(res.anonymousVolume, volume);
    const inv = ext.services.inventory.current;
    assert.equal(inv?.containers.find((x) => x.name === seed.logHome)?.mounts[0].volumeName, named);
    assert.ok(
      inv?.volumes.some((v) => v.name === volume),
      'the anonymous volume is still listed',
    );
    // Not an anonymous volume: one clear error, nothing changes.
    await assert.rejects(
      ext.runCommand('containerVolumes.nameVolume', { containerName: seed.logHome, destination: '/logs', newName: uniq('x') }),
      /not an anonymous volume/,
    );
  });

  test("A Compose project's container: every wizard's plan warns that Compose recreates it from its file, and stopping there changes nothing", async () => {
    const ext = await api();
    const compose = { 'com.docker.compose.project': 'shop', 'com.docker.compose.service': 'db', 'com.docker.compose.container-number': '1' };
    const db = uniq('shop-db-1');
    await (
      await docker.createContainer({
        name: db,
        Image: BUSYBOX,
        Labels: { ...labels(SUITE), ...compose },
        Volumes: { '/data': {} },
        Cmd: ['sh', '-c', 'mkdir -p /srv; echo x > /srv/x; while true; do date >> /data/log; sleep 1; done'],
      })
    ).start();
    const worker = uniq('shop-worker-1');
    await (
      await docker.createContainer({
        name: worker,
        Image: BUSYBOX,
        Labels: { ...labels(SUITE), ...compose, 'com.docker.compose.service': 'worker' },
        Cmd: ['sleep', '3600'],
        HostConfig: { VolumesFrom: [db] },
      })
    ).start();
    await new Promise((r) => setTimeout(r, 1000));
    await ext.services.inventory.refresh();
    const snapshot = async () => ({
      containers: (await docker.listContainers({ all: true })).map((c) => `${c.Id} ${c.Names.join(',')} ${c.State}`).sort(),
      volumes: ((await docker.listVolumes()).Volumes ?? []).map((v) => v.Name).sort(),
    });
    const before = await snapshot();
    const wizards: [string, Record<string, unknown>, RegExp][] = [
      [
        'containerVolumes.migrateContainer',
        { containerName: db, image: BUSYBOX, keepOld: false },
        /belongs to the Compose project "shop".*recreates it from the compose file.*or stop here/,
      ],
      [
        'containerVolumes.nameVolume',
        { containerName: db, destination: '/data', newName: uniq('shop-data') },
        /belongs to the Compose project "shop".*or stop here/,
      ],
      ['containerVolumes.ownCopy', { containerName: worker }, /belongs to the Compose project "shop".*or stop here/],
      ['containerVolumes.rescueData', { containerName: db, path: '/srv', newName: uniq('shop-srv') }, /belongs to the Compose project "shop".*or stop here/],
      [
        'containerVolumes.runWithVolumesFrom',
        { containerName: db, image: BUSYBOX, name: uniq('shop-reader'), command: 'sleep 60', mode: 'ro' },
        /belongs to the Compose project "shop".*Compose neither recreates nor removes it/,
      ],
    ];
    for (const [id, arg, warning] of wizards) {
      const stopping = new ScriptedPrompter();
      await assert.rejects(
        answering(ext, stopping, () => ext.runCommand(id, arg)),
        (e: Error) => !/belongs to/.test(e.message),
        id,
      );
      const plan = stopping.asked.find((q) => q.kind === 'warning' && q.modal);
      assert.ok(plan, `${id}: the plan was shown`);
      assert.match(plan.detail ?? '', new RegExp(`⚠ .*${warning.source}`), `${id}: the warning is in the plan: ${plan.detail}`);
      assert.deepEqual(await snapshot(), before, `${id}: stopped at the plan, nothing changed`);
    }
  });

  test("Rescue Data from the Container's Writable Layer: /data written inside a container moves into a volume mounted there", async () => {
    const ext = await api();
    const name = uniq('ext-layer');
    const c = await docker.createContainer({
      name,
      Image: BUSYBOX,
      Labels: labels(SUITE),
      Cmd: ['sh', '-c', 'mkdir -p /data; [ -f /data/a ] || echo precious > /data/a; while true; do sleep 1; done'],
    });
    await c.start();
    await new Promise((r) => setTimeout(r, 1000));
    await ext.services.inventory.refresh();
    const vol = uniq('ext-rescued');
    // confirmed: true does not answer the plan: dismissed, nothing changes.
    const dismissing = new ScriptedPrompter();
    await assert.rejects(
      answering(ext, dismissing, () =>
        ext.runCommand('containerVolumes.rescueData', {
          containerName: name,
          path: '/data',
          newName: vol,
          stopTimeoutSeconds: 1,
          settleMs: 1000,
          confirmed: true,
        }),
      ),
    );
    assert.ok(
      dismissing.asked.some((q) => q.modal && /^Move \/data of /.test(q.message)),
      JSON.stringify(dismissing.asked),
    );
    assert.equal((await docker.getContainer(name).inspect()).Id, c.id, 'the same container');
    const res = await confirmed<RescueResult>(/^Move /, 'Move It', 'containerVolumes.rescueData', {
      containerName: name,
      path: '/data',
      newName: vol,
      stopTimeoutSeconds: 1,
      settleMs: 1000,
    });
    assert.equal(res.volume, vol);
    assert.equal(ext.services.inventory.current?.containers.find((x) => x.name === name)?.mounts.find((m) => m.destination === '/data')?.volumeName, vol);
    assert.match(await sh(docker, SUITE, 'cat /v/a', [`${vol}:/v:ro`]), /^precious/);

    // From the palette (no path): the quick pick lists what the container added, not each file in
    // it, and the image's folders it changed; the chosen one and the volume's name go to the plan.
    const other = uniq('ext-layer-pick');
    await (
      await docker.createContainer({
        name: other,
        Image: BUSYBOX,
        Labels: labels(SUITE),
        Cmd: ['sh', '-c', 'mkdir -p "/etc/my app"; echo v > "/etc/my app/settings"; sleep 3600'],
      })
    ).start();
    await new Promise((r) => setTimeout(r, 1000));
    await ext.services.inventory.refresh();
    const picked = uniq('ext-picked');
    const prompter = new ScriptedPrompter()
      .on(/^The folder to move/, '/etc/my app')
      .on(/^Name of the new volume/, picked)
      .on(/^Move /, 'Move It');
    const r2 = (await answering(ext, prompter, () =>
      ext.runCommand('containerVolumes.rescueData', { containerName: other, stopTimeoutSeconds: 1, settleMs: 1000 }),
    )) as RescueResult;
    const pick = prompter.asked.find((q) => q.kind === 'quickPick');
    assert.ok(pick?.items.includes('/etc') && pick.items.includes('/etc/my app'), JSON.stringify(pick?.items));
    assert.ok(!pick?.items.includes('/etc/my app/settings'), 'not each file of a folder it added');
    assert.equal(r2.path, '/etc/my app');
    assert.match(await sh(docker, SUITE, 'cat /v/settings', [`${picked}:/v:ro`]), /^v/);
  });
});
