// Positions for a mount graph, computed by dagre per connected part (cached by content, packed in rows;
// parts too big are cut at their hubs). No DOM: used by the page and by the benchmark in Node.
// Design notes: docs/ui.md#srcwebviewgraphlayoutts
import { graphlib, layout as dagreLayout, type EdgeLabel, type GraphLabel, type NodeLabel } from '@dagrejs/dagre';
import type { GraphEdge, GraphNode, GraphPatch, MountGraph } from '../core/engine/mountGraph';

export interface Point {
  readonly x: number;
  readonly y: number;
}
/** A node's box: x, y its top-left corner. */
export interface NodeBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}
export interface EdgeRoute {
  readonly points: readonly Point[];
  readonly label: Point;
}
/** A layout in steps (GraphLayout.start). */
export interface LayoutRun {
  /** Lays out parts until the clock (performance.now()) passes `until`, at least one; true when all is placed. */
  step(until: number): boolean;
  /** What is placed so far; the whole layout once step returned true. */
  readonly positions: GraphPositions;
  /** The whole layout's size, estimated before it is laid out (to fit the view to it from the first step). */
  readonly estimate: { readonly width: number; readonly height: number };
}
export interface GraphPositions {
  readonly nodes: ReadonlyMap<string, NodeBox>;
  readonly edges: ReadonlyMap<string, EdgeRoute>;
  readonly width: number;
  readonly height: number;
}

/** Width in pixels of a text at the graph's font (the page measures; Node estimates). */
export type Measure = (text: string, bold: boolean) => number;
export const estimate: Measure = (text, bold) => text.length * (bold ? 7.4 : 6.6);

export const NODE_HEIGHT = 44;
const PAD_X = 14;
const MAX_LABEL = 48;
const GAP = 40;
const WIDTH_STEP = 24;
/** Nodes in one dagre run at most: a bigger part is cut at its hubs (dagre took 4-10 s on ~1,000). */
export const MAX_PART = 120;
const HUB_GAP = 220;
/** Between a node placed by an engine event and what it is joined to (dagre's ranksep). */
const RANK_GAP = 70;
/** New nodes an engine event may place without a layout; more are laid out. */
const MAX_PLACED = 20;

/** A label as drawn: long names are cut in the middle (the whole name is in the tooltip). */
export function shortLabel(s: string, max = MAX_LABEL): string {
  return s.length <= max ? s : `${s.slice(0, Math.ceil(max / 2) - 1)}…${s.slice(s.length - Math.floor(max / 2))}`;
}

export function edgeText(e: GraphEdge, words: { readOnly: string; volumesFrom: string; lost: string }): string {
  switch (e.kind) {
    case 'volumesFrom':
      return words.volumesFrom.replace('{0}', e.mode && e.mode !== 'default' ? `:${e.mode}` : '');
    case 'lost':
      return `${e.destination} ✗`;
    default:
      return e.readOnly ? `${e.destination} · ${words.readOnly}` : e.destination;
  }
}

/**
 * A connected part in a canonical order: its nodes ordered by their place in the part's shape (box
 * widths, and what they are joined to, refined twice), ties by id; its edges by their ends' places.
 * The key is the shape alone (no names): two parts of one shape (a Compose project deployed twice,
 * a hundred containers with one volume each) share one layout.
 */
interface Part {
  readonly key: string;
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  readonly widths: readonly number[];
  /** Per edge: its ends as indexes into nodes, and its label's width. */
  readonly ends: readonly (readonly [number, number, number])[];
}

/** A part's layout, by the part's canonical indexes (so a part of the same shape can use it). */
interface PartLayout {
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly NodeBox[];
  readonly edges: readonly EdgeRoute[];
}

/** The graph in parts: connected parts (big ones cut at their hubs), the hubs, and the edges to them. */
interface Split {
  readonly parts: Part[];
  /** The parts by their nodes and edges (ids and widths, in the graph's order). */
  readonly seen: Map<string, Part>;
  readonly hubs: GraphNode[];
  readonly cross: GraphEdge[];
}

export class GraphLayout {
  private cache = new Map<string, PartLayout>();
  private parts = new Map<string, Part>();
  /** Parts laid out by dagre in the last call (the rest came from the cache): for tests and the benchmark. */
  lastComputed = 0;
  /** Nodes of the biggest part dagre laid out in the last call, and the hubs cut out: for tests and the benchmark. */
  lastBiggest = 0;
  lastHubs = 0;
  /** Nodes dagre was given in the last call, over all its runs (twins stacked count once): for tests and the benchmark. */
  lastDagreNodes = 0;

  constructor(
    private readonly measure: Measure = estimate,
    private readonly subtitle: (n: GraphNode) => string = () => '',
    private readonly label: (e: GraphEdge) => string = (e) => e.destination,
    private readonly maxPart = MAX_PART,
  ) {}

  /** Rounded up to a step, so that a change of text that fits (running -> exited) keeps the layout. */
  nodeWidth(n: GraphNode): number {
    const text = Math.max(this.measure(shortLabel(n.label), true), this.measure(this.subtitle(n), false), 60) + 2 * PAD_X;
    return Math.ceil(text / WIDTH_STEP) * WIDTH_STEP;
  }

