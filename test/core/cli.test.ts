import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BUSYBOX, cleanup, createVolume, runContainer, sh, testEngine, uniq } from '../support/docker';
import { MALICIOUS, writeTar } from '../support/archives';
import { listVolume } from '../support/volumeFixtures';
import { CLI, runCli, type CliRun } from '../support/cli';

const SUITE = 'data';

// English unless a test asks for a language: the CLI follows LANG, and so would these tests.
const ENGLISH = { LANG: 'C.UTF-8', LC_ALL: '', LC_MESSAGES: '', LANGUAGE: '' };

function cli(...args: string[]): Promise<CliRun> {
  return cliIn(ENGLISH, ...args);
}

function cliIn(locale: Record<string, string>, ...args: string[]): Promise<CliRun> {
  return runCli(args, { ...process.env, ...locale });
}

function oneErrorLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line on stderr: ${stderr}`);
  assert.match(lines[0], /^container-volumes: /);
  return lines[0];
}

suite('CLI (dist/cli.js after npm run build)', function () {
  this.timeout(120_000);
  const docker = testEngine().docker;
  let dir: string;
  let vol: string;
  const made: string[] = [];

  suiteSetup(async () => {
    assert.ok(existsSync(CLI), 'run `npm run build` first');
    await cleanup(docker, SUITE);
    dir = mkdtempSync(path.join(os.tmpdir(), 'cv-cli-'));
    vol = await createVolume(docker, SUITE, uniq('cv-cli'));
    await sh(docker, SUITE, 'echo hello > /v/a && mkdir /v/d && echo x > /v/d/b', [`${vol}:/v`]);
  });
  suiteTeardown(async () => {
    for (const v of made) {
      await docker
        .getVolume(v)
        .remove({ force: true })
        .catch(() => undefined);
    }
    await cleanup(docker, SUITE);
    rmSync(dir, { recursive: true, force: true });
  });

  test('--help on every subcommand, exit 0', async () => {
    for (const c of [[], ['ls'], ['backup'], ['restore'], ['clone'], ['verify']]) {
      const r = await cli(...c, '--help');
      assert.equal(r.code, 0, c.join(' '));
      assert.match(r.stdout, /Usage: container-volumes/);
    }
  });

  test('--help of every command is Chinese under LANG=zh_CN.UTF-8 (names, options and placeholders aside) and English under LANG=C', async () => {
    const main = (await cli('--help')).stdout;
    const commands = [...main.matchAll(/^ {2}([a-z][a-z-]*) /gm)].map((m) => m[1]);
    assert.ok(commands.length >= 10, main);
    const zh = (...args: string[]) => cliIn({ LANG: 'zh_CN.UTF-8', LC_ALL: '', LC_MESSAGES: '', LANGUAGE: '' }, ...args);
    // What may stay Latin in a Chinese help: the names of programs, formats, streams and standards it mentions.
    const names = new Set([
      'tar',
      'gz',
      'zst',
      'sh',
      'cp',
      'du',
      'busybox',
      'alpine',
      'docker',
      'compose',
      'up',
      'run',
      'shell',
      'setuid',
      'setgid',
      'tmpfs',
      'stdout',
      'stderr',
      'json',
      'posix',
      'utc',
      'sha256',
      'ctrl',
      'x',
      'n',
      'a',
      'c',
      'd',
      'cache',
      'logs',
      'log',
      'unix',
      'tcp',
      'ssh',
      'cvf',
      'xvf',
      'cf',
    ]);
    for (const c of ['', ...commands]) {
      const args = c ? [c, '--help'] : ['--help'];
      const en = await cli(...args);
      assert.equal(en.code, 0, `${c} --help: ${en.stderr}`);
      assert.match(en.stdout, /^Usage: container-volumes/, `${c} --help in English`);
      assert.doesNotMatch(en.stdout, /[\u3000-\u9fff\uff00-\uffef]/, `${c} --help under LANG=C has no Chinese`);
      const r = await zh(...args);
      assert.equal(r.code, 0, `${c} --help: ${r.stderr}`);
      assert.match(r.stdout, /^用法：container-volumes/, `${c} --help in Chinese`);
      const rest = r.stdout
        .replace(/container-volumes|<[^>]*>|(?<![\w-])--?[a-zA-Z][\w-]*|`[^`]*`|[\w.*-]*\.[\w*-]+/g, ' ')
        .replace(new RegExp(`(?<![\\w-])(${[...commands].sort((a, b) => b.length - a.length).join('|')})(?![\\w-])`, 'g'), ' ');
      const words = [...new Set(rest.match(/[A-Za-z][A-Za-z0-9]*/g) ?? [])].filter((w) => !names.has(w.toLowerCase()));
      assert.deepEqual(words, [], `${c || 'main'} --help under LANG=zh_CN.UTF-8 has English words:\n${r.stdout}`);
    }
  });

  test("the README's synopsis is the CLI's: every subcommand's usage line and every global option, word for word", async () => {
    const readme = readFileSync(path.resolve(__dirname, '../../../README.md'), 'utf8');
    const main = (await cli('--help')).stdout;
    const commands = [...main.matchAll(/^ {2}([a-z][a-z-]*) /gm)].map((m) => m[1]);
    assert.ok(commands.includes('backup') && commands.includes('restore'), main);
    for (const c of commands) {
      const usage = /^Usage: (.*)$/m.exec((await cli(c, '--help')).stdout)?.[1];
      assert.ok(usage, `${c} --help has a Usage line`);
      assert.ok(readme.includes(`\n${usage}\n`), `the README's Command line section lists: ${usage}`);
    }
    for (const opt of main.slice(main.indexOf('Global options:')).match(/--[a-z-]+/g) ?? []) {
      assert.ok(readme.includes(`\`${opt}\``), `the README explains ${opt}`);
    }
  });

  test('usage errors exit 2 with one line on stderr', async () => {
    for (const args of [
      [],
      ['frobnicate'],
      ['backup', vol],
      ['backup', vol, 'x.tar', '--bogus'],
      ['backup', vol, 'x.tar', '--format', 'rar'],
      ['verify', '--replace', 'x'],
    ]) {
      const r = await cli(...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      oneErrorLine(r.stderr);
    }
  });

  test('failures exit 1 with one clear line: missing volume, unreachable engine', async () => {
    let r = await cli('backup', 'no-such-volume-cv', path.join(dir, 'x.tar'));
    assert.equal(r.code, 1);
    assert.match(oneErrorLine(r.stderr), /no volume named "no-such-volume-cv"/);
    r = await cli('--host', 'unix:///nonexistent/docker.sock', 'ls');
    assert.equal(r.code, 1);
    assert.match(oneErrorLine(r.stderr), /does not answer/);
    r = await cli('ls', '--host', 'unix:///nonexistent/docker.sock');
    assert.equal(r.code, 1);
    assert.match(oneErrorLine(r.stderr), /does not answer/);
    assert.equal(existsSync(path.join(dir, 'x.tar')), false);
  });

  test('the fast path is taken on this local engine, and --no-fast-path turns it off; both restore the same', async () => {
    const fast = path.join(dir, 'fast.tar');
    let r = await cli('backup', vol, fast, '--helper-image', BUSYBOX);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\(helper-tar\)/);
    const slow = path.join(dir, 'slow.tar');
    r = await cli('backup', vol, slow, '--helper-image', BUSYBOX, '--no-fast-path');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\(archive-endpoint\)/);
    const want = await listVolume(docker, SUITE, vol);
    for (const [file, flags] of [
      [fast, ['--no-fast-path']],
      [slow, []],
    ] as const) {
      const fresh = uniq('cv-cli-fast');
      made.push(fresh);
      r = await cli('restore', file, fresh, ...flags);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(await listVolume(docker, SUITE, fresh), want);
    }
  });

  test('backup, verify, ls, restore to a new volume; restore refuses a non-empty volume without --replace', async () => {
    const file = path.join(dir, 'v.tar.gz');
    let r = await cli('backup', vol, file);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /sha256 [0-9a-f]{64}/);
    r = await cli('verify', file);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^ok: .*matches the backup record/);
    r = await cli('ls', '--json');
    assert.equal(r.code, 0);
    assert.ok((JSON.parse(r.stdout) as { name: string }[]).some((v) => v.name === vol));

    const fresh = uniq('cv-cli-new');
    made.push(fresh);
    r = await cli('restore', file, fresh);
    assert.equal(r.code, 0, r.stderr);
    const want = await listVolume(docker, SUITE, vol);
    assert.equal(await listVolume(docker, SUITE, fresh), want);

    const busy = await createVolume(docker, SUITE, uniq('cv-cli-busy'));
    await sh(docker, SUITE, 'echo old > /v/old', [`${busy}:/v`]);
    const before = await listVolume(docker, SUITE, busy);
    r = await cli('restore', file, busy);
    assert.equal(r.code, 1);
    assert.match(oneErrorLine(r.stderr), /not empty: nothing was restored/);
    assert.equal(await listVolume(docker, SUITE, busy), before);

    r = await cli('restore', file, busy, '--replace', '--helper-image', BUSYBOX, '--safety-backup', path.join(dir, 'safety.tar'));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /safety backup: .*safety\.tar/);
    assert.equal(await listVolume(docker, SUITE, busy), want);

    const clone = uniq('cv-cli-clone');
    made.push(clone);
    r = await cli('clone', vol, clone);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await listVolume(docker, SUITE, clone), want);
  });

  test('container:path backup has entries under the path; restore through a read-only mount is refused clearly', async () => {
    const name = uniq('cv-cli-ro');
    await runContainer(docker, SUITE, { name, binds: [`${vol}:/logs:ro`], start: false });
    const file = path.join(dir, 'mount.tar');
    let r = await cli('backup', `${name}:/logs`, file);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(readFileSync(`${file}.json`, 'utf8')) as { prefix: string }).prefix, 'logs');
    r = await cli('restore', file, `${name}:/logs`);
    assert.equal(r.code, 1);
    assert.match(oneErrorLine(r.stderr), /read-only/);
  });

  test('LANG=zh_CN.UTF-8: results, refusals and usage errors in Chinese, with no English words of ours', async () => {
    const zh = (...args: string[]) => cliIn({ LANG: 'zh_CN.UTF-8', LC_ALL: '', LC_MESSAGES: '', LANGUAGE: '' }, ...args);
    // Ours are whole English words; what stays Latin is names, paths, options, units and hashes.
    const english = /\b(?!sha256\b|tar\b|gz\b|zst\b|helper\b|archive\b|endpoint\b|MiB\b|KiB\b|GiB\b|B\b|local\b)[a-z]{4,}\b/;
    const noEnglish = (text: string, what: string) => {
      const stripped = text.replace(/container-volumes|“[^”]*”|"[^"]*"|\/[^\s：，（）]*|--[a-z-]+|cv-cli[\w.-]*|[0-9a-f]{64}/g, '');
      assert.doesNotMatch(stripped, english, `${what}: ${text}`);
    };
    let r = await zh('frobnicate');
    assert.equal(r.code, 2);
    assert.match(oneErrorLine(r.stderr), /^container-volumes: 未知命令“frobnicate”/);
    noEnglish(r.stderr.replace('container-volumes', ''), 'usage error');

    r = await zh('backup', 'no-such-volume-cv', path.join(dir, 'zh-x.tar'));
    assert.equal(r.code, 1);
    assert.match(oneErrorLine(r.stderr), /没有名为“no-such-volume-cv”的数据卷。/);

    const file = path.join(dir, 'zh.tar');
    r = await zh('backup', vol, file);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /：\d+ 个条目（.+），\d+ 字节，sha256 [0-9a-f]{64}/);
    noEnglish(r.stdout, 'backup');
    r = await zh('verify', file);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^正常：\d+ 个条目，文件共 \d+ 字节，sha256 [0-9a-f]{64}（与备份记录一致）/);
    noEnglish(r.stdout, 'verify');
    r = await zh('ls');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^数据卷\s+驱动\s+使用者/);

    const full = await createVolume(docker, SUITE, uniq('cv-cli-zh-full'));
    await sh(docker, SUITE, 'echo old > /v/old', [`${full}:/v`]);
    r = await zh('restore', file, full);
    assert.equal(r.code, 1);
    const refused = oneErrorLine(r.stderr);
    assert.match(refused, /数据卷“cv-cli-zh-full[^”]*”不为空：未恢复任何内容。/);
    noEnglish(refused.replace('container-volumes', ''), 'refused restore');

    const evil = path.join(dir, 'zh-evil.tar');
    await writeTar(evil, Object.values(MALICIOUS)[0]);
    r = await zh('verify', evil);
    assert.equal(r.code, 1);
    const unsafe = oneErrorLine(r.stderr);
    assert.match(unsafe, /不安全的归档：/);
    noEnglish(unsafe.replace('container-volumes', ''), 'refused archive');
  });
});
