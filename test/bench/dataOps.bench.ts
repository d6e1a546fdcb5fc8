// Backup, restore and clone of a generated volume (default ~1 GiB: BENCH_DATA_MB; 20,000 files of
// 4 KiB plus four large files), side by side with the seed's own commands run in a busybox helper
// and with host `tar` of the mountpoint; and our process's peak RSS during a backup, at two volume
// sizes (flat memory). Median of BENCH_RUNS (default 3) whole operations, warm page cache.
// Resources carry the test label `bench-data`.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { backupVolume } from '../../src/core/backupVolume';
import { cloneVolume } from '../../src/core/cloneVolume';
import { restoreVolume } from '../../src/core/restoreVolume';
import { BUSYBOX, cleanup, createVolume, labels, testEngine, uniq } from '../support/docker';

const SUITE = 'bench-data';

function docker(...args: string[]): void {
  const r = spawnSync('docker', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`docker ${args.join(' ')}: ${r.stderr}`);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function timed(runs: number, before: (() => Promise<void> | void) | undefined, fn: () => unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    await before?.();
    const t = performance.now();
    await fn();
    times.push((performance.now() - t) / 1000);
  }
  return median(times);
}

/** Fills a volume through its mountpoint (the engine is local): fast, and no tool needed in an image. */
function fill(mountpoint: string, totalMb: number, smallFiles: number): void {
  const small = path.join(mountpoint, 'small');
  mkdirSync(small, { recursive: true });
  const block = randomBytes(4096);
  for (let i = 0; i < smallFiles; i++) {
    if (i % 1000 === 0) mkdirSync(path.join(small, String(i / 1000)), { recursive: true });
    block.writeUInt32LE(i, 0);
    writeFileSync(path.join(small, String(Math.floor(i / 1000)), `f${i}`), block);
  }
  const largeMb = Math.max(1, Math.floor((totalMb - (smallFiles * 4) / 1024) / 4));
  const chunk = randomBytes(1 << 20);
  for (let f = 0; f < 4; f++) {
    const fd = openSync(path.join(mountpoint, `large${f}.bin`), 'w');
    for (let m = 0; m < largeMb; m++) {
      chunk.writeUInt32LE(m + f * 1_000_000, 0);
      writeSync(fd, chunk);
    }
    closeSync(fd);
  }
}

async function peakRss(fn: () => Promise<unknown>): Promise<{ peak: number; base: number }> {
  global.gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
  try {
    await fn();
  } finally {
    clearInterval(timer);
  }
  return { peak: Math.max(peak, process.memoryUsage().rss), base };
}