  private labelWidth(e: GraphEdge): number {
    const text = this.label(e);
    return text ? Math.ceil((this.measure(text, false) + 8) / 8) * 8 : 0;
  }

  /** Lays the whole graph out at once. */
  layout(g: MountGraph): GraphPositions {
    const run = this.start(g);
    run.step(Infinity);
    return run.positions;
  }

  /**
   * Lays the graph out part by part, so that the page can draw the parts placed so far and let the
   * browser paint between steps (a whole engine is seen as it is laid out, not after it all is).
   * Parts are placed in a fixed order known before any is laid out (most nodes first), in rows as
   * wide as the estimated total asks; lone nodes (unused volumes, mostly) and the hubs come last.
   */
  start(g: MountGraph): LayoutRun {
    const widths = new Map<string, number>();
    const width = (n: GraphNode) => {
      let w = widths.get(n.id);
      if (w === undefined) widths.set(n.id, (w = this.nodeWidth(n)));
      return w;
    };
    const labelWidth = (e: GraphEdge) => this.labelWidth(e);
    const split = splitGraph(g, width, labelWidth, this.maxPart, this.parts);
    this.parts = split.seen;
    const next = new Map<string, PartLayout>();
    this.lastComputed = 0;
    this.lastBiggest = 0;
    this.lastHubs = split.hubs.length;
    this.lastDagreNodes = 0;
    const layoutOf = (part: Part) => {
      const known = next.get(part.key) ?? this.cache.get(part.key);
      const l = known ?? this.layoutPart(part);
      if (!known) {
        this.lastComputed++;
        this.lastBiggest = Math.max(this.lastBiggest, part.nodes.length);
      }
      next.set(part.key, l);
      return l;
    };
    const big = split.parts
      .filter((p) => p.edges.length > 0)
      .sort(
        (a, b) =>
          b.nodes.length - a.nodes.length ||
          b.edges.length - a.edges.length ||
          (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) ||
          (a.nodes[0].id < b.nodes[0].id ? -1 : 1),
      );
    const lone = split.parts.filter((p) => p.edges.length === 0).sort((a, b) => a.nodes[0].id.localeCompare(b.nodes[0].id));
    // the rows' width from an estimate of the area (a layered part is about as wide as its ranks)
    const area = split.parts.reduce((s, p) => s + p.widths.reduce((t, w) => t + (w + 70) * (NODE_HEIGHT + 18), 0) + GAP * GAP, 0);
    const rowWidth = Math.max(900, Math.sqrt(area) * 1.6);
    const packer = new Packer(rowWidth);
    let i = 0;
    let done = false;
    return {
      positions: packer,
      estimate: { width: rowWidth, height: area / rowWidth },
      step: (until: number) => {
        while (i < big.length) {
          const part = big[i++];
          packer.place(part, layoutOf(part));
          if (i < big.length && performance.now() >= until) return false;
        }
        if (!done) {
          done = true;
          if (lone.length) {
            packer.newRow();
            const cell = Math.max(...lone.map((p) => p.widths[0]));
            for (const p of lone) packer.place(p, layoutOf(p), cell);
          }
          packer.hubs(
            split.hubs.map((n) => ({ id: n.id, width: width(n) })),
            split.cross,
            labelWidth,
          );
          this.cache = next;
        }
        return true;
      },
    };
  }

