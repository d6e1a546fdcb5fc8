// The header-only tar reader against a general tar parser (tar-stream) as the oracle, on archives
// written by GNU tar in its three formats: same entries, names, types, links, sizes, modes, owners,
// whatever the chunking; and truncation and corruption found wherever they are.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, linkSync, chmodSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tar from 'tar-stream';
import { TarWalker, type TarHeader } from '../../src/core/archive/tarWalker';
import { TarCheck } from '../../src/core/archive/tarTap';

function oracle(buf: Buffer): Promise<TarHeader[]> {
  return new Promise((resolve, reject) => {
    const out: TarHeader[] = [];
    const x = tar.extract();
    x.on('entry', (h, body, next) => {
      out.push({
        name: h.name,
        type: h.type ?? 'unknown',
        linkname: h.linkname ?? null,
        size: h.type === 'file' ? (h.size ?? 0) : 0,
        mode: h.mode ?? 0,
        uid: h.uid ?? 0,
        gid: h.gid ?? 0,
      });
      body.on('end', next);
      body.resume();
    });
    x.on('finish', () => resolve(out));
    x.on('error', reject);
    x.end(buf);
  });
}

function walk(buf: Buffer, chunk: number): TarHeader[] {
  const out: TarHeader[] = [];
  const w = new TarWalker(({ entry: _, ...h }) => out.push({ ...h, size: h.type === 'file' ? h.size : 0 }));
  for (let i = 0; i < buf.length; i += chunk) w.push(buf.subarray(i, i + chunk));
  w.end();
  return out;
}

suite('tar walker (header-only reader)', () => {
  let dir: string;
  const archives: Record<string, Buffer> = {};

  suiteSetup(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cv-walker-'));
    const src = path.join(dir, 'src');
    mkdirSync(path.join(src, 'empty'), { recursive: true });
    mkdirSync(path.join(src, 'd'.repeat(120), 'e'.repeat(90)), { recursive: true });
    writeFileSync(path.join(src, 'd'.repeat(120), 'e'.repeat(90), `${'f'.repeat(150)}.txt`), 'deep');
    writeFileSync(path.join(src, 'a file with spaces, "quotes" & ünïcødé 数据.txt'), 'x'.repeat(1000));
    writeFileSync(path.join(src, 'big.bin'), Buffer.alloc(3 * 1024 * 1024 + 17, 7));
    writeFileSync(path.join(src, 'setuid'), '#!/bin/sh\n');
    chmodSync(path.join(src, 'setuid'), 0o4755);
    linkSync(path.join(src, 'big.bin'), path.join(src, 'hard'));
    symlinkSync('/etc/passwd', path.join(src, 'abs-link'));
    symlinkSync(`../${'l'.repeat(130)}`, path.join(src, 'long-target-link'));
    spawnSync('mkfifo', [path.join(src, 'fifo')]);
    for (const format of ['gnu', 'posix', 'ustar']) {
      const file = path.join(dir, `${format}.tar`);
      // ustar cannot hold the 150-character name: that format gets the rest only.
      const args = ['cf', file, `--format=${format}`];
      if (format === 'ustar') args.push(`--exclude=${'d'.repeat(120)}`, '--exclude=long-target-link');
      args.push('-C', src, '.');
      const r = spawnSync('tar', args, { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      archives[format] = readFileSync(file);
    }
  });
  suiteTeardown(() => rmSync(dir, { recursive: true, force: true }));

  for (const format of ['gnu', 'posix', 'ustar']) {
    test(`${format} archive: every header as the oracle reads it, in any chunking`, async () => {
      const buf = archives[format];
      const want = await oracle(buf);
      assert.ok(want.length >= 8, `only ${want.length} entries`);
      assert.ok(want.some((h) => h.type === 'link') && want.some((h) => h.type === 'symlink') && want.some((h) => h.type === 'fifo'));
      for (const chunk of [buf.length, 65536, 511, 1]) assert.deepEqual(walk(buf, chunk), want, `chunks of ${chunk}`);
    });
  }

  test('counts entries and file bytes', () => {
    const w = new TarWalker();
    w.push(archives.gnu);
    w.end();
    const r = spawnSync('tar', ['tvf', path.join(dir, 'gnu.tar')], { encoding: 'utf8' });
    assert.equal(w.entries, r.stdout.trim().split('\n').length);
    assert.ok(w.contentBytes >= 3 * 1024 * 1024 + 17 + 1000 + 4, String(w.contentBytes));
  });

  test('truncation anywhere is found; the complete archive passes, also with a lone zero block at the end (as GNU tar)', () => {
    const buf = archives.posix;
    const ok = new TarCheck();
    ok.push(buf);
    ok.end();
    let last = buf.length - 1;
    while (buf[last] === 0) last--;
    const dataEnd = Math.ceil((last + 1) / 512) * 512; // where the end-of-archive marker starts
    const lone = new TarCheck();
    lone.push(buf.subarray(0, dataEnd + 512));
    lone.end();
    for (const cut of [100, 512, 513, 1024 + 300, Math.floor(buf.length / 2), last, dataEnd]) {
      const c = new TarCheck();
      c.push(buf.subarray(0, cut));
      assert.throws(() => c.end(), { name: 'TruncatedArchiveError' }, `cut at ${cut}`);
    }
  });

  test('a damaged header fails its checksum', () => {
    const buf = Buffer.from(archives.gnu);
    buf[512 * 0 + 10] ^= 0x55; // inside the first header's name
    assert.throws(() => new TarWalker().push(buf), { name: 'CorruptArchiveError' });
  });
});
