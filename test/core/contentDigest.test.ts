// The cross-engine copy's content hash: the same data written by different tar programs and formats,
// in any order, hashes the same; one changed byte, mode or name, or a hard link undone, does not.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { ContentDigest, type DigestResult } from '../../src/core/archive/contentDigest';

async function digest(tar: Buffer): Promise<DigestResult> {
  const d = new ContentDigest();
  Readable.from([tar]).pipe(d).resume();
  await new Promise((resolve, reject) => d.on('finish', resolve).on('error', reject));
  assert.ok(d.digest);
  return d.digest;
}

suite('content digest (cross-engine copy verification)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cv-digest-'));
  const tarOf = (...fmt: string[]) => execFileSync('tar', ['-C', dir, ...fmt, '--sort=name', '-cf', '-', '.'], { maxBuffer: 1 << 26 });

  suiteSetup(() => {
    mkdirSync(path.join(dir, 'a b/ü'), { recursive: true });
    mkdirSync(path.join(dir, 'empty'));
    writeFileSync(path.join(dir, 'a b/ü/f g'), 'x'.repeat(70000));
    chmodSync(path.join(dir, 'a b/ü/f g'), 0o640);
    symlinkSync('a b', path.join(dir, 'l'));
    for (const p of ['a b/ü/f g', 'a b/ü', 'a b', 'empty']) utimesSync(path.join(dir, p), 1_600_000_000, 1_600_000_000);
  });
  suiteTeardown(() => rmSync(dir, { recursive: true, force: true }));

  test('GNU, pax and ustar archives of the same folder hash the same', async () => {
    const gnu = await digest(tarOf('--format=gnu'));
    const pax = await digest(tarOf('--format=posix'));
    const ustar = await digest(tarOf('--format=ustar'));
    assert.equal(gnu.entries, 5, 'the root is counted apart');
    assert.ok(gnu.root);
    assert.equal(gnu.contentBytes, 70000);
    assert.deepEqual(pax, gnu);
    assert.deepEqual(ustar, gnu);
  });

  test('one changed byte, mode or name changes the hash', async () => {
    const before = await digest(tarOf('--format=gnu'));
    writeFileSync(path.join(dir, 'a b/ü/f g'), 'x'.repeat(69999) + 'y');
    utimesSync(path.join(dir, 'a b/ü/f g'), 1_600_000_000, 1_600_000_000);
    const byte = await digest(tarOf('--format=gnu'));
    assert.notEqual(byte.sha256, before.sha256);
    assert.equal(byte.contentBytes, before.contentBytes);
    chmodSync(path.join(dir, 'a b/ü/f g'), 0o644);
    const mode = await digest(tarOf('--format=gnu'));
    assert.notEqual(mode.sha256, byte.sha256);
    execFileSync('mv', [path.join(dir, 'empty'), path.join(dir, 'empty2')]);
    const name = await digest(tarOf('--format=gnu'));
    assert.notEqual(name.sha256, mode.sha256);
  });

  test('the same entries in another order hash the same, hard links first met under another name too (busybox walks folders unsorted, Docker sorted)', async () => {
    const d = mkdtempSync(path.join(os.tmpdir(), 'cv-digest-order-'));
    try {
      mkdirSync(path.join(d, 'x/y'), { recursive: true });
      writeFileSync(path.join(d, 'x/a'), 'linked');
      linkSync(path.join(d, 'x/a'), path.join(d, 'z'));
      linkSync(path.join(d, 'x/a'), path.join(d, 'x/y/m'));
      writeFileSync(path.join(d, 'b'), 'bee');
      writeFileSync(path.join(d, 'c'), 'sea');
      for (const p of ['x/y', 'x', 'x/a', 'b', 'c', '.']) utimesSync(path.join(d, p), 1_600_000_000, 1_600_000_000);
      const names = ['.', 'b', 'c', 'x', 'x/a', 'x/y', 'x/y/m', 'z'].map((n) => (n === '.' ? n : `./${n}`));
      const tarIn = (order: string[]) => execFileSync('tar', ['-C', d, '--format=gnu', '--no-recursion', '-cf', '-', ...order]);
      const sorted = await digest(tarIn(names));
      const reversed = await digest(tarIn(['.', ...names.slice(1).reverse()]));
      assert.equal(reversed.entries, sorted.entries);
      assert.equal(reversed.sha256, sorted.sha256, 'z is the file and x/a the link in one, the other way round in the other');
      // The hard link undone: the same names and contents as three separate files.
      unlinkSync(path.join(d, 'z'));
      writeFileSync(path.join(d, 'z'), 'linked');
      utimesSync(path.join(d, 'z'), 1_600_000_000, 1_600_000_000);
      assert.notEqual((await digest(tarIn(names))).sha256, sorted.sha256);
      // Two files that swap contents of the same size.
      writeFileSync(path.join(d, 'b'), 'sea');
      writeFileSync(path.join(d, 'c'), 'bee');
      for (const p of ['b', 'c', '.']) utimesSync(path.join(d, p), 1_600_000_000, 1_600_000_000);
      unlinkSync(path.join(d, 'z'));
      linkSync(path.join(d, 'x/a'), path.join(d, 'z'));
      utimesSync(path.join(d, 'x/a'), 1_600_000_000, 1_600_000_000);
      assert.notEqual((await digest(tarIn(names))).sha256, sorted.sha256);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  test('names with or without "./" (Docker\'s archive of /v/. and Podman\'s) and without the root entry hash the same; the root is compared apart', async () => {
    const withDot = await digest(execFileSync('tar', ['-C', dir, '--format=gnu', '--sort=name', '-cf', '-', '.']));
    const names = execFileSync('sh', ['-c', `cd '${dir}' && find . -mindepth 1 -maxdepth 1 | sed 's|^\\./||' | LC_ALL=C sort`], { encoding: 'utf8' })
      .trim()
      .split('\n');
    const bare = await digest(execFileSync('tar', ['-C', dir, '--format=gnu', '--sort=name', '-cf', '-', ...names]));
    assert.equal(bare.root, undefined);
    assert.equal(bare.entries, withDot.entries);
    assert.equal(bare.sha256, withDot.sha256);
    chmodSync(dir, 0o751);
    const closed = await digest(execFileSync('tar', ['-C', dir, '--format=gnu', '--sort=name', '-cf', '-', '.']));
    chmodSync(dir, 0o700);
    assert.equal(closed.sha256, withDot.sha256);
    assert.notEqual(closed.root, withDot.root, 'a root with another mode is told apart');
  });
});