  /**
   * An engine event placed without laying anything out again, when it only removes nodes and
   * edges, changes nodes without changing their boxes, or adds a few nodes joined to what is
   * already placed (a container created, with its new volumes): each new node goes into free
   * space beside what it is joined to (left of what it mounts, right of what mounts it), its edges
   * straight lines. Undefined when the event asks more (a box's width changed, a new edge between
   * nodes already placed, a new node with nowhere to go): then the caller lays out again.
   */
  place(prev: GraphPositions, before: MountGraph, after: MountGraph, patch: GraphPatch): GraphPositions | undefined {
    const oldNodes = new Map(before.nodes.map((n) => [n.id, n]));
    const oldEdges = new Map(before.edges.map((e) => [e.id, e]));
    const nodes = new Map(prev.nodes);
    const edges = new Map(prev.edges);
    for (const id of patch.removeNodes) nodes.delete(id);
    for (const id of patch.removeEdges) edges.delete(id);
    const fresh: GraphNode[] = [];
    for (const n of patch.putNodes) {
      const old = oldNodes.get(n.id);
      if (!old) fresh.push(n);
      else if (!nodes.has(n.id) || this.nodeWidth(old) !== this.nodeWidth(n)) return undefined;
    }
    if (fresh.length > MAX_PLACED) return undefined;
    const freshIds = new Set(fresh.map((n) => n.id));
    const newEdges: GraphEdge[] = [];
    for (const e of patch.putEdges) {
      const old = oldEdges.get(e.id);
      if (old && edges.has(e.id)) {
        if (old.from !== e.from || old.to !== e.to || this.labelWidth(old) !== this.labelWidth(e)) return undefined;
      } else if (freshIds.has(e.from) || freshIds.has(e.to)) newEdges.push(e);
      else return undefined;
    }
    let width = prev.width;
    let height = prev.height;
    const boxes = () => nodes.values();
    const free = (x: number, y: number, w: number) => {
      for (const b of boxes()) {
        if (x - 12 < b.x + b.width && b.x < x + w + 12 && y - 9 < b.y + b.height && b.y < y + NODE_HEIGHT + 9) return false;
      }
      return true;
    };
    // new nodes joined to placed ones first, then those joined to them
    let waiting = fresh;
    while (waiting.length) {
      const later: GraphNode[] = [];
      for (const n of waiting) {
        const w = this.nodeWidth(n);
        const joined = newEdges.filter((e) => (e.from === n.id && nodes.has(e.to)) || (e.to === n.id && nodes.has(e.from)));
        const own = newEdges.some((e) => e.from === n.id || e.to === n.id);
        if (!joined.length && own) {
          later.push(n);
          continue;
        }
        let x: number;
        let cy: number;
        if (joined.length) {
          const first = joined[0];
          const leftOf = first.from === n.id;
          const sameSide = joined.filter((e) => (e.from === n.id) === leftOf).map((e) => nodes.get(leftOf ? e.to : e.from) as NodeBox);
          x = leftOf ? Math.min(...sameSide.map((b) => b.x)) - RANK_GAP - w : Math.max(...sameSide.map((b) => b.x + b.width)) + RANK_GAP;
          cy = sameSide.reduce((s, b) => s + b.y + b.height / 2, 0) / sameSide.length;
        } else {
          x = 0; // a node on its own (an unused volume created): below everything
          cy = height + GAP + NODE_HEIGHT / 2;
        }
        if (x < 0) return undefined;
        let y: number | undefined;
        for (let k = 0; k < 200 && y === undefined; k++) {
          const dy = (k % 2 ? -1 : 1) * Math.ceil(k / 2) * (NODE_HEIGHT + 18);
          const top = Math.round(cy - NODE_HEIGHT / 2 + dy);
          if (top >= 0 && free(x, top, w)) y = top;
        }
        if (y === undefined) return undefined;
        nodes.set(n.id, { x, y, width: w, height: NODE_HEIGHT });
        width = Math.max(width, x + w);
        height = Math.max(height, y + NODE_HEIGHT);
      }
      if (later.length === waiting.length) return undefined; // joined only to each other: lay out
      waiting = later;
    }
    for (const e of newEdges) {
      const a = nodes.get(e.from);
      const b = nodes.get(e.to);
      if (!a || !b) return undefined;
      edges.set(e.id, straight(a, b, this.labelWidth(e)));
    }
    if (after.nodes.length !== nodes.size) return undefined; // the patch and the view disagree: lay out
    return { nodes, edges, width, height };
  }

  private layoutPart(p: Part): PartLayout {
    if (p.nodes.length === 1 && p.edges.length === 0) {
      const w = p.widths[0];
      return { width: w, height: NODE_HEIGHT, nodes: [{ x: 0, y: 0, width: w, height: NODE_HEIGHT }], edges: [] };
    }
    // A part still too big after its hubs were cut (a long --volumes-from chain): the quicker ranker.
    const quick = p.nodes.length > this.maxPart;
    const twins = stackTwins(p);
    this.lastDagreNodes += twins ? twins.nodes.length : p.nodes.length;
    if (!twins) {
      return runDagre(
        p.widths.map((width) => ({ width, height: NODE_HEIGHT })),
        p.ends.map(([from, to, w]) => ({ from, to, width: w, height: w ? 16 : 0 })),
        quick,
      );
    }
    return twins.expand(runDagre(twins.nodes, twins.edges, quick));
  }
}

/** A node or an edge's label as dagre gets it (nodes by index). */
interface DagreNode {
  readonly width: number;
  readonly height: number;
}
interface DagreEdge {
  readonly from: number;
  readonly to: number;
  readonly width: number;
  readonly height: number;
  readonly weight?: number;
}

/** dagre on nodes and edges given by index: boxes (top-left) and routes by the same indexes. */
function runDagre(nodes: readonly DagreNode[], edges: readonly DagreEdge[], quick: boolean): PartLayout {
  const g = new graphlib.Graph<GraphLabel, NodeLabel, EdgeLabel>({ multigraph: true });
  g.setGraph({ rankdir: 'LR', nodesep: 18, ranksep: 70, edgesep: 12, marginx: 0, marginy: 0, ...(quick ? { ranker: 'longest-path' } : {}) });
  g.setDefaultEdgeLabel(() => ({}));
  nodes.forEach((n, i) => g.setNode(String(i), { width: n.width, height: n.height }));
  edges.forEach((e, i) =>
    g.setEdge(
      String(e.from),
      String(e.to),
      { width: e.width, height: e.height, labelpos: 'c', minlen: 1, ...(e.weight ? { weight: e.weight } : {}) },
      String(i),
    ),
  );
  dagreLayout(g);
  const boxes = nodes.map((_, i) => {
    const d = g.node(String(i));
    return { x: (d.x ?? 0) - d.width / 2, y: (d.y ?? 0) - d.height / 2, width: d.width, height: d.height };
  });
  const routes = edges.map((e, i) => {
    const d = g.edge({ v: String(e.from), w: String(e.to), name: String(i) });
    const points = (d?.points ?? []).map((pt) => ({ x: pt.x, y: pt.y }));
    return { points, label: { x: d?.x ?? points[0]?.x ?? 0, y: d?.y ?? points[0]?.y ?? 0 } };
  });
  const gl = g.graph();
  return { width: gl.width ?? 0, height: gl.height ?? 0, nodes: boxes, edges: routes };
}

