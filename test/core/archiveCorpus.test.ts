// Restore what real tar programs write, on both data paths, and compare the volume entry by entry
// with GNU tar's own extraction of the same archive (as root, --numeric-owner): type, mode with
// setuid/setgid/sticky, owner, size, mtime to the nanosecond, link target, content hash, hard-link
// groups, for every name (long, Unicode, non-UTF-8). The corpus is made at test time by
// test/corpus/make-archives.sh from GNU tar (every --format, every sparse format, a label, a
// duplicate entry), bsdtar, Python's tarfile and busybox, plain and compressed. An archive neither
// path can restore exactly must be refused before any write, naming the entry, leaving no volume and
// no helper behind; verify says the same.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { restoreVolume } from '../../src/core/operations/restoreVolume';
import { verifyBackup } from '../../src/core/archive/verifyBackup';
import { WorkHelpers } from '../../src/core/helpers/workHelpers';
import { BUSYBOX, cleanup, labels, testContext, testEngine, uniq } from '../support/docker';

const SUITE = 'archive-corpus';
const ROOT = path.resolve(__dirname, '../../..');

/** Every archive the script makes, and whether busybox tar (the fast path) may extract it. */
const CORPUS: Record<string, 'fast' | 'endpoint' | 'refused'> = {
  'gnu-gnu.tar': 'fast',
  'gnu-oldgnu.tar': 'fast',
  'gnu-posix.tar': 'endpoint',
  'gnu-ustar.tar': 'fast',
  'gnu-v7.tar': 'endpoint',
  'gnu-gnu-sparse.tar': 'endpoint',
  'gnu-posix-sparse0.0.tar': 'endpoint',
  'gnu-posix-sparse0.1.tar': 'endpoint',
  'gnu-posix-sparse1.0.tar': 'endpoint',
  'gnu-label.tar': 'endpoint',
  'gnu-duplicate.tar': 'endpoint',
  'gnu-old-gnu.tar': 'fast',
  'gnu-old-posix.tar': 'refused',
  'gnu-gnu.tar.gz': 'fast',
  'gnu-gnu.tar.bz2': 'endpoint',
  'gnu-posix.tar.xz': 'endpoint',
  'gnu-gnu-sparse.tar.zst': 'endpoint',
  'bsdtar-pax.tar': 'endpoint',
  'bsdtar-ustar.tar': 'fast',
  'bsdtar-gnutar.tar': 'fast',
  'bsdtar-pax.tar.gz': 'endpoint',
  'bsdtar-pax.tar.bz2': 'endpoint',
  'bsdtar-pax.tar.xz': 'endpoint',
  'bsdtar-pax.tar.zst': 'endpoint',
  'python-gnu.tar': 'fast',
  'python-pax.tar': 'endpoint',
  'python-ustar.tar': 'fast',
  'python-pax.tar.gz': 'endpoint',
  'python-pax.tar.bz2': 'endpoint',
  'python-gnu.tar.xz': 'endpoint',
  'busybox.tar': 'fast',
  'busybox.tar.gz': 'fast',
  'python-vendor.tar': 'endpoint',
  'gnu-lone-zero.tar': 'fast',
};

/** One line per entry under `root`, keyed by its name's bytes (latin1), hard links named by group. */
function listing(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const inodes = new Map<bigint, string>();
  const walk = (rel: Buffer[]) => {
    const p = Buffer.concat([Buffer.from(root), ...rel.flatMap((r) => [Buffer.from('/'), r])]);
    const st = lstatSync(p, { bigint: true });
    const key = rel.map((r) => r.toString('latin1')).join('/') || '.';
    const type = st.isDirectory()
      ? 'dir'
      : st.isSymbolicLink()
        ? 'symlink'
        : st.isFile()
          ? 'file'
          : st.isFIFO()
            ? 'fifo'
            : st.isCharacterDevice()
              ? 'chr'
              : st.isBlockDevice()
                ? 'blk'
                : 'other';
    let line = `${type} ${(st.mode & 0o7777n).toString(8)} ${st.uid}:${st.gid} mtime=${st.mtimeNs}`;
    if (type === 'file') {
      line += ` size=${st.size} sha256=${createHash('sha256').update(readFileSync(p)).digest('hex').slice(0, 16)}`;
      if (st.nlink > 1n) {
        const first = inodes.get(st.ino) ?? key;
        inodes.set(st.ino, first);
        line += ` hardlink-group=${JSON.stringify(first)}`;
      }
    }
    if (type === 'symlink') line += ` -> ${readlinkSync(p, { encoding: 'buffer' }).toString('latin1')}`;
    if (type === 'chr' || type === 'blk') line += ` rdev=${st.rdev}`;
    out.set(key, line);
    if (type === 'dir') for (const n of readdirSync(p, { encoding: 'buffer' }).sort((a, b) => Buffer.compare(a, b))) walk([...rel, n]);
  };
  walk([]);
  return out;
}

/**
 * The differences. A folder GNU tar left dated at extraction time (a duplicate entry went into it
 * after GNU tar had dated it: GNU tar's own artefact, different at every run) is compared without
 * its time.
 */
