// The mount graph at 500 containers and 1,000 volumes: building the model and choosing the view (the
// extension host's part), then the page's own work in headless chromium (the real bundled page,
// dist/webview/mountGraph.js and its CSS, outside VS Code: dagre layout, SVG elements, and the
// browser's layout and paint up to the next frame), for the whole engine, one container's
// neighbourhood and two engine events (a patch each).
// The inventory is synthetic (its loading from the engine is the inventory benchmark's row): each
// container mounts its own named volume, every tenth also takes --volumes-from the one before
// (chains), every fifth binds a shared host folder, every 25th has a tmpfs, groups of 20 share a
// volume, the rest of the 1,000 volumes are unused, and a few --volumes-from sources were removed.
// The 25 groups are of 25 different shapes (group k: its first k+1 containers share one more
// volume), so that no group can use another's layout; BENCH_GRAPH_SHAPES=same makes them alike
// (a project deployed 25 times: one layout for all).
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { buildMountGraph, diffGraphs, selectView, type GraphPatch, type GraphScope, type MountGraph } from '../../src/core/engine/mountGraph';
import { GraphLayout } from '../../src/webview/graphLayout';
import type { Container, Inventory, Volume } from '../../src/core/engine/types';

const ROOT = path.resolve(__dirname, '../../..');

