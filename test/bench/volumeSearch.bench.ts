// Finding things inside a volume (issue 16), on the real engine: a volume of BENCH_FIND_FILES files
// (100,000) in BENCH_FIND_DIRS folders (1,000) plus BENCH_FIND_OTHER_MB (1024) MiB of log text.
//  - Go to File: first paths and the full list (targets: 300 ms, 2 s), and the bytes received;
//  - Find in Volume of a literal against `docker exec <helper> grep -r -F` of the same (target < 2x);
//  - disk usage of the whole volume against `docker exec <helper> du` (target < 1.5x), and its bytes.
//  - disk usage of a volume of BENCH_DU_FILES (1,000,000) empty files in 1,000 folders, filled inside a
//    container, against du (target < 1.5x), with the bytes received and the longest stall of this
//    process's event loop meanwhile (the window must not freeze); BENCH_DU_FILES=0 leaves it out.
// Median of BENCH_FIND_RUNS (3) runs each, the helper already started (as when the volume is open).
import type Dockerode from 'dockerode';
import type { Readable } from 'node:stream';
import { volumeDiskUsage } from '../../src/core/files/diskUsage';
import { MOUNT, VolumeFiles } from '../../src/core/files/volumeFiles';
import { listVolumeFiles, searchVolumeText } from '../../src/core/files/volumeSearch';
import { BUSYBOX, cleanup, createVolume, labels, sh, testEngine, uniq } from '../support/docker';

const SUITE = 'bench-find';

