// What the benchmarks that race our ways against a reference command share: the interleaved race,
// the table rows with per-run ratios, and a volume filled through its mountpoint.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import * as path from 'node:path';

export interface Contestant {
  readonly name: string;
  readonly before?: () => Promise<void> | void;
  readonly run: () => unknown;
}

export interface Timed {
  readonly name: string;
  /** Seconds, one per run, in run order. */
  readonly times: readonly number[];
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/**
 * Runs each contestant `runs` times, interleaved A B, B A, A B ... so that whoever runs first after
 * the disk catches its breath alternates, and each follows the other as often as itself; every run
 * starts and ends with `sync`, inside the timing, so no contestant leaves dirty pages for the next
 * one to pay for. Meant for two contestants: with more, some would follow the slow ones more often.
 */
export async function race(runs: number, contestants: readonly Contestant[]): Promise<Timed[]> {
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
export async function pairs(runs: number, base: Contestant, ours: readonly Contestant[], rows: Row[]): Promise<void> {
  for (const o of ours) {
    const [b, x] = await race(runs, [base, o]);
    const ratios = x.times.map((t, i) => t / b.times[i]);
    rows.push({ name: b.name, times: b.times });
    rows.push({ name: x.name, times: x.times, ratio: median(x.times) / median(b.times), ratios: [Math.min(...ratios), Math.max(...ratios)] });
  }
}

export interface Row extends Timed {
  readonly ratio?: number;
  readonly ratios?: readonly [number, number];
}

export function printRows(rows: readonly Row[]): void {
  console.log('\n| operation | median s | range s | × the row above (per-run range) |\n|---|---|---|---|');
  for (const r of rows) {
    const range = `${Math.min(...r.times).toFixed(2)}–${Math.max(...r.times).toFixed(2)}`;
    const ratio = r.ratio === undefined ? '' : `${r.ratio.toFixed(2)} (${r.ratios?.[0].toFixed(2)}–${r.ratios?.[1].toFixed(2)})`;
    console.log(`| ${r.name} | ${median(r.times).toFixed(2)} | ${range} | ${ratio} |`);
  }
}

/** Fills a volume through its mountpoint (the engine is local): fast, and no tool needed in an image. */
export function fill(mountpoint: string, totalMb: number, smallFiles: number): void {
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