function diff(want: Map<string, string>, got: Map<string, string>, extractedAt: bigint): string[] {
  const out: string[] = [];
  const untimed = (line: string | undefined) => line?.replace(/ mtime=-?\d+/, '');
  for (const [k, v] of want) {
    const t = /^dir .* mtime=(-?\d+)/.exec(v);
    if (t && BigInt(t[1]) >= extractedAt && untimed(got.get(k)) === untimed(v)) continue;
    if (got.get(k) !== v) out.push(`${JSON.stringify(k)}: GNU tar ${v} | restored ${got.get(k) ?? '(missing)'}`);
  }
  for (const k of got.keys()) if (!want.has(k)) out.push(`${JSON.stringify(k)}: not in GNU tar's extraction`);
  return out;
}

suite('archive corpus: what real tar programs write restores as GNU tar extracts it, on both paths', function () {
  this.timeout(600_000);
  const docker = testEngine().docker;
  const L = labels(SUITE);
  let dir: string;
  let helpers: WorkHelpers;
  const started = Date.now();

  async function mountpoint(volume: string): Promise<string> {
    return (await docker.getVolume(volume).inspect()).Mountpoint;
  }

  suiteSetup(async () => {
    await cleanup(docker, SUITE);
    dir = mkdtempSync(path.join(os.tmpdir(), 'cv-corpus-'));
    const r = spawnSync('bash', [path.join(ROOT, 'test/corpus/make-archives.sh'), dir], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const made = readFileSync(path.join(dir, 'MANIFEST'), 'utf8').trim().split('\n').sort();
    assert.deepEqual(made, Object.keys(CORPUS).sort(), 'the corpus script made other archives than this test expects');
    helpers = new WorkHelpers(docker, { images: () => Promise.resolve([BUSYBOX]), labels: L });
  });
  suiteTeardown(async () => {
    await helpers?.dispose();
    await cleanup(docker, SUITE);
    const bytes = Object.keys(CORPUS).reduce((n, a) => n + (dir ? (statSync(path.join(dir, a), { throwIfNoEntry: false })?.size ?? 0) : 0), 0);
    rmSync(dir, { recursive: true, force: true });
    console.log(
      `      corpus: ${Object.keys(CORPUS).length} archives, ${(bytes / 1048576).toFixed(1)} MiB, made and checked in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  });

  for (const [name, expected] of Object.entries(CORPUS)) {
    test(`${name}: ${expected === 'refused' ? 'refused before any write, naming the entry (verify agrees)' : `identical to GNU tar's extraction on the fast path (${expected === 'fast' ? 'busybox tar' : 'taken by the endpoint'}) and the archive endpoint`}`, async () => {
      const file = path.join(dir, name);
      if (expected === 'refused') {
        await assert.rejects(verifyBackup(file, { noSidecar: true }), /Unsupported archive: "\.\/x" is dated before 1970 with a fraction of a second/);
        for (const fastPath of [{ localEngine: true, workHelpers: helpers }, undefined]) {
          const volumeName = uniq('cv-corpus');
          await assert.rejects(
            restoreVolume(testContext(docker, SUITE, { helperImage: BUSYBOX, fastPath }), { file, volumeName, volumeLabels: L }),
            /Nothing was restored: Unsupported archive: "\.\/x" is dated before 1970 with a fraction of a second/,
          );
          await assert.rejects(docker.getVolume(volumeName).inspect(), /no such volume/i, 'a refused restore left its volume');
        }
        const left = await docker.listContainers({ all: true, filters: { label: [`dev.container-volumes.test=${SUITE}`] } });
        assert.deepEqual(
          left.filter((c) => !/work/.test(c.Names.join())).map((c) => c.Names),
          [],
          'a refused restore left a helper',
        );
        return;
      }
      const gnuDir = mkdtempSync(path.join(dir, 'gnu-x-'));
      try {
        const extractedAt = BigInt(Date.now() - 1000) * 1_000_000n;
        const x = spawnSync('tar', ['-xpf', file, '--numeric-owner', '-C', gnuDir], { encoding: 'utf8' });
        assert.equal(x.status, 0, x.stderr);
        const want = listing(gnuDir);
        assert.ok(want.size >= (name.includes('-old-') || name.includes('vendor') ? 2 : 10), `GNU tar extracted only ${want.size} entries`);
        for (const fast of [true, false]) {
          const volumeName = uniq(fast ? 'cv-corpus-fast' : 'cv-corpus-put');
          const r = await restoreVolume(
            testContext(docker, SUITE, { helperImage: BUSYBOX, fastPath: fast ? { localEngine: true, workHelpers: helpers } : undefined }),
            {
              file,
              volumeName,
              volumeLabels: L,
            },
          );
          try {
            assert.equal(
              r.method,
              fast && expected === 'fast' ? 'helper-tar' : 'archive-endpoint',
              `${fast ? 'fast' : 'endpoint'} run: ${r.fastPathSkipped ?? ''}`,
            );
            const problems = diff(want, listing(await mountpoint(volumeName)), extractedAt);
            assert.deepEqual(problems, [], `${r.method} differs from GNU tar's extraction`);
          } finally {
            await docker
              .getVolume(volumeName)
              .remove()
              .catch(() => undefined);
          }
        }
      } finally {
        rmSync(gnuDir, { recursive: true, force: true });
      }
    });
  }

  test('the corpus has every tool and every format in it (not an empty loop)', () => {
    const names = Object.keys(CORPUS);
    for (const tool of ['gnu-', 'bsdtar-', 'python-', 'busybox']) {
      assert.ok(
        names.some((n) => n.startsWith(tool)),
        tool,
      );
    }
    for (const z of ['.gz', '.bz2', '.xz', '.zst']) {
      assert.ok(
        names.some((n) => n.endsWith(z)),
        z,
      );
    }
  });
});
