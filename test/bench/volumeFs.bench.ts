// The docker-volume file system's costs on the real engine: listing a folder of many files in a
// volume that also holds a lot of other data, three ways side by side (ours: one exec of find+stat;
// one `docker exec stat` per entry, the way Microsoft's container extension browses; an archive GET
// of the folder), then what one change poll of that folder costs (the provider's polling, every 3 s
// while the window has focus), then read/write throughput of one big file and stat latency.
// Sizes by environment: BENCH_FS_FILES (10000), BENCH_FS_OTHER_MB (1024), BENCH_FS_BIG_MB (100),
// BENCH_FS_EXEC_SAMPLE (300: per-entry execs actually run; the rest is extrapolated, and said so).
import type Dockerode from 'dockerode';
import { Readable } from 'node:stream';
import { type Snapshot, VolumeFiles, type WatchedFolder } from '../../src/core/files/volumeFiles';
import { BUSYBOX, cleanup, createVolume, labels, sh, testEngine, uniq } from '../support/docker';

const SUITE = 'bench-fs';

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

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

async function timedSnapshot(
  vf: VolumeFiles,
  folders: WatchedFolder[],
  files: string[],
): Promise<{ ms: number; bytes: number; execs: number; snap: Snapshot }> {
  const b = vf.bytesReceived;
  const e = vf.execs;
  const t = performance.now();
  const snap = await vf.snapshot(folders, files);
  return { ms: performance.now() - t, bytes: vf.bytesReceived - b, execs: vf.execs - e, snap };
}

