// How long building the inventory takes with 500 containers and 1000 volumes on the real engine,
// and how many API calls it makes: the first load (inspects every container with mounts once)
// and a refresh after that (two list calls). Resources carry the test label `bench-inventory`.
import { InventoryLoader, loadVolumeSizes } from '../../src/core/engine/inventory';
import { cleanup, EMPTY_IMAGE, labels, testEngine } from '../support/docker';

const SUITE = 'bench-inventory';

async function bounded<T>(n: number, limit: number, fn: (i: number) => Promise<T>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

export default async function (): Promise<void> {
  const containers = Number(process.env.BENCH_CONTAINERS ?? 500);
  const volumes = Number(process.env.BENCH_VOLUMES ?? 1000);
  const engine = testEngine();
  const docker = engine.docker;
  await cleanup(docker, SUITE);
  try {
    const t0 = Date.now();
    await bounded(volumes, 8, (i) => docker.createVolume({ Name: `cvbench-${process.pid}-${i}`, Labels: labels(SUITE) }));
    // Each container mounts one named volume; every tenth also takes --volumes-from the previous one.
    const create = (i: number) =>
      docker.createContainer({
        name: `cvbench-${process.pid}-${i}`,
        Image: EMPTY_IMAGE,
        Cmd: ['/none'],
        Labels: labels(SUITE),
        HostConfig: { Binds: [`cvbench-${process.pid}-${i % volumes}:/data`], VolumesFrom: i % 10 === 9 ? [`cvbench-${process.pid}-${i - 1}`] : undefined },
      });
    const plain = Array.from({ length: containers }, (_, i) => i).filter((i) => i % 10 !== 9);
    const chained = Array.from({ length: containers }, (_, i) => i).filter((i) => i % 10 === 9);
    await bounded(plain.length, 8, (k) => create(plain[k]));
    await bounded(chained.length, 8, (k) => create(chained[k]));
    console.log(`set-up: ${containers} containers, ${volumes} volumes in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    const loader = new InventoryLoader(engine);
    const rows: [string, number, number][] = [];
    let calls = engine.apiCalls;
    let t = performance.now();
    const inv = await loader.load();
    rows.push(['first load (lists + one inspect per container with mounts)', performance.now() - t, engine.apiCalls - calls]);
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      calls = engine.apiCalls;
      t = performance.now();
      await loader.load();
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    rows.push(['refresh (median of 5)', times[2], engine.apiCalls - calls]);
    calls = engine.apiCalls;
    t = performance.now();
    await loadVolumeSizes(engine);
    rows.push(['volume sizes (system/df, on demand)', performance.now() - t, engine.apiCalls - calls]);
    console.log(`engine total: ${inv.containers.length} containers, ${inv.volumes.length} volumes`);
    console.log('| step | time | API calls |\n|---|---|---|');
    for (const [name, ms, n] of rows) console.log(`| ${name} | ${ms.toFixed(0)} ms | ${n} |`);
  } finally {
    await cleanup(docker, SUITE);
  }
}