/** Between the boxes of a stack (the gap dagre leaves between nodes of a rank). */
const STACK_GAP = 18;
const STACK_STEP = NODE_HEIGHT + STACK_GAP;
/** A stack of leaves is drawn level with its anchors' stack: dagre keeps heavier edges straighter. */
const LEAF_WEIGHT = 8;

/**
 * Twins stacked, so that dagre lays out a smaller graph: nodes alike in the part's shape (the same
 * box width, joined the same way to the same other nodes, with leaves of the same kinds: a leaf is a
 * node with one edge, such as a container's own volume) become one tall node, one box above the other,
 * and so do their leaves; dagre places the stacks, and each box and edge is then put back in its
 * stack (edges shifted along their route from their start's place in its stack to their end's).
 * Twenty containers that each mount their own volume and a shared one are then two stacks and the
 * shared volume, not forty-one nodes and sixty edge labels to order. Undefined when nothing is alike.
 */
function stackTwins(p: Part): { nodes: DagreNode[]; edges: DagreEdge[]; expand(l: PartLayout): PartLayout } | undefined {
  const n = p.widths.length;
  const around: number[][] = Array.from({ length: n }, () => []);
  p.ends.forEach(([f, t], i) => {
    around[f].push(i);
    if (t !== f) around[t].push(i);
  });
  const other = (i: number, v: number) => (p.ends[i][0] === v ? p.ends[i][1] : p.ends[i][0]);
  const dir = (i: number, v: number) => (p.ends[i][0] === v ? '>' : '<');
  // a leaf: one edge, to a node that is not a leaf (of two nodes joined only to each other, the second)
  const anchor = new Array<number>(n).fill(-1);
  for (let v = 0; v < n; v++) {
    if (around[v].length !== 1 || p.ends[around[v][0]][0] === p.ends[around[v][0]][1]) continue;
    const o = other(around[v][0], v);
    if (around[o].length > 1 || o < v) anchor[v] = o;
  }
  const leafKey = (v: number) => {
    const i = around[v][0];
    return `${dir(i, anchor[v]) === '>' ? '>' : '<'}${p.ends[i][2]}:${p.widths[v]}`;
  };
  const leaves = new Map<number, number[]>();
  for (let v = 0; v < n; v++) if (anchor[v] >= 0) leaves.set(anchor[v], [...(leaves.get(anchor[v]) ?? []), v]);
  // anchors alike: the same width, the same edges to the same other anchors, the same kinds of leaves
  const classes = new Map<string, number[]>();
  for (let v = 0; v < n; v++) {
    if (anchor[v] >= 0) continue;
    const joined = around[v]
      .filter((i) => anchor[other(i, v)] < 0 || anchor[other(i, v)] !== v)
      .map((i) => `${dir(i, v)}${p.ends[i][2]}:${other(i, v)}`)
      .sort();
    const own = (leaves.get(v) ?? []).map(leafKey).sort();
    const key = `${p.widths[v]}|${joined.join(',')}|${own.join(',')}`;
    classes.set(key, [...(classes.get(key) ?? []), v]);
  }
  const nodes: DagreNode[] = [];
  /** Per node of the part: its stack (an index into nodes) and its place in it (0 at the top). */
  const stackOf = new Array<number>(n).fill(-1);
  const place = new Array<number>(n).fill(0);
  const size: number[] = [];
  const stack = (members: readonly number[], width: number) => {
    const s = nodes.length;
    members.forEach((v, k) => {
      stackOf[v] = s;
      place[v] = k;
    });
    size.push(members.length);
    nodes.push({ width, height: members.length * STACK_STEP - STACK_GAP });
  };
  for (const members of classes.values()) stack(members, p.widths[members[0]]);
  /** A stack of leaves, one per anchor of its anchors' stack: that stack (drawn level with it if there is room). */
  const levelWith = new Map<number, number>();
  for (const members of classes.values()) {
    // the leaves of the stack's anchors, by kind: one stack per kind, in the anchors' order
    const kinds = new Map<string, number[]>();
    for (const a of members) for (const v of leaves.get(a) ?? []) kinds.set(leafKey(v), [...(kinds.get(leafKey(v)) ?? []), v]);
    for (const [, vs] of [...kinds].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))) {
      if (vs.length === members.length && members.length > 1) levelWith.set(nodes.length, stackOf[members[0]]);
      stack(vs, p.widths[vs[0]]);
    }
  }
  if (nodes.length >= n) return undefined;
  // the stacks' centres: a box's offset from its stack's centre
  const offset = (v: number) => (place[v] - (size[stackOf[v]] - 1) / 2) * STACK_STEP;
  // An edge's shift along its route (s from 0 at its start to 1 at its end): between two stacks, from
  // the one's place to the other's; out of a stack to one node, its place in the stack all the way
  // to the last bend (the edges leave their boxes side by side, level, and meet only at the end).
  const along = (f: number, t: number, s: number) => {
    const [many, toMany] = [size[stackOf[f]] > 1, size[stackOf[t]] > 1];
    if (many === toMany) return offset(f) * (1 - s) + offset(t) * s;
    return many ? offset(f) : offset(t);
  };
  // edges between the same two stacks with the same label width (and the same how-many-th between one pair): one edge
  const edges: DagreEdge[] = [];
  const edgeOf = new Array<number>(p.ends.length).fill(-1);
  const byKey = new Map<string, number>();
  const spans: { lo: number; hi: number }[] = [];
  const seen = new Map<string, number>();
  p.ends.forEach(([f, t, w], i) => {
    const pair = `${f}>${t}:${w}`;
    const nth = seen.get(pair) ?? 0;
    seen.set(pair, nth + 1);
    const key = `${stackOf[f]}>${stackOf[t]}:${w}#${nth}`;
    let k = byKey.get(key);
    if (k === undefined) {
      k = edges.length;
      byKey.set(key, k);
      edges.push({ from: stackOf[f], to: stackOf[t], width: w, height: 0, ...(anchor[f] >= 0 || anchor[t] >= 0 ? { weight: LEAF_WEIGHT } : {}) });
      spans.push({ lo: Infinity, hi: -Infinity });
    }
    edgeOf[i] = k;
    const mid = along(f, t, 0.5);
    spans[k] = { lo: Math.min(spans[k].lo, mid), hi: Math.max(spans[k].hi, mid) };
  });
  // the edges between a stack and one node: lanes, per stack and side (left or right of it)
  const lanesOf: ({ k: number; of: number } | undefined)[] = [];
  const sides = new Map<string, number[]>();
  edges.forEach((e, k) => {
    const [many, toMany] = [size[e.from] > 1, size[e.to] > 1];
    if (many === toMany) return;
    const side = many ? `${e.from}>` : `${e.to}<`;
    sides.set(side, [...(sides.get(side) ?? []), k]);
  });
  for (const ks of sides.values()) {
    ks.forEach((k, j) => {
      lanesOf[k] = { k: j, of: ks.length };
    });
  }
  // a stacked edge's label is as tall as its labels, one below the other, need
  const tall = edges.map((e, k) => ({ ...e, height: e.width ? spans[k].hi - spans[k].lo + 16 : 0 }));
  return {
    nodes,
    edges: tall,
    expand: (l) => {
      // dagre keeps a stack of leaves near its anchors' stack, not always level with it: moved level
      // where nothing else is in the way (its only edges, to that stack, are then straight lines)
      const stacks = [...l.nodes];
      const level = new Set<number>();
      for (const [s, a] of levelWith) {
        const moved = { ...stacks[s], y: stacks[a].y };
        if (moved.y === stacks[s].y) {
          level.add(s);
          continue;
        }
        const clear = stacks.every(
          (b, j) =>
            j === s ||
            moved.x + moved.width + 12 <= b.x ||
            b.x + b.width + 12 <= moved.x ||
            moved.y + moved.height + STACK_GAP <= b.y ||
            b.y + b.height + STACK_GAP <= moved.y,
        );
        if (!clear) continue;
        stacks[s] = moved;
        level.add(s);
      }
      const boxes = p.widths.map((_, v) => {
        const b = stacks[stackOf[v]];
        return { x: b.x, y: b.y + place[v] * STACK_STEP, width: b.width, height: NODE_HEIGHT };
      });
      const routes = p.ends.map(([f, t], i) => {
        const r = l.edges[edgeOf[i]];
        const pts = r.points;
        if (pts.length < 2) return r;
        if (level.has(stackOf[f]) || level.has(stackOf[t])) {
          const [a, b] = [boxes[f], boxes[t]];
          const rightwards = a.x + a.width / 2 <= b.x + b.width / 2;
          const start = { x: rightwards ? a.x + a.width : a.x, y: a.y + NODE_HEIGHT / 2 };
          const end = { x: rightwards ? b.x : b.x + b.width, y: b.y + NODE_HEIGHT / 2 };
          const mid = { x: (start.x + end.x) / 2, y: (start.y + end.y) / 2 };
          return { points: [start, mid, end], label: mid };
        }
        const x0 = pts[0].x;
        const x1 = pts[pts.length - 1].x;
        const shift = (pt: Point, k: number) => {
          const s = x1 !== x0 ? (pt.x - x0) / (x1 - x0) : k / (pts.length - 1);
          return { x: pt.x, y: pt.y + along(f, t, Math.min(1, Math.max(0, s))) };
        };
        const inner = pts.slice(1, -1).map((pt, k) => shift(pt, k + 1));
        const [a, b] = [boxes[f], boxes[t]];
        const centre = (x: NodeBox) => ({ x: x.x + x.width / 2, y: x.y + x.height / 2 });
        let label = shift(r.label, 0.5 * (pts.length - 1));
        // Out of a stack to one node (or into one from it), a route of one bend, its label there:
        // the bend is put level with the box, in a lane between its row and the next (the lanes of a
        // stack's edges of this kind shared out), so that the edges leave their boxes side by side
        // instead of running across the stack to where dagre put the stack's one edge.
        const lanes = lanesOf[edgeOf[i]];
        if (inner.length === 1 && lanes && Math.abs(r.label.x - pts[1].x) < 1 && Math.abs(r.label.y - pts[1].y) < 1) {
          const member = size[stackOf[f]] > 1 ? a : b;
          inner[0] = { x: inner[0].x, y: member.y + NODE_HEIGHT / 2 + ((lanes.k + 1) * STACK_STEP) / (lanes.of + 1) };
          label = inner[0];
        }
        const start = side(a, inner[0] ?? centre(b));
        const end = side(b, inner[inner.length - 1] ?? centre(a));
        return { points: [start, ...inner, end], label };
      });
      return { width: l.width, height: Math.max(l.height, ...stacks.map((b) => b.y + b.height)), nodes: boxes, edges: routes };
    },
  };
}

