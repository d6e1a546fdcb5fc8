// The migrations besides the upgrade (migrateContainer.test.ts), each end to end on the seed's set-up
// (log_home, logger01, logger02) on the real engine, data checked before and after, and each failure
// (a name taken, the engine refusing a step, a command exiting at once, a cancel between steps)
// proving the undo: the engine's containers and volumes are exactly as before.
import * as assert from 'node:assert/strict';
import { TEST_LABEL } from '../../src/core/engine/engine';
import { CancelledError } from '../../src/core/operations/operationErrors';
import { executePlan, formatPlan, MigrationRolledBackError, type VolumeCopier } from '../../src/core/operations/migrations/plan';
import { cloneVolume } from '../../src/core/operations/cloneVolume';
import { planRunWithVolumesFrom, runWithVolumesFrom } from '../../src/core/operations/migrations/runWithVolumesFrom';
import { executeNameVolume, nameVolume, planNameVolume } from '../../src/core/operations/migrations/nameVolume';
import { executeOwnCopy, ownCopy, planOwnCopy } from '../../src/core/operations/migrations/ownCopy';
import { executeRescue, planRescue, rescueData, writableLayerChanges } from '../../src/core/operations/migrations/rescueData';
import { BUSYBOX, cleanup, contextOf, createSeed, labels, runContainer, sh, testContext, testEngine, uniq, type SeedNames } from '../support/docker';
import { refusingProxy } from '../support/refusingProxy';
import { runCli } from '../support/cli';
import { lockOptions, withVolumes } from '../../src/core/operations/engineLocks';
import { WorkHelpers } from '../../src/core/helpers/workHelpers';
import { msg } from '../../src/core/message';

const SUITE = 'migrations';

const cli = (...args: string[]) => runCli(args);

