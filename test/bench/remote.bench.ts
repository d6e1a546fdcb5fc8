// The archive endpoints, the only way to a remote engine's volumes: our backup, restore and copy
// between engines raced against the docker CLI moving the same bytes through the same endpoints
// (`docker cp`, which neither checks nor hashes anything). Issue #13's goals: backup ≤ 1.2× the raw
// GET, restore ≤ 1.2× the raw PUT of the same archive, copy ≤ 1.2× the raw GET piped into the raw
// PUT. A volume of BENCH_DATA_MB (default 600) in BENCH_SMALL_FILES 4 KiB files plus four large ones;
// BENCH_RUNS runs each (default 4), interleaved, every run bracketed by `sync`.
// Resources carry the test label `bench-remote`.
import { ok as assert } from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { backupVolume } from '../../src/core/operations/backupVolume';
import { copyVolumeToEngine } from '../../src/core/operations/copyToEngine';
import { restoreVolume } from '../../src/core/operations/restoreVolume';
import { cleanup, contextOf, createVolume, labels, secondEngine, secondEngineHost, testContext, testEngine, uniq, BUSYBOX } from '../support/docker';
import { fill, pairs, printRows, type Row } from './race';

const SUITE = 'bench-remote';

function sh(script: string): void {
  const r = spawnSync('bash', ['-c', `set -o pipefail; ${script}`], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${script}: ${r.stderr}`);
}

export default async function (): Promise<void> {
  const totalMb = Number(process.env.BENCH_DATA_MB ?? 600);
  const runs = Number(process.env.BENCH_RUNS ?? 4);
  const smallFiles = Number(process.env.BENCH_SMALL_FILES ?? 5_000);
  const a = testEngine();
  const b = secondEngine();
  const hostA = a.endpoint.host;
  const hostB = secondEngineHost();
  const L = labels(SUITE);
  const lab = `--label dev.container-volumes.test=${SUITE}`;
  await cleanup(a.docker, SUITE);
  await cleanup(b.docker, SUITE);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cv-bench-remote-'));
  try {
    const src = await createVolume(a.docker, SUITE, uniq('cvr-src'));
    fill((await a.docker.getVolume(src).inspect()).Mountpoint, totalMb, smallFiles);
    // Helpers the docker CLI copies through: created, never started, as ours are.
    const helperOf = (host: string, volume: string) =>
      spawnSync('docker', ['-H', host, 'create', ...lab.split(' '), '-v', `${volume}:/v`, BUSYBOX], { encoding: 'utf8' }).stdout.trim();
    const srcHelper = helperOf(hostA, src);
    console.log(`\nvolume: ~${totalMb} MiB (${smallFiles} files of 4 KiB + 4 large files), from ${hostA} to ${hostB}; ${runs} run(s) each, median`);
    const rows: Row[] = [];
    const ours = path.join(dir, 'ours.tar');
    const raw = path.join(dir, 'raw.tar');
    await pairs(
      runs,
      {
        name: 'backup: `docker cp <helper>:/v/. - > file` (the raw GET)',
        before: () => rmSync(raw, { force: true }),
        run: () => sh(`docker -H ${hostA} cp ${srcHelper}:/v/. - > ${raw}`),
      },
      [
        {
          name: '**backup: ours, archive endpoint** (checked, hashed, verified, record)',
          before: () => {
            rmSync(ours, { force: true });
            rmSync(`${ours}.json`, { force: true });
          },
          run: async () =>
            assert((await backupVolume(testContext(a.docker, SUITE), { source: { volumeName: src }, file: ours })).method === 'archive-endpoint'),
        },
      ],
      rows,
    );

    // Restore into a fresh volume each run, on the same engine, from our own archive.
    let n = 0;
    let target = '';
    const freshTarget = async () => {
      if (target) {
        await a.docker
          .getVolume(target)
          .remove()
          .catch(() => undefined);
      }
      target = `cvr-restore-${n++}`;
    };
    let rawHelper = '';
    const freshRaw = async () => {
      if (rawHelper) spawnSync('docker', ['-H', hostA, 'rm', '-v', rawHelper]);
      if (target) {
        await a.docker
          .getVolume(target)
          .remove()
          .catch(() => undefined);
      }
      target = `cvr-raw-${n++}`;
      spawnSync('docker', ['-H', hostA, 'volume', 'create', ...lab.split(' '), target]);
      rawHelper = helperOf(hostA, target);
    };
    await pairs(
      runs,
      {
        name: 'restore: `docker cp - <helper>:/v < file` (the raw PUT of the same archive)',
        before: freshRaw,
        run: () => sh(`docker -H ${hostA} cp - ${rawHelper}:/v < ${ours}`),
      },
      [
        {
          name: '**restore: ours, archive endpoint** (headers checked, PUT, sha256 compared)',
          before: freshTarget,
          run: async () =>
            assert((await restoreVolume(testContext(a.docker, SUITE), { file: ours, volumeName: target, volumeLabels: L })).method === 'archive-endpoint'),
        },
      ],
      rows,
    );
    if (rawHelper) spawnSync('docker', ['-H', hostA, 'rm', '-v', rawHelper]);
    if (target) {
      await a.docker
        .getVolume(target)
        .remove()
        .catch(() => undefined);
    }

    // Copy to the second engine: the raw pipe GET | PUT against ours (which hashes both sides).
    let copyTarget = '';
    let copyHelper = '';
    const freshCopy = async () => {
      if (copyHelper) spawnSync('docker', ['-H', hostB, 'rm', '-v', copyHelper]);
      copyHelper = '';
      if (copyTarget) {
        await b.docker
          .getVolume(copyTarget)
          .remove()
          .catch(() => undefined);
      }
      copyTarget = `cvr-copy-${n++}`;
    };
    const freshRawCopy = async () => {
      await freshCopy();
      spawnSync('docker', ['-H', hostB, 'volume', 'create', ...lab.split(' '), copyTarget]);
      copyHelper = helperOf(hostB, copyTarget);
    };
    await pairs(
      runs,
      {
        name: 'copy: `docker cp <helper>:/v/. - | docker -H <other> cp - <helper>:/v` (raw GET piped into raw PUT)',
        before: freshRawCopy,
        run: () => sh(`docker -H ${hostA} cp ${srcHelper}:/v/. - | docker -H ${hostB} cp - ${copyHelper}:/v`),
      },
      [
        {
          name: '**copy to another engine: ours** (both sides counted and hashed)',
          before: freshCopy,
          run: () => copyVolumeToEngine(contextOf(a, { helperLabels: L }), { source: src, target: copyTarget, volumeLabels: L, to: b }),
        },
      ],
      rows,
    );
    await freshCopy();
    if (copyTarget) {
      await b.docker
        .getVolume(copyTarget)
        .remove()
        .catch(() => undefined);
    }
    printRows(rows);
  } finally {
    await cleanup(a.docker, SUITE);
    await cleanup(b.docker, SUITE);
    rmSync(dir, { recursive: true, force: true });
  }
}