async function execOnce(c: Dockerode.Container, cmd: string[]): Promise<number> {
  const ex = await c.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const s = (await ex.start({ hijack: true, stdin: false })) as unknown as Readable;
  let n = 0;
  await new Promise<void>((resolve, reject) => {
    s.on('data', (b: Buffer) => (n += b.length));
    s.on('end', resolve);
    s.on('error', reject);
  });
  await ex.inspect();
  return n;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const ms = (x: number) => `${Math.round(x)} ms`;
const kib = (b: number) => `${(b / 1024).toFixed(0)} KiB`;

export default async function (): Promise<void> {
  const files = Number(process.env.BENCH_FIND_FILES ?? 100_000);
  const dirs = Number(process.env.BENCH_FIND_DIRS ?? 1000);
  const otherMb = Number(process.env.BENCH_FIND_OTHER_MB ?? 1024);
  const runs = Number(process.env.BENCH_FIND_RUNS ?? 3);
  const engine = testEngine();
  const docker = engine.docker;
  await cleanup(docker, SUITE);
  const vol = await createVolume(docker, SUITE, uniq('cvbench-find'));
  let vf: VolumeFiles | undefined;
  try {
    const t0 = Date.now();
    const per = Math.ceil(files / dirs);
    const big = Math.max(1, Math.ceil(otherMb / 128));
    // Small text files by the shell's builtin printf (no fork per file); the needle in 10 of them;
    // the other data as big log files of text lines.
    await sh(
      docker,
      SUITE,
      [
        `cd /v && d=0; while [ $d -lt ${dirs} ]; do mkdir d$d; f=0; while [ $f -lt ${per} ]; do printf "%s INFO request %s/%s served\\n" 2026-11-30 $d $f > d$d/f$f.log; f=$((f+1)); done; d=$((d+1)); done`,
        `i=0; while [ $i -lt 10 ]; do echo "02:14:07 ERROR needle-4711 in shard $i" >> d$((i * ${Math.max(1, Math.floor(dirs / 10))}))/f1.log; i=$((i+1)); done`,
        `mkdir -p /v/big && i=0; while [ $i -lt ${big} ]; do yes "2026-11-30T02:14:07Z INFO a long and ordinary line of a busy service log" | head -c ${Math.floor((otherMb * 2 ** 20) / big)} > /v/big/part$i.log; i=$((i+1)); done; sync`,
      ].join('\n'),
      [`${vol}:/v`],
    );
    console.log(`set-up: ${dirs * per} files in ${dirs} folders and ${otherMb} MiB of log text in ${big} files, in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    const tOpen = performance.now();
    vf = await VolumeFiles.open(engine, { volume: vol, helperImages: [BUSYBOX], labels: labels(SUITE) });
    console.log(`helper started (once per open volume): ${ms(performance.now() - tOpen)}`);
    const helper = docker.getContainer(vf.helperId);
    const rows: [string, string, string][] = [];

    // Go to File
    const first: number[] = [];
    const full: number[] = [];
    let listBytes = 0;
    let count = 0;
    for (let i = 0; i < runs; i++) {
      const b = vf.bytesReceived;
      const t = performance.now();
      let f = 0;
      count = await listVolumeFiles(vf, {
        onBatch: () => {
          f ||= performance.now() - t;
        },
      });
      full.push(performance.now() - t);
      first.push(f);
      listBytes = vf.bytesReceived - b;
    }
    rows.push(['Go to File: first paths', ms(median(first)), 'target < 300 ms']);
    rows.push([`Go to File: all ${count} paths`, ms(median(full)), `target < 2 s; ${kib(listBytes)} received (names only)`]);

    // Find in Volume of a literal vs grep -r in the helper
    const ours: number[] = [];
    const grep: number[] = [];
    let hits = 0;
    for (let i = 0; i < runs; i++) {
      let t = performance.now();
      await execOnce(helper, ['grep', '-r', '-F', '-n', '-e', 'needle-4711', MOUNT]);
      grep.push(performance.now() - t);
      t = performance.now();
      hits = (await searchVolumeText(vf, { pattern: 'needle-4711', caseSensitive: true }, { onFile: () => undefined })).matches;
      ours.push(performance.now() - t);
    }
    rows.push([
      `Find "needle-4711" (${hits} lines)`,
      ms(median(ours)),
      `docker exec grep -r: ${ms(median(grep))}; ratio ${(median(ours) / median(grep)).toFixed(2)} (target < 2)`,
    ]);

    // Disk usage vs du in the helper
    const duOurs: number[] = [];
    const duPlain: number[] = [];
    let duBytes = 0;
    for (let i = 0; i < runs; i++) {
      let t = performance.now();
      await execOnce(helper, ['du', '-k', MOUNT]);
      duPlain.push(performance.now() - t);
      const b = vf.bytesReceived;
      t = performance.now();
      await volumeDiskUsage(vf);
      duOurs.push(performance.now() - t);
      duBytes = vf.bytesReceived - b;
    }
    rows.push([
      'Disk usage, whole volume',
      ms(median(duOurs)),
      `docker exec du: ${ms(median(duPlain))}; ratio ${(median(duOurs) / median(duPlain)).toFixed(2)} (target < 1.5); ${kib(duBytes)} received`,
    ]);

    await vf.close();
    vf = undefined;
    const million = Number(process.env.BENCH_DU_FILES ?? 1_000_000);
    if (million > 0) rows.push(...(await millionFiles(docker, engine, million, runs)));

    console.log('\n| measure | ours | compared with |\n|---|---|---|');
    for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  } finally {
    await vf?.close();
    await cleanup(docker, SUITE);
  }
}

/** The longest stall of this process's event loop while `f` runs (a 5 ms timer's lateness). */
async function longestStall<T>(f: () => Promise<T>): Promise<{ value: T; stall: number }> {
  let last = performance.now();
  let stall = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    stall = Math.max(stall, now - last - 5);
    last = now;
  }, 5);
  try {
    const value = await f();
    return { value, stall };
  } finally {
    clearInterval(timer);
  }
}

async function millionFiles(docker: Dockerode, engine: ReturnType<typeof testEngine>, files: number, runs: number): Promise<[string, string, string][]> {
  const dirs = 1000;
  const per = Math.ceil(files / dirs);
  const vol = await createVolume(docker, SUITE, uniq('cvbench-du'));
  const t0 = Date.now();
  // Empty files by the shell's own redirection (no fork per file): a million inodes, no data blocks.
  await sh(
    docker,
    SUITE,
    `cd /v && d=0; while [ $d -lt ${dirs} ]; do mkdir d$d && cd d$d && f=0; while [ $f -lt ${per} ]; do : > f$f; f=$((f+1)); done; cd ..; d=$((d+1)); done; head -c 50000000 /dev/zero > d7/big; sync`,
    [`${vol}:/v`],
  );
  console.log(`set-up: ${dirs * per} empty files in ${dirs} folders, in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const vf = await VolumeFiles.open(engine, { volume: vol, helperImages: [BUSYBOX], labels: labels(SUITE) });
  try {
    const helper = docker.getContainer(vf.helperId);
    const ours: number[] = [];
    const plain: number[] = [];
    const stalls: number[] = [];
    let bytes = 0;
    let counted = 0;
    for (let i = 0; i < runs; i++) {
      let t = performance.now();
      await execOnce(helper, ['du', '-k', MOUNT]);
      plain.push(performance.now() - t);
      const b = vf.bytesReceived;
      t = performance.now();
      const { value, stall } = await longestStall(() => volumeDiskUsage(vf));
      ours.push(performance.now() - t);
      stalls.push(stall);
      bytes = vf.bytesReceived - b;
      counted = value.folders.get('/')?.files ?? 0;
    }
    return [
      [
        `Disk usage, ${counted.toLocaleString('en')} files`,
        ms(median(ours)),
        `docker exec du: ${ms(median(plain))}; ratio ${(median(ours) / median(plain)).toFixed(2)} (target < 1.5); ${kib(bytes)} received; longest event-loop stall ${ms(Math.max(...stalls))}`,
      ],
    ];
  } finally {
    await vf.close();
  }
}
