// The mount-graph page: draws what the host sends (protocol.ts) as SVG, laid out by graphLayout.ts,
// and posts the user's choices back. Names are untrusted text: never HTML.
// Design notes: docs/ui.md#srcwebviewpagemountgraphts
import { applyPatch, type GraphEdge, type GraphFocus, type GraphNode, type GraphPatch, type MountGraph } from '../../core/engine/mountGraph';
import { GraphLayout, NODE_HEIGHT, edgeText, shortLabel, warmUp as warmLayout, type GraphPositions, type LayoutRun } from '../graphLayout';
import { LIMITS, type HostMessage, type NodeAction, type PageMessage, type ViewSettings } from '../protocol';
import { button, checkbox, divider, dropdown, textField, warmUp as warmControls } from './controls';

interface VsCodeApi {
  postMessage(m: PageMessage): void;
  getState(): unknown;
  setState(s: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

interface Transform {
  x: number;
  y: number;
  k: number;
}
/** What survives a reload (the host's serializer reads focus and settings back, validated). */
interface PageState {
  focus?: GraphFocus;
  settings?: ViewSettings;
  transform?: Transform;
  focused?: string;
}

const vscode = acquireVsCodeApi();
const SVG = 'http://www.w3.org/2000/svg';
const app = document.getElementById('app') as HTMLElement;
let strings: Record<string, string> = {};
let graph: MountGraph = { nodes: [], edges: [] };
let focusIds = new Set<string>();
let settings: ViewSettings = { whole: false, filter: {} };
const saved = (vscode.getState() ?? {}) as PageState;
let transform: Transform | undefined = saved.transform;
let positions: GraphPositions | undefined;

const t = (key: string, ...args: (string | number)[]) => (strings[key] ?? key).replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)] ?? ''));
const post = (m: PageMessage) => vscode.postMessage(m);
const byId = () => new Map(graph.nodes.map((n) => [n.id, n]));

// ---- measuring text for the layout, with the editor's font
const canvas = document.createElement('canvas').getContext('2d');
const font = getComputedStyle(document.body);
// Cached: a whole-engine view measures thousands of labels, most of them many times over.
const measured = new Map<string, number>();
let canvasFont = '';
const measure = (text: string, bold: boolean) => {
  if (!canvas) return text.length * 7;
  const key = `${bold ? 'b' : 'n'}${text}`;
  const known = measured.get(key);
  if (known !== undefined) return known;
  const f = `${bold ? '600 ' : ''}${bold ? 13 : 11}px ${font.fontFamily}`;
  if (f !== canvasFont) canvas.font = canvasFont = f;
  const w = canvas.measureText(text).width;
  if (measured.size > 20000) measured.clear();
  measured.set(key, w);
  return w;
};

function subtitle(n: GraphNode): string {
  switch (n.kind) {
    case 'container':
      return `${n.running ? t('running') : n.state ? t(`state.${n.state}`) : ''} · ${n.image ?? ''}`;
    case 'volume':
      return [n.anonymous ? t('anonymousVolume') : t('volume'), n.unused ? t('unused') : n.shared ? t('usedBy', n.users ?? 0) : ''].filter(Boolean).join(' · ');
    case 'bind':
      return [t('hostPath'), n.shared ? t('usedBy', n.users ?? 0) : ''].filter(Boolean).join(' · ');
    case 'tmpfs':
      return t('tmpfs');
    case 'gone':
      return t('gone');
  }
}
const words = () => ({ readOnly: t('readOnly'), volumesFrom: t('volumesFrom'), lost: t('lost') });
const STATES = ['created', 'paused', 'restarting', 'removing', 'exited', 'dead', 'unknown'] as const;
/** The subtitle a node's box is made wide enough for: a container's with its longest state word, so
 * that one stopping or starting keeps its box, and its part keeps its layout. */
function boxSubtitle(n: GraphNode): string {
  if (n.kind !== 'container') return subtitle(n);
  const longest = [t('running'), ...STATES.map((s) => t(`state.${s}`))].reduce((a, b) => (measure(b, false) > measure(a, false) ? b : a));
  return `${longest} · ${n.image ?? ''}`;
}
const layout = new GraphLayout(
  measure,
  (n) => shortLabel(boxSubtitle(n), 60),
  (e) => edgeText(e, words()),
);