/** Where an edge towards a point leaves a box: the middle of its side facing the point (left to
 * right, the edges of a stack's boxes leave side by side), or where the line from its centre crosses its border. */
function side(b: NodeBox, to: Point): Point {
  if (to.x >= b.x + b.width) return { x: b.x + b.width, y: b.y + b.height / 2 };
  if (to.x <= b.x) return { x: b.x, y: b.y + b.height / 2 };
  return towards(b, to);
}

/** Where the line from a box's centre to a point leaves the box. */
function towards(b: NodeBox, to: Point): Point {
  const cx = b.x + b.width / 2;
  const cy = b.y + b.height / 2;
  const dx = to.x - cx;
  const dy = to.y - cy;
  if (!dx && !dy) return { x: cx, y: cy };
  const [w, h] = [b.width / 2, b.height / 2];
  if (Math.abs(dy) * w > Math.abs(dx) * h) {
    const sy = dy < 0 ? -h : h;
    return { x: cx + (sy * dx) / dy, y: cy + sy };
  }
  const sx = dx < 0 ? -w : w;
  return { x: cx + sx, y: cy + (sx * dy) / dx };
}

/** Connected components of the nodes given, through the edges whose both ends are among them. */
function components(nodes: readonly GraphNode[], edges: readonly GraphEdge[]): { nodes: GraphNode[]; edges: GraphEdge[] }[] {
  const parent = new Map<string, string>(nodes.map((n) => [n.id, n.id]));
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r) as string;
    let c = x;
    while (c !== r) {
      const nx = parent.get(c) as string;
      parent.set(c, r);
      c = nx;
    }
    return r;
  };
  for (const e of edges) {
    if (!parent.has(e.from) || !parent.has(e.to)) continue;
    parent.set(find(e.from), find(e.to));
  }
  const groups = new Map<string, { nodes: GraphNode[]; edges: GraphEdge[] }>();
  for (const n of nodes) {
    const r = find(n.id);
    const grp = groups.get(r) ?? { nodes: [], edges: [] };
    grp.nodes.push(n);
    groups.set(r, grp);
  }
  for (const e of edges) if (parent.has(e.from) && parent.has(e.to)) groups.get(find(e.from))?.edges.push(e);
  return [...groups.values()];
}

