// Backups at scale through the command line, as cron would run them, against the seed's one-liner
// (`docker run --rm -v vol:/logs -v $PWD:/backup busybox tar cf /backup/x.tar /logs`), alternated:
//  - one volume of BENCH_SCALE_MB (default 600 MiB): `container-volumes backup <vol> <file>`;
//  - ten volumes of a tenth of that: `container-volumes backup <ten names> --to <dir>` against the
//    seed's loop of ten one-liners;
//  - the CLI's peak memory for one volume and for the ten (flat: it does not grow with their number).
// BENCH_RUNS (default 5) runs each, median. Resources carry the test label `bench-scale`.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BUSYBOX, cleanup, createVolume, testEngine, uniq } from '../support/docker';

const SUITE = 'bench-scale';
const CLI = path.join(__dirname, '..', '..', '..', 'dist', 'cli.js');

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function run(cmd: string, args: readonly string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
}

/** Seconds of `fn`, bracketed by sync inside the timing (no one pays for another's dirty pages). */
function timed(fn: () => void): number {
  spawnSync('sync');
  const t = performance.now();
  fn();
  spawnSync('sync');
  return (performance.now() - t) / 1000;
}

function fill(mountpoint: string, mb: number): void {
  const chunk = randomBytes(1 << 20);
  for (let f = 0; f < 4; f++) {
    const fd = openSync(path.join(mountpoint, `part${f}.bin`), 'w');
    for (let m = 0; m < Math.max(1, Math.floor(mb / 4)); m++) {
      chunk.writeUInt32LE(m + f * 1_000_000, 0);
      writeSync(fd, chunk);
    }
    closeSync(fd);
  }
  for (let i = 0; i < 200; i++) writeFileSync(path.join(mountpoint, `small${i}.txt`), `row ${i}\n`.repeat(50));
}

function peakRss(args: readonly string[]): number {
  const hook = path.join(os.tmpdir(), 'cv-bench-scale-maxrss.js');
  writeFileSync(hook, "process.on('exit', () => process.stderr.write(`maxrss ${process.resourceUsage().maxRSS}\\n`));\n");
  const r = spawnSync(process.execPath, ['--require', hook, CLI, ...args, '--quiet'], { encoding: 'utf8' });
  const m = /maxrss (\d+)/.exec(r.stderr);
  if (r.status !== 0 || !m) throw new Error(`cli ${args.join(' ')}: ${r.stderr}`);
  return Number(m[1]) / 1024;
}

export default async function (): Promise<void> {
  const docker = testEngine().docker;
  const mb = Number(process.env.BENCH_SCALE_MB ?? 600);
  const runs = Number(process.env.BENCH_RUNS ?? 5);
  await cleanup(docker, SUITE);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cv-bench-scale-'));
  const seed = (vol: string, file: string) =>
    run('docker', [
      'run',
      '--rm',
      '--label',
      `dev.container-volumes.test=${SUITE}`,
      '-v',
      `${vol}:/logs`,
      '-v',
      `${dir}:/backup`,
      BUSYBOX,
      'tar',
      'cf',
      `/backup/${file}`,
      '/logs',
    ]);
  const clean = () => {
    rmSync(dir, { recursive: true, force: true });
    spawnSync('mkdir', ['-p', dir]);
  };
  try {
    const big = await createVolume(docker, SUITE, uniq('cvbs-big'));
    fill((await docker.getVolume(big).inspect()).Mountpoint, mb);
    const ten: string[] = [];
    for (let i = 0; i < 10; i++) {
      const v = await createVolume(docker, SUITE, uniq(`cvbs-${i}`));
      fill((await docker.getVolume(v).inspect()).Mountpoint, mb / 10);
      ten.push(v);
    }
    const rows: { name: string; seed: number[]; ours: number[] }[] = [
      { name: `one ${mb} MiB volume: \`container-volumes backup <vol> <file>\``, seed: [], ours: [] },
      { name: `ten ${mb / 10} MiB volumes: \`container-volumes backup <ten> --to <dir>\` (--jobs 2)`, seed: [], ours: [] },
    ];
    for (let i = 0; i < runs; i++) {
      const order = i % 2 ? ['ours', 'seed'] : ['seed', 'ours'];
      for (const who of order) {
        clean();
        if (who === 'seed') rows[0].seed.push(timed(() => seed(big, 'seed.tar')));
        else rows[0].ours.push(timed(() => run(process.execPath, [CLI, 'backup', big, path.join(dir, 'ours.tar'), '--quiet'])));
      }
      for (const who of order) {
        clean();
        if (who === 'seed') {
          rows[1].seed.push(
            timed(() => {
              for (const v of ten) seed(v, `${v}.tar`);
            }),
          );
        } else rows[1].ours.push(timed(() => run(process.execPath, [CLI, 'backup', ...ten, '--to', dir, '--quiet'])));
      }
    }
    console.log(`\n${runs} runs each, alternated, median seconds (the seed's one-liner / its loop of ten; ours through the CLI, a fresh process each time)`);
    console.log('\n| operation | seed s | ours s | ours ÷ seed | goal |\n|---|---|---|---|---|');
    const goals = ['≤ 1.0', '≤ 0.5'];
    rows.forEach((r, k) =>
      console.log(
        `| ${r.name} | ${median(r.seed).toFixed(2)} | ${median(r.ours).toFixed(2)} | ${(median(r.ours) / median(r.seed)).toFixed(2)} | ${goals[k]} |`,
      ),
    );
    clean();
    const one = peakRss(['backup', big, path.join(dir, 'rss.tar')]);
    clean();
    const many = peakRss(['backup', ...ten, '--to', dir]);
    console.log(`\npeak RSS of the CLI: one ${mb} MiB volume ${one.toFixed(0)} MiB; ten volumes in one go ${many.toFixed(0)} MiB`);
  } finally {
    await cleanup(docker, SUITE);
    rmSync(dir, { recursive: true, force: true });
  }
}
