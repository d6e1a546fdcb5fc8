// The mount graph at 500 containers and 1,000 volumes: building the model and choosing the view (the
// extension host's part), then the page's own work in headless chromium (the real bundled page,
// dist/webview/mountGraph.js: dagre layout, SVG elements, and the browser's layout and paint up to
// the next frame), for the whole engine, one container's neighbourhood and an engine event (a patch).
// The inventory is synthetic (its loading from the engine is the inventory benchmark's row): each
// container mounts its own named volume, every tenth also takes --volumes-from the one before
// (chains), every fifth binds a shared host folder, every 25th has a tmpfs, groups of 20 share a
// volume, the rest of the 1,000 volumes are unused, and a few --volumes-from sources were removed.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { buildMountGraph, diffGraphs, selectView, type GraphScope, type MountGraph } from '../../src/core/mountGraph';
import type { Container, Inventory, Volume } from '../../src/core/types';

const ROOT = path.resolve(__dirname, '../../..');

function inventory(containers: number, volumes: number, stopped = -1): Inventory {
  const cs: Container[] = [];
  const hex = (i: number) => i.toString(16).padStart(64, '0');
  for (let i = 0; i < containers; i++) {
    const mounts: Container['mounts'][number][] = [{ type: 'volume', volumeName: `vol-${i}`, source: `/v/vol-${i}`, destination: '/data', readOnly: false, anonymous: false }];
    const volumesFrom: Container['volumesFrom'][number][] = [];
    if (i % 10 === 9) {
      mounts.push({ type: 'volume', volumeName: `vol-${i - 1}`, source: '', destination: '/from', readOnly: i % 20 === 19, anonymous: false, viaContainer: `c-${i - 1}` });
      volumesFrom.push({ ref: `c-${i - 1}`, mode: i % 20 === 19 ? 'ro' : 'default', resolvedId: hex(i - 1) });
    }
    if (i % 50 === 49) volumesFrom.push({ ref: `removed-${i}`, mode: 'default' });
    if (i % 5 === 0) mounts.push({ type: 'bind', source: `/srv/shared/${i % 3}`, destination: '/etc/app', readOnly: true, anonymous: false });
    if (i % 25 === 0) mounts.push({ type: 'tmpfs', source: '', destination: '/scratch', readOnly: false, anonymous: false });
    mounts.push({ type: 'volume', volumeName: `group-${Math.floor(i / 20)}`, source: '', destination: '/group', readOnly: false, anonymous: false });
    cs.push({
      id: hex(i), name: `c-${i}`, image: 'app:1', state: i === stopped ? 'exited' : i % 3 === 0 ? 'exited' : 'running', status: '', created: 0,
      labels: {}, ...(i % 4 === 0 ? { composeProject: `proj-${i % 7}` } : {}), mounts, volumesFrom,
    });
  }
  const users = new Map<string, Volume['users'][number][]>();
  for (const c of cs) for (const m of c.mounts) if (m.volumeName) users.set(m.volumeName, [...(users.get(m.volumeName) ?? []), { containerId: c.id, containerName: c.name, containerState: c.state, destination: m.destination, readOnly: m.readOnly, ...(m.viaContainer ? { viaContainer: m.viaContainer } : {}) }]);
  const names = [...users.keys()];
  for (let i = 0; names.length < volumes; i++) names.push(`unused-${i}`);
  const vs: Volume[] = names.map((name) => ({ name, driver: 'local', labels: {}, mountpoint: `/v/${name}`, scope: 'local', anonymous: false, users: users.get(name) ?? [] }));
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
  const after = inventory(C, V, 4); // c-4 stopped: one engine event
  const whole: GraphScope = { whole: true };
  const near: GraphScope = { whole: false, focus: { kind: 'container', containerId: inv.containers[19].id } };
  let g: MountGraph = buildMountGraph(inv);
  const wholeView = selectView(g, whole);
  const nearView = selectView(g, near);
  console.log(`model: ${g.nodes.length} nodes, ${g.edges.length} edges; neighbourhood of c-19: ${nearView.nodes.length} nodes`);
  const host = {
    whole: time(7, () => { g = buildMountGraph(inv); JSON.parse(JSON.stringify(selectView(g, whole))); }),
    near: time(7, () => { g = buildMountGraph(inv); JSON.parse(JSON.stringify(selectView(g, near))); }),
    event: time(7, () => { JSON.parse(JSON.stringify(diffGraphs(wholeView, selectView(buildMountGraph(after), whole)))); }),
  };
  const patch = diffGraphs(wholeView, selectView(buildMountGraph(after), whole));

  const page = await pageTimes(wholeView, nearView, patch);
  const rows: [string, number, number | undefined][] = [
    ['whole engine: model build + first paint', host.whole, page?.whole],
    ['neighbourhood (one container): model + first paint', host.near, page?.near],
    ['engine event (one container stopped): diff + patch applied and painted', host.event, page?.event],
  ];
  console.log('| view | extension host (build, select, serialise) | page (layout, SVG, paint) | total | target |');
  console.log('|---|---|---|---|---|');
  const targets = [2000, 200, 100];
  rows.forEach(([what, h, p], i) => {
    const total = h + (p ?? NaN);
    console.log(`| ${what} | ${h.toFixed(0)} ms | ${p === undefined ? 'n/a' : `${p.toFixed(0)} ms`} | ${Number.isNaN(total) ? 'n/a' : `${total.toFixed(0)} ms`} | < ${targets[i]} ms${total > targets[i] ? ' **MISSED**' : ''} |`);
  });
  console.log(`(patch for the event: ${patch.putNodes.length} node(s), ${patch.putEdges.length} edge(s) put; median of 7 host runs, page runs: median of 5 fresh pages)`);
}

