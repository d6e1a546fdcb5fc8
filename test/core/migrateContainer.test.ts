// S6: the seed's upgrade recipe in one call, on the real engine: nothing lost, and a failed step
// puts everything back as it was.
import * as assert from 'node:assert/strict';
import { TEST_LABEL } from '../../src/core/engine';
import { migrateContainer } from '../../src/core/migrateContainer';
import { BUSYBOX, cleanup, labels, runContainer, sh, testEngine, uniq } from '../support/docker';

const SUITE = 'migrate';

suite('migrate a container to a new image, keeping its volumes (S6)', function () {
  this.timeout(120000);
  const engine = testEngine();
  const docker = engine.docker;
  const good = `cv-migrate-good:${process.pid}`;
  const bad = `cv-migrate-bad:${process.pid}`;

  /** A labelled image made by committing a labelled container with the given CMD. */
  async function image(tag: string, cmd: string[]): Promise<void> {
    const id = await runContainer(docker, SUITE, { cmd: ['true'], start: false });
    const [repo, t] = tag.split(':');
    await docker.getContainer(id).commit({ repo, tag: t, changes: [`LABEL ${TEST_LABEL}=${SUITE}`, `CMD ${JSON.stringify(cmd)}`] } as Record<string, unknown>);
  }
  const removeImages = async () => {
    const imgs = await docker.listImages({ filters: { label: [`${TEST_LABEL}=${SUITE}`] } });
    for (const i of imgs) await docker.getImage(i.Id).remove({ force: true }).catch(() => undefined);
  };

  suiteSetup(async () => {
    await cleanup(docker, SUITE);
    await removeImages();
    await image(good, ['sh', '-c', 'while true; do echo v2 >> /logs/log; sleep 1; done']);
    await image(bad, ['sh', '-c', 'exit 3']);
  });
  suiteTeardown(async () => {
    await cleanup(docker, SUITE);
    await removeImages();
  });

  async function logHome(): Promise<{ name: string; volume: string }> {
    const name = uniq('log_home');
    await runContainer(docker, SUITE, { name, volumes: ['/logs'], cmd: ['sh', '-c', 'while true; do date >> /logs/log; sleep 1; done'] });
    await new Promise((r) => setTimeout(r, 1500));
    const info = await docker.getContainer(name).inspect();
    return { name, volume: info.Mounts[0].Name! };
  }

  test('environment, published ports and the restart policy are kept (the README says so)', async () => {
    const name = uniq('cv-migrate-cfg');
    const c = await docker.createContainer({
      name, Image: BUSYBOX, Cmd: ['sh', '-c', 'while true; do sleep 1; done'], Labels: labels(SUITE),
      Env: ['APP_MODE=production', 'GREETING=hello world'],
      ExposedPorts: { '8080/tcp': {} },
      Volumes: { '/data': {} },
      HostConfig: { PortBindings: { '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] }, RestartPolicy: { Name: 'unless-stopped', MaximumRetryCount: 0 } },
    });
    await c.start();
    const before = await c.inspect();
    await migrateContainer(engine, { container: name, image: good, settleMs: 1000, stopTimeoutSeconds: 1 });
    const now = await docker.getContainer(name).inspect();
    assert.notEqual(now.Id, before.Id);
    for (const e of ['APP_MODE=production', 'GREETING=hello world']) assert.ok(now.Config.Env.includes(e), `${e} kept: ${now.Config.Env.join(', ')}`);
    assert.deepEqual(Object.keys(now.Config.ExposedPorts ?? {}), ['8080/tcp']);
    assert.deepEqual(now.HostConfig.PortBindings, { '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] });
    assert.ok(now.NetworkSettings.Ports['8080/tcp']?.length, 'the port is published on the running new container');
    assert.equal(now.HostConfig.RestartPolicy?.Name, 'unless-stopped');
  });

  test('the new container has the old name, the new image and the same volume; the old data is all there', async () => {
    const { name, volume } = await logHome();
    const before = await sh(docker, SUITE, 'cat /v/log', [`${volume}:/v:ro`]);
    const steps: string[] = [];
    const res = await migrateContainer(engine, { container: name, image: good, settleMs: 1500, stopTimeoutSeconds: 1, progress: (p) => steps.push(String(p.message ?? '')) });
    assert.equal(res.name, name);
    const now = await docker.getContainer(name).inspect();
    assert.equal(now.Id, res.newId);
    assert.equal(now.Config.Image, good);
    assert.equal(now.State.Running, true);
    assert.equal(now.Mounts[0].Name, volume, 'the same volume, not a new empty one');
    assert.equal(now.Config.Labels[TEST_LABEL], SUITE, 'labels carried over');
    await new Promise((r) => setTimeout(r, 1500));
    const after = await sh(docker, SUITE, 'cat /v/log', [`${volume}:/v:ro`]);
    assert.ok(after.startsWith(before.trimEnd()), 'everything written before is still there');
    assert.match(after, /v2/, 'and the new container writes to the same volume');
    const olds = await docker.listContainers({ all: true, filters: { name: [`${name}-pre-migration`] } });
    assert.equal(olds.length, 0, 'the old container is gone');
    // It still starts after a stop, with its source container gone.
    await docker.getContainer(name).restart({ t: 1 });
    assert.equal((await docker.getContainer(name).inspect()).State.Running, true);
    assert.ok(steps.some((s) => s.startsWith('Stopping')));
  });

  test('a new image that does not stay up: everything is put back', async () => {
    const { name, volume } = await logHome();
    const oldId = (await docker.getContainer(name).inspect()).Id;
    await assert.rejects(migrateContainer(engine, { container: name, image: bad, settleMs: 1500, stopTimeoutSeconds: 1 }), /did not stay up/);
    const back = await docker.getContainer(name).inspect();
    assert.equal(back.Id, oldId, 'the old container has its name back');
    assert.equal(back.State.Running, true, 'and runs again');
    assert.equal(back.Mounts[0].Name, volume);
    const all = await docker.listContainers({ all: true, filters: { label: [`${TEST_LABEL}=${SUITE}`] } });
    assert.ok(!all.some((c) => c.Image === bad), 'the failed new container was removed');
  });

  test('keepOld leaves the old container stopped and renamed as a way back', async () => {
    const { name } = await logHome();
    const res = await migrateContainer(engine, { container: name, image: good, keepOld: true, settleMs: 1000, stopTimeoutSeconds: 1 });
    assert.ok(res.oldName?.startsWith(`${name}-pre-migration-`));
    const old = await docker.getContainer(res.oldName!).inspect();
    assert.equal(old.State.Running, false);
  });

  test('a missing image or container is one clear error, and nothing changes', async () => {
    const { name } = await logHome();
    const id = (await docker.getContainer(name).inspect()).Id;
    await assert.rejects(migrateContainer(engine, { container: name, image: 'cv-no-such-image:1' }), /not on this engine/);
    await assert.rejects(migrateContainer(engine, { container: uniq('nope'), image: good }), (e: { kind?: string }) => e.kind === 'notFound');
    const same = await docker.getContainer(name).inspect();
    assert.equal(same.Id, id);
    assert.equal(same.State.Running, true);
  });
});