// ---- the frame: toolbar, graph, legend, menu
const toolbar = el('div', 'toolbar');
const svg = document.createElementNS(SVG, 'svg');
svg.classList.add('graph');
svg.setAttribute('role', 'group');
const viewport = document.createElementNS(SVG, 'g');
viewport.classList.add('viewport');
const edgeLayer = document.createElementNS(SVG, 'g');
const nodeLayer = document.createElementNS(SVG, 'g');
edgeLayer.classList.add('edges');
nodeLayer.classList.add('nodes');
viewport.append(edgeLayer, nodeLayer);
svg.append(markers(), viewport);
const status = el('div', 'status');
status.setAttribute('role', 'status');
const empty = el('p', 'empty');
const legend = el('div', 'legend');
const menu = el('div', 'menu');
menu.setAttribute('role', 'menu');
menu.hidden = true;
const nodeEls = new Map<string, SVGGElement>();
const edgeEls = new Map<string, SVGGElement>();
let controlsBuilt = false;
/** The user changed the scope or a filter: the next patch is its answer, fit the view to it. */
let fitAfterNextPatch = false;
let projectDropdown: ReturnType<typeof dropdown> | undefined;
let wholeBox: ReturnType<typeof checkbox> | undefined;
let runningBox: ReturnType<typeof checkbox> | undefined;
let filterField: ReturnType<typeof textField> | undefined;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}
function sv<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}, cls?: string): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (cls) e.setAttribute('class', cls);
  return e;
}

function markers(): SVGDefsElement {
  const defs = sv('defs');
  for (const kind of ['mount', 'inherited', 'volumesFrom', 'lost', 'ro']) {
    const m = sv(
      'marker',
      { id: `arrow-${kind}`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
      `marker marker-${kind}`,
    );
    m.append(kind === 'lost' ? sv('path', { d: 'M1,1 L9,9 M9,1 L1,9' }, 'cross') : sv('path', { d: 'M0,0 L10,5 L0,10 z' }));
    defs.append(m);
  }
  return defs;
}

function buildFrame(): void {
  if (controlsBuilt) return;
  controlsBuilt = true;
  const emit = () => {
    fitAfterNextPatch = true;
    saveState();
    post({ type: 'settings', settings });
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const whole = checkbox(t('wholeEngine'), settings.whole, (v) => {
    if (v !== settings.whole) {
      settings = { ...settings, whole: v };
      emit();
    }
  });
  wholeBox = whole;
  whole.element.classList.add('whole');
  const filter = textField(
    t('filterPlaceholder'),
    settings.filter.text ?? '',
    (v) => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        settings = { ...settings, filter: { ...settings.filter, text: v.slice(0, LIMITS.filterText) } };
        emit();
      }, 200);
    },
    LIMITS.filterText,
  );
  filter.element.classList.add('filter');
  filterField = filter;
  projectDropdown = dropdown(t('project'), [['', t('allProjects')]], settings.filter.project ?? '', (v) => {
    settings = { ...settings, filter: { ...settings.filter, project: v } };
    emit();
  });
  const running = checkbox(t('runningOnly'), !!settings.filter.runningOnly, (v) => {
    if (v !== !!settings.filter.runningOnly) {
      settings = { ...settings, filter: { ...settings.filter, runningOnly: v } };
      emit();
    }
  });
  runningBox = running;
  const spacer = el('span', 'spacer');
  toolbar.append(
    whole.element,
    filter.element,
    projectDropdown.element,
    running.element,
    spacer,
    button('−', t('zoomOut'), () => zoomBy(1 / 1.25), 'icon'),
    button('+', t('zoomIn'), () => zoomBy(1.25), 'icon'),
    button(t('fit'), t('fit'), () => fit()),
    button(t('copyMermaid'), t('copyMermaid'), () => post({ type: 'copyMermaid' })),
    button(t('saveSvg'), t('saveSvg'), () => post({ type: 'saveSvg', svg: exportSvg() })),
  );
  svg.setAttribute('aria-label', t('graphLabel'));
  const items: [string, string][] = [
    ['lg-container running', t('running')],
    ['lg-container stopped', t('stopped')],
    ['lg-volume', t('volume')],
    ['lg-volume shared', t('shared')],
    ['lg-volume unused', t('unused')],
    ['lg-bind', t('hostPath')],
    ['lg-tmpfs', t('tmpfs')],
    ['lg-gone', t('gone')],
    ['lg-edge mount', t('legendMount')],
    ['lg-edge ro', t('readOnly')],
    ['lg-edge inherited', t('legendInherited')],
    ['lg-edge volumesFrom', '--volumes-from'],
    ['lg-edge lost', t('legendLost')],
  ];
  legend.append(
    ...items.map(([cls, text]) => {
      const s = el('span', 'lg');
      s.append(el('span', `swatch ${cls}`), document.createTextNode(text));
      return s;
    }),
  );
  app.replaceChildren(toolbar, divider(), legend, el('div', 'stage'), status, menu);
  (app.querySelector('.stage') as HTMLElement).append(svg, empty);
}

// ---- drawing
/** What each element was last drawn from ("n"/"e" + id): an element whose inputs did not change is
 * left alone, so an engine event touches the few elements it changed, not thousands. */
