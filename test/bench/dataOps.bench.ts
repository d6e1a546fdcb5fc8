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
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { backupVolume } from '../../src/core/operations/backupVolume';
import { cloneVolume } from '../../src/core/operations/cloneVolume';
import { restoreVolume } from '../../src/core/operations/restoreVolume';
import { WorkHelpers } from '../../src/core/helpers/workHelpers';
import Dockerode from 'dockerode';
import { fill, pairs, printRows, type Row } from './race';
import { BUSYBOX, cleanup, createVolume, labels, testContext, testEngine, uniq } from '../support/docker';

const SUITE = 'bench-data';

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
  console.log(
    `\n### ${t.what}\nvolume: ${du} MiB (${smallFiles} files of 4 KiB + 4 large files), filled in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${runs} run(s) each, median`,
  );

  const ours = path.join(dir, 'ours.tar');
  const rm =
    (...f: string[]) =>
    () => {
      for (const x of f) rmSync(x, { force: true });
    };
  const rows: Row[] = [];
  const seedRun =
    (...args: string[]) =>
    () =>
      docker('run', '--rm', '--label', `dev.container-volumes.test=${SUITE}`, ...args);

  const helpers = new WorkHelpers(d, { images: () => Promise.resolve([BUSYBOX]), labels: L });
  const fastPath = { localEngine: true, workHelpers: helpers, helperImage: BUSYBOX };
  try {
    // The work helpers start once, on the first operation (as in a session): measured apart.
    const warm = performance.now();
    await backupVolume(testContext(d, SUITE, { fastPath }), { source: { volumeName: src }, file: path.join(dir, 'warm.tar') });
    const warmS = (performance.now() - warm) / 1000;
    rm(path.join(dir, 'warm.tar'), path.join(dir, 'warm.tar.json'))();
    const fast = path.join(dir, 'fast.tar');
    await pairs(
      runs,
      {
        name: 'backup: seed `docker run ... busybox tar cf`',
        before: rm(path.join(dir, 'seed.tar')),
        run: seedRun('-v', `${src}:/logs`, '-v', `${dir}:/backup`, BUSYBOX, 'tar', 'cf', '/backup/seed.tar', '/logs'),
      },
      [
        {
          name: '**backup: ours, fast path** (tar in the work helper, verified as it writes, sidecar)',
          before: rm(fast, `${fast}.json`),
          run: async () =>
            assert((await backupVolume(testContext(d, SUITE, { fastPath }), { source: { volumeName: src }, file: fast })).method === 'helper-tar'),
        },
        {
          name: 'backup: ours, archive endpoint (any engine), verified, sidecar',
          before: rm(ours, `${ours}.json`),
          run: () => backupVolume(testContext(d, SUITE), { source: { volumeName: src }, file: ours }),
        },
        {
          name: 'backup: host `tar cf` of the mountpoint',
          before: rm(path.join(dir, 'host.tar')),
          run: () => {
            if (spawnSync('tar', ['cf', path.join(dir, 'host.tar'), '-C', mp, '.']).status !== 0) throw new Error('host tar failed');
          },
        },
      ],
      rows,
    );

    const fresh = (name: string) => async () => {
      await d
        .getVolume(name)
        .remove()
        .catch(() => undefined);
      await createVolume(d, SUITE, name);
    };
    const gone = (name: string) => () =>
      d
        .getVolume(name)
        .remove()
        .then(
          () => undefined,
          () => undefined,
        );
    await pairs(
      runs,
      {
        name: 'restore: seed `tar xf` in a helper',
        before: fresh('cvb-seed-restore'),
        run: seedRun('-v', 'cvb-seed-restore:/logs', '-v', `${dir}:/backup`, BUSYBOX, 'tar', 'xf', '/backup/seed.tar'),
      },
      [
        {
          name: '**restore: ours, fast path** (headers checked, then tar x in the work helper, sha256 meanwhile)',
          before: gone('cvb-our-restore-fast'),
          run: async () =>
            assert(
              (await restoreVolume(testContext(d, SUITE, { fastPath }), { file: ours, volumeName: 'cvb-our-restore-fast', volumeLabels: L })).method ===
                'helper-tar',
            ),
        },
        {
          name: "restore of the seed's own archive (contents under logs/): ours, fast path (tar --strip-components)",
          before: gone('cvb-our-restore-seed'),
          run: async () =>
            assert(
              (
                await restoreVolume(testContext(d, SUITE, { fastPath }), {
                  file: path.join(dir, 'seed.tar'),
                  volumeName: 'cvb-our-restore-seed',
                  volumeLabels: L,
                })
              ).method === 'helper-tar',
            ),
        },
        {
          name: 'restore: ours, archive endpoint (headers checked, then PUT, sha256 meanwhile)',
          before: gone('cvb-our-restore'),
          run: () => restoreVolume(testContext(d, SUITE), { file: ours, volumeName: 'cvb-our-restore', volumeLabels: L }),
        },
      ],
      rows,
    );
    // What the clone race does not need goes now: on the RAM engine it is memory (about 7 GiB).
    for (const v of ['cvb-seed-restore', 'cvb-our-restore', 'cvb-our-restore-fast', 'cvb-our-restore-seed']) await gone(v)();
    for (const f of ['seed.tar', 'host.tar', 'ours.tar', 'fast.tar']) rm(path.join(dir, f), path.join(dir, `${f}.json`))();

    await pairs(
      runs,
      {
        name: 'clone: busybox `cp -a` in a helper',
        before: fresh('cvb-cp'),
        run: seedRun('-v', `${src}:/from:ro`, '-v', 'cvb-cp:/to', BUSYBOX, 'cp', '-a', '/from/.', '/to/'),
      },
      [
        {
          name: '**clone: ours, fast path** (cp -a in the work helper)',
          before: gone('cvb-clone-fast'),
          run: () => cloneVolume(testContext(d, SUITE, { fastPath }), { source: src, target: 'cvb-clone-fast', volumeLabels: L }),
        },
        {
          name: 'clone: ours, archive endpoints (GET -> PUT, no temp file)',
          before: gone('cvb-clone'),
          run: () => cloneVolume(testContext(d, SUITE), { source: src, target: 'cvb-clone', volumeLabels: L }),
        },
      ],
      rows,
    );
    console.log(`the work helper's first start (once per session), with the first fast backup: ${warmS.toFixed(2)} s`);
    printRows(rows);
  } finally {
    await helpers.dispose();
    for (const v of ['cvb-seed-restore', 'cvb-our-restore', 'cvb-our-restore-fast', 'cvb-our-restore-seed', 'cvb-cp', 'cvb-clone', 'cvb-clone-fast']) {
      await d
        .getVolume(v)
        .remove()
        .catch(() => undefined);
    }
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
    const { src } = await raceOn({ what: "the engine on this machine's disk", d, cli: [], dir }, totalMb, runs, smallFiles);

    // Memory: peak RSS of the CLI doing one backup, at the full size and at a quarter of it.
    const quarter = await createVolume(d, SUITE, uniq('cvb-quarter'));
    fill((await d.getVolume(quarter).inspect()).Mountpoint, Math.round(totalMb / 4), Math.round(smallFiles / 4));
    const mb = (n: number) => (n / 2 ** 20).toFixed(0);
    for (const [how, flags] of [
      ['archive endpoint', ['--no-fast-path']],
      ['fast path', ['--helper-image', BUSYBOX]],
    ] as const) {
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
    await raceOn(
      { what: 'a second engine with its data root in RAM (/dev/shm), backups in RAM', d, cli: ['-H', `unix://${sock}`], dir },
      totalMb,
      runs,
      smallFiles,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
    spawnSync('bash', [script, 'stop']);
  }
}
