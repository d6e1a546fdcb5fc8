// An engine reached over ssh, for real: sshd from Debian's openssh-server on a loopback port, an
// ssh-agent started here, the second engine (scripts/second-engine.sh) at the remote end through the
// remote user's `docker system dial-stdio`. The same address must work from --host, DOCKER_HOST, a
// docker context and (through resolveEngine's explicit host, as the setting does) the core, with the
// agent, with an IdentityFile from the ssh config's host alias, known_hosts checked, and nothing on stderr.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine } from '../../src/core/engine/engine';
import { resolveEngine } from '../../src/core/engine/engineConfig';
import { runCli } from '../support/cli';
import { cleanup, createVolume, secondEngine, secondEngineHost, uniq } from '../support/docker';
import { startSshServer, type SshServer } from '../support/sshServer';

const SUITE = 'ssh-engine';

suite('an engine over ssh (real sshd, ssh-agent, second engine)', function () {
  this.timeout(120_000);
  const engine2 = secondEngine();
  let server: SshServer;
  let volume: string;
  let home: string;

  /** A clean environment: no DOCKER_* from the test run, our ssh wrapper first on PATH. */
  function env(extra: NodeJS.ProcessEnv, p = server.path): NodeJS.ProcessEnv {
    const e: NodeJS.ProcessEnv = { ...process.env, PATH: p, HOME: home, DOCKER_CONFIG: path.join(home, '.docker'), ...extra };
    for (const k of ['DOCKER_HOST', 'DOCKER_CONTEXT', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH', 'SSH_AUTH_SOCK']) if (!(k in extra)) delete e[k];
    return e;
  }

  function listed(stdout: string): string[] {
    return (JSON.parse(stdout) as { name: string }[]).map((v) => v.name);
  }

  suiteSetup(async () => {
    await cleanup(engine2.docker, SUITE);
    volume = uniq('over-ssh');
    await createVolume(engine2.docker, SUITE, volume);
    server = await startSshServer(secondEngineHost());
    home = mkdtempSync(path.join(os.tmpdir(), 'cv-ssh-home-'));
  });
  suiteTeardown(async () => {
    await server?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
    await cleanup(engine2.docker, SUITE);
  });

  test('--host ssh://user@host:port with the key in the ssh-agent: lists the remote engine, no warning on stderr', async () => {
    const r = await runCli(['ls', '--json', '--host', server.url], env({ SSH_AUTH_SOCK: server.agentSocket }));
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assert.ok(listed(r.stdout).includes(volume), `${volume} not in ${r.stdout.slice(0, 300)}`);
  });

  test('DOCKER_HOST=ssh://... behaves the same', async () => {
    const r = await runCli(['ls', '--json'], env({ SSH_AUTH_SOCK: server.agentSocket, DOCKER_HOST: server.url }));
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assert.ok(listed(r.stdout).includes(volume));
  });

  test('a docker context whose endpoint is ssh:// behaves the same', async () => {
    const name = 'cv-ssh-ctx';
    const id = createHash('sha256').update(name).digest('hex');
    const meta = path.join(home, '.docker', 'contexts', 'meta', id);
    mkdirSync(meta, { recursive: true });
    writeFileSync(
      path.join(meta, 'meta.json'),
      JSON.stringify({ Name: name, Metadata: {}, Endpoints: { docker: { Host: server.url, SkipTLSVerify: false } } }),
    );
    const r = await runCli(['ls', '--json', '--context', name], env({ SSH_AUTH_SOCK: server.agentSocket }));
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assert.ok(listed(r.stdout).includes(volume));
  });

  test('a host alias from the ssh config (HostName, Port, User, IdentityFile) works with no agent at all', async () => {
    const r = await runCli(['ls', '--json', '--host', `ssh://${server.alias}`], env({}));
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assert.ok(listed(r.stdout).includes(volume));
  });

  test("without the agent and without a key for that address, it fails with ssh's own reason, one line", async () => {
    const r = await runCli(['ls', '--json', '--host', server.url], env({}));
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Permission denied/);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  });

  test('an unknown host key is refused (known_hosts is checked, not skipped)', async () => {
    const r = await runCli(['ls', '--json', '--host', server.url], env({ SSH_AUTH_SOCK: server.agentSocket }, server.pathUnknownHost));
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Host key verification failed/);
  });

  test('in the core (what the containerVolumes.dockerHost setting does): many calls over one Engine, streams included', async () => {
    const saved = { PATH: process.env.PATH, SSH_AUTH_SOCK: process.env.SSH_AUTH_SOCK };
    process.env.PATH = server.path;
    process.env.SSH_AUTH_SOCK = server.agentSocket;
    try {
      const e = new Engine(resolveEngine({ host: server.url, env: {} }));
      const info = await e.info();
      assert.match(info.apiVersion, /^1\.\d+$/);
      const names = await Promise.all([1, 2, 3].map(async () => ((await e.docker.listVolumes()).Volumes ?? []).map((v) => v.Name)));
      for (const n of names) assert.ok(n.includes(volume));
      const v = await e.docker.getVolume(volume).inspect();
      assert.equal(v.Name, volume);
    } finally {
      process.env.PATH = saved.PATH;
      if (saved.SSH_AUTH_SOCK === undefined) delete process.env.SSH_AUTH_SOCK;
      else process.env.SSH_AUTH_SOCK = saved.SSH_AUTH_SOCK;
    }
  });
});
