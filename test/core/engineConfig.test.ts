import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EngineConfigError, engineRef, isLocalEngine, knownEngines, podmanSockets, resolveEngine } from '../../src/core/engine/engineConfig';
import { parseSshHost, sshArgv } from '../../src/core/engine/sshTransport';

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
    const me = os.hostname();
    assert.equal(isLocalEngine({ host: 'unix:///var/run/docker.sock', source: 'default' }), true);
    assert.equal(isLocalEngine({ host: 'npipe:////./pipe/docker_engine', source: 'default' }), true);
    assert.equal(isLocalEngine({ host: 'tcp://build-box:2375', source: 'explicit' }), false);
    assert.equal(
      isLocalEngine({ host: 'tcp://build-box:2375', source: 'explicit' }, me),
      false,
      'another host name is another machine, whatever the engine says',
    );
    // ssh is another machine as far as paths go, even on loopback and even when the engine's name matches
    assert.equal(isLocalEngine({ host: 'ssh://me@127.0.0.1:22', source: 'explicit' }, me), false);
    assert.equal(isLocalEngine({ host: 'ssh://localhost', source: 'explicit' }, me), false);
    // tcp to loopback: only when the engine reports this machine's host name (not a tunnel, not a container)
    for (const host of ['tcp://127.0.0.1:2375', 'tcp://localhost:2376', 'tcp://[::1]:2375', 'https://127.0.0.1:2376', `tcp://${me}:2375`]) {
      assert.equal(isLocalEngine({ host, source: 'explicit' }), false, `${host} without the engine's name`);
      assert.equal(isLocalEngine({ host, source: 'explicit' }, 'some-other-box'), false, `${host} named some-other-box`);
      assert.equal(isLocalEngine({ host, source: 'explicit' }, me), true, `${host} named ${me}`);
    }
  });

  test('ssh:// becomes the ssh command line the docker CLI runs (user, port, "--" before the host)', () => {
    assert.deepEqual(sshArgv(parseSshHost('ssh://me@box.lan:2222')), [
      '-o',
      'ConnectTimeout=30',
      '-o',
      'BatchMode=yes',
      '-T',
      '-l',
      'me',
      '-p',
      '2222',
      '--',
      'box.lan',
      'docker',
      'system',
      'dial-stdio',
    ]);
    assert.deepEqual(sshArgv(parseSshHost('ssh://alias')).slice(-5), ['-T', '--', 'alias', 'docker', 'system', 'dial-stdio'].slice(-5));
    assert.throws(() => parseSshHost('ssh://me:secret@box'), /not an ssh address/);
    assert.throws(() => parseSshHost('ssh://box/var/run/docker.sock'), /not an ssh address/);
  });
  suite('TLS as the docker CLI reads it (cli/flags/options.go, context/docker/load.go)', () => {
    const certs = (dir: string, files: string[]) => (p: string) => files.some((f) => p === path.join(dir, f));
    const all = ['ca.pem', 'cert.pem', 'key.pem'];

    test('DOCKER_TLS_VERIFY (any non-empty value, even "0") turns TLS on and verifies with DOCKER_CERT_PATH/ca.pem', () => {
      for (const v of ['1', '0', 'yes']) {
        const ep = resolveEngine({
          env: { DOCKER_HOST: 'tcp://box:2376', DOCKER_TLS_VERIFY: v, DOCKER_CERT_PATH: '/certs' },
          homeDir: '/nohome',
          exists: certs('/certs', all),
        });
        assert.deepEqual(ep.tls, { ca: '/certs/ca.pem', cert: '/certs/cert.pem', key: '/certs/key.pem', verify: true }, `DOCKER_TLS_VERIFY=${v}`);
      }
    });

    test('DOCKER_CERT_PATH without DOCKER_TLS_VERIFY or DOCKER_TLS: plain HTTP, as the CLI', () => {
      const ep = resolveEngine({ env: { DOCKER_HOST: 'tcp://box:2376', DOCKER_CERT_PATH: '/certs' }, homeDir: '/nohome', exists: certs('/certs', all) });
      assert.equal(ep.tls, undefined);
      assert.equal(
        resolveEngine({
          env: { DOCKER_HOST: 'tcp://box:2376', DOCKER_TLS_VERIFY: '', DOCKER_CERT_PATH: '/certs' },
          homeDir: '/nohome',
          exists: certs('/certs', all),
        }).tls,
        undefined,
      );
    });

    test('DOCKER_TLS=1: TLS without verifying the server; the client certificate only when its files exist; no CA read', () => {
      const ep = resolveEngine({
        env: { DOCKER_HOST: 'tcp://box:2376', DOCKER_TLS: '1', DOCKER_CERT_PATH: '/certs' },
        homeDir: '/nohome',
        exists: certs('/certs', all),
      });
      assert.deepEqual(ep.tls, { cert: '/certs/cert.pem', key: '/certs/key.pem', verify: false });
      const bare = resolveEngine({ host: 'tcp://box:2376', env: { DOCKER_TLS: '1', DOCKER_CERT_PATH: '/certs' }, homeDir: '/nohome', exists: none });
      assert.deepEqual(bare.tls, { verify: false });
      // DOCKER_TLS_VERIFY wins: DOCKER_TLS can only turn TLS on
      assert.equal(
        resolveEngine({ env: { DOCKER_HOST: 'tcp://box:2376', DOCKER_TLS: '1', DOCKER_TLS_VERIFY: '1' }, homeDir: '/nohome', exists: none }).tls?.verify,
        true,
      );
    });

    test('without DOCKER_CERT_PATH the files are read from DOCKER_CONFIG, else ~/.docker', () => {
      const a = resolveEngine({
        env: { DOCKER_HOST: 'tcp://box:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CONFIG: '/cfg' },
        homeDir: '/home/me',
        exists: certs('/cfg', all),
      });
      assert.deepEqual(a.tls, { ca: '/cfg/ca.pem', cert: '/cfg/cert.pem', key: '/cfg/key.pem', verify: true });
      const b = resolveEngine({ env: { DOCKER_HOST: 'tcp://box:2376', DOCKER_TLS_VERIFY: '1' }, homeDir: '/home/me', exists: certs('/home/me/.docker', all) });
      assert.deepEqual(b.tls, { ca: '/home/me/.docker/ca.pem', cert: '/home/me/.docker/cert.pem', key: '/home/me/.docker/key.pem', verify: true });
    });

    test('DOCKER_CONFIG is where config.json (current context) and the context store are read from, not ~/.docker', () => {
      const elsewhere = contextHome('far', 'tcp://far:2375', 'far');
      const home = contextHome('near', 'tcp://near:2375', 'near');
      const ep = resolveEngine({ env: { DOCKER_CONFIG: path.join(elsewhere, '.docker') }, homeDir: home, exists: none });
      assert.deepEqual([ep.host, ep.context], ['tcp://far:2375', 'far']);
      assert.throws(
        () => resolveEngine({ env: { DOCKER_CONFIG: path.join(elsewhere, '.docker'), DOCKER_CONTEXT: 'near' }, homeDir: home, exists: none }),
        EngineConfigError,
      );
    });

    function tlsContext(skip: boolean | undefined, files: string[]): { home: string; dir: string } {
      const name = 'tls-ctx';
      const home = mkdtempSync(path.join(os.tmpdir(), 'cv-ctx-'));
      const id = createHash('sha256').update(name).digest('hex');
      mkdirSync(path.join(home, '.docker', 'contexts', 'meta', id), { recursive: true });
      writeFileSync(
        path.join(home, '.docker', 'contexts', 'meta', id, 'meta.json'),
        JSON.stringify({ Name: name, Endpoints: { docker: { Host: 'tcp://box:2376', ...(skip === undefined ? {} : { SkipTLSVerify: skip }) } } }),
      );
      writeFileSync(path.join(home, '.docker', 'config.json'), JSON.stringify({ currentContext: name }));
      const dir = path.join(home, '.docker', 'contexts', 'tls', id, 'docker');
      mkdirSync(dir, { recursive: true });
      for (const f of files) writeFileSync(path.join(dir, f), 'x');
      return { home, dir };
    }

    test("a context's TLS folder verifies the server; SkipTLSVerify keeps TLS and the client certificate but does not verify", () => {
      const v = tlsContext(false, all);
      assert.deepEqual(resolveEngine({ env: {}, homeDir: v.home }).tls, {
        ca: path.join(v.dir, 'ca.pem'),
        cert: path.join(v.dir, 'cert.pem'),
        key: path.join(v.dir, 'key.pem'),
        verify: true,
      });
      const s = tlsContext(true, all);
      assert.deepEqual(resolveEngine({ env: {}, homeDir: s.home }).tls, {
        ca: path.join(s.dir, 'ca.pem'),
        cert: path.join(s.dir, 'cert.pem'),
        key: path.join(s.dir, 'key.pem'),
        verify: false,
      });
    });

    test('a context with SkipTLSVerify and no TLS files still uses TLS; one with neither uses plain HTTP; only the files present are used', () => {
      assert.deepEqual(resolveEngine({ env: {}, homeDir: tlsContext(true, []).home }).tls, { verify: false });
      assert.equal(resolveEngine({ env: {}, homeDir: tlsContext(undefined, []).home }).tls, undefined);
      const caOnly = tlsContext(undefined, ['ca.pem']);
      assert.deepEqual(resolveEngine({ env: {}, homeDir: caOnly.home }).tls, { ca: path.join(caOnly.dir, 'ca.pem'), verify: true });
    });
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
  const only =
    (...paths: string[]) =>
    (p: string) =>
      paths.includes(p);

  test("DOCKER_HOST alone is one engine: it is the CLI's default, the default socket is not listed beside it", () => {
    const home = store({});
    const list = knownEngines({ env: { DOCKER_HOST: 'unix:///tmp/a.sock' }, homeDir: home, exists: only('/var/run/docker.sock') });
    assert.deepEqual(
      list.map((e) => [e.name, e.host, e.source]),
      [['unix:///tmp/a.sock', 'unix:///tmp/a.sock', 'DOCKER_HOST']],
    );
  });

  test("the setting replaces the environment's engine (it is our --host); the pickers list both", () => {
    const home = store({});
    const env = { DOCKER_HOST: 'unix:///tmp/a.sock' };
    assert.deepEqual(
      knownEngines({ setting: 'tcp://10.0.0.2:2376', env, homeDir: home, exists: only() }).map((e) => [e.host, e.source]),
      [['tcp://10.0.0.2:2376', 'setting']],
    );
    assert.deepEqual(
      knownEngines({ setting: 'tcp://10.0.0.2:2376', environmentToo: true, env, homeDir: home, exists: only() }).map((e) => e.source),
      ['setting', 'DOCKER_HOST'],
    );
    assert.deepEqual(
      knownEngines({ setting: '/tmp/a.sock', environmentToo: true, env, homeDir: home, exists: only() }).map((e) => e.source),
      ['setting'],
      'one address, one engine',
    );
    assert.deepEqual(
      knownEngines({ setting: 'tcp://10.0.0.2:2376', environmentToo: true, env: {}, homeDir: home, exists: only() }).map((e) => e.source),
      ['setting', 'default'],
    );
    assert.deepEqual(
      knownEngines({ setting: 'not an address', env, homeDir: home, exists: only() }).map((e) => e.source),
      ['DOCKER_HOST'],
      'a nonsense setting is not offered',
    );
  });

  test('without DOCKER_HOST: the default socket, then the contexts by name (one per address)', () => {
    const home = store({ zeta: 'ssh://me@box', alpha: 'tcp://10.0.0.3:2376', same: 'unix:///var/run/docker.sock' });
    const list = knownEngines({ env: {}, homeDir: home, exists: only('/var/run/docker.sock') });
    assert.deepEqual(
      list.map((e) => [e.name, e.source]),
      [
        ['default', 'default'],
        ['alpha', 'context'],
        ['zeta', 'context'],
      ],
    );
    assert.equal(engineRef(list[1]), 'alpha');
    assert.equal(engineRef(list[0]), 'unix:///var/run/docker.sock');
  });

  test("Podman's sockets join when they exist: rootful and rootless", () => {
    const env = { XDG_RUNTIME_DIR: '/run/user/1000' };
    assert.deepEqual(podmanSockets(env, only()), []);
    assert.deepEqual(
      podmanSockets(env, only('/run/podman/podman.sock', '/run/user/1000/podman/podman.sock')).map((e) => [e.name, e.host]),
      [
        ['podman', 'unix:///run/podman/podman.sock'],
        ['podman (rootless)', 'unix:///run/user/1000/podman/podman.sock'],
      ],
    );
    assert.deepEqual(podmanSockets({}, only('/run/user/1000/podman/podman.sock')), [], 'no XDG_RUNTIME_DIR: no rootless socket to look for');
    const list = knownEngines({ env: { ...env, DOCKER_HOST: 'unix:///tmp/a.sock' }, homeDir: store({}), exists: only('/run/user/1000/podman/podman.sock') });
    assert.deepEqual(
      list.map((e) => [e.name, e.source]),
      [
        ['unix:///tmp/a.sock', 'DOCKER_HOST'],
        ['podman (rootless)', 'podman'],
      ],
    );
  });

  test('a context at the address of the default engine is not listed twice; an unreadable context is left out', () => {
    const home = store({ dup: 'unix:///tmp/a.sock' });
    mkdirSync(path.join(home, '.docker', 'contexts', 'meta', 'broken'), { recursive: true });
    writeFileSync(path.join(home, '.docker', 'contexts', 'meta', 'broken', 'meta.json'), '{not json');
    const list = knownEngines({ env: { DOCKER_HOST: 'unix:///tmp/a.sock' }, homeDir: home, exists: only() });
    assert.deepEqual(
      list.map((e) => e.source),
      ['DOCKER_HOST'],
    );
  });
});