const drawn = new Map<string, string>();
/** Nodes only reached by a lost duplicate path: the mount that did not make it. */
let losers = new Set<string>();

/** A phase of the page's work, kept as the performance measure graph:<phase> (its last run only; the benchmark reads them). */
function timed<T>(phase: string, fn: () => T): T {
  const start = performance.now();
  try {
    return fn();
  } finally {
    performance.clearMeasures(`graph:${phase}`);
    performance.measure(`graph:${phase}`, { start, end: performance.now() });
  }
}

/** A phase's time summed over the steps of one view, kept as the measure graph:<phase> when done. */
function record(phase: string, ms: number): void {
  performance.clearMeasures(`graph:${phase}`);
  performance.measure(`graph:${phase}`, { start: 0, duration: ms });
}

/** Layout done before the first frame of a view; the rest follows in steps, each drawn and painted
 * before the next (a whole engine is seen as it is laid out), each twice as long as the one before:
 * every frame paints all that is drawn so far, so many small steps would cost more than they show. */
const FIRST_STEP_MS = 120;
/** The size the view being laid out in steps will have (estimated): the view is fitted to it. */
let estimated: { width: number; height: number } | undefined;
/** The view being laid out in steps, if it is not all placed yet. */
let pending:
  | {
      run: LayoutRun;
      budget: number;
      placedNodes: number;
      placedEdges: number;
      layoutMs: number;
      drawMs: number;
      refitFrom?: Transform;
      started: number;
      frames: number;
    }
  | undefined;

/** Lays out and draws (the first step now, the rest after the browser painted it); `beforeDraw` (a fit)
 * runs in between, so that the browser's layout it forces is of the stage before the new elements,
 * and the zoom they are drawn at is known. */
function render(beforeDraw?: () => void): void {
  pending = undefined;
  const started = messageAt;
  const run = layout.start(graph);
  const t0 = performance.now();
  const done = run.step(t0 + FIRST_STEP_MS);
  const layoutMs = performance.now() - t0;
  positions = run.positions;
  estimated = done ? undefined : run.estimate;
  const fitted = transform;
  beforeDraw?.();
  const t1 = performance.now();
  draw();
  const drawMs = performance.now() - t1;
  if (done) {
    record('layout', layoutMs);
    record('draw', drawMs);
    delete svg.dataset.drawing;
    return;
  }
  svg.dataset.drawing = '1';
  // fitted on what was placed first: fitted again when all is, unless the user zoomed or panned
  pending = {
    run,
    budget: 2 * FIRST_STEP_MS,
    placedNodes: positions.nodes.size,
    placedEdges: positions.edges.size,
    layoutMs,
    drawMs,
    refitFrom: beforeDraw && transform !== fitted ? transform : undefined,
    started,
    frames: 0,
  };
  afterPaint(pending);
}

/** The next step after the frame that shows this one was painted (in the frame after it). */
function afterPaint(p: NonNullable<typeof pending>): void {
  // after the frame's own work on this thread (its paint recorded and handed on): the browser
  // rasters it on its other threads while this one lays out the next step
  requestAnimationFrame(() =>
    setTimeout(() => {
      // the first frame of a view drawn in steps (the benchmark reads it: the steps follow at once)
      if (p.frames++ === 0) record('firstFrame', performance.now() - p.started);
      if (pending === p) stepOn();
    }, 0),
  );
}

/** The next step of a view being laid out (or all the rest at once: `all`, before a patch). */
function stepOn(all = false): void {
  const p = pending;
  if (!p) return;
  const t0 = performance.now();
  const done = p.run.step(all ? Infinity : t0 + p.budget);
  p.budget *= 2;
  p.layoutMs += performance.now() - t0;
  positions = p.run.positions;
  const t1 = performance.now();
  const nodeIds = [...positions.nodes.keys()].slice(p.placedNodes);
  const edgeIds = [...positions.edges.keys()].slice(p.placedEdges);
  p.placedNodes = positions.nodes.size;
  p.placedEdges = positions.edges.size;
  drawSome(new Set(nodeIds), new Set(edgeIds));
  p.drawMs += performance.now() - t1;
  if (!done) {
    afterPaint(p);
    return;
  }
  pending = undefined;
  estimated = undefined;
  if (p.refitFrom && transform === p.refitFrom) fit();
  record('layout', p.layoutMs);
  record('draw', p.drawMs);
  delete svg.dataset.drawing;
}

function finishPending(): void {
  if (pending) stepOn(true);
}

function markLosers(): void {
  const reached = new Set(graph.edges.filter((e) => e.kind !== 'lost').map((e) => e.to));
  losers = new Set(graph.edges.filter((e) => e.kind === 'lost' && !reached.has(e.to)).map((e) => e.to));
}

