// Remote honesty, for real: an engine reached over ssh (sshd on a loopback port, an ssh-agent, the
// second engine at the far end) is another machine as far as paths go, even on 127.0.0.1. The core
// and the CLI must say so (no fast path, no host path of ours) and everything that goes through the
// engine's API must work there: browse, edit, backup, restore, clone, copy between engines - data
// compared file by file by busybox on the engine itself.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { backupVolume } from '../../src/core/operations/backupVolume';
import { cloneVolume } from '../../src/core/operations/cloneVolume';
import { copyVolumeToEngine } from '../../src/core/operations/copyToEngine';
import { Engine } from '../../src/core/engine/engine';
import { resolveEngine } from '../../src/core/engine/engineConfig';
import { restoreVolume } from '../../src/core/operations/restoreVolume';
import { VolumeFiles } from '../../src/core/files/volumeFiles';
import { WorkHelpers } from '../../src/core/helpers/workHelpers';
import { runCli } from '../support/cli';
import { BUSYBOX, cleanup, contextOf, createVolume, labels, secondEngine, secondEngineHost, sh, testEngine, uniq } from '../support/docker';
import { startSshServer, type SshServer } from '../support/sshServer';
import { fillVolume, listVolume } from '../support/volumeFixtures';

const SUITE = 'remote-engine';
const ENGLISH = { LANG: 'C.UTF-8', LC_ALL: '', LC_MESSAGES: '', LANGUAGE: '' };

suite('a remote engine (ssh to the second engine): host paths off, everything else works', function () {
  this.timeout(180_000);
  const local = testEngine();
  const two = secondEngine();
  const helperLabels = labels(SUITE);
  let server: SshServer;
  let remote: Engine;
  let tmp: string;
  let source: string;
  let before: string;
  const saved = { PATH: process.env.PATH, SSH_AUTH_SOCK: process.env.SSH_AUTH_SOCK };

  /** The fast path as the extension and the CLI offer it: only when the engine says it is local. */
  async function fastPathOf(e: Engine) {
    const isLocal = await e.isLocal();
    return {
      localEngine: isLocal,
      helperImage: BUSYBOX,
      workHelpers: isLocal ? new WorkHelpers(e.docker, { images: () => Promise.resolve([BUSYBOX]) }) : undefined,
    };
  }

  suiteSetup(async () => {
    await cleanup(two.docker, SUITE);
    await cleanup(local.docker, SUITE);
    server = await startSshServer(secondEngineHost());
    // the core's ssh transport runs `ssh` from PATH with the agent of the environment, as in VS Code
    process.env.PATH = server.path;
    process.env.SSH_AUTH_SOCK = server.agentSocket;
    remote = new Engine(resolveEngine({ host: server.url, env: {} }));
    tmp = mkdtempSync(path.join(os.tmpdir(), 'cv-remote-'));
    source = uniq('remote-src');
    await createVolume(two.docker, SUITE, source);
    await fillVolume(two.docker, SUITE, source);
    before = await listVolume(two.docker, SUITE, source);
  });
  suiteTeardown(async () => {
    process.env.PATH = saved.PATH;
    if (saved.SSH_AUTH_SOCK === undefined) delete process.env.SSH_AUTH_SOCK;
    else process.env.SSH_AUTH_SOCK = saved.SSH_AUTH_SOCK;
    await server?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    await cleanup(two.docker, SUITE);
    await cleanup(local.docker, SUITE);
  });

  test('ssh to 127.0.0.1 is a remote engine (its host name matches ours, and still); the unix socket of the same engine is local', async () => {
    assert.equal(await remote.isLocal(), false);
    assert.equal(remote.local, false);
    assert.equal(await two.isLocal(), true);
  });

  test('browse and edit a volume on the remote engine', async () => {
    const files = await VolumeFiles.open(remote, { volume: source, helperImages: [BUSYBOX], labels: helperLabels });
    try {
      const names = (await files.list('/')).map((e) => e.name).sort();
      assert.ok(names.includes('d') && names.includes('big') && names.includes('üñí ç😀'), names.join(','));
      assert.equal((await files.read('/d/f')).toString(), 'hello\n');
      await files.write('/edited.txt', Buffer.from('written over ssh\n'), { create: true, overwrite: true });
    } finally {
      await files.close();
    }
    assert.equal(await sh(two.docker, SUITE, 'cat /v/edited.txt; rm /v/edited.txt', [`${source}:/v`]), 'written over ssh\r\n');
  });

  test('backup and restore through the archive endpoints (no fast path offered), data compared file by file', async () => {
    const file = path.join(tmp, 'remote.tar');
    const fastPath = await fastPathOf(remote);
    const b = await backupVolume(contextOf(remote, { helperLabels, fastPath }), {
      source: { volumeName: source },
      file,
    });
    assert.equal(b.method, 'archive-endpoint');
    const into = uniq('remote-restored');
    const r = await restoreVolume(contextOf(remote, { helperLabels, fastPath }), {
      file,
      volumeName: into,
      volumeLabels: helperLabels,
    });
    assert.equal(r.method, 'archive-endpoint');
    assert.match(r.fastPathSkipped ?? '', /remote engine/);
    assert.equal(await listVolume(two.docker, SUITE, into), before);
  });

  test('clone on the remote engine, data compared file by file', async () => {
    const target = uniq('remote-clone');
    const r = await cloneVolume(contextOf(remote, { helperLabels, fastPath: await fastPathOf(remote), helperImage: BUSYBOX }), { source, target });
    await two.docker.getVolume(target).inspect();
    assert.equal(r.method, 'archive-endpoint', 'no fast path on a remote engine');
    assert.ok(r.entries > 10);
    assert.equal(await listVolume(two.docker, SUITE, target), before);
    await two.docker.getVolume(target).remove();
  });

  test('copy from the remote engine to the local one and back, data compared file by file', async () => {
    const there = await copyVolumeToEngine(contextOf(remote, { helperImage: BUSYBOX, helperLabels }), { source, target: uniq('from-remote'), to: local });
    assert.equal(await listVolume(local.docker, SUITE, there.volumeName), before);
    const back = await copyVolumeToEngine(contextOf(local, { helperImage: BUSYBOX, helperLabels }), {
      source: there.volumeName,
      target: uniq('back-to-remote'),
      to: remote,
    });
    assert.equal(await listVolume(two.docker, SUITE, back.volumeName), before);
  });

  test('the CLI over ssh backs up through the archive endpoint (it offers no fast path to a remote engine)', async () => {
    const file = path.join(tmp, 'cli.tar');
    const r = await runCli(['backup', source, file, '--host', server.url], {
      ...process.env,
      ...ENGLISH,
      PATH: server.path,
      SSH_AUTH_SOCK: server.agentSocket,
      DOCKER_HOST: '',
    });
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assert.match(r.stdout, /\(archive-endpoint\)/);
  });
});
