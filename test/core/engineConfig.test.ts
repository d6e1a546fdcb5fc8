import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EngineConfigError, engineRef, isLocalEngine, knownEngines, podmanSockets, resolveEngine } from '../../src/core/engineConfig';
import { parseSshHost, sshArgv } from '../../src/core/sshTransport';

suite('engine resolution (like the docker CLI)', () => {
  const none = () => false;

  function contextHome(name: string, host: string, current?: string): string {
    const home = mkdtempSync(path.join(os.tmpdir(), 'cv-ctx-'));
    const id = createHash('sha256').update(name).digest('hex');
    mkdirSync(path.join(home, '.docker', 'contexts', 'meta', id), { recursive: true });
    writeFileSync(path.join(home, '.docker', 'contexts', 'meta', id, 'meta.json'), JSON.stringify({ Name: name, Endpoints: { docker: { Host: host } } }));
    if (current) writeFileSync(path.join(home, '.docker', 'config.json'), JSON.stringify({ currentContext: current }));
    return home;
  }

  test('an explicit host wins over DOCKER_HOST and contexts', () => {
    const home = contextHome('remote', 'tcp://10.1.1.1:2375', 'remote');
    const ep = resolveEngine({ host: '/tmp/x.sock', env: { DOCKER_HOST: 'tcp://a:1' }, homeDir: home, exists: none });
    assert.deepEqual([ep.host, ep.source], ['unix:///tmp/x.sock', 'explicit']);
  });

  test('DOCKER_HOST wins over the current context', () => {
    const home = contextHome('remote', 'tcp://10.1.1.1:2375', 'remote');
    const ep = resolveEngine({ env: { DOCKER_HOST: 'tcp://a:1' }, homeDir: home, exists: none });
    assert.deepEqual([ep.host, ep.source], ['tcp://a:1', 'DOCKER_HOST']);
  });

  test('the current context of ~/.docker/config.json is read from the context store', () => {
    const home = contextHome('remote', 'ssh://me@box', 'remote');
    const ep = resolveEngine({ env: {}, homeDir: home, exists: none });
    assert.deepEqual([ep.host, ep.source, ep.context], ['ssh://me@box', 'context', 'remote']);
  });

  test('DOCKER_CONTEXT overrides the current context; an unknown one is a clear error', () => {
    const home = contextHome('remote', 'ssh://me@box', 'remote');
    assert.throws(() => resolveEngine({ env: { DOCKER_CONTEXT: 'nope' }, homeDir: home, exists: none }), EngineConfigError);
    assert.equal(resolveEngine({ env: { DOCKER_CONTEXT: 'default' }, homeDir: home, exists: none }).source, 'default');
  });

  test('the default socket, then the rootless one when only that exists', () => {
    assert.equal(resolveEngine({ env: {}, homeDir: '/nohome', exists: none }).host, 'unix:///var/run/docker.sock');
    const ep = resolveEngine({ env: { XDG_RUNTIME_DIR: '/run/user/1000' }, homeDir: '/nohome', exists: (p) => p === '/run/user/1000/docker.sock' });
    assert.equal(ep.host, 'unix:///run/user/1000/docker.sock');
  });

  test('nonsense hosts are rejected with one clear message', () => {
    assert.throws(() => resolveEngine({ host: 'docker.example' }), /not an engine address/);
    assert.throws(() => resolveEngine({ host: 'ftp://x' }), /unsupported scheme/);
  });

  test('local and remote engines are told apart', () => {
    assert.equal(isLocalEngine({ host: 'unix:///var/run/docker.sock', source: 'default' }), true);
    assert.equal(isLocalEngine({ host: 'tcp://127.0.0.1:2375', source: 'explicit' }), true);
    assert.equal(isLocalEngine({ host: 'tcp://build-box:2375', source: 'explicit' }), false);
  });

  test('ssh:// becomes the ssh command line the docker CLI runs (user, port, "--" before the host)', () => {
    assert.deepEqual(sshArgv(parseSshHost('ssh://me@box.lan:2222')), ['-o', 'ConnectTimeout=30', '-o', 'BatchMode=yes', '-T', '-l', 'me', '-p', '2222', '--', 'box.lan', 'docker', 'system', 'dial-stdio']);
    assert.deepEqual(sshArgv(parseSshHost('ssh://alias')).slice(-5), ['-T', '--', 'alias', 'docker', 'system', 'dial-stdio'].slice(-5));
    assert.throws(() => parseSshHost('ssh://me:secret@box'), /not an ssh address/);
    assert.throws(() => parseSshHost('ssh://box/var/run/docker.sock'), /not an ssh address/);
  });
});