export default async function (): Promise<void> {
  const files = Number(process.env.BENCH_FS_FILES ?? 10000);
  const otherMb = Number(process.env.BENCH_FS_OTHER_MB ?? 1024);
  const bigMb = Number(process.env.BENCH_FS_BIG_MB ?? 100);
  const sample = Math.min(files, Number(process.env.BENCH_FS_EXEC_SAMPLE ?? 300));
  const engine = testEngine();
  const docker = engine.docker;
  await cleanup(docker, SUITE);
  const vol = await createVolume(docker, SUITE, uniq('cvbench-fs'));
  let vf: VolumeFiles | undefined;
  try {
    const t0 = Date.now();
    // Files of 4 KiB written by the shell's builtin printf (no fork per file), and the other data.
    await sh(
      docker,
      SUITE,
      `mkdir -p /v/many /v/other && cd /v/many && i=0; while [ $i -lt ${files} ]; do printf '%4096s' > f$i; i=$((i+1)); done; dd if=/dev/zero of=/v/other/blob bs=1M count=${otherMb} 2>/dev/null; sync`,
      [`${vol}:/v`],
    );
    console.log(`set-up: ${files} files of 4 KiB in /many, ${otherMb} MiB elsewhere in the volume, in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    vf = await VolumeFiles.open(engine, { volume: vol, helperImages: [BUSYBOX], labels: labels(SUITE) });
    const helper = docker.getContainer(vf.helperId);
    const rows: [string, string, string][] = [];

    const ours: number[] = [];
    let oursBytes = 0;
    for (let i = 0; i < 3; i++) {
      const b = vf.bytesReceived;
      const t = performance.now();
      const list = await vf.list('/many');
      ours.push(performance.now() - t);
      oursBytes = vf.bytesReceived - b;
      if (list.length !== files) throw new Error(`listed ${list.length} of ${files}`);
    }
    rows.push([`list ${files} entries: ours (one exec of find + stat, median of 3)`, `${median(ours).toFixed(0)} ms`, `${mb(oursBytes)}, no file bytes`]);

    // Microsoft's way: one exec for the names, then one `stat` exec per entry.
    let t = performance.now();
    const lsBytes = await execOnce(helper, ['ls', '-1', '/cv-volume/many']);
    let execBytes = 0;
    const perEntry: number[] = [];
    for (let i = 0; i < sample; i++) {
      const s = performance.now();
      execBytes += await execOnce(helper, ['stat', '-c', '%f %s %Y', `/cv-volume/many/f${i}`]);
      perEntry.push(performance.now() - s);
    }
    const execTotal = performance.now() - t + median(perEntry) * (files - sample);
    rows.push([
      `list ${files} entries: docker exec stat per entry (${sample} run${sample < files ? `, ${files - sample} extrapolated at the median` : ''})`,
      `${execTotal.toFixed(0)} ms`,
      `${mb(lsBytes + execBytes * (files / sample))}`,
    ]);

    t = performance.now();
    const body = (await helper.getArchive({ path: '/cv-volume/many' })) as unknown as Readable;
    let getBytes = 0;
    for await (const c of body) getBytes += (c as Buffer).length;
    rows.push([`list ${files} entries: archive GET of the folder`, `${(performance.now() - t).toFixed(0)} ms`, `${mb(getBytes)} (every file's bytes)`]);

    // Change polling: one snapshot exec for the 10,000-entry folder, the root and two open files.
    const watched = ['/many', '/'];
    const open = ['/many/f1', '/many/f2'];
    const first = await timedSnapshot(
      vf,
      watched.map((path) => ({ path })),
      open,
    );
    const hashes = first.snap.folders.map((f) => (f.kind === 'listed' ? f.hash : undefined));
    rows.push([`poll ${files} entries + root + 2 open files, first time (whole listing)`, `${first.ms.toFixed(0)} ms`, mb(first.bytes)]);
    const same: number[] = [];
    let sameBytes = 0;
    for (let i = 0; i < 5; i++) {
      const r = await timedSnapshot(
        vf,
        watched.map((path, k) => ({ path, hash: hashes[k] })),
        open,
      );
      if (r.snap.folders.some((f) => f.kind !== 'same')) throw new Error('an unchanged folder was re-sent');
      same.push(r.ms);
      sameBytes = r.bytes;
    }
    rows.push([`poll the same, nothing changed (median of 5)`, `${median(same).toFixed(0)} ms`, `${sameBytes} bytes, ${first.execs} exec`]);
    await sh(docker, SUITE, 'echo changed > /v/many/f5000', [`${vol}:/v`]);
    const changed = await timedSnapshot(
      vf,
      watched.map((path, k) => ({ path, hash: hashes[k] })),
      open,
    );
    if (changed.snap.folders[0].kind !== 'listed') throw new Error('the change was not seen');
    rows.push([`poll the same after one file of ${files} changed`, `${changed.ms.toFixed(0)} ms`, mb(changed.bytes)]);

    const big = Buffer.alloc(bigMb * 2 ** 20, 7);
    const w: number[] = [];
    const r: number[] = [];
    for (let i = 0; i < 3; i++) {
      t = performance.now();
      await vf.write('/big.bin', big, { create: true, overwrite: true });
      w.push(performance.now() - t);
      t = performance.now();
      const back = await vf.read('/big.bin');
      r.push(performance.now() - t);
      if (back.length !== big.length) throw new Error('short read');
    }
    rows.push([`write ${bigMb} MiB (archive PUT, median of 3)`, `${median(w).toFixed(0)} ms`, `${(bigMb / (median(w) / 1000)).toFixed(0)} MiB/s`]);
    rows.push([`read ${bigMb} MiB (archive GET, median of 3)`, `${median(r).toFixed(0)} ms`, `${(bigMb / (median(r) / 1000)).toFixed(0)} MiB/s`]);

    const st: number[] = [];
    for (let i = 0; i < 20; i++) {
      t = performance.now();
      await vf.stat(`/many/f${i}`);
      st.push(performance.now() - t);
    }
    rows.push(['stat one file with owner (exec, median of 20)', `${median(st).toFixed(1)} ms`, '']);
    const qs: number[] = [];
    for (let i = 0; i < 20; i++) {
      t = performance.now();
      await vf.quickStat(`/many/f${i}`);
      qs.push(performance.now() - t);
    }
    rows.push(['stat one file as the editor does (archive HEAD, median of 20)', `${median(qs).toFixed(1)} ms`, '']);
    const sm: number[] = [];
    for (let i = 0; i < 10; i++) {
      t = performance.now();
      await vf.write(`/many/f${i}`, Buffer.from('small'), { create: false, overwrite: true });
      sm.push(performance.now() - t);
    }
    rows.push(['save a small file (stat + PUT, median of 10)', `${median(sm).toFixed(1)} ms`, '']);

    console.log('| operation | time | bytes received / rate |\n|---|---|---|');
    for (const [a, b, c] of rows) console.log(`| ${a} | ${b} | ${c} |`);
    console.log(`ours vs exec per entry: ${(execTotal / median(ours)).toFixed(1)}x faster`);
  } finally {
    await vf?.close();
    await cleanup(docker, SUITE);
  }
}
