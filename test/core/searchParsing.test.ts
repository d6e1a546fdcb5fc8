// The pure parts of searching inside volumes, without an engine: the search's output parsed however
// it is cut into chunks, the globs turned into find tests, and the fuzzy ranking of Go to File.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuSummer, formatBytes } from '../../src/core/files/diskUsage';
import { fuzzyFilter, fuzzyScore } from '../../src/core/files/fileIndex';
import { findPredicates, globTest, grepFlags, parseGlobList, TextResultParser, type FileMatches } from '../../src/core/files/volumeSearch';

suite('search output and options (no engine)', () => {
  const output = Buffer.concat([
    Buffer.from('F2 ./a b/日本.txt\0\n3:first match\n9:second: with colons 12:x\nE\n'),
    Buffer.from('B./bin.dat\0\n'),
    Buffer.from('F1 ./odd\nname\0\n1:needle\nE\n'),
    Buffer.from('C40 ./past/the cap\0\n'),
  ]);
  const expected: FileMatches[] = [
    {
      path: '/a b/日本.txt',
      total: 2,
      lines: [
        { line: 3, text: 'first match' },
        { line: 9, text: 'second: with colons 12:x' },
      ],
    },
    { path: '/odd\nname', total: 1, lines: [{ line: 1, text: 'needle' }] },
    { path: '/past/the cap', total: 40, lines: [] },
  ];

  test('the search output parses the same whatever the chunks', () => {
    for (const size of [1, 2, 3, 7, 64, output.length]) {
      const got: FileMatches[] = [];
      const p = new TextResultParser(
        (r) => r.slice(1),
        (f) => got.push(f),
      );
      for (let i = 0; i < output.length; i += size) p.push(output.subarray(i, i + size));
      p.end();
      assert.deepEqual(got, expected, `chunks of ${size}`);
      assert.deepEqual(p.summary(), { files: 3, matches: 43, notShown: 40, binarySkipped: ['/bin.dat'] });
    }
    const bad = new TextResultParser(
      (r) => r,
      () => undefined,
    );
    assert.throws(() => bad.push(Buffer.from('?what\n')), /cannot parse/);
  });

  test('globs become find tests; options a fixed set of grep flags', () => {
    assert.deepEqual(globTest('*.log'), ['-name', '*.log']);
    assert.deepEqual(globTest('**/node_modules'), ['-name', 'node_modules']);
    assert.deepEqual(globTest('logs/**'), ['-path', './logs/*']);
    assert.deepEqual(globTest('./a/**/b.txt'), ['-path', './a/*/b.txt']);
    assert.deepEqual(globTest('-rf'), ['-name', '-rf']);
    assert.deepEqual(findPredicates(['*.log'], ['cache']), ['(', '-name', 'cache', ')', '-prune', '-o', '-type', 'f', '(', '-name', '*.log', ')']);
    assert.deepEqual(findPredicates(), ['-type', 'f']);
    assert.deepEqual(parseGlobList(' *.log, !*.gz ,logs/**, ! , '), { include: ['*.log', 'logs/**'], exclude: ['*.gz'] });
    assert.equal(grepFlags({ pattern: 'x' }), '-F -i -s');
    assert.equal(grepFlags({ pattern: 'x', regex: true, caseSensitive: true, wholeWord: true }), '-E -w -s');
  });

  test('fuzzy ranking: a piece of the file name first, then letters in order', () => {
    const paths = ['/logs/archive/app-2026-11-30.log', '/logs/log', '/src/app/main.ts', '/apps/readme.md', '/a/p/p.txt'];
    assert.equal(fuzzyFilter('app30', paths)[0].path, '/logs/archive/app-2026-11-30.log');
    assert.equal(fuzzyFilter('main', paths)[0].path, '/src/app/main.ts');
    assert.equal(fuzzyFilter('log', paths)[0].path, '/logs/log');
    assert.equal(fuzzyScore('xyz', '/logs/log'), undefined);
    assert.deepEqual(fuzzyScore('MAIN', '/src/app/main.ts')?.positions, [9, 10, 11, 12]);
    assert.equal(fuzzyFilter('', paths, 2).length, 2);
    const many = Array.from({ length: 5000 }, (_, i) => `/d${i % 50}/f${i}.txt`);
    const top = fuzzyFilter('f4999', many, 3);
    assert.equal(top[0].path, '/d49/f4999.txt');
    assert.equal(formatBytes(1536), '1.5 KiB');
    assert.equal(formatBytes(3 * 2 ** 30), '3.0 GiB');
    assert.equal(formatBytes(12), '12 B');
  });

  test('disk usage sums up GNU du -a as it does busybox du: folders, entry counts, biggest files', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cv-du-'));
    try {
      for (const d of ['a/b', 'a/c', 'line\nbreak', 'empty', 'z']) fs.mkdirSync(path.join(dir, d), { recursive: true });
      fs.writeFileSync(path.join(dir, 'a/b/big'), Buffer.alloc(40_000, 1));
      fs.writeFileSync(path.join(dir, 'a/c/mid'), Buffer.alloc(20_000, 1));
      fs.writeFileSync(path.join(dir, 'a/small'), 'x');
      fs.writeFileSync(path.join(dir, 'line\nbreak/x'), Buffer.alloc(9000, 1));
      for (let i = 0; i < 7; i++) fs.writeFileSync(path.join(dir, 'z', `f${i}`), 'y');
      fs.symlinkSync('/etc', path.join(dir, 'link'));
      const out = execFileSync('du', ['-a', '-k', '-x', '.'], { cwd: dir, encoding: 'utf8' });
      const sum = new DuSummer((rel) => (rel === '.' ? '/' : rel.slice(1)), 2);
      for (const l of out.split('\n')) if (l) sum.line(l);
      sum.end();
      const folders = Object.fromEntries([...sum.folders.values()].map((f) => [f.path, f.files]));
      assert.deepEqual(folders, { '/a/b': 1, '/a/c': 1, '/a': 3, '/line\nbreak': 1, '/z': 7, '/': 3 + 1 + 1 + 7 + 1 });
      const plain = execFileSync('du', ['-k', '-x', '.'], { cwd: dir, encoding: 'utf8' });
      // every folder plain du names has the same size here; an empty folder is an entry, not a folder
      let compared = 0;
      for (const l of plain.split(/\n(?=\d+\t)/)) {
        const kib = Number(l.slice(0, l.indexOf('\t')));
        const rel = l.slice(l.indexOf('\t') + 1).replace(/\n$/, '');
        if (rel === './empty') continue;
        assert.equal(sum.folders.get(rel === '.' ? '/' : rel.slice(1))?.bytes, kib * 1024, rel);
        compared++;
      }
      assert.equal(compared, 6);
      assert.deepEqual(
        sum.biggest.map((f) => f.path),
        ['/a/b/big', '/a/c/mid'],
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