suite('the known engines (views, switcher, Copy to Engine)', () => {
  function store(contexts: Record<string, string>): string {
    const home = mkdtempSync(path.join(os.tmpdir(), 'cv-known-'));
    for (const [name, host] of Object.entries(contexts)) {
      const id = createHash('sha256').update(name).digest('hex');
      mkdirSync(path.join(home, '.docker', 'contexts', 'meta', id), { recursive: true });
      writeFileSync(path.join(home, '.docker', 'contexts', 'meta', id, 'meta.json'), JSON.stringify({ Name: name, Endpoints: { docker: { Host: host } } }));
    }
    return home;
  }
  const only = (...paths: string[]) => (p: string) => paths.includes(p);

  test('DOCKER_HOST alone is one engine: it is the CLI\'s default, the default socket is not listed beside it', () => {
    const home = store({});
    const list = knownEngines({ env: { DOCKER_HOST: 'unix:///tmp/a.sock' }, homeDir: home, exists: only('/var/run/docker.sock') });
    assert.deepEqual(list.map((e) => [e.name, e.host, e.source]), [['unix:///tmp/a.sock', 'unix:///tmp/a.sock', 'DOCKER_HOST']]);
  });

  test('the setting replaces the environment\'s engine (it is our --host); the pickers list both', () => {
    const home = store({});
    const env = { DOCKER_HOST: 'unix:///tmp/a.sock' };
    assert.deepEqual(knownEngines({ setting: 'tcp://10.0.0.2:2376', env, homeDir: home, exists: only() }).map((e) => [e.host, e.source]), [['tcp://10.0.0.2:2376', 'setting']]);
    assert.deepEqual(knownEngines({ setting: 'tcp://10.0.0.2:2376', environmentToo: true, env, homeDir: home, exists: only() }).map((e) => e.source), ['setting', 'DOCKER_HOST']);
    assert.deepEqual(knownEngines({ setting: '/tmp/a.sock', environmentToo: true, env, homeDir: home, exists: only() }).map((e) => e.source), ['setting'], 'one address, one engine');
    assert.deepEqual(knownEngines({ setting: 'tcp://10.0.0.2:2376', environmentToo: true, env: {}, homeDir: home, exists: only() }).map((e) => e.source), ['setting', 'default']);
    assert.deepEqual(knownEngines({ setting: 'not an address', env, homeDir: home, exists: only() }).map((e) => e.source), ['DOCKER_HOST'], 'a nonsense setting is not offered');
  });

  test('without DOCKER_HOST: the default socket, then the contexts by name (one per address)', () => {
    const home = store({ zeta: 'ssh://me@box', alpha: 'tcp://10.0.0.3:2376', same: 'unix:///var/run/docker.sock' });
    const list = knownEngines({ env: {}, homeDir: home, exists: only('/var/run/docker.sock') });
    assert.deepEqual(list.map((e) => [e.name, e.source]), [['default', 'default'], ['alpha', 'context'], ['zeta', 'context']]);
    assert.equal(engineRef(list[1]), 'alpha');
    assert.equal(engineRef(list[0]), 'unix:///var/run/docker.sock');
  });

  test('Podman\'s sockets join when they exist: rootful and rootless', () => {
    const env = { XDG_RUNTIME_DIR: '/run/user/1000' };
    assert.deepEqual(podmanSockets(env, only()), []);
    assert.deepEqual(podmanSockets(env, only('/run/podman/podman.sock', '/run/user/1000/podman/podman.sock')).map((e) => [e.name, e.host]), [
      ['podman', 'unix:///run/podman/podman.sock'],
      ['podman (rootless)', 'unix:///run/user/1000/podman/podman.sock'],
    ]);
    assert.deepEqual(podmanSockets({}, only('/run/user/1000/podman/podman.sock')), [], 'no XDG_RUNTIME_DIR: no rootless socket to look for');
    const list = knownEngines({ env: { ...env, DOCKER_HOST: 'unix:///tmp/a.sock' }, homeDir: store({}), exists: only('/run/user/1000/podman/podman.sock') });
    assert.deepEqual(list.map((e) => [e.name, e.source]), [['unix:///tmp/a.sock', 'DOCKER_HOST'], ['podman (rootless)', 'podman']]);
  });

  test('a context at the address of the default engine is not listed twice; an unreadable context is left out', () => {
    const home = store({ dup: 'unix:///tmp/a.sock' });
    mkdirSync(path.join(home, '.docker', 'contexts', 'meta', 'broken'), { recursive: true });
    writeFileSync(path.join(home, '.docker', 'contexts', 'meta', 'broken', 'meta.json'), '{not json');
    const list = knownEngines({ env: { DOCKER_HOST: 'unix:///tmp/a.sock' }, homeDir: home, exists: only() });
    assert.deepEqual(list.map((e) => e.source), ['DOCKER_HOST']);
  });
});