function showCounts(): void {
  empty.textContent = graph.nodes.length ? '' : t('nothing');
  empty.hidden = graph.nodes.length > 0;
  svg.dataset.nodes = String(graph.nodes.length);
  svg.dataset.edges = String(graph.edges.length);
}

function draw(): void {
  markLosers();
  const nodes = byId();
  const edgeIds = new Set(graph.edges.map((e) => e.id));
  // gone, or not placed yet (a view laid out in steps): not drawn
  for (const [id, g] of edgeEls) {
    if (!edgeIds.has(id) || !positions?.edges.has(id)) {
      g.remove();
      edgeEls.delete(id);
      drawn.delete(`e${id}`);
    }
  }
  for (const [id, g] of nodeEls) {
    if (!nodes.has(id) || !positions?.nodes.has(id)) {
      g.remove();
      nodeEls.delete(id);
      drawn.delete(`n${id}`);
    }
  }
  for (const e of graph.edges) drawEdge(e, nodes);
  // New nodes in reading order (left to right, then down), so Tab walks the picture.
  const fresh = graph.nodes.filter((n) => !nodeEls.has(n.id));
  const at = (n: GraphNode) => positions?.nodes.get(n.id);
  fresh.sort((a, b) => (at(a)?.y ?? 0) - (at(b)?.y ?? 0) || (at(a)?.x ?? 0) - (at(b)?.x ?? 0));
  const freshIds = new Set(fresh.map((n) => n.id));
  for (const n of graph.nodes) if (!freshIds.has(n.id)) drawNode(n, false);
  for (const n of fresh) drawNode(n, true);
  showCounts();
}

/** Draws only these nodes and edges (and the edges of those nodes: their tooltips name them). */
function drawSome(nodeIds: ReadonlySet<string>, edgeIds: ReadonlySet<string>): void {
  const nodes = byId();
  for (const e of graph.edges) if (edgeIds.has(e.id) || nodeIds.has(e.from) || nodeIds.has(e.to)) drawEdge(e, nodes);
  const some = graph.nodes.filter((n) => nodeIds.has(n.id));
  const at = (n: GraphNode) => positions?.nodes.get(n.id);
  some.sort((a, b) => (at(a)?.y ?? 0) - (at(b)?.y ?? 0) || (at(a)?.x ?? 0) - (at(b)?.x ?? 0));
  for (const n of some) drawNode(n, !nodeEls.has(n.id));
  showCounts();
}

/** An engine event placed without a new layout (GraphLayout.place): only what it touched is drawn. */
function drawPatch(p: GraphPatch): void {
  for (const id of p.removeEdges) {
    edgeEls.get(id)?.remove();
    edgeEls.delete(id);
    drawn.delete(`e${id}`);
  }
  for (const id of p.removeNodes) {
    nodeEls.get(id)?.remove();
    nodeEls.delete(id);
    drawn.delete(`n${id}`);
  }
  const before = losers;
  markLosers();
  const nodeIds = new Set(p.putNodes.map((n) => n.id));
  for (const id of losers) if (!before.has(id)) nodeIds.add(id);
  for (const id of before) if (!losers.has(id)) nodeIds.add(id);
  drawSome(nodeIds, new Set(p.putEdges.map((e) => e.id)));
}

function nodeClass(n: GraphNode): string {
  const c = ['node', `kind-${n.kind}`];
  if (n.kind === 'container') c.push(n.running ? 'running' : 'stopped');
  if (n.anonymous) c.push('anonymous');
  if (n.shared) c.push('shared');
  if (n.unused) c.push('unused');
  if (focusIds.has(n.id)) c.push('focus');
  if (losers.has(n.id)) c.push('loser');
  return c.join(' ');
}

function nodeTitle(n: GraphNode): string {
  const lines = [n.label, subtitle(n)];
  if (n.volumeName && n.volumeName !== n.label) lines.push(n.volumeName);
  if (n.composeProject) lines.push(t('projectIs', n.composeProject));
  return lines.join('\n');
}

// A node's and an edge's elements, cloned for each (cheaper than making each element anew).
const nodeTemplate = sv('g', { tabindex: 0, role: 'button' });
nodeTemplate.append(sv('title'), sv('rect', { rx: 4 }, 'shape'), sv('text', { x: 14, y: 19 }, 'label'), sv('text', { x: 14, y: 35 }, 'sub'));
const edgeTemplate = sv('g');
edgeTemplate.append(sv('title'), sv('path', { fill: 'none' }, 'line'), sv('rect', { rx: 3, height: 15 }, 'label-bg'), sv('text', {}, 'edge-label'));