suite("migrations: the seed's container recipes, undone on any failure", function () {
  this.timeout(180000);
  const engine = testEngine();
  const docker = engine.docker;
  const ctx = contextOf(engine, { helperLabels: labels(SUITE) });
  let seed: SeedNames;
  let volume: string;

  /** Every container (id, name, state) and every volume on the engine. */
  const snapshot = async () => ({
    containers: (await docker.listContainers({ all: true })).map((c) => `${c.Id} ${c.Names.join(',')} ${c.State}`).sort(),
    volumes: ((await docker.listVolumes()).Volumes ?? []).map((v) => v.Name).sort(),
  });
  const readLog = (v: string) => sh(docker, SUITE, 'cat /v/log', [`${v}:/v:ro`]);
  const ids = new Map<string, string>();
  const remember = async (...names: string[]) => {
    for (const n of names) ids.set(n, (await docker.getContainer(n).inspect()).Id);
  };
  /** A copier that notes whether each of `watch` runs while the copy is taken, then copies as usual. */
  const copyNoting =
    (notes: string[], watch: string[]): VolumeCopier =>
    async (from, to, c) => {
      // By id: the migrated container is under its aside name meanwhile.
      for (const n of watch) notes.push(`${n} ${(await docker.getContainer(ids.get(n) ?? n).inspect()).State.Running}`);
      await cloneVolume(testContext(docker, SUITE), { source: from, target: to, volumeLabels: c.labels ? { ...c.labels } : undefined }, { signal: c.signal });
    };
  /** A container whose command needs a file in its own writable layer: recreated, it exits 7 at once. */
  async function needsItsLayer(name: string, extra: { Volumes?: Record<string, object>; HostConfig?: Record<string, unknown> }): Promise<string> {
    const c = await docker.createContainer({
      name,
      Image: BUSYBOX,
      Labels: labels(SUITE),
      ...extra,
      Cmd: ['sh', '-c', 'mkdir -p /data; echo precious > /data/a; sleep 2; [ -f /etc/ready ] || exit 7; while true; do sleep 1; done'],
    });
    await c.start();
    const ready = await c.exec({ Cmd: ['touch', '/etc/ready'] });
    (await ready.start({})).resume();
    await new Promise((r) => setTimeout(r, 2500));
    assert.equal((await c.inspect()).State.Running, true);
    return c.id;
  }

  suiteSetup(async () => {
    await cleanup(docker, SUITE);
    seed = await createSeed(docker, SUITE, '/tmp');
    await new Promise((r) => setTimeout(r, 1500));
    volume = (await docker.getContainer(seed.logHome).inspect()).Mounts[0].Name!;
  });
  suiteTeardown(async () => {
    await cleanup(docker, SUITE);
  });

  suite("run a new container with another's volumes (--volumes-from)", () => {
    test('read-only from logger02 (a chain to log_home): the one volume, read-only, the data there', async () => {
      const name = uniq('reader');
      const res = await runWithVolumesFrom(ctx, {
        source: seed.logger02,
        image: BUSYBOX,
        name,
        mode: 'ro',
        command: ['sh', '-c', 'sleep 3600'],
        labels: labels(SUITE),
      });
      const c = await docker.getContainer(name).inspect();
      assert.equal(c.Id, res.id);
      assert.equal(c.State.Running, true);
      assert.deepEqual(c.HostConfig.VolumesFrom, [`${seed.logger02}:ro`]);
      const m = c.Mounts.find((x) => x.Destination === '/logs');
      assert.equal(m?.Name, volume, "the seed's one volume");
      assert.equal(m?.RW, false, 'read-only');
      const exec = await docker.getContainer(name).exec({ Cmd: ['sh', '-c', 'echo x >> /logs/log'], AttachStdout: true, AttachStderr: true });
      const stream = await exec.start({});
      stream.resume();
      await new Promise((r) => stream.on('end', r));
      assert.notEqual((await exec.inspect()).ExitCode, 0, 'writing is refused');
    });

    test("read-write from log_home with the image's own command: it writes into the seed's volume", async () => {
      const name = uniq('writer');
      const before = await readLog(volume);
      await runWithVolumesFrom(ctx, {
        source: seed.logHome,
        image: BUSYBOX,
        name,
        mode: 'rw',
        command: ['sh', '-c', 'echo from-the-new-one >> /logs/log; sleep 3600'],
        labels: labels(SUITE),
      });
      await new Promise((r) => setTimeout(r, 1000));
      const after = await readLog(volume);
      assert.ok(after.startsWith(before.trimEnd()), 'nothing lost');
      assert.match(after, /^from-the-new-one$/m);
    });

    test('a name taken, at plan time or between plan and execution: refused, nothing changed', async () => {
      await assert.rejects(planRunWithVolumesFrom(ctx, { source: seed.logHome, image: BUSYBOX, name: seed.logger01 }), /is taken/);
      await assert.rejects(planRunWithVolumesFrom(ctx, { source: seed.logHome, image: BUSYBOX, name: 'bad name' }), /not a valid container name/);
      await assert.rejects(planRunWithVolumesFrom(ctx, { source: uniq('nope'), image: BUSYBOX, name: uniq('x') }), /There is no container/);
      const name = uniq('late');
      const plan = await planRunWithVolumesFrom(ctx, { source: seed.logHome, image: BUSYBOX, name, labels: labels(SUITE) });
      const blocker = await docker.createContainer({ name, Image: BUSYBOX, Labels: labels(SUITE) });
      const before = await snapshot();
      await assert.rejects(executePlan(ctx, plan), (e: Error) => e instanceof MigrationRolledBackError && /already in use/.test(e.message));
      assert.deepEqual(await snapshot(), before);
      await blocker.remove();
    });

    test('the engine refusing the start, a command exiting at once (with the stays-up check), a cancel: the new container is removed', async () => {
      const before = await snapshot();
      const proxy = await refusingProxy((m, u) => m === 'POST' && /\/containers\/[0-9a-f]+\/start/.test(u), 'start refused by the test proxy');
      try {
        await assert.rejects(
          runWithVolumesFrom(contextOf(proxy.engine, { helperLabels: labels(SUITE) }), {
            source: seed.logHome,
            image: BUSYBOX,
            name: uniq('refused'),
            command: ['sleep', '3600'],
            labels: labels(SUITE),
          }),
          (e: Error) => e instanceof MigrationRolledBackError && /start refused.*undone/.test(e.message),
        );
      } finally {
        await proxy.close();
      }
      assert.deepEqual(await snapshot(), before, 'refused start');
      await assert.rejects(
        runWithVolumesFrom(ctx, {
          source: seed.logHome,
          image: BUSYBOX,
          name: uniq('exits'),
          command: ['sh', '-c', 'exit 4'],
          checkStaysUpMs: 1500,
          labels: labels(SUITE),
        }),
        (e: Error) => e instanceof MigrationRolledBackError && /exit code 4/.test(e.message),
      );
      assert.deepEqual(await snapshot(), before, 'exited at once');
      const ac = new AbortController();
      const plan = await planRunWithVolumesFrom(ctx, {
        source: seed.logHome,
        image: BUSYBOX,
        name: uniq('cancelled'),
        command: ['sleep', '3600'],
        labels: labels(SUITE),
      });
      await assert.rejects(
        executePlan(ctx, plan, {
          signal: ac.signal,
          log: (l) => {
            if (l.startsWith('step 2/')) ac.abort();
          },
        }),
        (e: Error) => e instanceof CancelledError,
      );
      assert.deepEqual(await snapshot(), before, 'cancelled after the create');
      // Without the check, a one-shot command is a success (as docker run -d), kept for its logs.
      const oneShot = await runWithVolumesFrom(ctx, {
        source: seed.logHome,
        image: BUSYBOX,
        name: uniq('oneshot'),
        command: ['true'],
        labels: labels(SUITE),
      });
      assert.ok((await docker.getContainer(oneShot.id).inspect()).Config.Labels[TEST_LABEL]);
      // Settled before the next test snapshots the engine (under load `true` may still be running).
      assert.equal(((await docker.getContainer(oneShot.id).wait()) as { StatusCode: number }).StatusCode, 0);
    });

    test('the CLI: --dry-run changes nothing; a run with a command after --; a failure exits 1 with one line', async () => {
      const name = uniq('cli-reader');
      const before = await snapshot();
      let r = await cli('run-with-volumes-from', seed.logger02, BUSYBOX, name, '--ro', '--dry-run', '--', 'sleep', '3600');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`1\\. create ${name} from .* with --volumes-from ${seed.logger02}:ro\\n  2\\. start ${name}`));
      assert.deepEqual(await snapshot(), before);
      r = await cli('run-with-volumes-from', seed.logger02, BUSYBOX, name, '--ro', '--quiet', '--', 'sleep', '3600');
      assert.equal(r.code, 0, r.stderr);
      const c = await docker.getContainer(name).inspect();
      assert.deepEqual(c.Config.Cmd, ['sleep', '3600']);
      assert.equal(c.Mounts.find((m) => m.Destination === '/logs')?.Name, volume);
      await docker.getContainer(name).remove({ force: true });
      r = await cli('run-with-volumes-from', seed.logHome, BUSYBOX, uniq('cli-exits'), '--check', '1500', '--quiet', '--', 'sh', '-c', 'exit 5');
      assert.equal(r.code, 1);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, /exit code 5\)\. Run .* was undone/);
      assert.deepEqual(await snapshot(), before);
      assert.equal((await cli('run-with-volumes-from', seed.logHome, BUSYBOX)).code, 2, 'a usage error');
    });
  });

  suite('name an anonymous volume', () => {
    let mine: SeedNames;
    let anon: string;
    suiteSetup(async () => {
      mine = await createSeed(docker, SUITE, '/tmp');
      await new Promise((r) => setTimeout(r, 1500));
      anon = (await docker.getContainer(mine.logHome).inspect()).Mounts[0].Name!;
    });

    test('log_home on a named copy of its volume, its data there; the anonymous one kept for logger01 and logger02 (the plan says so)', async () => {
      const newName = uniq('log_home_logs');
      const plan = await planNameVolume(ctx, {
        container: mine.logHome,
        destination: '/logs',
        newName,
        volumeLabels: labels(SUITE),
        settleMs: 1000,
        stopTimeoutSeconds: 1,
      });
      // logger01 and logger02 mount the volume read-write and run: stopped for the copy, started after.
      assert.deepEqual(
        plan.steps.map((s) => `${s.kind}${s.kind === 'stop' && s.forCopy ? ' (for the copy)' : s.kind === 'start' && s.again ? ' again' : ''}`),
        ['rename', 'stop', 'stop (for the copy)', 'stop (for the copy)', 'copy', 'start again', 'start again', 'create', 'check', 'remove'],
      );
      assert.deepEqual(
        plan.steps
          .filter((s) => s.kind === 'stop' && s.forCopy)
          .map((s) => s.kind === 'stop' && s.name)
          .sort(),
        [mine.logger01, mine.logger02].sort(),
      );
      assert.match(plan.warnings.join(' '), new RegExp(`${mine.logger01}.*${mine.logger02}|${mine.logger02}.*${mine.logger01}`));
      assert.match(plan.warnings.join(' '), /stopped while the copies are taken/);
      const during: string[] = [];
      await remember(mine.logHome, mine.logger01, mine.logger02);
      const res = await executeNameVolume(ctx, plan, { copyVolume: copyNoting(during, [mine.logHome, mine.logger01, mine.logger02]) });
      assert.deepEqual(during, [`${mine.logHome} false`, `${mine.logger01} false`, `${mine.logger02} false`], 'nobody writes to the volume while it is copied');
      for (const n of [mine.logger01, mine.logger02]) assert.equal((await docker.getContainer(n).inspect()).State.Running, true, `${n} started again`);
      const before = await readLog(anon);
      const c = await docker.getContainer(mine.logHome).inspect();
      assert.equal(c.Id, res.newId);
      assert.equal(c.State.Running, true);
      assert.equal(c.Mounts.find((m) => m.Destination === '/logs')?.Name, newName);
      await new Promise((r) => setTimeout(r, 1500));
      const after = await readLog(newName);
      assert.ok(after.startsWith(before.trimEnd()), 'everything in the anonymous volume was copied, and log_home goes on writing');
      assert.ok(after.length > before.length);
      assert.ok(await docker.getVolume(anon).inspect(), 'the anonymous volume is kept');
      assert.equal((await docker.getContainer(mine.logger01).inspect()).Mounts[0].Name, anon);
    });

    test('failures undone: a name taken, the engine refusing the create, a container that needed its writable layer exits at once, a cancel between steps', async () => {
      const name = uniq('cv-named');
      const c = await docker.createContainer({
        name,
        Image: BUSYBOX,
        Labels: labels(SUITE),
        Volumes: { '/data': {} },
        Cmd: ['sh', '-c', 'sleep 2; [ -f /etc/ready ] || exit 7; while true; do sleep 1; done'],
      });
      await c.start();
      const ready = await c.exec({ Cmd: ['touch', '/etc/ready'] });
      (await ready.start({})).resume();
      await new Promise((r) => setTimeout(r, 2500));
      const id = c.id;
      assert.equal((await c.inspect()).State.Running, true);
      await assert.rejects(planNameVolume(ctx, { container: name, destination: '/data', newName: volume }), /already exists/);
      await assert.rejects(planNameVolume(ctx, { container: mine.bind, destination: '/logs' }), /not an anonymous volume/);
      const before = await snapshot();
      const input = {
        container: name,
        destination: '/data',
        newName: uniq('cv-named-data'),
        volumeLabels: labels(SUITE),
        settleMs: 3500,
        stopTimeoutSeconds: 1,
      };
      // Its command needs a file in the old container's writable layer: the recreated one exits 7.
      await assert.rejects(nameVolume(ctx, input), (e: Error) => e instanceof MigrationRolledBackError && /exit code 7/.test(e.message));
      assert.deepEqual(await snapshot(), before, 'exited at once: the copy and the new container removed, the old one back and running');
      const proxy = await refusingProxy((m, u) => m === 'POST' && /\/containers\/create/.test(u), 'create refused by the test proxy');
      try {
        await assert.rejects(
          nameVolume(contextOf(proxy.engine, { helperLabels: labels(SUITE) }), input),
          (e: Error) => e instanceof MigrationRolledBackError && /create refused.*undone/.test(e.message),
        );
      } finally {
        await proxy.close();
      }
      assert.deepEqual(await snapshot(), before, 'refused create');
      const late = await planNameVolume(ctx, input);
      await docker.createVolume({ Name: input.newName, Labels: labels(SUITE) });
      const withTaken = await snapshot();
      await assert.rejects(executeNameVolume(ctx, late), (e: Error) => e instanceof MigrationRolledBackError && /already exists/.test(e.message));
      assert.deepEqual(await snapshot(), withTaken, 'the name taken after the plan: the volume someone made meanwhile is not touched, the container back');
      await docker.getVolume(input.newName).remove();
      for (let k = 1; k < 5; k++) {
        const ac = new AbortController();
        const plan = await planNameVolume(ctx, input);
        await assert.rejects(
          executePlan(ctx, plan, {
            signal: ac.signal,
            log: (l) => {
              if (l.startsWith(`step ${k + 1}/`)) ac.abort();
            },
          }),
          (e: Error) => e instanceof CancelledError,
        );
        assert.deepEqual(await snapshot(), before, `cancelled before step ${k + 1}`);
      }
      assert.equal((await docker.getContainer(name).inspect()).Id, id);
    });

    /** A running container with `precious` in its anonymous volume at /data; returns that volume. */
    async function withAnonymousData(name: string): Promise<string> {
      const id = await runContainer(docker, SUITE, { name, volumes: ['/data'], start: false });
      const anonymous = (await docker.getContainer(id).inspect()).Mounts[0].Name!;
      await sh(docker, SUITE, 'echo precious > /v/a', [`${anonymous}:/v`]);
      await docker.getContainer(id).start();
      return anonymous;
    }

    test("the copy queues in this process behind another operation on the volume (the context's lock key), then runs", async () => {
      const name = uniq('cv-queued');
      const anonymous = await withAnonymousData(name);
      const input = {
        container: name,
        destination: '/data',
        newName: uniq('cv-queued-data'),
        volumeLabels: labels(SUITE),
        settleMs: 1000,
        stopTimeoutSeconds: 1,
      };
      const plan = await planNameVolume(ctx, input);
      const copyStep = plan.steps.findIndex((x) => x.kind === 'copy') + 1;
      // Another operation of this process writing the volume (a restore into it): withVolumes is every data operation's entry.
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let holding!: () => void;
      const held = new Promise<void>((r) => (holding = r));
      const other = withVolumes(
        docker,
        ctx.engineHost,
        [{ volume: anonymous, mode: 'write' }],
        lockOptions(msg('lockOp.restore', { file: 'x.tar' }), {}, labels(SUITE)),
        async () => {
          holding();
          await gate;
        },
      );
      await held;
      const log: string[] = [];
      let res: Awaited<ReturnType<typeof executeNameVolume>>;
      try {
        const migration = executeNameVolume(ctx, plan, { log: (l) => log.push(l) });
        migration.catch(() => undefined); // awaited below; a refusal while the other holds the volume must not go unhandled meanwhile
        for (let i = 0; i < 100 && !log.some((l) => l.startsWith(`step ${copyStep}/`)); i++) await new Promise((r) => setTimeout(r, 100));
        assert.ok(
          log.some((l) => l.startsWith(`step ${copyStep}/`)),
          'the migration reached its copy',
        );
        // Without the shared key the clone met the other's engine lock and was refused (about 2 s): waited out here.
        await new Promise((r) => setTimeout(r, 4000));
        log.push('released');
        release();
        res = await migration;
      } finally {
        release();
        await other;
      }
      assert.ok(
        log.indexOf('released') < log.findIndex((l) => l.startsWith(`step ${copyStep + 1}/`)),
        `the copy ended only after the other operation: ${log.join(' | ')}`,
      );
      assert.equal(res.volume, input.newName);
      assert.equal((await sh(docker, SUITE, 'cat /v/a', [`${input.newName}:/v:ro`])).trim(), 'precious');
      await docker.getContainer(name).remove({ force: true });
      await docker.getVolume(anonymous).remove();
    });

    test("the copy takes the context's fast path (cp -a in the work helper) when it has one", async () => {
      const name = uniq('cv-fast');
      const anonymous = await withAnonymousData(name);
      let runs = 0;
      const helpers = new (class extends WorkHelpers {
        override run(o: Parameters<WorkHelpers['run']>[0]) {
          runs++;
          return super.run(o);
        }
      })(docker, { images: () => Promise.resolve([BUSYBOX]), labels: labels(SUITE) });
      try {
        const fast = contextOf(engine, { helperLabels: labels(SUITE), fastPath: { localEngine: true, workHelpers: helpers } });
        const newName = uniq('cv-fast-data');
        await nameVolume(fast, { container: name, destination: '/data', newName, volumeLabels: labels(SUITE), settleMs: 1000, stopTimeoutSeconds: 1 });
        assert.equal(runs, 1, 'one cp -a in the work helper');
        assert.equal((await sh(docker, SUITE, 'cat /v/a', [`${newName}:/v:ro`])).trim(), 'precious');
      } finally {
        await helpers.dispose();
      }
      await docker.getContainer(name).remove({ force: true });
      await docker.getVolume(anonymous).remove();
    });
  });

  test('a rich configuration survives the recreate (name a volume): networks with aliases, ports, env, limits, command override; the data before and after', async () => {
    const net = uniq('cv-mig-net');
    await docker.createNetwork({ Name: net, Labels: labels(SUITE) });
    try {
      const name = uniq('cv-rich');
      const c = await docker.createContainer({
        name,
        Image: BUSYBOX,
        Cmd: ['sh', '-c', 'while true; do echo "$APP_MODE" >> /data/log; sleep 1; done'],
        Labels: { ...labels(SUITE), 'my.label': 'kept' },
        Env: ['APP_MODE=production'],
        ExposedPorts: { '8080/tcp': {} },
        Volumes: { '/data': {} },
        HostConfig: {
          NetworkMode: net,
          PortBindings: { '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] },
          Memory: 64 * 1024 * 1024,
          PidsLimit: 50,
          RestartPolicy: { Name: 'unless-stopped' },
        },
        NetworkingConfig: { EndpointsConfig: { [net]: { Aliases: ['db'] } } },
      });
      await c.start();
      await new Promise((r) => setTimeout(r, 1500));
      const anon = (await c.inspect()).Mounts[0].Name!;
      const before = await readLog(anon);
      assert.match(before, /^production$/m);
      const newName = uniq('cv-rich-data');
      await nameVolume(ctx, { container: name, destination: '/data', newName, volumeLabels: labels(SUITE), settleMs: 1000, stopTimeoutSeconds: 1 });
      const now = await docker.getContainer(name).inspect();
      assert.deepEqual(now.Config.Cmd, ['sh', '-c', 'while true; do echo "$APP_MODE" >> /data/log; sleep 1; done']);
      assert.ok(now.Config.Env.includes('APP_MODE=production'));
      assert.equal(now.Config.Labels['my.label'], 'kept');
      assert.deepEqual(now.HostConfig.PortBindings, { '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] });
      assert.equal(now.HostConfig.Memory, 64 * 1024 * 1024);
      assert.equal(now.HostConfig.PidsLimit, 50);
      assert.deepEqual(now.HostConfig.RestartPolicy, { Name: 'unless-stopped', MaximumRetryCount: 0 });
      assert.ok((now.NetworkSettings.Networks[net] as { Aliases?: string[] } | undefined)?.Aliases?.includes('db'), 'the network with its alias');
      assert.equal(now.Mounts.find((m) => m.Destination === '/data')?.Name, newName);
      await new Promise((r) => setTimeout(r, 1500));
      const after = await readLog(newName);
      assert.ok(after.startsWith(before.trimEnd()) && after.length > before.length, 'the data before, and the new container goes on writing');
      await docker.getContainer(name).remove({ force: true });
      // Kept by the migration, unlabelled (the engine made it): this test removes it.
      await docker.getVolume(anon).remove();
    } finally {
      await docker
        .getNetwork(net)
        .remove()
        .catch(() => undefined);
    }
  });

  suite('give a container its own copy (of what it mounts through --volumes-from)', () => {
    test("logger02 on its own copy: the data as it was, no --volumes-from, and log_home's later writes no longer reach it", async () => {
      const copy = uniq('logger02_logs');
      await assert.rejects(planOwnCopy(ctx, { container: seed.logHome }), /nothing through --volumes-from/);
      const before = await snapshot();
      const proxy = await refusingProxy((m, u) => m === 'PUT' && /\/archive/.test(u), 'upload refused by the test proxy');
      try {
        await assert.rejects(
          ownCopy(contextOf(proxy.engine, { helperLabels: labels(SUITE) }), {
            container: seed.logger02,
            names: { '/logs': copy },
            volumeLabels: labels(SUITE),
            settleMs: 1000,
            stopTimeoutSeconds: 1,
          }),
          (e: Error) => e instanceof MigrationRolledBackError && /undone/.test(e.message),
        );
      } finally {
        await proxy.close();
      }
      assert.deepEqual(await snapshot(), before, 'the copy refused by the engine: everything as before');
      const plan = await planOwnCopy(ctx, {
        container: seed.logger02,
        names: { '/logs': copy },
        volumeLabels: labels(SUITE),
        settleMs: 1000,
        stopTimeoutSeconds: 1,
      });
      const writers = plan.steps.filter((s) => s.kind === 'stop' && s.forCopy).map((s) => (s.kind === 'stop' ? s.name : ''));
      assert.ok(writers.includes(seed.logHome) && writers.includes(seed.logger01), `log_home and logger01 write to the volume: ${writers.join(', ')}`);
      assert.deepEqual(
        plan.steps.filter((s) => s.kind === 'start' && s.again).map((s) => (s.kind === 'start' ? s.name : '')),
        writers,
        'each started again after the copy',
      );
      assert.ok(plan.steps.findIndex((s) => s.kind === 'copy') < plan.steps.findIndex((s) => s.kind === 'start'));
      const during: string[] = [];
      await remember(seed.logHome, seed.logger01, seed.logger02);
      const res = await executeOwnCopy(ctx, plan, { copyVolume: copyNoting(during, [seed.logHome, seed.logger01, seed.logger02]) });
      assert.deepEqual(
        during,
        [`${seed.logHome} false`, `${seed.logger01} false`, `${seed.logger02} false`],
        'nobody writes while the copy is taken: a consistent copy',
      );
      for (const n of [seed.logHome, seed.logger01]) assert.equal((await docker.getContainer(n).inspect()).State.Running, true, `${n} started again`);
      assert.deepEqual(res.volumes, { '/logs': copy });
      const c = await docker.getContainer(seed.logger02).inspect();
      assert.deepEqual(c.HostConfig.VolumesFrom ?? [], []);
      assert.equal(c.Mounts.find((m) => m.Destination === '/logs')?.Name, copy);
      assert.equal(c.State.Running, true);
      const mine = await readLog(copy);
      const shared = await readLog(volume);
      assert.ok(shared.startsWith(mine.trimEnd()), 'the copy holds the log as it was');
      await new Promise((r) => setTimeout(r, 2000));
      assert.equal(await readLog(copy), mine, 'independent from now on: log_home writes only to its own');
      assert.ok((await readLog(volume)).length > shared.length);
      assert.equal((await docker.getContainer(seed.logger01).inspect()).Mounts[0].Name, volume, 'logger01 untouched');
    });

    test("failures undone: the recreated container exits at once, the copy's name taken after the plan, a cancel between any two steps; the writers run again each time", async () => {
      const src = uniq('cv-own-src');
      await runContainer(docker, SUITE, { name: src, volumes: ['/shared'], cmd: ['sh', '-c', 'while true; do date >> /shared/log; sleep 1; done'] });
      const name = uniq('cv-own');
      const id = await needsItsLayer(name, { HostConfig: { VolumesFrom: [src] } });
      const input = { container: name, names: { '/shared': uniq('cv-own-copy') }, volumeLabels: labels(SUITE), settleMs: 3500, stopTimeoutSeconds: 1 };
      const before = await snapshot();
      await assert.rejects(ownCopy(ctx, input), (e: Error) => e instanceof MigrationRolledBackError && /exit code 7/.test(e.message));
      assert.deepEqual(await snapshot(), before, 'exited at once: the copy and the new container removed, the old one and its source back and running');
      const plan = await planOwnCopy(ctx, input);
      assert.deepEqual(
        plan.steps.map((s) => s.kind),
        ['rename', 'stop', 'stop', 'copy', 'start', 'create', 'check', 'remove'],
      );
      await docker.createVolume({ Name: input.names['/shared'], Labels: labels(SUITE) });
      const withTaken = await snapshot();
      await assert.rejects(executeOwnCopy(ctx, plan), (e: Error) => e instanceof MigrationRolledBackError && /already exists/.test(e.message));
      assert.deepEqual(await snapshot(), withTaken, 'the volume someone made meanwhile is not touched');
      await docker.getVolume(input.names['/shared']).remove();
      for (let k = 1; k < plan.steps.length; k++) {
        const ac = new AbortController();
        // A short check: the recreated container passes it (it exits 7 only after 2 s) and the cancel before the last step is reached.
        await assert.rejects(
          executePlan(ctx, await planOwnCopy(ctx, { ...input, settleMs: 800 }), {
            signal: ac.signal,
            log: (l) => {
              if (l.startsWith(`step ${k + 1}/`)) ac.abort();
            },
          }),
          (e: Error) => e instanceof CancelledError,
        );
        assert.deepEqual(await snapshot(), before, `cancelled before step ${k + 1}`);
      }
      assert.equal((await docker.getContainer(name).inspect()).Id, id);
    });

    test('the CLI: own-copy and name-volume print their plans with --dry-run; name-volume runs; bad input exits 1 or 2', async () => {
      const before = await snapshot();
      let r = await cli('own-copy', seed.logger01, '--dry-run');
      assert.equal(r.code, 0, r.stderr);
      assert.match(
        r.stdout,
        new RegExp(
          `^Give ${seed.logger01} its own copy of /logs\\n  1\\. rename .*\\n  2\\. stop .*\\n  3\\. stop ${seed.logHome}, which writes to what is copied, for the copy\\n(.*\\n)*  \\d\\. copy ${volume.slice(0, 12)} into the new volume ${seed.logger01}-logs\\n  \\d\\. start ${seed.logHome} again`,
        ),
      );
      r = await cli('name-volume', `${seed.logger01}:/logs`, '--dry-run');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /warning: .* also mount/);
      assert.deepEqual(await snapshot(), before, '--dry-run changed nothing');
      r = await cli('own-copy', seed.logHome, '--quiet');
      assert.equal(r.code, 1);
      assert.match(r.stderr, /^container-volumes: .*nothing through --volumes-from/);
      assert.equal((await cli('name-volume', seed.logHome)).code, 2);
      const named = uniq('cli-logger01-logs');
      r = await cli('name-volume', `${seed.logger01}:/logs`, named, '--settle', '1000', '--stop-timeout', '1', '--quiet');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`now mounts the volume ${named} at /logs`));
      assert.equal((await docker.getContainer(seed.logger01).inspect()).Mounts[0].Name, named);
      await docker.getVolume(named).inspect();
      // Unlabelled by the CLI: this test removes it itself after the container.
      await docker.getContainer(seed.logger01).remove({ force: true });
      await docker.getVolume(named).remove();
    });
  });

  suite("rescue data from a container's writable layer", () => {
    test('a folder written inside the container moves into a new volume, mounted there; the engine refusing the copy undoes everything', async () => {
      const name = uniq('cv-layer');
      const c = await docker.createContainer({
        name,
        Image: BUSYBOX,
        Labels: labels(SUITE),
        Volumes: { '/logs': {} },
        Cmd: ['sh', '-c', 'mkdir -p /data/sub; [ -f /data/first ] || date > /data/first; echo kept > /data/sub/b; while true; do sleep 1; done'],
      });
      await c.start();
      await new Promise((r) => setTimeout(r, 1500));
      const changes = await writableLayerChanges(ctx, name);
      assert.ok(
        changes.some((x) => x.path === '/data' && x.kind === 'added'),
        JSON.stringify(changes),
      );
      assert.ok(!changes.some((x) => x.path.startsWith('/logs')), 'mounts are not the writable layer');
      await assert.rejects(planRescue(ctx, { container: name, path: '/etc/nothing-here' }), /changed nothing/);
      await assert.rejects(planRescue(ctx, { container: name, path: '/logs' }), /mount/);
      const vol = uniq('cv-rescued');
      const before = await snapshot();
      const proxy = await refusingProxy((m, u) => m === 'PUT' && /\/archive/.test(u), 'upload refused by the test proxy');
      try {
        await assert.rejects(
          rescueData(contextOf(proxy.engine, { helperLabels: labels(SUITE) }), {
            container: name,
            path: '/data',
            newName: vol,
            volumeLabels: labels(SUITE),
            settleMs: 1000,
            stopTimeoutSeconds: 1,
          }),
          (e: Error) => e instanceof MigrationRolledBackError && /undone/.test(e.message),
        );
      } finally {
        await proxy.close();
      }
      assert.deepEqual(await snapshot(), before, 'the refused copy: the new volume removed, the container back and running');
      const plan = await planRescue(ctx, {
        container: name,
        path: '/data',
        newName: vol,
        volumeLabels: labels(SUITE),
        settleMs: 1000,
        stopTimeoutSeconds: 1,
      });
      assert.deepEqual(
        plan.steps.map((x) => x.kind),
        ['rename', 'stop', 'createVolume', 'copyPath', 'create', 'check', 'remove'],
      );
      await rescueData(ctx, { container: name, path: '/data', newName: vol, volumeLabels: labels(SUITE), settleMs: 1000, stopTimeoutSeconds: 1 });
      const now = await docker.getContainer(name).inspect();
      assert.equal(now.State.Running, true);
      assert.equal(now.Mounts.find((m) => m.Destination === '/data')?.Name, vol);
      assert.match(await sh(docker, SUITE, 'cat /v/first', [`${vol}:/v:ro`]), /\d{2}:\d{2}:\d{2}/, 'what was written inside the container is in the volume');
      assert.match(await sh(docker, SUITE, 'cat /v/sub/b', [`${vol}:/v:ro`]), /^kept/);
      assert.ok(!(await writableLayerChanges(ctx, name)).some((x) => x.path.startsWith('/data')), '/data is a volume now, not the writable layer');
    });

    test("a file moves with its folder (the image's files there too); a folder and files with spaces and other scripts in their names", async () => {
      const name = uniq('cv-layer-file');
      const c = await docker.createContainer({
        name,
        Image: BUSYBOX,
        Labels: labels(SUITE),
        Cmd: [
          'sh',
          '-c',
          '[ -f /etc/app.conf ] || echo "mode=präzise" > /etc/app.conf; mkdir -p "/srv/my data/日志 1"; echo 数据 > "/srv/my data/日志 1/记录 a.txt"; echo x > "/srv/my data/ü b"; while true; do sleep 1; done',
        ],
      });
      await c.start();
      await new Promise((r) => setTimeout(r, 1500));
      const fileVol = uniq('cv-rescued-etc');
      const plan = await planRescue(ctx, {
        container: name,
        path: '/etc/app.conf',
        newName: fileVol,
        volumeLabels: labels(SUITE),
        settleMs: 1000,
        stopTimeoutSeconds: 1,
      });
      assert.equal(plan.facts.path, '/etc', "the file's folder");
      assert.match(formatPlan(plan), /\/etc\/app\.conf is a file.*all of \/etc .* the image's files there too/);
      assert.match(formatPlan(plan), /copy \/etc of .* into/);
      const r1 = await executeRescue(ctx, plan);
      assert.equal(r1.path, '/etc');
      assert.match(
        await sh(docker, SUITE, 'cat /v/app.conf; cat /v/passwd', [`${fileVol}:/v:ro`]),
        /^mode=präzise\r?\nroot:/,
        "the file, and the image's files of its folder",
      );
      let now = await docker.getContainer(name).inspect();
      assert.equal(now.Mounts.find((m) => m.Destination === '/etc')?.Name, fileVol);
      assert.equal(now.State.Running, true);
      const spaced = uniq('cv-rescued-spaces');
      await rescueData(ctx, { container: name, path: '/srv/my data', newName: spaced, volumeLabels: labels(SUITE), settleMs: 1000, stopTimeoutSeconds: 1 });
      now = await docker.getContainer(name).inspect();
      assert.equal(now.Mounts.find((m) => m.Destination === '/srv/my data')?.Name, spaced);
      assert.match(await sh(docker, SUITE, 'cat "/v/日志 1/记录 a.txt" "/v/ü b"', [`${spaced}:/v:ro`]), /^数据\r?\nx/);
      await assert.rejects(planRescue(ctx, { container: name, path: '/srv/a:b' }), /absolute path without/);
      const rootFile = uniq('cv-layer-rootfile');
      await (
        await docker.createContainer({ name: rootFile, Image: BUSYBOX, Labels: labels(SUITE), Cmd: ['sh', '-c', 'echo x > /top.txt; sleep 3600'] })
      ).start();
      await new Promise((r) => setTimeout(r, 1000));
      await assert.rejects(planRescue(ctx, { container: rootFile, path: '/top.txt' }), /top of the filesystem/);
    });

    test("failures undone: the recreated container exits at once, the volume's name taken after the plan, a cancel between any two steps", async () => {
      const name = uniq('cv-layer-fail');
      const id = await needsItsLayer(name, {});
      const input = { container: name, path: '/data', newName: uniq('cv-rescue-fail'), volumeLabels: labels(SUITE), settleMs: 3500, stopTimeoutSeconds: 1 };
      const before = await snapshot();
      // /data is rescued, /etc/ready is not: the recreated container exits 7.
      await assert.rejects(rescueData(ctx, input), (e: Error) => e instanceof MigrationRolledBackError && /exit code 7/.test(e.message));
      assert.deepEqual(await snapshot(), before, 'exited at once: the volume and the new container removed, the old one back and running');
      const plan = await planRescue(ctx, input);
      await docker.createVolume({ Name: input.newName, Labels: labels(SUITE) });
      const withTaken = await snapshot();
      await assert.rejects(executeRescue(ctx, plan), (e: Error) => e instanceof MigrationRolledBackError && /already exists/.test(e.message));
      assert.deepEqual(await snapshot(), withTaken, 'the volume someone made meanwhile is not touched');
      await docker.getVolume(input.newName).remove();
      for (let k = 1; k < plan.steps.length; k++) {
        const ac = new AbortController();
        await assert.rejects(
          executePlan(ctx, await planRescue(ctx, { ...input, settleMs: 800 }), {
            signal: ac.signal,
            log: (l) => {
              if (l.startsWith(`step ${k + 1}/`)) ac.abort();
            },
          }),
          (e: Error) => e instanceof CancelledError,
        );
        assert.deepEqual(await snapshot(), before, `cancelled before step ${k + 1}`);
      }
      assert.equal((await docker.getContainer(name).inspect()).Id, id);
    });

    test('a stopped container (the data it wrote is still in its layer): started for the check with the volume, then left stopped', async () => {
      const name = uniq('cv-layer-stopped');
      const c = await docker.createContainer({
        name,
        Image: BUSYBOX,
        Labels: labels(SUITE),
        Cmd: ['sh', '-c', 'mkdir -p /data; [ -f /data/dump.rdb ] || echo REDIS0009 > /data/dump.rdb; trap "exit 0" TERM; while true; do sleep 1; done'],
      });
      await c.start();
      await new Promise((r) => setTimeout(r, 1000));
      await c.stop({ t: 1 });
      const vol = uniq('cv-rescued-stopped');
      const plan = await planRescue(ctx, { container: name, path: '/data', newName: vol, volumeLabels: labels(SUITE), settleMs: 1000 });
      assert.deepEqual(
        plan.steps.map((x) => x.kind),
        ['rename', 'createVolume', 'copyPath', 'create', 'check', 'remove'],
        'nothing to stop',
      );
      await executeRescue(ctx, plan);
      const now = await docker.getContainer(name).inspect();
      assert.notEqual(now.Id, c.id);
      assert.equal(now.State.Running, false, 'left stopped, as it was');
      assert.notEqual(now.State.StartedAt, '0001-01-01T00:00:00Z', 'it was started for the check');
      assert.equal(now.Mounts.find((m) => m.Destination === '/data')?.Name, vol);
      assert.match(await sh(docker, SUITE, 'cat /v/dump.rdb', [`${vol}:/v:ro`]), /^REDIS0009/);
    });

    test('the CLI: rescue --list shows what the container wrote; --dry-run prints the plan and changes nothing', async () => {
      const name = uniq('cv-layer-cli');
      await (
        await docker.createContainer({ name, Image: BUSYBOX, Labels: labels(SUITE), Cmd: ['sh', '-c', 'mkdir -p /srv/db; echo x > /srv/db/x; sleep 3600'] })
      ).start();
      await new Promise((r) => setTimeout(r, 1000));
      let r = await cli('rescue', `${name}:/`, '--list');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^A \/srv\/db\/x$/m);
      const before = await snapshot();
      r = await cli('rescue', `${name}:/srv/db`, '--dry-run');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`create the volume ${name}-db\\n  4\\. copy /srv/db of ${name}-pre-migration-\\S+ into ${name}-db`));
      assert.deepEqual(await snapshot(), before);
    });
  });
  test("a Compose project's container: each plan warns that Compose recreates it; the CLI stops there unless --compose-ok", async () => {
    const compose = { 'com.docker.compose.project': 'shop', 'com.docker.compose.service': 'db' };
    const db = uniq('cv-shop-db');
    await (
      await docker.createContainer({
        name: db,
        Image: BUSYBOX,
        Labels: { ...labels(SUITE), ...compose },
        Volumes: { '/data': {} },
        Cmd: ['sh', '-c', 'mkdir -p /srv; echo x > /srv/x; while true; do date >> /data/log; sleep 1; done'],
      })
    ).start();
    const worker = uniq('cv-shop-worker');
    await (
      await docker.createContainer({
        name: worker,
        Image: BUSYBOX,
        Labels: { ...labels(SUITE), ...compose },
        Cmd: ['sleep', '3600'],
        HostConfig: { VolumesFrom: [db] },
      })
    ).start();
    await new Promise((r) => setTimeout(r, 1000));
    const plans = [
      await planNameVolume(ctx, { container: db, destination: '/data' }),
      await planOwnCopy(ctx, { container: worker }),
      await planRescue(ctx, { container: db, path: '/srv' }),
    ];
    for (const plan of plans) {
      assert.deepEqual(plan.compose, { project: 'shop', service: 'db' }, plan.migration);
      assert.match(
        formatPlan(plan),
        /warning: .* belongs to the Compose project "shop": the next `docker compose up` recreates it .* or stop here/,
        plan.migration,
      );
    }
    const reader = await planRunWithVolumesFrom(ctx, { source: db, image: BUSYBOX, name: uniq('cv-shop-reader') });
    assert.equal(reader.compose, undefined, 'nothing of the project is replaced');
    assert.match(formatPlan(reader), /warning: .* belongs to the Compose project "shop".* Compose neither recreates nor removes it/);
    const before = await snapshot();
    for (const args of [
      ['upgrade', db, BUSYBOX],
      ['name-volume', `${db}:/data`],
      ['own-copy', worker],
      ['rescue', `${db}:/srv`],
    ]) {
      const r = await cli(...args, '--quiet');
      assert.equal(r.code, 1, `${args[0]}: ${r.stderr}`);
      assert.match(r.stderr, /belongs to the Compose project "shop".*pass --compose-ok; nothing was changed/, args[0]);
    }
    assert.deepEqual(await snapshot(), before, 'stopped there: nothing changed');
    const r = await cli('upgrade', db, BUSYBOX, '--compose-ok', '--settle', '800', '--stop-timeout', '1', '--quiet');
    assert.equal(r.code, 0, r.stderr);
    assert.notEqual((await docker.getContainer(db).inspect()).Id, before.containers.find((c) => c.includes(`/${db} `))?.split(' ')[0]);
  });
});