/**
 * A part bigger than max, cut at its hubs: the nodes with most edges (3 or more; a host path or
 * volume before a container when as many), one at a time, biggest first, while a piece is still
 * too big. At most max(8, a twentieth of the part) hubs: what is still too big then is laid out whole.
 */
function cutAtHubs(part: { nodes: GraphNode[]; edges: GraphEdge[] }, max: number): { pieces: { nodes: GraphNode[]; edges: GraphEdge[] }[]; hubs: GraphNode[] } {
  const degree = new Map<string, number>();
  for (const e of part.edges) {
    degree.set(e.from, (degree.get(e.from) ?? 0) + 1);
    degree.set(e.to, (degree.get(e.to) ?? 0) + 1);
  }
  const deg = (n: GraphNode) => degree.get(n.id) ?? 0;
  const candidates = part.nodes
    .filter((n) => deg(n) >= 3)
    .sort((a, b) => deg(b) - deg(a) || Number(a.kind === 'container') - Number(b.kind === 'container') || (a.id < b.id ? -1 : 1));
  const cut = new Set<string>();
  const limit = Math.max(8, Math.floor(part.nodes.length / 20));
  let pieces = [part];
  for (const hub of candidates) {
    const big = pieces.filter((p) => p.nodes.length > max);
    if (!big.length || cut.size >= limit) break;
    if (!big.some((p) => p.nodes.includes(hub))) continue;
    cut.add(hub.id);
    pieces = components(
      part.nodes.filter((n) => !cut.has(n.id)),
      part.edges,
    );
  }
  return { pieces, hubs: part.nodes.filter((n) => cut.has(n.id)) };
}