// The nodes' events, on their layer (one listener each, not five per node of a whole engine).
const nodeOf = (ev: Event) => (ev.target as Element).closest?.<SVGGElement>('g.node')?.dataset.id;
nodeLayer.addEventListener('click', (ev) => {
  const id = nodeOf(ev);
  if (id) {
    ev.stopPropagation();
    post({ type: 'action', action: 'reveal', nodeId: id });
  }
});
nodeLayer.addEventListener('contextmenu', (ev) => {
  const id = nodeOf(ev);
  if (id) {
    ev.preventDefault();
    ev.stopPropagation();
    openMenu(id, ev.clientX, ev.clientY);
  }
});
nodeLayer.addEventListener('keydown', (ev) => {
  const id = nodeOf(ev);
  if (id) onNodeKey(ev, id);
});
nodeLayer.addEventListener('focusin', (ev) => {
  const id = nodeOf(ev);
  if (id) {
    highlight(id);
    saveState();
  }
});
nodeLayer.addEventListener('focusout', (ev) => {
  if (nodeOf(ev)) highlight(undefined);
});

function drawNode(n: GraphNode, fresh: boolean): void {
  const box = positions?.nodes.get(n.id);
  if (!box) return;
  const cls = nodeClass(n);
  const sig = JSON.stringify([box.x, box.y, box.width, cls, n]);
  if (!fresh && nodeEls.has(n.id) && drawn.get(`n${n.id}`) === sig) return;
  drawn.set(`n${n.id}`, sig);
  let g = nodeEls.get(n.id);
  if (!g) {
    g = nodeTemplate.cloneNode(true) as SVGGElement;
    g.dataset.id = n.id;
    if (fresh) nodeLayer.append(g);
    nodeEls.set(n.id, g);
  }
  g.setAttribute('class', cls);
  g.dataset.kind = n.kind;
  g.dataset.label = n.label;
  g.setAttribute('transform', `translate(${box.x},${box.y})`);
  g.setAttribute('aria-label', `${n.label}, ${subtitle(n)}`);
  const [title, rect, label, sub] = [...g.children] as [SVGTitleElement, SVGRectElement, SVGTextElement, SVGTextElement];
  title.textContent = nodeTitle(n);
  rect.setAttribute('width', String(box.width));
  rect.setAttribute('height', String(NODE_HEIGHT));
  rect.setAttribute('rx', n.kind === 'volume' ? '14' : n.kind === 'container' ? '4' : '1');
  label.textContent = shortLabel(n.label);
  sub.textContent = shortLabel(subtitle(n), 60);
}

function drawEdge(e: GraphEdge, nodes: ReadonlyMap<string, GraphNode>): void {
  const route = positions?.edges.get(e.id);
  if (!route || route.points.length === 0) return;
  const title = edgeTitle(e, nodes);
  const sig = JSON.stringify([route, e, title]);
  if (edgeEls.has(e.id) && drawn.get(`e${e.id}`) === sig) return;
  drawn.set(`e${e.id}`, sig);
  let g = edgeEls.get(e.id);
  if (!g) {
    g = edgeTemplate.cloneNode(true) as SVGGElement;
    g.dataset.id = e.id;
    edgeLayer.append(g);
    edgeEls.set(e.id, g);
  }
  const cls = ['edge', `kind-${e.kind}`];
  if (e.readOnly) cls.push('ro');
  if (e.missing) cls.push('missing');
  g.setAttribute('class', cls.join(' '));
  g.dataset.kind = e.kind;
  g.dataset.from = e.from;
  g.dataset.to = e.to;
  g.dataset.destination = e.destination;
  if (e.winner) g.dataset.winner = e.winner;
  const [titleEl, path, bg, text] = [...g.children] as [SVGTitleElement, SVGPathElement, SVGRectElement, SVGTextElement];
  titleEl.textContent = title;
  const pts = route.points;
  let d = `M${pts[0].x},${pts[0].y}`;
  if (pts.length === 2) d += ` L${pts[1].x},${pts[1].y}`;
  for (let i = 1; i + 1 < pts.length; i++) {
    const mid = i + 2 < pts.length ? { x: (pts[i].x + pts[i + 1].x) / 2, y: (pts[i].y + pts[i + 1].y) / 2 } : pts[i + 1];
    d += ` Q${pts[i].x},${pts[i].y} ${mid.x},${mid.y}`;
  }
  path.setAttribute('d', d);
  path.setAttribute('marker-end', `url(#arrow-${e.kind === 'lost' ? 'lost' : e.readOnly && e.kind !== 'volumesFrom' ? 'ro' : e.kind})`);
  const label = edgeText(e, words());
  text.textContent = label;
  const w = label ? measure(label, false) + 8 : 0;
  text.setAttribute('x', String(route.label.x - w / 2 + 4));
  text.setAttribute('y', String(route.label.y + 4));
  bg.setAttribute('x', String(route.label.x - w / 2));
  bg.setAttribute('y', String(route.label.y - 7.5));
  bg.setAttribute('width', String(w));
}