export default async function (): Promise<void> {
  const totalMb = Number(process.env.BENCH_DATA_MB ?? 1024);
  const runs = Number(process.env.BENCH_RUNS ?? 3);
  const smallFiles = Number(process.env.BENCH_SMALL_FILES ?? 20_000);
  const engine = testEngine();
  const d = engine.docker;
  const L = labels(SUITE);
  await cleanup(d, SUITE);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cv-bench-'));
  try {
    const src = await createVolume(d, SUITE, uniq('cvb-src'));
    const mp = (await d.getVolume(src).inspect()).Mountpoint;
    const t = performance.now();
    fill(mp, totalMb, smallFiles);
    const du = spawnSync('du', ['-sm', mp], { encoding: 'utf8' }).stdout.split('\t')[0];
    console.log(`volume: ${du} MiB (${smallFiles} files of 4 KiB + 4 large files), filled in ${((performance.now() - t) / 1000).toFixed(1)} s; ${runs} run(s) each, median`);

    const ours = path.join(dir, 'ours.tar');
    const rm = (...f: string[]) => () => { for (const x of f) rmSync(x, { force: true }); };
    const rows: [string, number, string][] = [];

    const seedB = await timed(runs, rm(path.join(dir, 'seed.tar')), () => docker('run', '--rm', '--label', `dev.container-volumes.test=${SUITE}`, '-v', `${src}:/logs`, '-v', `${dir}:/backup`, BUSYBOX, 'tar', 'cf', '/backup/seed.tar', '/logs'));
    const hostB = await timed(runs, rm(path.join(dir, 'host.tar')), () => { if (spawnSync('tar', ['cf', path.join(dir, 'host.tar'), '-C', mp, '.']).status !== 0) throw new Error('host tar failed'); });
    const ourB = await timed(runs, rm(ours, `${ours}.json`), () => backupVolume(d, { source: { volumeName: src }, file: ours, helperLabels: L }));
    const fast = path.join(dir, 'fast.tar');
    const ourFast = await timed(runs, rm(fast, `${fast}.json`), () => backupVolume(d, { source: { volumeName: src }, file: fast, helperLabels: L, fastPath: { helperImage: BUSYBOX, localEngine: true } }));
    const ourBgz = process.env.BENCH_GZIP === '1'
      ? await timed(1, rm(`${ours}.gz`, `${ours}.gz.json`), () => backupVolume(d, { source: { volumeName: src }, file: `${ours}.gz`, helperLabels: L }))
      : undefined;
    rows.push(['backup: seed `docker run ... busybox tar cf`', seedB, '1.00']);
    rows.push(['backup: host `tar cf` of the mountpoint', hostB, (hostB / seedB).toFixed(2)]);
    rows.push(['backup: ours (GET /archive, verified, sidecar)', ourB, (ourB / seedB).toFixed(2)]);
    rows.push(['backup: ours, fast path (tar in a helper, then verified here)', ourFast, (ourFast / seedB).toFixed(2)]);
    if (ourBgz !== undefined) rows.push(['backup: ours to .tar.gz (1 run)', ourBgz, (ourBgz / seedB).toFixed(2)]);

    const seedR = await timed(runs, async () => {
      await d.getVolume('cvb-seed-restore').remove().catch(() => undefined);
      await createVolume(d, SUITE, 'cvb-seed-restore');
    }, () => docker('run', '--rm', '--label', `dev.container-volumes.test=${SUITE}`, '-v', 'cvb-seed-restore:/logs', '-v', `${dir}:/backup`, BUSYBOX, 'tar', 'xf', '/backup/seed.tar'));
    const ourR = await timed(runs, () => d.getVolume('cvb-our-restore').remove().catch(() => undefined),
      () => restoreVolume(d, { file: ours, volumeName: 'cvb-our-restore', volumeLabels: L, helperLabels: L }));
    rows.push(['restore: seed `tar xf` in a helper', seedR, '1.00']);
    rows.push(['restore: ours (check whole archive, then PUT /archive)', ourR, (ourR / seedR).toFixed(2)]);

    const cpA = await timed(runs, async () => {
      await d.getVolume('cvb-cp').remove().catch(() => undefined);
      await createVolume(d, SUITE, 'cvb-cp');
    }, () => docker('run', '--rm', '--label', `dev.container-volumes.test=${SUITE}`, '-v', `${src}:/from:ro`, '-v', 'cvb-cp:/to', BUSYBOX, 'cp', '-a', '/from/.', '/to/'));
    const ourC = await timed(runs, () => d.getVolume('cvb-clone').remove().catch(() => undefined),
      () => cloneVolume(d, { source: src, target: 'cvb-clone', volumeLabels: L, helperLabels: L }));
    rows.push(['clone: busybox `cp -a` in a helper', cpA, '1.00']);
    rows.push(['clone: ours (GET -> PUT, no temp file)', ourC, (ourC / cpA).toFixed(2)]);

    console.log('\n| operation | seconds | ratio |\n|---|---|---|');
    for (const [n, s, r] of rows) console.log(`| ${n} | ${s.toFixed(2)} | ${r} |`);

    // Memory: peak RSS of this process during one backup, at the full size and at a quarter of it.
    const quarter = await createVolume(d, SUITE, uniq('cvb-quarter'));
    fill((await d.getVolume(quarter).inspect()).Mountpoint, Math.round(totalMb / 4), Math.round(smallFiles / 4));
    rmSync(ours, { force: true });
    rmSync(`${ours}.json`, { force: true });
    const big = await peakRss(() => backupVolume(d, { source: { volumeName: src }, file: ours, helperLabels: L }));
    const small = await peakRss(() => backupVolume(d, { source: { volumeName: quarter }, file: path.join(dir, 'q.tar'), helperLabels: L }));
    const mb = (n: number) => (n / 2 ** 20).toFixed(0);
    console.log(`\npeak RSS during a backup: ${mb(big.peak)} MB for ~${totalMb} MiB (process at ${mb(big.base)} MB before), ${mb(small.peak)} MB for ~${Math.round(totalMb / 4)} MiB`);
  } finally {
    await cleanup(d, SUITE);
    for (const v of ['cvb-seed-restore', 'cvb-our-restore', 'cvb-cp', 'cvb-clone']) await d.getVolume(v).remove().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}
