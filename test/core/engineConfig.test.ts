import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EngineConfigError, isLocalEngine, resolveEngine } from '../../src/core/engineConfig';
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