function edgeTitle(e: GraphEdge, n: ReadonlyMap<string, GraphNode>): string {
  const from = n.get(e.from)?.label ?? '';
  const to = n.get(e.to)?.label ?? '';
  switch (e.kind) {
    case 'mount':
      return e.readOnly ? t('titleReadOnly', t('titleMount', from, e.destination, to)) : t('titleMount', from, e.destination, to);
    case 'inherited':
      return e.readOnly
        ? t('titleReadOnly', t('titleInherited', from, e.destination, to, e.via ?? ''))
        : t('titleInherited', from, e.destination, to, e.via ?? '');
    case 'volumesFrom':
      return t(e.missing ? 'titleVolumesFromGone' : 'titleVolumesFrom', from, to) + (e.mode === 'ro' ? ' :ro' : e.mode === 'rw' ? ' :rw' : '');
    case 'lost':
      return t('titleLost', from, e.destination, to, e.winner ?? '');
  }
}

function highlight(id: string | undefined): void {
  for (const g of edgeEls.values()) g.classList.toggle('hl', !!id && (g.dataset.from === id || g.dataset.to === id));
}

// ---- zoom and pan
/** Below this zoom the words are 5 px or less: not drawn (a whole engine then paints in a fraction of
 * the time); the names stay in the tooltips and the accessible labels. */
const READABLE = 0.4;
function applyTransform(): void {
  if (!transform) return;
  viewport.setAttribute('transform', `translate(${transform.x},${transform.y}) scale(${transform.k})`);
  svg.classList.toggle('far', transform.k < READABLE);
}
function fit(): void {
  if (!positions) return;
  const r = svg.getBoundingClientRect();
  const w = Math.max(positions.width, estimated?.width ?? 0, 1);
  const h = Math.max(positions.height, estimated?.height ?? 0, 1);
  const k = Math.min(1.5, Math.max(0.05, Math.min((r.width - 40) / w, (r.height - 40) / h)));
  transform = { k, x: (r.width - w * k) / 2, y: Math.max(20, (r.height - h * k) / 2) };
  applyTransform();
  saveState();
}
function zoomBy(f: number, cx?: number, cy?: number): void {
  if (!transform) return;
  const r = svg.getBoundingClientRect();
  const px = cx ?? r.width / 2;
  const py = cy ?? r.height / 2;
  const k = Math.min(4, Math.max(0.05, transform.k * f));
  transform = { k, x: px - ((px - transform.x) * k) / transform.k, y: py - ((py - transform.y) * k) / transform.k };
  applyTransform();
  saveState();
}
svg.addEventListener(
  'wheel',
  (ev) => {
    ev.preventDefault();
    const r = svg.getBoundingClientRect();
    zoomBy(Math.exp(-ev.deltaY * 0.0015), ev.clientX - r.left, ev.clientY - r.top);
  },
  { passive: false },
);
let drag: { x: number; y: number; tx: number; ty: number } | undefined;
svg.addEventListener('pointerdown', (ev) => {
  if ((ev.target as Element).closest('.node') || !transform || ev.button !== 0) return;
  closeMenu();
  drag = { x: ev.clientX, y: ev.clientY, tx: transform.x, ty: transform.y };
  svg.setPointerCapture(ev.pointerId);
  svg.classList.add('panning');
});
svg.addEventListener('pointermove', (ev) => {
  if (!drag || !transform) return;
  transform = { ...transform, x: drag.tx + ev.clientX - drag.x, y: drag.ty + ev.clientY - drag.y };
  applyTransform();
});
svg.addEventListener('pointerup', () => {
  if (drag) {
    drag = undefined;
    svg.classList.remove('panning');
    saveState();
  }
});

/** Pans so a node that got keyboard focus is inside the view. */
function ensureVisible(id: string): void {
  const box = positions?.nodes.get(id);
  if (!box || !transform) return;
  const r = svg.getBoundingClientRect();
  const x0 = box.x * transform.k + transform.x;
  const y0 = box.y * transform.k + transform.y;
  const x1 = x0 + box.width * transform.k;
  const y1 = y0 + box.height * transform.k;
  let dx = 0;
  let dy = 0;
  if (x0 < 10) dx = 10 - x0;
  else if (x1 > r.width - 10) dx = r.width - 10 - x1;
  if (y0 < 10) dy = 10 - y0;
  else if (y1 > r.height - 10) dy = r.height - 10 - y1;
  if (dx || dy) {
    transform = { ...transform, x: transform.x + dx, y: transform.y + dy };
    applyTransform();
  }
}