function inventory(containers: number, volumes: number, stopped = -1, extra?: Container): Inventory {
  const cs: Container[] = [];
  const distinct = process.env.BENCH_GRAPH_SHAPES !== 'same';
  const hex = (i: number) => i.toString(16).padStart(64, '0');
  for (let i = 0; i < containers; i++) {
    const mounts: Container['mounts'][number][] = [
      { type: 'volume', volumeName: `vol-${i}`, source: `/v/vol-${i}`, destination: '/data', readOnly: false, anonymous: false },
    ];
    const volumesFrom: Container['volumesFrom'][number][] = [];
    if (i % 10 === 9) {
      mounts.push({
        type: 'volume',
        volumeName: `vol-${i - 1}`,
        source: '',
        destination: '/from',
        readOnly: i % 20 === 19,
        anonymous: false,
        viaContainer: `c-${i - 1}`,
      });
      volumesFrom.push({ ref: `c-${i - 1}`, mode: i % 20 === 19 ? 'ro' : 'default', resolvedId: hex(i - 1) });
    }
    if (i % 50 === 49) volumesFrom.push({ ref: `removed-${i}`, mode: 'default' });
    if (i % 5 === 0) mounts.push({ type: 'bind', source: `/srv/shared/${i % 3}`, destination: '/etc/app', readOnly: true, anonymous: false });
    if (i % 25 === 0) mounts.push({ type: 'tmpfs', source: '', destination: '/scratch', readOnly: false, anonymous: false });
    const group = Math.floor(i / 20);
    mounts.push({ type: 'volume', volumeName: `group-${group}`, source: '', destination: '/group', readOnly: false, anonymous: false });
    if (distinct && i % 20 <= group % 20) {
      mounts.push({ type: 'volume', volumeName: `more-${group}`, source: '', destination: '/more', readOnly: false, anonymous: false });
    }
    if (distinct && group >= 20 && i % 20 <= group - 20) {
      mounts.push({ type: 'volume', volumeName: `more2-${group}`, source: '', destination: '/more2', readOnly: false, anonymous: false });
    }
    cs.push({
      id: hex(i),
      name: `c-${i}`,
      image: 'app:1',
      state: i === stopped ? 'exited' : i % 3 === 0 ? 'exited' : 'running',
      status: '',
      created: 0,
      labels: {},
      ...(i % 4 === 0 ? { composeProject: `proj-${i % 7}` } : {}),
      mounts,
      volumesFrom,
    });
  }
  if (extra) cs.push(extra);
  const users = new Map<string, Volume['users'][number][]>();
  for (const c of cs) {
    for (const m of c.mounts) {
      if (m.volumeName) {
        users.set(m.volumeName, [
          ...(users.get(m.volumeName) ?? []),
          {
            containerId: c.id,
            containerName: c.name,
            containerState: c.state,
            destination: m.destination,
            readOnly: m.readOnly,
            ...(m.viaContainer ? { viaContainer: m.viaContainer } : {}),
          },
        ]);
      }
    }
  }
  const names = [...users.keys()];
  for (let i = 0; names.length < volumes; i++) names.push(`unused-${i}`);
  const vs: Volume[] = names.map((name) => ({
    name,
    driver: 'local',
    labels: {},
    mountpoint: `/v/${name}`,
    scope: 'local',
    anonymous: false,
    users: users.get(name) ?? [],
  }));
  return { containers: cs, volumes: vs, takenAt: 0 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function time(runs: number, fn: () => void): number {
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    xs.push(performance.now() - t);
  }
  return median(xs);
}

export default async function (): Promise<void> {
  const C = Number(process.env.BENCH_CONTAINERS ?? 500);
  const V = Number(process.env.BENCH_VOLUMES ?? 1000);
  const inv = inventory(C, V);
  const stopped = inventory(C, V, 4); // c-4 stopped: one engine event
  // A container created that mounts group 3's volume: its part changes (laid out again), the rest does not.
  const hex = (i: number) => i.toString(16).padStart(64, '0');
  const created = inventory(C, V, -1, {
    id: hex(C + 1),
    name: 'newcomer',
    image: 'app:1',
    state: 'running',
    status: '',
    created: 0,
    labels: {},
    volumesFrom: [],
    mounts: [{ type: 'volume', volumeName: 'group-3', source: '', destination: '/group', readOnly: false, anonymous: false }],
  });
  const whole: GraphScope = { whole: true };
  const near: GraphScope = { whole: false, focus: { kind: 'container', containerId: inv.containers[19].id } };
  let g: MountGraph = buildMountGraph(inv);
  const wholeView = selectView(g, whole);
  const nearView = selectView(g, near);
  const layout = new GraphLayout();
  layout.layout(wholeView);
  console.log(
    `model: ${g.nodes.length} nodes, ${g.edges.length} edges; neighbourhood of c-19: ${nearView.nodes.length} nodes; ` +
      `whole engine in ${layout.lastComputed} layouts (biggest ${layout.lastBiggest} nodes; ${layout.lastHubs} hubs cut out; dagre given ${layout.lastDagreNodes} nodes, twins stacked); ` +
      `message ${(JSON.stringify(wholeView).length / 1024).toFixed(0)} KiB`,
  );
  const host = {
    whole: time(7, () => {
      g = buildMountGraph(inv);
      JSON.parse(JSON.stringify(selectView(g, whole)));
    }),
    near: time(7, () => {
      g = buildMountGraph(inv);
      JSON.parse(JSON.stringify(selectView(g, near)));
    }),
    stopped: time(7, () => {
      JSON.parse(JSON.stringify(diffGraphs(wholeView, selectView(buildMountGraph(stopped), whole))));
    }),
    created: time(7, () => {
      JSON.parse(JSON.stringify(diffGraphs(wholeView, selectView(buildMountGraph(created), whole))));
    }),
  };
  const stopPatch = diffGraphs(wholeView, selectView(buildMountGraph(stopped), whole));
  const createPatch = diffGraphs(wholeView, selectView(buildMountGraph(created), whole));

  const page = await pageTimes(wholeView, nearView, [stopPatch, createPatch]);
  const rows: [string, number, Timing | undefined, number | undefined][] = [
    ['whole engine: model build + first paint', host.whole, page?.whole, 2000],
    ['neighbourhood (one container): model + first paint', host.near, page?.near, 200],
    [
      "the same in a panel opened fresh: its script started and run, then the model + first paint, dagre and the toolkit cold (VS Code's own making of the webview not counted)",
      host.near,
      page?.coldNear,
      undefined,
    ],
    ['engine event (one container stopped): diff + patch applied and painted', host.stopped, page?.events[0], 100],
    [
      'engine event (a container created in a part): diff + the new container placed beside its part (no new layout) + painted',
      host.created,
      page?.events[1],
      100,
    ],
  ];
  console.log(
    '| view | extension host (build, select, serialise) | page: layout | page: SVG elements | page: the rest up to the frame | first frame (host + page) | total: all drawn (host + page) | target |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const [what, h, p, target] of rows) {
    const total = h + (p?.total ?? NaN);
    const ms = (x: number | undefined) => (x === undefined ? 'n/a' : `${x.toFixed(0)} ms`);
    const first = h + (p?.first ?? NaN);
    console.log(
      `| ${what} | ${ms(h)} | ${ms(p?.layout)} | ${ms(p?.draw)} | ${ms(p && p.total - p.layout - p.draw)} | ${Number.isNaN(first) ? 'n/a' : `${first.toFixed(0)} ms`} | ${Number.isNaN(total) ? 'n/a' : `${total.toFixed(0)} ms`} | ${target === undefined ? "reported (a panel's start, not the view's)" : `< ${target} ms${total > target ? ' **MISSED**' : ''}`} |`,
    );
  }
  console.log(
    `(patches: ${stopPatch.putNodes.length} node(s) put; ${createPatch.putNodes.length} node(s) and ${createPatch.putEdges.length} edge(s) put. Median of 7 host runs; page: median of 5 fresh pages each,` +
      ` from the message's arrival to the frame after it was drawn (all of it: a big view is drawn in steps, each painted; the first frame shows its first parts); the page's script itself starts in ${page ? `${page.script.toFixed(0)} ms` : 'n/a'} (median), before the first message, and then warms dagre and the toolkit in ${page ? `${page.warmUp.toFixed(0)} ms` : 'n/a'} (median) while the host builds the graph)`,
  );
}

/** What the timing function uses of the page's globals (this file is compiled without the DOM's types). */
interface PageGlobals {
  document: { querySelector(s: string): { dataset: Record<string, string | undefined> } | null };
  performance: { now(): number; getEntriesByName(name: string): { duration: number }[] };
  dispatchEvent(e: unknown): boolean;
  MessageEvent: new (type: string, init: { data: unknown }) => unknown;
  requestAnimationFrame(cb: () => void): number;
  setTimeout(cb: () => void, ms: number): unknown;
}

/** ms from a message's arrival to the first frame after it (a big view: its first parts drawn) and to
 * the frame after all of it was drawn, and the page's own measures of its layout and SVG work in it. */
interface Timing {
  first: number;
  total: number;
  layout: number;
  draw: number;
}

/** The real page in headless chromium. */
async function pageTimes(
  wholeView: MountGraph,
  nearView: MountGraph,
  patches: GraphPatch[],
): Promise<{ whole: Timing; near: Timing; coldNear: Timing; events: Timing[]; script: number; warmUp: number } | undefined> {
  const exe = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  const script = path.join(ROOT, 'dist/webview/mountGraph.js');
  if (!existsSync(exe) || !existsSync(script)) {
    console.log(`(no ${existsSync(exe) ? script : exe}: page times skipped)`);
    return undefined;
  }
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: exe, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  const scriptTimes: number[] = [];
  const warmUpTimes: number[] = [];
  try {
    const full = (graph: MountGraph) => ({ type: 'full', graph, focusIds: [], settings: { whole: true, filter: {} }, projects: [], strings: {} });
    const once = async (first: MountGraph, then?: unknown): Promise<Timing> => {
      const p = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const errors: string[] = [];
      p.on('pageerror', (e) => errors.push(e.message));
      // Browser code as text: this file is compiled without the DOM's types.
      // The webview's API, stubbed before the page's script runs (setContent makes no new document,
      // so an init script would not run for it: the page found no acquireVsCodeApi).
      await p.setContent('<!DOCTYPE html><html><body><main id="app"></main></body></html>');
      await p.addScriptTag({
        content:
          'window.sent = []; let st; window.acquireVsCodeApi = () => ({ postMessage: (m) => window.sent.push(m), getState: () => st, setState: (s) => { st = s; } });',
      });
      await p.addStyleTag({ path: path.join(ROOT, 'dist/webview/mountGraph.css') });
      const before = await p.evaluate<number>('performance.now()');
      await p.addScriptTag({ path: script });
      scriptTimes.push((await p.evaluate<number>('performance.now()')) - before);
      // the page warms dagre and the toolkit after saying 'ready', while the host builds the graph:
      // the message is sent after that (timed apart: warmUpTimes)
      warmUpTimes.push(
        await p.evaluate<number>(
          `new Promise((r) => setTimeout(() => setTimeout(() => setTimeout(() => r(['warmup:controls', 'warmup:layout'].reduce((s, n) => s + (performance.getEntriesByName('graph:' + n).at(-1)?.duration ?? 0), 0)), 0), 0), 0))`,
        ),
      );
      // A function, not a string: Playwright takes a string as an expression and would only return
      // the arrow function, never call it (the page then got no message and drew nothing).
      const paint = (m: unknown) =>
        p.evaluate(async (msg: unknown) => {
          const w = globalThis as unknown as PageGlobals;
          const t = w.performance.now();
          const phase = (name: string) => w.performance.getEntriesByName(`graph:${name}`).at(-1)?.duration ?? 0;
          const [l0, d0] = [phase('layout'), phase('draw')];
          w.dispatchEvent(new w.MessageEvent('message', { data: msg }));
          const frame = () => new Promise<void>((r) => w.requestAnimationFrame(() => w.setTimeout(r, 0)));
          await frame();
          let first = w.performance.now() - t;
          const stepped = !!w.document.querySelector('svg.graph')?.dataset.drawing;
          // a big view is laid out and drawn in steps, each painted: the total is to the frame after the last
          while (w.document.querySelector('svg.graph')?.dataset.drawing) await frame();
          const total = w.performance.now() - t;
          // the page keeps each phase's last run: unchanged means it did not run for this message
          const [l1, d1] = [phase('layout'), phase('draw')];
          // drawn in steps: the page starts the next step right after a frame, before this function's
          // timer; it times its first frame from the message itself
          if (stepped && phase('firstFrame')) first = phase('firstFrame');
          return { first, total, layout: l1 === l0 ? 0 : l1, draw: d1 === d0 ? 0 : d1 };
        }, m);
      let ms = await paint(full(first));
      if (then) {
        // an engine event comes to a page that has finished drawing (its first frame's raster done)
        await p.waitForTimeout(500);
        ms = await paint(then);
      }
      const drawn = await p.evaluate<number>('document.querySelectorAll("g.node").length');
      if (!then && drawn !== first.nodes.length) {
        throw new Error(`the page drew ${drawn} of ${first.nodes.length} nodes${errors.length ? `: ${errors.join('; ')}` : ''}`);
      }
      if (errors.length) throw new Error(`the page failed: ${errors.join('; ')}`);
      await p.close();
      return ms;
    };
    // A panel opened fresh: the host answers 'ready' at once (its own time is added apart), so the
    // message meets a page that has warmed nothing; timed from the script's insertion to the frame
    // after the view is drawn.
    const cold = async (view: MountGraph): Promise<Timing> => {
      const p = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const errors: string[] = [];
      p.on('pageerror', (e) => errors.push(e.message));
      await p.setContent('<!DOCTYPE html><html><body><main id="app"></main></body></html>');
      await p.addScriptTag({
        content: `window.firstMessage = ${JSON.stringify(full(view))}; let st; window.acquireVsCodeApi = () => ({ postMessage: (m) => { if (m.type === 'ready') setTimeout(() => window.dispatchEvent(new MessageEvent('message', { data: window.firstMessage })), 0); }, getState: () => st, setState: (s) => { st = s; } });`,
      });
      await p.addStyleTag({ path: path.join(ROOT, 'dist/webview/mountGraph.css') });
      const before = await p.evaluate<number>('performance.now()');
      await p.addScriptTag({ path: script });
      const done = await p.evaluate<number>(
        `new Promise((r) => { const check = () => { const svg = document.querySelector('svg.graph'); if (svg && !svg.dataset.drawing && document.querySelectorAll('g.node').length === ${view.nodes.length}) requestAnimationFrame(() => setTimeout(() => r(performance.now()), 0)); else requestAnimationFrame(check); }; check(); })`,
      );
      const phase = (name: string) => p.evaluate<number>(`performance.getEntriesByName('graph:${name}').at(-1)?.duration ?? 0`);
      const [layout, draw] = [await phase('layout'), await phase('draw')];
      if (errors.length) throw new Error(`the page failed: ${errors.join('; ')}`);
      await p.close();
      return { first: done - before, total: done - before, layout, draw };
    };
    const runs = async (fn: () => Promise<Timing>): Promise<Timing> => {
      const xs: Timing[] = [];
      for (let i = 0; i < 5; i++) xs.push(await fn());
      return [...xs].sort((a, b) => a.total - b.total)[Math.floor(xs.length / 2)];
    };
    return {
      whole: await runs(() => once(wholeView)),
      near: await runs(() => once(nearView)),
      coldNear: await runs(() => cold(nearView)),
      events: [
        await runs(() => once(wholeView, { type: 'patch', patch: patches[0], projects: [] })),
        await runs(() => once(wholeView, { type: 'patch', patch: patches[1], projects: [] })),
      ],
      script: median(scriptTimes),
      warmUp: median(warmUpTimes),
    };
  } finally {
    await browser.close();
  }
}
