// An engine over TCP with TLS, for real: the second engine (scripts/second-engine.sh) listens on a
// loopback port with --tlsverify and certificates made by openssl. DOCKER_HOST + DOCKER_TLS_VERIFY +
// DOCKER_CERT_PATH as the docker CLI reads them, --host with the same, a context's TLS folder; a
// server whose certificate the given CA did not sign is refused, and so is plain HTTP. Each of the
// CLI's modes: DOCKER_TLS=1 and a context's SkipTLSVerify (TLS, server not verified: a CA this test
// makes does not matter), DOCKER_TLS_VERIFY=0 (still verifies), DOCKER_CERT_PATH alone (no TLS),
// the files in DOCKER_CONFIG when DOCKER_CERT_PATH is unset.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine } from '../../src/core/engine/engine';
import { resolveEngine } from '../../src/core/engine/engineConfig';
import { runCli } from '../support/cli';
import { cleanup, createVolume, secondEngine, secondEngineTlsDir, uniq, wrongCaDir } from '../support/docker';

const SUITE = 'tls-engine';

suite('an engine over TCP with TLS (second engine, openssl certificates)', function () {
  this.timeout(60_000);
  const two = secondEngine();
  const tlsDir = secondEngineTlsDir();
  const address = `tcp://127.0.0.1:${process.env.CV_ENGINE2_TLS_PORT || '23760'}`;
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'cv-tls-'));
  let volume: string;

  function env(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
    const e: NodeJS.ProcessEnv = { ...process.env, LANG: 'C.UTF-8', DOCKER_CONFIG: path.join(tmp, 'docker'), ...extra };
    for (const k of ['DOCKER_HOST', 'DOCKER_CONTEXT', 'DOCKER_TLS_VERIFY', 'DOCKER_TLS', 'DOCKER_CERT_PATH']) if (!(k in extra)) delete e[k];
    return e;
  }
  const listed = (stdout: string) => (JSON.parse(stdout) as { name: string }[]).map((v) => v.name);

  suiteSetup(async () => {
    await cleanup(two.docker, SUITE);
    volume = uniq('over-tls');
    await createVolume(two.docker, SUITE, volume);
  });
  suiteTeardown(async () => {
    rmSync(tmp, { recursive: true, force: true });
    await cleanup(two.docker, SUITE);
  });

  test('DOCKER_HOST=tcp://… with DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH', async () => {
    const r = await runCli(['ls', '--json'], env({ DOCKER_HOST: address, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: tlsDir }));
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assert.ok(listed(r.stdout).includes(volume));
  });

  test('--host tcp://… with the same certificates', async () => {
    const r = await runCli(['ls', '--json', '--host', address], env({ DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: tlsDir }));
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assert.ok(listed(r.stdout).includes(volume));
  });

  /** A context in the test's DOCKER_CONFIG with the given TLS files and SkipTLSVerify. */
  function context(name: string, from: string, skip: boolean): void {
    const id = createHash('sha256').update(name).digest('hex');
    const meta = path.join(tmp, 'docker', 'contexts', 'meta', id);
    const tls = path.join(tmp, 'docker', 'contexts', 'tls', id, 'docker');
    mkdirSync(meta, { recursive: true });
    mkdirSync(tls, { recursive: true });
    writeFileSync(path.join(meta, 'meta.json'), JSON.stringify({ Name: name, Metadata: {}, Endpoints: { docker: { Host: address, SkipTLSVerify: skip } } }));
    for (const f of ['ca.pem', 'cert.pem', 'key.pem']) copyFileSync(path.join(from, f), path.join(tls, f));
  }

  function refusedForItsCertificate(r: { code: number; stdout: string; stderr: string }): void {
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /certificate/i);
  }

  test('a docker context with its TLS folder (contexts/tls/<id>/docker)', async () => {
    context('cv-tls-ctx', tlsDir, false);
    const r = await runCli(['ls', '--json', '--context', 'cv-tls-ctx'], env({}));
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assert.ok(listed(r.stdout).includes(volume));
  });

  test('a context with SkipTLSVerify: TLS with the client certificate, the server not verified (a wrong CA does not matter); without it the same folder is refused', async () => {
    context('cv-tls-skip', wrongCaDir(tmp), true);
    const r = await runCli(['ls', '--json', '--context', 'cv-tls-skip'], env({}));
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assert.ok(listed(r.stdout).includes(volume));
    context('cv-tls-noskip', wrongCaDir(tmp), false);
    refusedForItsCertificate(await runCli(['ls', '--json', '--context', 'cv-tls-noskip'], env({})));
  });

  test('DOCKER_TLS=1 (no DOCKER_TLS_VERIFY): TLS with the client certificate, the server not verified', async () => {
    const r = await runCli(['ls', '--json'], env({ DOCKER_HOST: address, DOCKER_TLS: '1', DOCKER_CERT_PATH: wrongCaDir(tmp) }));
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assert.ok(listed(r.stdout).includes(volume));
  });

  test('DOCKER_TLS_VERIFY=0 still verifies (the CLI turns verification on for any non-empty value)', async () => {
    refusedForItsCertificate(await runCli(['ls', '--json'], env({ DOCKER_HOST: address, DOCKER_TLS_VERIFY: '0', DOCKER_CERT_PATH: wrongCaDir(tmp) })));
  });

  test('DOCKER_CERT_PATH alone turns no TLS on: plain HTTP, which the TLS port refuses', async () => {
    const r = await runCli(['ls', '--json'], env({ DOCKER_HOST: address, DOCKER_CERT_PATH: tlsDir }));
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  });

  test('DOCKER_TLS_VERIFY=1 without DOCKER_CERT_PATH reads the files from DOCKER_CONFIG', async () => {
    const cfg = path.join(tmp, 'config-with-certs');
    mkdirSync(cfg, { recursive: true });
    for (const f of ['ca.pem', 'cert.pem', 'key.pem']) copyFileSync(path.join(tlsDir, f), path.join(cfg, f));
    const r = await runCli(['ls', '--json'], env({ DOCKER_HOST: address, DOCKER_TLS_VERIFY: '1', DOCKER_CONFIG: cfg }));
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assert.ok(listed(r.stdout).includes(volume));
  });

  test("a CA that did not sign the server's certificate is refused (one line, exit 1)", async () => {
    refusedForItsCertificate(await runCli(['ls', '--json'], env({ DOCKER_HOST: address, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: wrongCaDir(tmp) })));
  });

  test("tcp to loopback is this machine only because the engine reports this machine's host name", async () => {
    const e = new Engine(resolveEngine({ host: address, env: { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: tlsDir }, homeDir: tmp }));
    const name = ((await e.docker.info()) as { Name?: string }).Name;
    assert.equal(await e.isLocal(), name === os.hostname(), `engine ${String(name)}, this machine ${os.hostname()}`);
    assert.equal(await e.isLocal(), true, 'the second engine runs here');
  });

  test("connecting reads the engine's host name once: info() says it is local, isLocal() asks nothing more", async () => {
    const e = new Engine(resolveEngine({ host: address, env: { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: tlsDir }, homeDir: tmp }));
    assert.equal(e.local, false, 'before asking, tcp to loopback counts as another machine');
    const info = await e.info();
    assert.equal(info.local, true, 'the second engine runs here');
    assert.equal(e.apiCalls, 2, 'version and info, once each');
    assert.equal(await e.isLocal(), true);
    assert.equal(e.local, true);
    assert.equal(e.apiCalls, 2, 'isLocal after info() asks the engine nothing');
  });

  test('plain HTTP to the TLS port is refused', async () => {
    const r = await runCli(['ls', '--json', '--host', address], env({}));
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
  });
});