/**
 * A part in its canonical order, keyed by what its layout depends on: box widths, edges' ends and
 * label widths (a container that stops changes its colour, not its part's layout).
 */
function canonical(nodes: readonly GraphNode[], edges: readonly GraphEdge[], width: (n: GraphNode) => number, labelWidth: (e: GraphEdge) => number): Part {
  const labels = new Map(edges.map((e) => [e.id, labelWidth(e)]));
  let sig = new Map(nodes.map((n) => [n.id, String(width(n))]));
  for (let round = 0; round < 2; round++) {
    const around = new Map<string, string[]>(nodes.map((n) => [n.id, []]));
    for (const e of edges) {
      around.get(e.from)?.push(`>${labels.get(e.id)}:${sig.get(e.to)}`);
      around.get(e.to)?.push(`<${labels.get(e.id)}:${sig.get(e.from)}`);
    }
    const prev = sig;
    sig = new Map(nodes.map((n) => [n.id, hash(`${prev.get(n.id)}(${(around.get(n.id) ?? []).sort().join(',')})`)]));
  }
  const ns = [...nodes].sort((a, b) => {
    const sa = sig.get(a.id) as string;
    const sb = sig.get(b.id) as string;
    return sa < sb ? -1 : sa > sb ? 1 : a.id < b.id ? -1 : 1;
  });
  const index = new Map(ns.map((n, i) => [n.id, i]));
  const es = edges
    .map((e) => ({ e, end: [index.get(e.from) ?? 0, index.get(e.to) ?? 0, labels.get(e.id) ?? 0] as const }))
    .sort((a, b) => a.end[0] - b.end[0] || a.end[1] - b.end[1] || a.end[2] - b.end[2] || (a.e.id < b.e.id ? -1 : 1));
  const widths = ns.map(width);
  const ends = es.map((x) => x.end);
  return { key: JSON.stringify([widths, ends]), nodes: ns, edges: es.map((x) => x.e), widths, ends };
}

/** A short string for a long one (FNV-1a, 32 bits): the shape's signatures stay small. */
function hash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}

/** The parts (big ones cut at their hubs), the hubs, and the edges to them. */
function splitGraph(
  g: MountGraph,
  width: (n: GraphNode) => number,
  labelWidth: (e: GraphEdge) => number,
  max: number,
  known: ReadonlyMap<string, Part>,
): Split {
  const seen = new Map<string, Part>();
  const parts: Part[] = [];
  const hubs: GraphNode[] = [];
  const add = (nodes: readonly GraphNode[], edges: readonly GraphEdge[]) => {
    // the canonical order costs more than this key: parts seen in the last call are not ordered again
    const id = `${nodes.map((n) => `${n.id}=${width(n)}`).join('\n')}\n\n${edges.map((e) => `${e.id}=${e.from}>${e.to}=${labelWidth(e)}`).join('\n')}`;
    const part = known.get(id) ?? canonical(nodes, edges, width, labelWidth);
    seen.set(id, part);
    parts.push(part);
  };
  for (const grp of components(g.nodes, g.edges)) {
    if (grp.nodes.length <= max) {
      add(grp.nodes, grp.edges);
      continue;
    }
    const cut = cutAtHubs(grp, max);
    hubs.push(...cut.hubs);
    for (const piece of cut.pieces) add(piece.nodes, piece.edges);
  }
  const hubIds = new Set(hubs.map((h) => h.id));
  const cross = hubs.length ? g.edges.filter((e) => hubIds.has(e.from) || hubIds.has(e.to)) : [];
  return { parts, hubs, cross, seen };
}

/** Two boxes joined by a straight line, side to side, its label near the start. */
function straight(a: NodeBox, b: NodeBox, labelWidth: number): EdgeRoute {
  const rightwards = a.x + a.width / 2 <= b.x + b.width / 2;
  const start = { x: rightwards ? a.x + a.width : a.x, y: a.y + a.height / 2 };
  const end = { x: rightwards ? b.x : b.x + b.width, y: b.y + b.height / 2 };
  const len = Math.hypot(end.x - start.x, end.y - start.y) || 1;
  const along = Math.min(len / 2, labelWidth / 2 + 14);
  return { points: [start, end], label: { x: start.x + ((end.x - start.x) * along) / len, y: start.y + ((end.y - start.y) * along) / len } };
}

/**
 * Parts placed in rows, one after the other; lone nodes fill a grid after them; hubs stand in a
 * column on the right, each at the height of the nodes it is joined to (the mean), and their edges
 * are straight lines with the label near the far end.
 */
