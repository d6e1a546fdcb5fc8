// Go to File, Find in Volume and Show Disk Usage on the real engine (busybox helper): names a shell
// or grep would misread, symbolic links that point out of the volume, binary files, caps, globs,
// read-only mounts, a volume of a stopped container, and cancel stopping the processes in the helper.
import * as assert from 'node:assert/strict';
import { volumeDiskUsage } from '../../src/core/files/diskUsage';
import { FileIndex, fuzzyFilter } from '../../src/core/files/fileIndex';
import { VolumeFiles } from '../../src/core/files/volumeFiles';
import { listVolumeFiles, searchVolumeText, type FileMatches, type TextQuery } from '../../src/core/files/volumeSearch';
import { BUSYBOX, cleanup, createVolume, labels, runContainer, sh, testEngine, uniq } from '../support/docker';
import { runCli } from '../support/cli';

const SUITE = 'find';
const NL = '/odd\nname.txt';

const cli = (...args: string[]) => runCli(args);

async function search(vf: VolumeFiles, q: TextQuery, opts: { root?: string; maxResults?: number; maxPerFile?: number } = {}) {
  const files: FileMatches[] = [];
  const summary = await searchVolumeText(vf, q, { ...opts, onFile: (f) => files.push(f) });
  files.sort((a, b) => (a.path < b.path ? -1 : 1));
  return { files, summary, byPath: new Map(files.map((f) => [f.path, f])) };
}