/** What the timing function uses of the page's globals (this file is compiled without the DOM's types). */
interface PageGlobals {
  performance: { now(): number };
  dispatchEvent(e: unknown): boolean;
  MessageEvent: new (type: string, init: { data: unknown }) => unknown;
  requestAnimationFrame(cb: () => void): number;
  setTimeout(cb: () => void, ms: number): unknown;
}

/** The real page in headless chromium: ms from the message's arrival to the frame after it was drawn. */
async function pageTimes(wholeView: MountGraph, nearView: MountGraph, patch: ReturnType<typeof diffGraphs>): Promise<{ whole: number; near: number; event: number } | undefined> {
  const exe = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  const script = path.join(ROOT, 'dist/webview/mountGraph.js');
  if (!existsSync(exe) || !existsSync(script)) {
    console.log(`(no ${existsSync(exe) ? script : exe}: page times skipped)`);
    return undefined;
  }
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: exe, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  try {
    const full = (graph: MountGraph) => ({ type: 'full', graph, focusIds: [], settings: { whole: true, filter: {} }, projects: [], strings: {} });
    const once = async (first: MountGraph, then?: unknown): Promise<number> => {
      const p = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const errors: string[] = [];
      p.on('pageerror', (e) => errors.push(e.message));
      // Browser code as text: this file is compiled without the DOM's types.
      // The webview's API, stubbed before the page's script runs (setContent makes no new document,
      // so an init script would not run for it: the page found no acquireVsCodeApi).
      await p.setContent('<!DOCTYPE html><html><body><main id="app"></main></body></html>');
      await p.addScriptTag({ content: 'window.sent = []; let st; window.acquireVsCodeApi = () => ({ postMessage: (m) => window.sent.push(m), getState: () => st, setState: (s) => { st = s; } });' });
      await p.addStyleTag({ path: path.join(ROOT, 'dist/webview/mountGraph.css') });
      await p.addScriptTag({ path: script });
      // A function, not a string: Playwright takes a string as an expression and would only return
      // the arrow function, never call it (the page then got no message and drew nothing).
      const paint = (m: unknown) => p.evaluate(async (msg: unknown) => {
        const w = globalThis as unknown as PageGlobals;
        const t = w.performance.now();
        w.dispatchEvent(new w.MessageEvent('message', { data: msg }));
        await new Promise<void>((r) => w.requestAnimationFrame(() => w.setTimeout(r, 0)));
        return w.performance.now() - t;
      }, m);
      let ms = await paint(full(first));
      if (then) ms = await paint(then);
      const drawn = await p.evaluate<number>('document.querySelectorAll("g.node").length');
      if (!then && drawn !== first.nodes.length) throw new Error(`the page drew ${drawn} of ${first.nodes.length} nodes${errors.length ? `: ${errors.join('; ')}` : ''}`);
      await p.close();
      return ms;
    };
    const runs = async (fn: () => Promise<number>) => { const xs: number[] = []; for (let i = 0; i < 5; i++) xs.push(await fn()); return median(xs); };
    return {
      whole: await runs(() => once(wholeView)),
      near: await runs(() => once(nearView)),
      event: await runs(() => once(wholeView, { type: 'patch', patch, projects: [] })),
    };
  } finally {
    await browser.close();
  }
}
