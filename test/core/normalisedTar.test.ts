// Our reader and its normalised rewrite, without the engine: for every archive of the corpus
// (test/corpus/make-archives.sh: GNU tar, bsdtar, Python, busybox; sparse, labels, pax times,
// vendor types ...), GNU tar extracting the normalised stream gives exactly what GNU tar extracting
// the original gives; and the reader's own edge cases.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { sniffFormat, decompressor } from '../../src/core/archive/archiveFormat';
import { normalisedTar, paxTime } from '../../src/core/archive/normalisedTar';
import { parsePaxTime, TarReader, type TarEntry } from '../../src/core/archive/tarReader';

const ROOT = path.resolve(__dirname, '../../..');

function gnuListing(dir: string, file: string): string {
  const out = mkdtempSync(path.join(dir, 'x-'));
  const start = Date.now() / 1000 - 1;
  try {
    const x = spawnSync('tar', ['-xpf', file, '--numeric-owner', '-C', out], { encoding: 'utf8' });
    assert.equal(x.status, 0, `${file}: ${x.stderr}`);
    // find prints what the comparison needs, names as bytes (-print0-like via %p and octal escapes)
    const l = spawnSync('find', ['.', '-printf', '%y %m %U:%G %s %T@ %l %i %n %p\\0'], { cwd: out, encoding: 'latin1' });
    assert.equal(l.status, 0);
    // inode numbers differ between two extractions: name hard links by their group's first path
    const lines = l.stdout
      .split('\0')
      .filter(Boolean)
      .sort((a, b) => a.split(' ').slice(8).join(' ').localeCompare(b.split(' ').slice(8).join(' ')));
    const groups = new Map<string, string>();
    const sums = spawnSync('sh', ['-c', 'find . -type f -print0 | sort -z | xargs -0 -r sha256sum'], { cwd: out, encoding: 'latin1' }).stdout;
    return (
      lines
        .map((line) => {
          const f = line.split(' ');
          const [type, , , size, , , ino, nlink] = f;
          const name = f.slice(8).join(' ');
          const first = groups.get(ino) ?? name;
          groups.set(ino, first);
          // GNU tar leaves a folder dated at extraction time when a duplicate goes into it after it was closed
          const mtime = type === 'd' && Number(f[4]) >= start ? 'extraction-time' : f[4];
          return [...f.slice(0, 3), type === 'd' ? '-' : size, mtime, f[5], Number(nlink) > 1 && type !== 'd' ? `group:${first}` : '', name].join(' ');
        })
        .join('\n') +
      '\n' +
      sums
    );
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

async function normalise(file: string, to: string): Promise<TarEntry[]> {
  const entries: TarEntry[] = [];
  const unz = decompressor(await sniffFormat(file));
  const src = createReadStream(file);
  const raw = (unz ? src.pipe(unz) : src) as AsyncIterable<Buffer>;
  const chunks: Buffer[] = [];
  for await (const c of Readable.from(normalisedTar(raw, (e) => entries.push(e)))) chunks.push(Buffer.from(c as Buffer));
  writeFileSync(to, Buffer.concat(chunks));
  return entries;
}

suite('normalised tar: our rewrite extracts exactly as the original does', function () {
  this.timeout(120_000);
  let dir: string;
  let names: string[] = [];

  suiteSetup(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cv-normalise-'));
    const r = spawnSync('bash', [path.join(ROOT, 'test/corpus/make-archives.sh'), dir], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    names = readFileSync(path.join(dir, 'MANIFEST'), 'utf8').trim().split('\n');
  });
  suiteTeardown(() => rmSync(dir, { recursive: true, force: true }));

  test('every archive of the corpus: GNU tar extracts the normalised stream exactly as the original', async () => {
    assert.ok(names.length >= 30, `only ${names.length} archives`);
    const sparseSeen = new Set<string>();
    for (const name of names) {
      const file = path.join(dir, name);
      const norm = path.join(dir, `${name}.normalised.tar`);
      const entries = await normalise(file, norm);
      for (const e of entries) if (e.sparse) sparseSeen.add(name);
      assert.equal(gnuListing(dir, norm), gnuListing(dir, file), name);
      // nothing but plain ustar entries and pax headers reach the extractor
      const t = spawnSync('tar', ['-tvf', norm], { encoding: 'utf8' });
      assert.equal(t.status, 0, t.stderr);
      assert.doesNotMatch(t.stdout + t.stderr, /GNUSparseFile|unknown file type|Volume Header/i, name);
      rmSync(norm);
    }
    // the sparse formats are read as sparse (a map), not as a file of map data
    for (const n of ['gnu-gnu-sparse.tar', 'gnu-posix-sparse0.0.tar', 'gnu-posix-sparse0.1.tar', 'gnu-posix-sparse1.0.tar']) assert.ok(sparseSeen.has(n), n);
  });

  test('pax times: fractions, before 1970 and after 2038, both ways', () => {
    assert.deepEqual(parsePaxTime('1700000000.123456789'), { sec: 1700000000, nsec: 123456789 });
    assert.deepEqual(parsePaxTime('-618062399.75'), { sec: -618062400, nsec: 250000000 });
    assert.deepEqual(parsePaxTime('-5'), { sec: -5, nsec: 0 });
    assert.deepEqual(parsePaxTime('4102444800.5'), { sec: 4102444800, nsec: 500000000 });
    assert.equal(parsePaxTime('12x'), undefined);
    assert.equal(paxTime({ sec: -618062400, nsec: 250000000 }), '-618062399.750000000');
    assert.equal(paxTime({ sec: 4102444800, nsec: 5 }), '4102444800.000000005');
  });

  test('a multi-volume continuation is refused, naming the entry', () => {
    const h = Buffer.alloc(512);
    h.write('part-2.bin', 0);
    h.write('0000644\0', 100);
    h.write('0000000\0', 108);
    h.write('0000000\0', 116);
    h.write('00000000000\0', 124);
    h.write('00000000000\0', 136);
    h.write('M', 156);
    h.write('ustar  \0', 257, 'latin1');
    h.fill(0x20, 148, 156);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
    assert.throws(() => new TarReader().push(Buffer.concat([h, Buffer.alloc(1024)])), {
      name: 'UnsupportedEntryError',
      message: /"part-2\.bin" continues a file from the previous volume/,
    });
  });
});
