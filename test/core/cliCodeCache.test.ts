// The command's launcher (dist/cli.js) keeps V8's code cache of the CLI's bundle in the user's cache
// folder: written on the first run, taken as it is on the next (not rewritten), a corrupt or foreign
// one replaced, and a cache folder that cannot be written never stops the command.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CLI } from '../support/cli';

const VERSION = (JSON.parse(readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as { version: string }).version;

function cli(env: Record<string, string>, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'CONTAINER_VOLUMES_CODE_CACHE' && k !== 'XDG_CACHE_HOME'));
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...clean, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

suite('CLI code cache (the launcher)', function () {
  this.timeout(60_000);
  let home: string;
  setup(() => {
    home = mkdtempSync(path.join(os.tmpdir(), 'cv-codecache-'));
  });
  teardown(() => rmSync(home, { recursive: true, force: true }));

  const caches = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.v8'));

  test('written on the first run (in ~/.cache, private), taken unchanged on the next, the output the same', () => {
    const first = cli({ HOME: home }, '--version');
    assert.deepEqual([first.code, first.stdout, first.stderr], [0, `${VERSION}\n`, '']);
    const dir = path.join(home, '.cache', 'container-volumes');
    const [file] = caches(dir);
    assert.match(file, /^cli-[0-9a-f]{24}\.v8$/);
    const before = statSync(path.join(dir, file));
    assert.equal(before.mode & 0o777, 0o600);
    assert.ok(before.size > 10_000, `a real cache: ${before.size} bytes`);
    const second = cli({ HOME: home }, '--help');
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /^Usage: container-volumes <command>/);
    const after = statSync(path.join(dir, file));
    assert.deepEqual([after.ino, after.mtimeMs], [before.ino, before.mtimeMs], 'V8 took the cache: not written again');
  });

  test('a corrupt cache is replaced and a foreign one removed; XDG_CACHE_HOME is followed', () => {
    const dir = path.join(home, 'xdg', 'container-volumes');
    assert.equal(cli({ HOME: home, XDG_CACHE_HOME: path.join(home, 'xdg') }, '--version').code, 0);
    const [file] = caches(dir);
    writeFileSync(path.join(dir, file), 'not a code cache');
    writeFileSync(path.join(dir, 'cli-0123456789abcdef01234567.v8'), "an older version's");
    const r = cli({ HOME: home, XDG_CACHE_HOME: path.join(home, 'xdg') }, '--version');
    assert.deepEqual([r.code, r.stdout, r.stderr], [0, `${VERSION}\n`, '']);
    assert.deepEqual(caches(dir), [file], "only this bundle's cache is left");
    assert.ok(statSync(path.join(dir, file)).size > 10_000, 'rewritten as a real cache');
  });

  test('a cache folder that cannot be made, or the cache turned off: the command runs the same and nothing is written', () => {
    const blocker = path.join(home, 'file');
    writeFileSync(blocker, 'a file where the folder would go');
    const envs: Record<string, string>[] = [
      { CONTAINER_VOLUMES_CODE_CACHE: path.join(blocker, 'cache') },
      { CONTAINER_VOLUMES_CODE_CACHE: '/proc/container-volumes' },
      { HOME: home, CONTAINER_VOLUMES_CODE_CACHE: 'off' },
    ];
    for (const env of envs) {
      const r = cli(env, 'bogus');
      assert.deepEqual(
        [r.code, r.stdout, r.stderr],
        [2, '', 'container-volumes: unknown command "bogus" (try container-volumes --help)\n'],
        JSON.stringify(env),
      );
    }
    assert.deepEqual(readdirSync(home), ['file'], 'no cache folder made');
  });
});