/** Processes running in the helper other than its idle loop (pid 1 and its sleep). */
async function jobsIn(vf: VolumeFiles): Promise<string[]> {
  const c = testEngine().docker.getContainer(vf.helperId);
  const ex = await c.exec({
    Cmd: ['sh', '-c', 'for p in /proc/[0-9]*; do [ "${p#/proc/}" = 1 ] || [ "${p#/proc/}" = $$ ] || echo "$(cat $p/comm 2>/dev/null)"; done'],
    AttachStdout: true,
    AttachStderr: true,
  });
  const s = await ex.start({ hijack: true, stdin: false });
  const out = await new Promise<string>((resolve) => {
    const chunks: Buffer[] = [];
    s.on('data', (b: Buffer) => chunks.push(b));
    s.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')));
  });
  return out
    .replace(/[\x00-\x08]/g, '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && l !== 'sleep' && l !== 'cat');
}

suite('Find in volumes (real engine)', function () {
  this.timeout(180_000);
  const engine = testEngine();
  const docker = engine.docker;
  let vol: string;
  let vf: VolumeFiles;

  suiteSetup(async () => {
    await cleanup(docker, SUITE);
    vol = await createVolume(docker, SUITE, uniq('cv-find'));
    await sh(
      docker,
      SUITE,
      [
        'cd /v && mkdir -p logs "my docs" "ünïcødé" deep/a/b',
        'printf "start\\nok\\nERROR disk full\\nok\\nerror again\\n" > logs/app.log',
        'printf "a needle here\\n" > "my docs/note one.txt"',
        'printf "needle\\n" > "$(printf "odd\\nname.txt")"',
        'printf "x\\nneedle in 日本\\n" > "ünïcødé/日本.txt"',
        'printf "needle\\n-v is an option\\n" > ./-rf && printf "needle\\n" > ./--help.txt',
        'printf "needle\\0\\001\\002binary" > bin.dat',
        'ln -s /etc etc-link && ln -s /etc/passwd passwd-link',
        'i=0; while [ $i -lt 250 ]; do echo "many needles $i" >> deep/a/b/many.txt; i=$((i+1)); done',
        'head -c 300000 /dev/zero > deep/a/zeros.bin',
        'printf "needles and needlework\\n" > words.txt',
      ].join(' && '),
      [`${vol}:/v`],
    );
    // The volume belongs to a stopped container: searching it needs no running container of the user's.
    await runContainer(docker, SUITE, { start: false, binds: [`${vol}:/data`] });
    vf = await VolumeFiles.open(engine, { volume: vol, helperImages: [BUSYBOX], labels: labels(SUITE) });
  });

  suiteTeardown(async () => {
    await vf?.close();
    await cleanup(docker, SUITE);
  });

  test('Go to File lists every regular file, whatever its name, and nothing behind a link', async () => {
    const batches: string[][] = [];
    const n = await listVolumeFiles(vf, { onBatch: (b) => batches.push(b) });
    const paths = batches.flat().sort();
    assert.equal(n, paths.length);
    assert.deepEqual(
      paths,
      [
        '/--help.txt',
        '/-rf',
        '/bin.dat',
        '/deep/a/b/many.txt',
        '/deep/a/zeros.bin',
        '/logs/app.log',
        '/my docs/note one.txt',
        NL,
        '/words.txt',
        '/ünïcødé/日本.txt',
      ].sort(),
    );
    // Under a folder
    const sub: string[] = [];
    await listVolumeFiles(vf, { root: '/deep', onBatch: (b) => sub.push(...b) });
    assert.deepEqual(sub.sort(), ['/deep/a/b/many.txt', '/deep/a/zeros.bin']);
    // Fuzzy, like Quick Open: letters in order, the file name first
    assert.equal(fuzzyFilter('apl', paths)[0].path, '/logs/app.log');
    assert.equal(fuzzyFilter('note', paths)[0].path, '/my docs/note one.txt');
    assert.equal(fuzzyFilter('日本', paths)[0].path, '/ünïcødé/日本.txt');
    assert.equal(fuzzyFilter('zzz', paths).length, 0);
  });

  test('the file index streams a first load, keeps its list, and reloads when marked stale', async () => {
    let loads = 0;
    const idx = new FileIndex(async (onBatch, signal) => {
      loads++;
      await listVolumeFiles(vf, { onBatch, signal });
    });
    const seen: number[] = [];
    const off = idx.subscribe((s) => seen.push(s.paths.length));
    await idx.ensureFresh();
    assert.equal(idx.state.paths.length, 10);
    assert.ok(idx.state.complete);
    await idx.ensureFresh();
    assert.equal(loads, 1, 'a fresh list is not reloaded');
    await sh(docker, SUITE, 'echo new > /v/new-file.txt', [`${vol}:/v`]);
    idx.markStale();
    const reload = idx.ensureFresh();
    assert.equal(idx.state.paths.length, 10, 'the old list stays while reloading');
    await reload;
    assert.equal(loads, 2);
    assert.ok(idx.state.paths.includes('/new-file.txt'));
    off();
    idx.dispose();
    await sh(docker, SUITE, 'rm /v/new-file.txt', [`${vol}:/v`]);
  });

  test('Find: literal text in names with spaces, newlines, Unicode and leading dashes; binaries and links left out', async () => {
    const r = await search(vf, { pattern: 'needle', caseSensitive: true });
    assert.deepEqual(
      r.files.map((f) => f.path),
      ['/--help.txt', '/-rf', '/deep/a/b/many.txt', '/my docs/note one.txt', NL, '/words.txt', '/ünïcødé/日本.txt'].sort(),
    );
    assert.deepEqual(r.byPath.get('/ünïcødé/日本.txt')?.lines, [{ line: 2, text: 'needle in 日本' }]);
    assert.deepEqual(r.byPath.get(NL)?.lines, [{ line: 1, text: 'needle' }]);
    assert.deepEqual(r.summary.binarySkipped, ['/bin.dat']);
    // A pattern that looks like an option is searched for, not obeyed (`-v` would invert the match).
    const dash = await search(vf, { pattern: '-v', caseSensitive: true });
    assert.deepEqual(
      dash.files.map((f) => [f.path, f.lines]),
      [['/-rf', [{ line: 2, text: '-v is an option' }]]],
    );
    // Nothing outside the volume: /etc/passwd of the helper is behind two links
    const outside = await search(vf, { pattern: 'root:x:0' });
    assert.equal(outside.files.length, 0);
  });

  test('Find: case, whole word, regular expressions, globs, caps and "N more"', async () => {
    const ci = await search(vf, { pattern: 'error', include: ['*.log'] });
    assert.deepEqual(
      ci.byPath.get('/logs/app.log')?.lines.map((l) => l.line),
      [3, 5],
    );
    const cs = await search(vf, { pattern: 'error', caseSensitive: true, include: ['*.log'] });
    assert.deepEqual(
      cs.byPath.get('/logs/app.log')?.lines.map((l) => l.line),
      [5],
    );
    const word = await search(vf, { pattern: 'needle', wholeWord: true, caseSensitive: true, include: ['words.txt', 'many.txt'] });
    assert.equal(word.files.length, 0, 'needles and needlework are not the word needle');
    const re = await search(vf, { pattern: '^ERROR .* full$', regex: true, caseSensitive: true });
    assert.deepEqual(
      re.files.map((f) => [f.path, f.lines.map((l) => l.line)]),
      [['/logs/app.log', [3]]],
    );
    const inc = await search(vf, { pattern: 'needle', include: ['deep/**'] });
    assert.deepEqual(
      inc.files.map((f) => f.path),
      ['/deep/a/b/many.txt'],
    );
    const exc = await search(vf, { pattern: 'needle', exclude: ['deep', 'my docs', '*.txt'] });
    assert.deepEqual(
      exc.files.map((f) => f.path),
      ['/-rf'],
    );
    const under = await search(vf, { pattern: 'needle' }, { root: '/deep' });
    assert.deepEqual(
      under.files.map((f) => f.path),
      ['/deep/a/b/many.txt'],
    );
    // Caps: 250 matching lines, 100 kept per file; 30 kept in all; past that files only counted
    const many = (await search(vf, { pattern: 'many needles' })).byPath.get('/deep/a/b/many.txt');
    assert.equal(many?.total, 250);
    assert.equal(many?.lines.length, 100);
    const capped = await search(vf, { pattern: 'needle', caseSensitive: true }, { maxResults: 30, maxPerFile: 1000 });
    assert.equal(capped.summary.matches, 250 + 6);
    const kept = capped.files.reduce((n, f) => n + f.lines.length, 0);
    assert.equal(kept, 30);
    assert.equal(capped.summary.notShown, capped.summary.matches - 30);
    await assert.rejects(search(vf, { pattern: '(unbalanced', regex: true }), /unbalanced/);
    await assert.rejects(search(vf, { pattern: '' }), /empty/);
  });

  test('Find works on a read-only mount', async () => {
    const ro = await VolumeFiles.open(engine, { volume: vol, readOnly: true, helperImages: [BUSYBOX], labels: labels(SUITE) });
    try {
      const r = await search(ro, { pattern: 'disk full' });
      assert.deepEqual(
        r.files.map((f) => f.path),
        ['/logs/app.log'],
      );
      const du = await volumeDiskUsage(ro);
      assert.ok((du.folders.get('/')?.bytes ?? 0) > 300_000);
    } finally {
      await ro.close();
    }
  });

  test('disk usage: folders by size with entry counts, the biggest files, nothing behind a link', async () => {
    const du = await volumeDiskUsage(vf, { topFiles: 3 });
    const shell = await sh(docker, SUITE, 'cd /v && for d in . deep deep/a "my docs"; do du -k -s "$d"; done', [`${vol}:/v`]);
    const kib = shell
      .trim()
      .split('\n')
      .map((l) => Number(l.split('\t')[0]) * 1024);
    assert.deepEqual(
      ['/', '/deep', '/deep/a', '/my docs'].map((p) => du.folders.get(p)?.bytes),
      kib,
    );
    assert.equal(du.folders.get('/deep')?.files, 2);
    assert.equal(du.folders.get('/')?.files, 12, 'ten files and two links');
    assert.deepEqual(du.children.get('/')?.map((f) => f.path)[0], '/deep');
    assert.equal(du.biggestFiles[0].path, '/deep/a/zeros.bin');
    assert.equal(du.biggestFiles.length, 3);
    assert.ok(![...du.folders.keys()].some((p) => p.startsWith('/etc-link')));
    const sub = await volumeDiskUsage(vf, { root: '/deep/a' });
    assert.deepEqual([...sub.folders.keys()].sort(), ['/deep/a', '/deep/a/b']);
    await assert.rejects(volumeDiskUsage(vf, { root: '/nope' }), /no such folder/);
  });

  test('disk usage: an empty volume, empty folders (entries, never biggest files), folder names with newlines', async () => {
    const v2 = await createVolume(docker, SUITE, uniq('cv-find-du'));
    const empty = await VolumeFiles.open(engine, { volume: v2, helperImages: [BUSYBOX], labels: labels(SUITE) });
    try {
      const none = await volumeDiskUsage(empty);
      assert.deepEqual([...none.folders.keys()], ['/'], 'an empty volume is one folder');
      assert.equal(none.folders.get('/')?.files, 0);
      assert.deepEqual(none.biggestFiles, []);
      await sh(
        docker,
        SUITE,
        [
          'cd /v && t="$(printf "two\\nlines")" && mkdir -p "$t/in" e1 e2/e3 w',
          'head -c 9000 /dev/zero > "$t/in/f" && head -c 5000 /dev/zero > "$t/g"',
          'i=0; while [ $i -lt 30 ]; do echo $i > w/$i; i=$((i+1)); done',
        ].join(' && '),
        [`${v2}:/v`],
      );
      const du = await volumeDiskUsage(empty, { topFiles: 2 });
      // du -a lists an empty folder like a file (4 KiB here, like each small file): never among the biggest files
      const listed = await volumeDiskUsage(empty, { topFiles: 100 });
      assert.equal(listed.biggestFiles.length, 32, JSON.stringify(listed.biggestFiles.map((f) => f.path)));
      assert.ok(!listed.biggestFiles.some((f) => ['/e1', '/e2/e3'].includes(f.path)));
      assert.deepEqual([...du.folders.keys()].sort(), ['/', '/e2', '/two\nlines', '/two\nlines/in', '/w']);
      assert.equal(du.folders.get('/two\nlines/in')?.files, 1);
      assert.equal(du.folders.get('/two\nlines')?.files, 2);
      assert.equal(du.folders.get('/e2')?.files, 1, 'an empty folder is an entry');
      assert.equal(du.folders.get('/w')?.files, 30);
      assert.equal(du.folders.get('/')?.files, 1 + 1 + 2 + 30, 'e1, e3, the two files, the thirty');
      assert.deepEqual(
        du.biggestFiles.map((f) => f.path),
        ['/two\nlines/in/f', '/two\nlines/g'],
      );
      const shell = await sh(docker, SUITE, 'cd /v && du -k -s . && du -k -s w', [`${v2}:/v`]);
      const [all, w] = shell
        .trim()
        .split('\n')
        .map((l) => Number(l.split('\t')[0]) * 1024);
      assert.equal(du.folders.get('/')?.bytes, all);
      assert.equal(du.folders.get('/w')?.bytes, w);
      const sub = await volumeDiskUsage(empty, { root: '/e1' });
      assert.deepEqual([...sub.folders.values()], [{ path: '/e1', bytes: sub.folders.get('/e1')?.bytes, files: 0 }]);
    } finally {
      await empty.close();
    }
  });

  test('CLI: find --name, find --text, du (text and JSON)', async () => {
    const byName = await cli('find', vol, '*.log', '--name', '--helper-image', BUSYBOX);
    assert.equal(byName.code, 0, byName.stderr);
    assert.equal(byName.stdout, '/logs/app.log\n');
    const sub = JSON.parse((await cli('find', vol, 'NAME', '--name', '--json', '--helper-image', BUSYBOX)).stdout) as string[];
    assert.deepEqual(sub, [NL]);
    const text = await cli('find', vol, 'disk full', '--helper-image', BUSYBOX);
    assert.equal(text.stdout, '/logs/app.log:3:ERROR disk full\n');
    const j = JSON.parse((await cli('find', vol, '--text', '--json', '--case-sensitive', '--helper-image', BUSYBOX, '--', '-v')).stdout) as {
      files: FileMatches[];
      matches: number;
    };
    assert.deepEqual(j.files, [{ path: '/-rf', total: 1, lines: [{ line: 2, text: '-v is an option' }] }]);
    const du = JSON.parse((await cli('du', vol, '--depth', '2', '--json', '--helper-image', BUSYBOX)).stdout) as {
      folders: { path: string; bytes: number; entries: number }[];
      biggestFiles: { path: string }[];
    };
    assert.deepEqual(du.folders.map((f) => f.path).slice(0, 3), ['/', '/deep', '/deep/a']);
    assert.equal(du.biggestFiles[0].path, '/deep/a/zeros.bin');
    const duText = await cli('du', vol, '--helper-image', BUSYBOX);
    assert.match(duText.stdout, /KiB +2 entries +\/deep\n/);
    const bad = await cli('du', vol, '--depth', 'x');
    assert.equal(bad.code, 2);
    const missing = await cli('find', 'no-such-volume-cv', 'x', '--helper-image', BUSYBOX);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /does not exist/);
  });

  test('cancel stops the search in the helper', async () => {
    await sh(docker, SUITE, 'mkdir -p /v/slow && cd /v/slow && i=0; while [ $i -lt 3000 ]; do echo "slow needle" > f$i; i=$((i+1)); done', [`${vol}:/v`]);
    try {
      const ac = new AbortController();
      let got = 0;
      const started = Date.now();
      const p = searchVolumeText(
        vf,
        { pattern: 'slow needle' },
        {
          maxResults: 100_000,
          signal: ac.signal,
          onFile: () => {
            if (++got === 5) ac.abort();
          },
        },
      );
      await assert.rejects(p);
      assert.ok(got < 3000, `stopped early (${got} files)`);
      assert.deepEqual(await jobsIn(vf), [], 'no search process left in the helper');
      assert.ok(Date.now() - started < 20_000);
      // The helper still works afterwards
      const again = await search(vf, { pattern: 'disk full' });
      assert.equal(again.files.length, 1);
    } finally {
      await sh(docker, SUITE, 'rm -rf /v/slow', [`${vol}:/v`]);
    }
  });
});
