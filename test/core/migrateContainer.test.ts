// S6: upgrade a container's image keeping its data, on the real engine: the whole configuration
// survives (env, ports, networks with aliases and addresses, limits, command overrides), a new image's
// own command applies where the old one was not overridden, the same volumes are mounted explicitly,
// and every failure - the new image exiting at once, a name taken, the engine refusing a step, a
// cancel between steps - puts everything back as it was.
import * as assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { TEST_LABEL } from '../../src/core/engine/engine';
import { CancelledError } from '../../src/core/operations/operationErrors';
import { executePlan, formatPlan, MigrationRolledBackError } from '../../src/core/operations/migrations/plan';
import { executeUpgrade, planUpgrade, upgradeImage } from '../../src/core/operations/migrations/upgradeImage';
import { BUSYBOX, cleanup, contextOf, createSeed, labels, runContainer, sh, testEngine, uniq } from '../support/docker';
import { refusingProxy } from '../support/refusingProxy';
import { runCli } from '../support/cli';

const SUITE = 'migrate-upgrade';

const cli = (...args: string[]) => runCli(args);

suite("upgrade a container's image, keeping its data (S6)", function () {
  this.timeout(180000);
  const engine = testEngine();
  const docker = engine.docker;
  const ctx = contextOf(engine, { helperLabels: labels(SUITE) });
  const tag = `${process.pid}`;
  const v1 = `cv-upgrade-v1:${tag}`;
  const v2 = `cv-upgrade-v2:${tag}`;
  const bad = `cv-upgrade-bad:${tag}`;
  const net1 = uniq('cv-upg-net1');
  const net2 = uniq('cv-upg-net2');
  const V1_CMD = ['sh', '-c', 'while true; do echo v1 >> /logs/log; sleep 1; done'];
  const V2_CMD = ['sh', '-c', 'mkdir -p /logs; while true; do echo v2 >> /logs/log; sleep 1; done'];
  const LOOP = ['sh', '-c', 'while true; do date >> /logs/log; sleep 1; done'];

  /** A labelled image committed from busybox:test with the given changes (offline: no registry). */
  async function image(ref: string, changes: string[]): Promise<void> {
    const id = await runContainer(docker, SUITE, { cmd: ['true'], start: false });
    const [repo, t] = ref.split(':');
    await docker.getContainer(id).commit({ repo, tag: t, changes: [`LABEL ${TEST_LABEL}=${SUITE}`, ...changes] } as Record<string, unknown>);
    await docker.getContainer(id).remove();
  }
  const removeImages = async () => {
    const imgs = await docker.listImages({ filters: { label: [`${TEST_LABEL}=${SUITE}`] } });
    for (const i of imgs) {
      await docker
        .getImage(i.Id)
        .remove({ force: true })
        .catch(() => undefined);
    }
  };
  const removeNetworks = async () => {
    for (const n of [net1, net2]) {
      await docker
        .getNetwork(n)
        .remove()
        .catch(() => undefined);
    }
  };

  suiteSetup(async () => {
    await cleanup(docker, SUITE);
    await removeImages();
    await image(v1, [`CMD ${JSON.stringify(V1_CMD)}`, 'ENV VERSION=1', 'LABEL app.version=1']);
    // v2 declares a VOLUME nothing mounts: the new container gets an anonymous volume of its own.
    await image(v2, [`CMD ${JSON.stringify(V2_CMD)}`, 'ENV VERSION=2', 'LABEL app.version=2', 'VOLUME /cache']);
    // Its entrypoint (which a container that only overrode the command does not override) exits at once.
    await image(bad, ['ENTRYPOINT ["sh","-c","echo broken; exit 3"]', 'VOLUME /cache']);
    await docker.createNetwork({ Name: net1, Labels: labels(SUITE), IPAM: { Config: [{ Subnet: '10.231.7.0/24' }] } });
    await docker.createNetwork({ Name: net2, Labels: labels(SUITE) });
  });
  suiteTeardown(async () => {
    await cleanup(docker, SUITE);
    await removeNetworks();
    await removeImages();
  });

  async function logHome(cmd: string[] | null = LOOP, img = BUSYBOX): Promise<{ name: string; volume: string; id: string }> {
    const name = uniq('log_home');
    const c = await docker.createContainer({ name, Image: img, ...(cmd ? { Cmd: cmd } : {}), Labels: labels(SUITE), Volumes: { '/logs': {} } });
    await c.start();
    await new Promise((r) => setTimeout(r, 1500));
    const info = await c.inspect();
    return { name, volume: info.Mounts[0].Name!, id: info.Id };
  }
  const readLog = (volume: string) => sh(docker, SUITE, 'cat /v/log', [`${volume}:/v:ro`]);
  /** The output of a shell command run inside a running container. */
  async function execIn(container: string, script: string): Promise<string> {
    const exec = await docker.getContainer(container).exec({ Cmd: ['sh', '-c', script], AttachStdout: true, AttachStderr: true });
    const stream = await exec.start({});
    const out: Buffer[] = [];
    const stdout = new PassThrough();
    stdout.on('data', (b: Buffer) => out.push(b));
    docker.modem.demuxStream(stream, stdout, stdout);
    await new Promise((r) => stream.on('end', r));
    return Buffer.concat(out).toString('utf8');
  }
  /** Every container (id, name, state) and every volume on the engine: equal before and after a rollback. */
  const snapshot = async () => ({
    containers: (await docker.listContainers({ all: true })).map((c) => `${c.Id} ${c.Names.join(',')} ${c.State}`).sort(),
    volumes: ((await docker.listVolumes()).Volumes ?? []).map((v) => v.Name).sort(),
  });

  /** The old container is back, as it was: same id, same name, same state, same volume. */
  async function assertBack(name: string, id: string, running: boolean, volume?: string): Promise<void> {
    const back = await docker.getContainer(name).inspect();
    assert.equal(back.Id, id, `${name} is the original container again`);
    assert.equal(back.State.Running, running, `${name} is ${running ? 'running' : 'stopped'} as before`);
    if (volume) assert.equal(back.Mounts.find((m) => m.Destination === '/logs')?.Name, volume);
    const aside = await docker.listContainers({ all: true, filters: { name: [`${name}-pre-upgrade`] } });
    assert.deepEqual(
      aside.map((c) => c.Names),
      [],
      'nothing left under the aside name',
    );
  }

  test('a rich configuration survives: env, ports, networks with aliases and addresses, limits, capabilities, tmpfs, command override', async () => {
    const name = uniq('cv-upg-rich');
    const c = await docker.createContainer({
      name,
      Image: v1,
      Cmd: ['sh', '-c', 'while true; do echo custom >> /logs/log; sleep 1; done'],
      Labels: { ...labels(SUITE), 'my.label': 'kept' },
      Hostname: 'db-host',
      User: '0:0',
      WorkingDir: '/tmp',
      Env: ['APP_MODE=production', 'GREETING=hello world'],
      ExposedPorts: { '8080/tcp': {} },
      Volumes: { '/logs': {} },
      HostConfig: {
        PortBindings: { '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] },
        RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 3 },
        Memory: 64 * 1024 * 1024,
        NanoCpus: 500_000_000,
        PidsLimit: 100,
        Ulimits: [{ Name: 'nofile', Soft: 1024, Hard: 2048 }],
        CapAdd: ['NET_ADMIN'],
        CapDrop: ['MKNOD'],
        Tmpfs: { '/scratch': 'size=1m' },
        ExtraHosts: ['db.local:10.0.0.9'],
        Mounts: [{ Type: 'tmpfs', Target: '/run/cache', Source: '', TmpfsOptions: { SizeBytes: 2 * 1024 * 1024 } }],
        LogConfig: { Type: 'json-file', Config: { 'max-size': '1m' } },
        // A character device needs no privileges (docker run --device /dev/zero:/dev/myzero).
        Devices: [{ PathOnHost: '/dev/zero', PathInContainer: '/dev/myzero', CgroupPermissions: 'rwm' }],
        SecurityOpt: ['no-new-privileges:true'],
        Sysctls: { 'net.ipv4.ip_forward': '1' },
        NetworkMode: net1,
      } as Record<string, unknown>,
      Healthcheck: { Test: ['CMD-SHELL', 'test -f /logs/log'], Interval: 2_000_000_000, Timeout: 1_000_000_000, Retries: 2 },
      NetworkingConfig: { EndpointsConfig: { [net1]: { Aliases: ['db', 'primary'], IPAMConfig: { IPv4Address: '10.231.7.42' } } } },
    });
    await docker.getNetwork(net2).connect({ Container: c.id, EndpointConfig: { Aliases: ['db2'] } });
    await c.start();
    await new Promise((r) => setTimeout(r, 1200));
    const before = await c.inspect();
    const volume = before.Mounts.find((m) => m.Destination === '/logs')!.Name!;

    const res = await upgradeImage(ctx, { container: name, image: v2, settleMs: 1500, stopTimeoutSeconds: 1 });
    const now = await docker.getContainer(name).inspect();
    assert.equal(now.Id, res.newId);
    assert.notEqual(now.Id, before.Id);
    assert.equal(now.Config.Image, v2);
    assert.equal(now.State.Running, true);
    for (const e of ['APP_MODE=production', 'GREETING=hello world', 'VERSION=2']) assert.ok(now.Config.Env.includes(e), `${e}: ${now.Config.Env.join(', ')}`);
    assert.ok(!now.Config.Env.includes('VERSION=1'), "the old image's own environment is not carried over");
    assert.deepEqual(now.Config.Cmd, ['sh', '-c', 'while true; do echo custom >> /logs/log; sleep 1; done'], 'the overridden command is kept');
    assert.equal(now.Config.Labels['my.label'], 'kept');
    assert.equal(now.Config.Labels['app.version'], '2', "the image's label is the new image's");
    assert.equal(now.Config.Hostname, 'db-host');
    assert.equal(now.Config.User, '0:0');
    assert.equal(now.Config.WorkingDir, '/tmp');
    assert.deepEqual(now.HostConfig.PortBindings, { '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] });
    assert.ok(now.NetworkSettings.Ports['8080/tcp']?.length, 'the port is published');
    assert.deepEqual(now.HostConfig.RestartPolicy, { Name: 'on-failure', MaximumRetryCount: 3 });
    assert.equal(now.HostConfig.Memory, 64 * 1024 * 1024);
    assert.equal(now.HostConfig.NanoCpus, 500_000_000);
    assert.equal(now.HostConfig.PidsLimit, 100);
    assert.deepEqual(now.HostConfig.Ulimits, [{ Name: 'nofile', Soft: 1024, Hard: 2048 }]);
    assert.deepEqual(now.HostConfig.CapAdd, ['NET_ADMIN']);
    assert.deepEqual(now.HostConfig.CapDrop, ['MKNOD']);
    assert.deepEqual(now.HostConfig.Tmpfs, { '/scratch': 'size=1m' });
    assert.deepEqual(now.HostConfig.ExtraHosts, ['db.local:10.0.0.9']);
    assert.deepEqual(now.HostConfig.LogConfig, { Type: 'json-file', Config: { 'max-size': '1m' } });
    const n1 = now.NetworkSettings.Networks[net1] as { IPAddress?: string; Aliases?: string[] } | undefined;
    const n2 = now.NetworkSettings.Networks[net2] as { Aliases?: string[] } | undefined;
    assert.equal(n1?.IPAddress, '10.231.7.42', 'the static address');
    assert.ok(n1?.Aliases?.includes('db') && n1.Aliases.includes('primary'), `aliases on ${net1}: ${(n1?.Aliases ?? []).join(', ')}`);
    assert.ok(!n1?.Aliases?.includes(before.Id.slice(0, 12)), "not the old container's id as an alias");
    assert.ok(n2?.Aliases?.includes('db2'), 'the second network with its alias');
    assert.deepEqual(now.HostConfig.VolumesFrom ?? [], [], 'no --volumes-from the removed container');
    assert.equal(now.Mounts.find((m) => m.Destination === '/logs')?.Name, volume, 'the same volume, by name');
    assert.ok((await docker.listContainers({ all: true, filters: { id: [before.Id] } })).length === 0, 'the old container is gone');
    assert.deepEqual(now.HostConfig.Devices, [{ PathOnHost: '/dev/zero', PathInContainer: '/dev/myzero', CgroupPermissions: 'rwm' }]);
    assert.deepEqual(now.HostConfig.SecurityOpt, ['no-new-privileges:true']);
    assert.deepEqual((now.HostConfig as { Sysctls?: Record<string, string> }).Sysctls, { 'net.ipv4.ip_forward': '1' });
    assert.deepEqual((now.Config as { Healthcheck?: unknown }).Healthcheck, {
      Test: ['CMD-SHELL', 'test -f /logs/log'],
      Interval: 2_000_000_000,
      Timeout: 1_000_000_000,
      Retries: 2,
    });
    assert.deepEqual(
      (now.HostConfig.Mounts ?? []).map((m) => [m.Type, m.Target, m.TmpfsOptions?.SizeBytes]),
      [['tmpfs', '/run/cache', 2 * 1024 * 1024]],
    );
    // And in force in the running container, not only written in its configuration.
    const inside = await execIn(
      name,
      'test -c /dev/myzero && echo device; cat /proc/sys/net/ipv4/ip_forward; grep NoNewPrivs /proc/self/status; grep -c " /run/cache tmpfs" /proc/mounts; grep -c " /scratch tmpfs" /proc/mounts; hostname',
    );
    assert.deepEqual(
      inside
        .trim()
        .split('\n')
        .map((l) => l.replace(/\s+/g, ' ')),
      ['device', '1', 'NoNewPrivs: 1', '1', '1', 'db-host'],
    );
    const log = await readLog(volume);
    assert.match(log, /custom/, 'the data written before is there');
  });

  test("an overridden entrypoint is kept with its command; a label the user set over the image's is kept", async () => {
    const name = uniq('cv-upg-entry');
    const c = await docker.createContainer({
      name,
      Image: v1,
      Entrypoint: ['sh', '-c'],
      Cmd: ['while true; do echo entry >> /logs/log; sleep 1; done'],
      Labels: { ...labels(SUITE), 'app.version': 'pinned' },
      Volumes: { '/logs': {} },
    });
    await c.start();
    await upgradeImage(ctx, { container: name, image: v2, settleMs: 1200, stopTimeoutSeconds: 1 });
    const now = await docker.getContainer(name).inspect();
    assert.deepEqual(now.Config.Entrypoint, ['sh', '-c']);
    assert.deepEqual(now.Config.Cmd, ['while true; do echo entry >> /logs/log; sleep 1; done'], "its own command, not the new image's");
    assert.equal(now.Config.Labels['app.version'], 'pinned', 'a label of the user, though the image has the same key');
    assert.equal(now.State.Running, true);
  });

  test("a command that was the old image's default becomes the new image's default command", async () => {
    const { name, volume } = await logHome(null, v1);
    assert.deepEqual((await docker.getContainer(name).inspect()).Config.Cmd, V1_CMD);
    const plan = await planUpgrade(ctx, { container: name, image: v2, settleMs: 1500, stopTimeoutSeconds: 1 });
    assert.equal(
      plan.steps.find((s) => s.kind === 'create' && 'spec' in s && s.spec.Cmd !== undefined),
      undefined,
      'no command in the create body',
    );
    await executeUpgrade(ctx, plan);
    const now = await docker.getContainer(name).inspect();
    assert.deepEqual(now.Config.Cmd, V2_CMD, "the new image's CMD");
    await new Promise((r) => setTimeout(r, 1500));
    const log = await readLog(volume);
    assert.match(log, /^v1$/m, 'what the old one wrote is kept');
    assert.match(log, /^v2$/m, "and the new image's own command writes to the same volume");
  });

  test('the seed (log_home, logger01, logger02): upgrading log_home and logger01 keeps one volume and all its data', async () => {
    const seed = await createSeed(docker, SUITE, '/tmp');
    await new Promise((r) => setTimeout(r, 1500));
    const volume = (await docker.getContainer(seed.logHome).inspect()).Mounts[0].Name!;
    const before = await readLog(volume);
    await upgradeImage(ctx, { container: seed.logHome, image: v2, settleMs: 1500, stopTimeoutSeconds: 1 });
    await upgradeImage(ctx, { container: seed.logger01, image: v2, settleMs: 1500, stopTimeoutSeconds: 1 });
    for (const n of [seed.logHome, seed.logger01, seed.logger02]) {
      const c = await docker.getContainer(n).inspect();
      assert.equal(c.Mounts.find((m) => m.Destination === '/logs')?.Name, volume, `${n} mounts the one volume`);
      assert.equal(c.State.Running, true, `${n} runs`);
    }
    const home = await docker.getContainer(seed.logHome).inspect();
    assert.deepEqual(home.Config.Cmd, LOOP, "log_home's own command (an override of busybox) is kept");
    await new Promise((r) => setTimeout(r, 1500));
    const after = await readLog(volume);
    assert.ok(after.startsWith(before.trimEnd()), 'everything written before is still there');
    assert.ok(after.length > before.length, 'and the new log_home goes on writing');
    // It still starts after a stop, with nothing pointing at the removed containers.
    await docker.getContainer(seed.logger01).restart({ t: 1 });
    assert.equal((await docker.getContainer(seed.logger01).inspect()).State.Running, true);
  });

  test('a stopped container is started for the check and left stopped', async () => {
    const { name, volume } = await logHome();
    await docker.getContainer(name).stop({ t: 1 });
    const plan = await planUpgrade(ctx, { container: name, image: v2, settleMs: 1000 });
    assert.deepEqual(
      plan.steps.map((s) => s.kind),
      ['rename', 'create', 'check', 'remove'],
    );
    await executeUpgrade(ctx, plan);
    const now = await docker.getContainer(name).inspect();
    assert.equal(now.Config.Image, v2);
    assert.equal(now.State.Running, false, 'left stopped, as the old one was');
    assert.notEqual(now.State.StartedAt, '0001-01-01T00:00:00Z', 'it was started for the check');
    assert.equal(now.Mounts.find((m) => m.Destination === '/logs')?.Name, volume);
  });

  test("the new image's command exits at once: everything is put back, also for a stopped container", async () => {
    for (const stopped of [false, true]) {
      const { name, volume, id } = await logHome();
      if (stopped) await docker.getContainer(name).stop({ t: 1 });
      const before = await snapshot();
      const lines: string[] = [];
      await assert.rejects(
        upgradeImage(ctx, { container: name, image: bad, settleMs: 1500, stopTimeoutSeconds: 1 }, { log: (l) => lines.push(l) }),
        (e: Error) => {
          assert.ok(e instanceof MigrationRolledBackError, e.message);
          assert.match(e.message, /did not stay up \(exit code 3\).*undone/);
          return true;
        },
      );
      await assertBack(name, id, !stopped, volume);
      assert.deepEqual(await snapshot(), before, 'the failed new container and the anonymous volume it made are removed, nothing else');
      assert.ok(
        lines.some((l) => l.startsWith('undo: rename')),
        lines.join('\n'),
      );
    }
  });

  test('a name taken between plan and execution: refused by the engine, nothing changed', async () => {
    const { name, id, volume } = await logHome();
    const plan = await planUpgrade(ctx, { container: name, image: v2, settleMs: 1000, stopTimeoutSeconds: 1 });
    const blocker = await runContainer(docker, SUITE, { name: plan.facts.asideName, start: false });
    const before = await snapshot();
    await assert.rejects(executeUpgrade(ctx, plan), (e: Error) => e instanceof MigrationRolledBackError && /undone/.test(e.message));
    assert.deepEqual(await snapshot(), before, 'nothing changed');
    // The plan itself refuses a taken aside name.
    await assert.rejects(planUpgrade(ctx, { container: name, image: v2, asideName: plan.facts.asideName }), /is taken/);
    await docker.getContainer(blocker).remove();
    await assertBack(name, id, true, volume);
  });

  test('the engine refusing a step (connecting a network, stopping, removing the old container): everything is undone', async () => {
    const cases: [string, (m: string, u: string, id: string) => boolean][] = [
      ['connect', (m, u) => m === 'POST' && /\/networks\/[^/]+\/connect/.test(u)],
      ['stop', (m, u, id) => m === 'POST' && u.includes(`/containers/${id}/stop`)],
      ['remove', (m, u, id) => m === 'DELETE' && u.includes(`/containers/${id}`)],
    ];
    for (const [what, refuse] of cases) {
      const { name, id, volume } = await logHome();
      if (what === 'connect') await docker.getNetwork(net2).connect({ Container: id });
      const before = await snapshot();
      const proxy = await refusingProxy((m, u) => refuse(m, u, id), `${what} refused by the test proxy`);
      try {
        await assert.rejects(
          upgradeImage(contextOf(proxy.engine, { helperLabels: labels(SUITE) }), { container: name, image: v2, settleMs: 1000, stopTimeoutSeconds: 1 }),
          (e: Error) => {
            assert.ok(e instanceof MigrationRolledBackError, `${what}: ${e.message}`);
            assert.match(e.message, new RegExp(`${what} refused.*undone`));
            assert.deepEqual(e.undoFailures, []);
            return true;
          },
        );
        assert.ok(proxy.refused.length > 0, `${what} was refused`);
      } finally {
        await proxy.close();
      }
      await assertBack(name, id, true, volume);
      assert.deepEqual(await snapshot(), before, `${what}: the new container is removed, nothing else changed`);
    }
  });

  test('cancel between any two steps leaves the old container as it was', async () => {
    const { name, id, volume } = await logHome();
    const plan = await planUpgrade(ctx, { container: name, image: v2, settleMs: 800, stopTimeoutSeconds: 1 });
    const before = await snapshot();
    for (let k = 1; k < plan.steps.length; k++) {
      const ac = new AbortController();
      const fresh = await planUpgrade(ctx, { container: name, image: v2, settleMs: 800, stopTimeoutSeconds: 1 });
      await assert.rejects(
        executePlan(ctx, fresh, {
          signal: ac.signal,
          log: (l) => {
            if (l.startsWith(`step ${k + 1}/`)) ac.abort();
          },
        }),
        (e: Error) => e instanceof CancelledError,
      );
      await assertBack(name, id, true, volume);
      assert.deepEqual(await snapshot(), before, `cancelled at step ${k + 1}: the new container is removed, nothing else changed`);
    }
  });

  test('keepOld leaves the old container stopped and renamed; a Compose container gets a warning; bad input is one clear error', async () => {
    const { name } = await logHome();
    const res = await upgradeImage(ctx, { container: name, image: v2, keepOld: true, settleMs: 1000, stopTimeoutSeconds: 1 });
    assert.ok(res.oldName?.startsWith(`${name}-pre-upgrade-`));
    assert.equal((await docker.getContainer(res.oldName!).inspect()).State.Running, false);

    const composed = uniq('cv-upg-compose');
    await docker.createContainer({
      name: composed,
      Image: BUSYBOX,
      Cmd: ['sleep', '60'],
      Labels: { ...labels(SUITE), 'com.docker.compose.project': 'shop', 'com.docker.compose.service': 'db' },
    });
    const plan = await planUpgrade(ctx, { container: composed, image: v2 });
    assert.deepEqual(plan.compose, { project: 'shop', service: 'db' });
    assert.match(formatPlan(plan), /warning: .*Compose project "shop"/);

    const { name: other, id } = await logHome();
    await assert.rejects(planUpgrade(ctx, { container: other, image: 'cv-no-such-image:1' }), /not on this engine/);
    await assert.rejects(planUpgrade(ctx, { container: uniq('nope'), image: v2 }), /There is no container/);
    await assertBack(other, id, true);
  });

  test("the CLI's upgrade: --dry-run prints the plan and changes nothing; a run upgrades; a failure is undone, exit 1, one line", async () => {
    const { name, id, volume } = await logHome();
    const before = await snapshot();
    let r = await cli('upgrade', name, v2, '--dry-run', '--settle', '1000');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^Upgrade ${name} from .* to ${v2.replace('.', '\\.')}\n  1\\. rename ${name} to ${name}-pre-upgrade-`));
    assert.match(r.stdout, /5\. remove .*-pre-upgrade-.* \(its volumes stay\)/);
    assert.deepEqual(await snapshot(), before, '--dry-run changed nothing');

    r = await cli('upgrade', name, bad, '--settle', '1000', '--stop-timeout', '1', '--quiet');
    assert.equal(r.code, 1);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0], /^container-volumes: The new container .* did not stay up \(exit code 3\)\. Upgrade .* was undone/);
    await assertBack(name, id, true, volume);

    r = await cli('upgrade', name, v2, '--settle', '1000', '--stop-timeout', '1');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^${name} now runs ${v2.replace('.', '\\.')}`));
    assert.match(r.stderr, /^step 1\/5: rename .*\nstep 2\/5: create /m, 'every step is logged on stderr');
    const now = await docker.getContainer(name).inspect();
    assert.equal(now.Config.Image, v2);
    assert.equal(now.Mounts.find((m) => m.Destination === '/logs')?.Name, volume);

    r = await cli('upgrade', name, '--keep-old');
    assert.equal(r.code, 2, 'a usage error');
  });
});