// ---- keyboard and the node menu
function onNodeKey(ev: KeyboardEvent, id: string): void {
  if (ev.key === 'Enter' || ev.key === ' ') {
    ev.preventDefault();
    post({ type: 'action', action: 'reveal', nodeId: id });
  } else if (ev.key === 'ContextMenu' || (ev.key === 'F10' && ev.shiftKey)) {
    ev.preventDefault();
    const r = nodeEls.get(id)?.getBoundingClientRect();
    openMenu(id, r ? r.left + 10 : 0, r ? r.bottom : 0);
  } else if (ev.key === '+' || ev.key === '=') zoomBy(1.25);
  else if (ev.key === '-') zoomBy(1 / 1.25);
}
document.addEventListener('focusin', (ev) => {
  const g = (ev.target as Element).closest?.<SVGGElement>('.node');
  if (g?.dataset.id) ensureVisible(g.dataset.id);
});

function actionsFor(n: GraphNode): NodeAction[] {
  switch (n.kind) {
    case 'container':
      return ['reveal', 'focus', 'inspect', 'migrate'];
    case 'volume':
      return ['reveal', 'focus', 'backup', 'openFolder', 'addToWorkspace', 'inspect'];
    case 'bind':
      return ['reveal', 'focus', 'backup', 'openFolder', 'addToWorkspace'];
    case 'tmpfs':
      return ['reveal'];
    case 'gone':
      return [];
  }
}
function openMenu(id: string, x: number, y: number): void {
  const n = byId().get(id);
  if (!n) return;
  const acts = actionsFor(n);
  if (!acts.length) return;
  menu.replaceChildren(
    el('div', 'menu-title', shortLabel(n.label, 40)),
    ...acts.map((a) => {
      const b = el('button', 'menu-item', t(`action.${a}`));
      b.type = 'button';
      b.setAttribute('role', 'menuitem');
      b.dataset.action = a;
      b.addEventListener('click', () => {
        closeMenu(id);
        post({ type: 'action', action: a, nodeId: id });
      });
      return b;
    }),
  );
  menu.setAttribute('aria-label', t('actionsFor', n.label));
  menu.hidden = false;
  const r = menu.getBoundingClientRect();
  menu.style.left = `${Math.min(x, window.innerWidth - r.width - 4)}px`;
  menu.style.top = `${Math.min(y, window.innerHeight - r.height - 4)}px`;
  menu.dataset.node = id;
  menu.querySelector<HTMLElement>('.menu-item')?.focus();
}
function closeMenu(returnTo?: string): void {
  if (menu.hidden) return;
  menu.hidden = true;
  const back = returnTo ?? menu.dataset.node;
  if (back) nodeEls.get(back)?.focus();
}
menu.addEventListener('keydown', (ev) => {
  const items = [...menu.querySelectorAll<HTMLElement>('.menu-item')];
  const i = items.indexOf(document.activeElement as HTMLElement);
  if (ev.key === 'Escape') {
    ev.preventDefault();
    closeMenu();
  } else if (ev.key === 'ArrowDown') {
    ev.preventDefault();
    items[(i + 1) % items.length]?.focus();
  } else if (ev.key === 'ArrowUp') {
    ev.preventDefault();
    items[(i - 1 + items.length) % items.length]?.focus();
  } else if (ev.key === 'Tab') {
    ev.preventDefault();
    closeMenu();
  }
});
document.addEventListener('pointerdown', (ev) => {
  if (!menu.contains(ev.target as Node)) closeMenu();
});

// ---- export: a standalone SVG with the theme's colours written in
function exportSvg(): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const src = [svg, ...svg.querySelectorAll('*')];
  const dst = [clone, ...clone.querySelectorAll('*')];
  const props = ['fill', 'stroke', 'stroke-width', 'stroke-dasharray', 'opacity', 'font-family', 'font-size', 'font-weight', 'text-decoration'];
  src.forEach((s, i) => {
    const cs = getComputedStyle(s);
    const d = dst[i];
    for (const p of props) {
      const v = cs.getPropertyValue(p);
      if ((v && v !== 'none') || p === 'fill' || p === 'stroke') d.setAttribute(p, v || 'none');
    }
    for (const a of ['tabindex', 'role', 'class', 'aria-label']) d.removeAttribute(a);
    for (const k of Object.keys((d as SVGElement).dataset ?? {})) delete (d as SVGElement).dataset[k];
  });
  const w = (positions?.width ?? 0) + 40;
  const h = (positions?.height ?? 0) + 40;
  clone.setAttribute('xmlns', SVG);
  clone.setAttribute('viewBox', `-20 -20 ${w} ${h}`);
  clone.setAttribute('width', String(w));
  clone.setAttribute('height', String(h));
  dst[src.indexOf(viewport)].removeAttribute('transform');
  const bg = sv('rect', { x: -20, y: -20, width: w, height: h, fill: getComputedStyle(document.body).backgroundColor });
  clone.insertBefore(bg, clone.firstChild);
  return new XMLSerializer().serializeToString(clone);
}