class Packer implements GraphPositions {
  readonly nodes = new Map<string, NodeBox>();
  readonly edges = new Map<string, EdgeRoute>();
  width = 0;
  height = 0;
  private x = 0;
  private y = 0;
  private rowHeight = 0;

  constructor(private readonly rowWidth: number) {}

  place(part: Part, p: PartLayout, cellWidth = p.width): void {
    if (this.x > 0 && this.x + cellWidth > this.rowWidth) this.newRow();
    const { x, y } = this;
    p.nodes.forEach((b, i) => this.nodes.set(part.nodes[i].id, { ...b, x: b.x + x, y: b.y + y }));
    p.edges.forEach((r, i) => {
      this.edges.set(part.edges[i].id, { points: r.points.map((pt) => ({ x: pt.x + x, y: pt.y + y })), label: { x: r.label.x + x, y: r.label.y + y } });
    });
    this.x += cellWidth + GAP;
    this.width = Math.max(this.width, this.x - GAP);
    this.rowHeight = Math.max(this.rowHeight, p.height);
    this.height = Math.max(this.height, this.y + this.rowHeight);
  }

  newRow(): void {
    if (this.x === 0) return;
    this.y += this.rowHeight + GAP;
    this.x = 0;
    this.rowHeight = 0;
  }

  hubs(hubs: { id: string; width: number }[], cross: GraphEdge[], labelWidth: (e: GraphEdge) => number): void {
    if (!hubs.length) return;
    const hubIds = new Set(hubs.map((h) => h.id));
    const sum = new Map<string, { y: number; n: number }>();
    for (const e of cross) {
      for (const [hub, other] of [
        [e.to, e.from],
        [e.from, e.to],
      ]) {
        const b = this.nodes.get(other);
        if (!hubIds.has(hub) || !b) continue;
        const s = sum.get(hub) ?? { y: 0, n: 0 };
        sum.set(hub, { y: s.y + b.y + b.height / 2, n: s.n + 1 });
      }
    }
    const want = (id: string) => {
      const s = sum.get(id);
      return s ? s.y / s.n : 0;
    };
    const column = this.width + HUB_GAP;
    let bottom = -Infinity;
    for (const h of [...hubs].sort((a, b) => want(a.id) - want(b.id) || (a.id < b.id ? -1 : 1))) {
      const top = Math.max(want(h.id) - NODE_HEIGHT / 2, bottom + 18, 0);
      this.nodes.set(h.id, { x: column, y: top, width: h.width, height: NODE_HEIGHT });
      bottom = top + NODE_HEIGHT;
      this.width = Math.max(this.width, column + h.width);
    }
    this.height = Math.max(this.height, bottom);
    for (const e of cross) {
      const a = this.nodes.get(e.from);
      const b = this.nodes.get(e.to);
      if (a && b) this.edges.set(e.id, straight(a, b, labelWidth(e)));
    }
  }
}

/**
 * A small graph of every kind of node and edge, laid out once and thrown away: the page runs it
 * after saying 'ready', while the host builds the graph it asked for, so that the first real layout
 * does not run dagre's code cold (in a fresh page that made the first part 3-5 times slower).
 */
export function warmUp(measure: Measure = estimate): void {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const mount = (from: string, to: string, destination: string, kind: GraphEdge['kind'] = 'mount', readOnly = false) =>
    edges.push({ id: `${kind}:${from}:${to}:${destination}`, kind, from, to, destination, readOnly });
  nodes.push(
    { id: 'v:shared', kind: 'volume', label: 'shared', shared: true, users: 8 },
    { id: 'b:/srv', kind: 'bind', label: '/srv', shared: true, users: 2 },
    { id: 'g:gone', kind: 'gone', label: 'gone' },
  );
  for (let i = 0; i < 8; i++) {
    nodes.push(
      { id: `c:${i}`, kind: 'container', label: `warm-${i}`, running: i % 2 === 0, image: 'app' },
      { id: `v:${i}`, kind: 'volume', label: `warm-${i}-data` },
    );
    mount(`c:${i}`, `v:${i}`, '/data');
    mount(`c:${i}`, 'v:shared', '/shared', 'mount', i % 3 === 0);
  }
  nodes.push({ id: 't:0', kind: 'tmpfs', label: 'tmpfs /tmp' });
  mount('c:0', 't:0', '/tmp');
  mount('c:1', 'b:/srv', '/srv', 'mount', true);
  mount('c:2', 'b:/srv', '/srv', 'mount', true);
  edges.push({ id: 'vf:3:2', kind: 'volumesFrom', from: 'c:3', to: 'c:2', destination: '', readOnly: false, mode: 'ro' });
  edges.push({ id: 'vf:4:gone', kind: 'volumesFrom', from: 'c:4', to: 'g:gone', destination: '', readOnly: false, missing: true });
  mount('c:3', 'b:/srv', '/srv', 'inherited', true);
  mount('c:3', 'v:2', '/data', 'lost');
  new GraphLayout(measure).layout({ nodes, edges });
}
