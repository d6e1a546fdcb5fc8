// The CLI as a user installs it from the repository: `npm pack` (which builds dist/cli.js through the
// `prepare` script), `npm install -g` of the tarball into a private prefix, then the installed
// `container-volumes` on the real engine, far from the checkout and its node_modules (so the bundle must
// need nothing beside itself). Also `npm install -g <checkout>`, the README's other way.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cleanup, createVolume, runContainer, testEngine, uniq } from '../support/docker';

const SUITE = 'pkg-install';
const REPO = path.resolve(__dirname, '../../..');
const VERSION = (JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string }).version;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command as from a shell: without the `npm_*` variables `npm test` exports (a nested npm would
 * take npm test's own settings, e.g. its prefix or user agent, for its own).
 */
function run(cmd: string, args: string[], cwd: string): Promise<Run> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

function ok(r: Run, what: string): Run {
  assert.equal(r.code, 0, `${what} exited ${r.code}\n${r.stderr}\n${r.stdout}`);
  return r;
}

suite('CLI installed from the repository (npm pack, npm install -g)', function () {
  this.timeout(300_000);
  const docker = testEngine().docker;
  let tmp: string;

  suiteSetup(async () => {
    await cleanup(docker, SUITE);
    tmp = mkdtempSync(path.join(os.tmpdir(), 'cv-pkg-'));
  });
  suiteTeardown(async () => {
    await cleanup(docker, SUITE);
    rmSync(tmp, { recursive: true, force: true });
  });

  test('npm pack holds the bundled CLI and the docs only; installed globally, --version and ls --json work on the engine', async () => {
    const packDir = path.join(tmp, 'pack');
    mkdirSync(packDir);
    ok(await run('npm', ['pack', '--pack-destination', packDir, '--no-audit', '--no-fund'], REPO), 'npm pack');
    const tarballs = readdirSync(packDir).filter((f) => f.endsWith('.tgz'));
    assert.deepEqual(tarballs, [`container-volumes-${VERSION}.tgz`]);
    const tarball = path.join(packDir, tarballs[0]);
    const listed = ok(await run('tar', ['tzf', tarball], tmp), 'tar tzf')
      .stdout.trim()
      .split('\n')
      .sort();
    assert.deepEqual(listed, [
      'package/CHANGELOG.md',
      'package/LICENSE',
      'package/README.md',
      'package/dist/cli-main.js',
      'package/dist/cli.js',
      'package/package.json',
    ]);

    // --offline: the package must install with nothing from the registry (it has no dependencies).
    const prefix = path.join(tmp, 'prefix');
    ok(await run('npm', ['install', '-g', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', tarball], tmp), 'npm install -g <tarball>');
    const bin = path.join(prefix, 'bin', 'container-volumes');
    assert.ok(existsSync(bin), `${bin} after the install`);
    const installed = path.join(prefix, 'lib', 'node_modules', 'container-volumes');
    assert.ok(!realpathSync(bin).startsWith(REPO), `the command is a copy, not a link into the checkout: ${realpathSync(bin)}`);
    assert.equal(existsSync(path.join(installed, 'node_modules')), false, 'no dependencies installed beside the bundle');

    for (const flag of ['--version', '-V']) {
      const r = ok(await run(bin, [flag], tmp), `container-volumes ${flag}`);
      assert.equal(r.stdout, `${VERSION}\n`, flag);
      assert.equal(r.stderr, '');
    }

    // a volume of ours, used by a container of ours at /data
    const vol = await createVolume(docker, SUITE, uniq('cv-pkg'));
    const ctr = uniq('cv-pkg-user');
    await runContainer(docker, SUITE, { name: ctr, binds: [`${vol}:/data:ro`], start: false });
    const r = ok(await run(bin, ['ls', '--json'], tmp), 'container-volumes ls --json');
    const volumes = JSON.parse(r.stdout) as { name: string; driver: string; users: { container: string; path: string; readOnly: boolean }[] }[];
    const mine = volumes.find((v) => v.name === vol);
    assert.ok(mine, `${vol} in ls --json: ${r.stdout.slice(0, 500)}`);
    assert.equal(mine.driver, 'local');
    assert.deepEqual(
      mine.users.map((u) => [u.container, u.path, u.readOnly]),
      [[ctr, '/data', true]],
    );
  });

  test('npm install -g <checkout> builds the CLI (prepare) and links a working container-volumes', async () => {
    const prefix = path.join(tmp, 'prefix-link');
    ok(await run('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', REPO], tmp), 'npm install -g <checkout>');
    const bin = path.join(prefix, 'bin', 'container-volumes');
    assert.ok(existsSync(bin), `${bin} after the install`);
    const r = ok(await run(bin, ['--version'], tmp), 'container-volumes --version');
    assert.equal(r.stdout, `${VERSION}\n`);
  });
});
