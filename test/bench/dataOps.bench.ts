// Backup, restore and clone of a generated volume (default ~1 GiB: BENCH_DATA_MB; 20,000 files of
// 4 KiB plus four large files), each of our ways raced against the seed's own command (run in a
// busybox helper) in a race of its own, two contestants interleaved A B, B A ...; and our process's
// peak RSS during a backup, at two volume sizes (flat memory). BENCH_RUNS (default 4) runs each;
// median, range, and the range of the per-run ratios; warm page cache; each run is bracketed by
// `sync` inside its timing (the disk's write-back would otherwise make whoever runs next pay for
// whoever ran before).
// Resources carry the test label `bench-data`.
import { ok as assert } from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { backupVolume } from '../../src/core/backupVolume';
import { cloneVolume } from '../../src/core/cloneVolume';
import { restoreVolume } from '../../src/core/restoreVolume';
import { WorkHelpers } from '../../src/core/workHelpers';
import Dockerode from 'dockerode';
import { BUSYBOX, cleanup, createVolume, labels, testEngine, uniq } from '../support/docker';

const SUITE = 'bench-data';

interface Contestant {
  readonly name: string;
  readonly before?: () => Promise<void> | void;
  readonly run: () => unknown;
}

interface Timed {
  readonly name: string;
  /** Seconds, one per run, in run order. */
  readonly times: readonly number[];
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/**
 * Runs each contestant `runs` times, interleaved A B, B A, A B ... so that whoever runs first after
 * the disk catches its breath alternates, and each follows the other as often as itself; every run
 * starts and ends with `sync`, inside the timing, so no contestant leaves dirty pages for the next
 * one to pay for. Meant for two contestants: with more, some would follow the slow ones more often.
 */
async function race(runs: number, contestants: readonly Contestant[]): Promise<Timed[]> {
  const times: number[][] = contestants.map(() => []);
  for (let i = 0; i < runs; i++) {
    const order = [...contestants.entries()];
    if (i % 2 === 1) order.reverse();
    for (const [k, c] of order) {
      await c.before?.();
      spawnSync('sync');
      const t = performance.now();
      await c.run();
      spawnSync('sync');
      times[k].push((performance.now() - t) / 1000);
    }
  }
  return contestants.map((c, k) => ({ name: c.name, times: times[k] }));
}

/**
 * Races `ours` against `base` in pairs, one pair per way of ours, each pair in its own race: table
 * rows with the median, the range, and the ratio of medians with the range of the per-run ratios
 * (the two ran back to back in each run, so that range is the honest spread of the comparison).
 */
async function pairs(runs: number, base: Contestant, ours: readonly Contestant[], rows: Row[]): Promise<void> {
  for (const o of ours) {
    const [b, x] = await race(runs, [base, o]);
    const ratios = x.times.map((t, i) => t / b.times[i]);
    rows.push({ name: b.name, times: b.times });
    rows.push({ name: x.name, times: x.times, ratio: median(x.times) / median(b.times), ratios: [Math.min(...ratios), Math.max(...ratios)] });
  }
}

interface Row extends Timed {
  readonly ratio?: number;
  readonly ratios?: readonly [number, number];
}

function printRows(rows: readonly Row[]): void {
  console.log('\n| operation | median s | range s | × the row above (per-run range) |\n|---|---|---|---|');
  for (const r of rows) {
    const range = `${Math.min(...r.times).toFixed(2)}–${Math.max(...r.times).toFixed(2)}`;
    const ratio = r.ratio === undefined ? '' : `${r.ratio.toFixed(2)} (${r.ratios?.[0].toFixed(2)}–${r.ratios?.[1].toFixed(2)})`;
    console.log(`| ${r.name} | ${median(r.times).toFixed(2)} | ${range} | ${ratio} |`);
  }
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

/**
 * Peak RSS of the real command-line tool (dist/cli.js, a fresh Node process) doing one backup: a
 * preloaded hook prints the process's maxRSS when it exits.
 */
function cliPeakRss(args: string[]): number {
  const hook = path.join(os.tmpdir(), 'cv-bench-maxrss.js');
  writeFileSync(hook, "process.on('exit', () => process.stderr.write(`maxrss ${process.resourceUsage().maxRSS}\\n`));\n");
  const cli = path.join(__dirname, '..', '..', '..', 'dist', 'cli.js');
  const r = spawnSync(process.execPath, ['--require', hook, cli, ...args, '--quiet'], { encoding: 'utf8' });
  const m = /maxrss (\d+)/.exec(r.stderr);
  if (r.status !== 0 || !m) throw new Error(`cli ${args.join(' ')}: ${r.stderr}`);
  return Number(m[1]) * 1024;
}

interface Target {
  /** How the table names this engine. */
  readonly what: string;
  readonly d: Dockerode;
  /** `docker` CLI arguments that select this engine. */
  readonly cli: readonly string[];
  /** Where backups are written (on this engine's kind of storage). */
  readonly dir: string;
}

/** Backup, restore and clone races on one engine; prints its table. */
async function raceOn(t: Target, totalMb: number, runs: number, smallFiles: number): Promise<{ src: string; mp: string }> {
  const { d, dir } = t;
  const L = labels(SUITE);
  const docker = (...args: string[]) => {
    const r = spawnSync('docker', [...t.cli, ...args], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`docker ${args.join(' ')}: ${r.stderr}`);
  };
  const src = await createVolume(d, SUITE, uniq('cvb-src'));
  const mp = (await d.getVolume(src).inspect()).Mountpoint;
  const t0 = performance.now();
  fill(mp, totalMb, smallFiles);
  const du = spawnSync('du', ['-sm', mp], { encoding: 'utf8' }).stdout.split('\t')[0];
  console.log(`\n### ${t.what}\nvolume: ${du} MiB (${smallFiles} files of 4 KiB + 4 large files), filled in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${runs} run(s) each, median`);

  const ours = path.join(dir, 'ours.tar');
  const rm = (...f: string[]) => () => { for (const x of f) rmSync(x, { force: true }); };
  const rows: Row[] = [];
  const seedRun = (...args: string[]) => () => docker('run', '--rm', '--label', `dev.container-volumes.test=${SUITE}`, ...args);

  const helpers = new WorkHelpers(d, { images: () => Promise.resolve([BUSYBOX]), labels: L });
  const fastPath = { localEngine: true, workHelpers: helpers, helperImage: BUSYBOX };
  try {
    // The work helpers start once, on the first operation (as in a session): measured apart.
    const warm = performance.now();
    await backupVolume(d, { source: { volumeName: src }, file: path.join(dir, 'warm.tar'), helperLabels: L, fastPath });
    const warmS = (performance.now() - warm) / 1000;
    rm(path.join(dir, 'warm.tar'), path.join(dir, 'warm.tar.json'))();
    const fast = path.join(dir, 'fast.tar');
    await pairs(runs, {
      name: 'backup: seed `docker run ... busybox tar cf`', before: rm(path.join(dir, 'seed.tar')),
      run: seedRun('-v', `${src}:/logs`, '-v', `${dir}:/backup`, BUSYBOX, 'tar', 'cf', '/backup/seed.tar', '/logs'),
    }, [
      { name: '**backup: ours, fast path** (tar in the work helper, verified as it writes, sidecar)', before: rm(fast, `${fast}.json`), run: async () => assert((await backupVolume(d, { source: { volumeName: src }, file: fast, helperLabels: L, fastPath })).method === 'helper-tar') },
      { name: 'backup: ours, archive endpoint (any engine), verified, sidecar', before: rm(ours, `${ours}.json`), run: () => backupVolume(d, { source: { volumeName: src }, file: ours, helperLabels: L }) },
      { name: 'backup: host `tar cf` of the mountpoint', before: rm(path.join(dir, 'host.tar')), run: () => { if (spawnSync('tar', ['cf', path.join(dir, 'host.tar'), '-C', mp, '.']).status !== 0) throw new Error('host tar failed'); } },
    ], rows);

    const fresh = (name: string) => async () => {
      await d.getVolume(name).remove().catch(() => undefined);
      await createVolume(d, SUITE, name);
    };
    const gone = (name: string) => () => d.getVolume(name).remove().then(() => undefined, () => undefined);
    await pairs(runs, {
      name: 'restore: seed `tar xf` in a helper', before: fresh('cvb-seed-restore'),
      run: seedRun('-v', 'cvb-seed-restore:/logs', '-v', `${dir}:/backup`, BUSYBOX, 'tar', 'xf', '/backup/seed.tar'),
    }, [
      { name: '**restore: ours, fast path** (headers checked, then tar x in the work helper, sha256 meanwhile)', before: gone('cvb-our-restore-fast'), run: async () => assert((await restoreVolume(d, { file: ours, volumeName: 'cvb-our-restore-fast', volumeLabels: L, helperLabels: L, fastPath })).method === 'helper-tar') },
      { name: 'restore of the seed\'s own archive (contents under logs/): ours, fast path (tar --strip-components)', before: gone('cvb-our-restore-seed'), run: async () => assert((await restoreVolume(d, { file: path.join(dir, 'seed.tar'), volumeName: 'cvb-our-restore-seed', volumeLabels: L, helperLabels: L, fastPath })).method === 'helper-tar') },
      { name: 'restore: ours, archive endpoint (headers checked, then PUT, sha256 meanwhile)', before: gone('cvb-our-restore'), run: () => restoreVolume(d, { file: ours, volumeName: 'cvb-our-restore', volumeLabels: L, helperLabels: L }) },
    ], rows);
    // What the clone race does not need goes now: on the RAM engine it is memory (about 7 GiB).
    for (const v of ['cvb-seed-restore', 'cvb-our-restore', 'cvb-our-restore-fast', 'cvb-our-restore-seed']) await gone(v)();
    for (const f of ['seed.tar', 'host.tar', 'ours.tar', 'fast.tar']) rm(path.join(dir, f), path.join(dir, `${f}.json`))();

    await pairs(runs, {
      name: 'clone: busybox `cp -a` in a helper', before: fresh('cvb-cp'),
      run: seedRun('-v', `${src}:/from:ro`, '-v', 'cvb-cp:/to', BUSYBOX, 'cp', '-a', '/from/.', '/to/'),
    }, [
      { name: '**clone: ours, fast path** (cp -a in the work helper)', before: gone('cvb-clone-fast'), run: () => cloneVolume(d, { source: src, target: 'cvb-clone-fast', volumeLabels: L, helperLabels: L, fastPath }) },
      { name: 'clone: ours, archive endpoints (GET -> PUT, no temp file)', before: gone('cvb-clone'), run: () => cloneVolume(d, { source: src, target: 'cvb-clone', volumeLabels: L, helperLabels: L }) },
    ], rows);
    console.log(`the work helper's first start (once per session), with the first fast backup: ${warmS.toFixed(2)} s`);
    printRows(rows);
  } finally {
    await helpers.dispose();
    for (const v of ['cvb-seed-restore', 'cvb-our-restore', 'cvb-our-restore-fast', 'cvb-our-restore-seed', 'cvb-cp', 'cvb-clone', 'cvb-clone-fast']) await d.getVolume(v).remove().catch(() => undefined);
  }
  return { src, mp };
}

export default async function (): Promise<void> {
  const totalMb = Number(process.env.BENCH_DATA_MB ?? 1024);
  const runs = Number(process.env.BENCH_RUNS ?? 4);
  const smallFiles = Number(process.env.BENCH_SMALL_FILES ?? 20_000);
  if (process.env.BENCH_DISK === '0') return onRamEngine(totalMb, runs, smallFiles);
  const engine = testEngine();
  const d = engine.docker;
  await cleanup(d, SUITE);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cv-bench-'));
  try {
    const { src } = await raceOn({ what: 'the engine on this machine\'s disk', d, cli: [], dir }, totalMb, runs, smallFiles);

    // Memory: peak RSS of the CLI doing one backup, at the full size and at a quarter of it.
    const quarter = await createVolume(d, SUITE, uniq('cvb-quarter'));
    fill((await d.getVolume(quarter).inspect()).Mountpoint, Math.round(totalMb / 4), Math.round(smallFiles / 4));
    const mb = (n: number) => (n / 2 ** 20).toFixed(0);
    for (const [how, flags] of [['archive endpoint', ['--no-fast-path']], ['fast path', ['--helper-image', BUSYBOX]]] as const) {
      const big = cliPeakRss(['backup', src, path.join(dir, `mem-big-${flags.length}.tar`), ...flags]);
      const small = cliPeakRss(['backup', quarter, path.join(dir, `mem-small-${flags.length}.tar`), ...flags]);
      console.log(`peak RSS of the CLI during a backup (${how}): ${mb(big)} MB for ~${totalMb} MiB, ${mb(small)} MB for ~${Math.round(totalMb / 4)} MiB`);
    }
  } finally {
    await cleanup(d, SUITE);
    rmSync(dir, { recursive: true, force: true });
  }
  await onRamEngine(totalMb, runs, smallFiles);
}

/**
 * The same races on a second engine whose data root is in RAM (scripts/bench-ram-engine.sh), backups
 * in RAM too: what each way costs with the disk out of the picture. Root only; BENCH_RAM=0 skips it,
 * BENCH_DISK=0 runs only it.
 */
async function onRamEngine(totalMb: number, runs: number, smallFiles: number): Promise<void> {
  if (process.env.BENCH_RAM === '0' || process.getuid?.() !== 0) return;
  const script = path.join(__dirname, '..', '..', '..', 'scripts', 'bench-ram-engine.sh');
  const start = spawnSync('bash', [script, 'start'], { encoding: 'utf8' });
  if (start.status !== 0) {
    console.log(`\n(no RAM engine: ${start.stderr.trim().split('\n').pop() ?? ''})`);
    return;
  }
  const sock = start.stdout.trim();
  const dir = mkdtempSync('/dev/shm/cv-bench-');
  try {
    const d = new Dockerode({ socketPath: sock });
    await raceOn({ what: 'a second engine with its data root in RAM (/dev/shm), backups in RAM', d, cli: ['-H', `unix://${sock}`], dir }, totalMb, runs, smallFiles);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    spawnSync('bash', [script, 'stop']);
  }
}