function saveState(): void {
  const focused = document.activeElement?.closest?.<SVGGElement>('.node');
  const s: PageState = { ...(vscode.getState() as PageState | undefined), settings, ...(transform ? { transform } : {}) };
  if (focused?.dataset.id) s.focused = focused.dataset.id;
  vscode.setState(s);
}

/** When the message being handled came (a view drawn in steps times its first frame from it). */
let messageAt = 0;
window.addEventListener('message', (ev: MessageEvent<HostMessage>) => {
  messageAt = performance.now();
  const m = ev.data;
  switch (m.type) {
    case 'engineDown':
      pending = undefined;
      app.replaceChildren(el('p', 'empty', m.message));
      controlsBuilt = false;
      nodeEls.clear();
      edgeEls.clear();
      drawn.clear();
      nodeLayer.replaceChildren();
      edgeLayer.replaceChildren();
      return;
    case 'full': {
      const refocused = controlsBuilt; // a second full view: the panel was opened on another item
      strings = { ...m.strings };
      drawn.clear(); // a whole view: everything drawn anew (the words may have changed)
      settings = m.settings;
      graph = m.graph;
      focusIds = new Set(m.focusIds);
      vscode.setState({ ...(vscode.getState() as PageState | undefined), ...(m.focus ? { focus: m.focus } : {}), settings });
      if (controlsBuilt) {
        // the host changed the scope (the panel was opened again on another item): show it
        if (wholeBox && wholeBox.value !== settings.whole) wholeBox.value = settings.whole;
        if (runningBox && runningBox.value !== !!settings.filter.runningOnly) runningBox.value = !!settings.filter.runningOnly;
        if (filterField && filterField.value !== (settings.filter.text ?? '')) filterField.value = settings.filter.text ?? '';
      }
      timed('controls', () => {
        buildFrame();
        projectDropdown?.setChoices([['', t('allProjects')], ...m.projects.map((p) => [p, p] as const)]);
      });
      render(() =>
        timed('fit', () => {
          if (transform && !refocused) applyTransform();
          else fit();
        }),
      );
      const back = (vscode.getState() as PageState | undefined)?.focused;
      if (back && nodeEls.has(back) && !document.activeElement?.closest('.node')) nodeEls.get(back)?.focus();
      return;
    }
    case 'patch': {
      finishPending(); // a view still being laid out is finished first: the patch is against all of it
      // Only nodes changed, and none in a way that changes its box (a container stopped or started):
      // the layout stays as it is, and only those nodes are drawn again.
      const beforeGraph = graph;
      const before = byId();
      const sameBoxes =
        m.patch.putEdges.length === 0 &&
        m.patch.removeEdges.length === 0 &&
        m.patch.removeNodes.length === 0 &&
        m.patch.putNodes.every((n) => {
          const old = before.get(n.id);
          return old !== undefined && layout.nodeWidth(old) === layout.nodeWidth(n);
        });
      graph = applyPatch(graph, m.patch);
      projectDropdown?.setChoices([['', t('allProjects')], ...m.projects.map((p) => [p, p] as const)]);
      const refit = fitAfterNextPatch;
      fitAfterNextPatch = false;
      if (sameBoxes && positions) {
        timed('draw', () => {
          for (const n of m.patch.putNodes) drawNode(n, false);
        });
      } else {
        // An engine event that adds a container (and its volumes) or removes some: the new nodes are
        // placed beside what they are joined to, nothing else moves and only they are drawn.
        const was = positions;
        const placed = !refit && was ? timed('layout', () => layout.place(was, beforeGraph, graph, m.patch)) : undefined;
        if (placed) {
          positions = placed;
          timed('draw', () => drawPatch(m.patch));
        } else render(refit ? fit : undefined);
      }
      if (refit && sameBoxes) fit();
      svg.dataset.patches = String(Number(svg.dataset.patches ?? '0') + 1);
      return;
    }
    case 'copied':
      status.textContent = m.what === 'mermaid' ? t('copied') : t('saved');
      setTimeout(() => {
        status.textContent = '';
      }, 4000);
      return;
  }
});

post({ type: 'ready' });
// While the host builds the graph: the toolkit's controls and dagre's code are made ready, each in
// its own task (a message that comes first is handled first, and then nothing is warmed: not needed).
let messages = 0;
window.addEventListener('message', () => {
  messages++;
});
setTimeout(() => {
  if (!messages) timed('warmup:controls', warmControls);
  setTimeout(() => {
    if (!messages) timed('warmup:layout', () => warmLayout(measure));
  }, 0);
}, 0);
