// Positions for a mount graph, computed by dagre (a layered layout: containers left, what they mount
// right, a --volumes-from chain left to right ending at its volume). Each connected part is laid
// out on its own and cached by its content, and the parts are packed in rows: an engine event then
// re-lays only the part it changed, and hundreds of unused volumes cost a grid, not a layout.
// No DOM: the page uses it, and so does the benchmark in Node.
import { graphlib, layout as dagreLayout, type EdgeLabel, type GraphLabel, type NodeLabel } from '@dagrejs/dagre';
import type { GraphEdge, GraphNode, MountGraph } from '../core/mountGraph';

export interface Point { readonly x: number; readonly y: number }
/** A node's box: x, y its top-left corner. */
export interface NodeBox { readonly x: number; readonly y: number; readonly width: number; readonly height: number }
export interface EdgeRoute { readonly points: readonly Point[]; readonly label: Point }
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

interface Part {
  readonly key: string;
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

interface PartLayout {
  readonly width: number;
  readonly height: number;
  readonly nodes: Map<string, NodeBox>;
  readonly edges: Map<string, EdgeRoute>;
}

export class GraphLayout {
  private cache = new Map<string, PartLayout>();
  /** Parts laid out by dagre in the last call (the rest came from the cache): for tests and the benchmark. */
  lastComputed = 0;

  constructor(
    private readonly measure: Measure = estimate,
    private readonly subtitle: (n: GraphNode) => string = () => '',
    private readonly label: (e: GraphEdge) => string = (e) => e.destination,
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

  layout(g: MountGraph): GraphPositions {
    const parts = partsOf(g, (n) => this.nodeWidth(n), (e) => this.labelWidth(e));
    const next = new Map<string, PartLayout>();
    this.lastComputed = 0;
    const laid = parts.map((p) => {
      const known = next.get(p.key) ?? this.cache.get(p.key);
      const l = known ?? this.layoutPart(p);
      if (!known) this.lastComputed++;
      next.set(p.key, l);
      return l;
    });
    this.cache = next;
    return pack(laid);
  }

  private layoutPart(p: Part): PartLayout {
    if (p.nodes.length === 1 && p.edges.length === 0) {
      const n = p.nodes[0];
      const w = this.nodeWidth(n);
      return { width: w, height: NODE_HEIGHT, nodes: new Map([[n.id, { x: 0, y: 0, width: w, height: NODE_HEIGHT }]]), edges: new Map() };
    }
    const g = new graphlib.Graph<GraphLabel, NodeLabel, EdgeLabel>({ multigraph: true });
    g.setGraph({ rankdir: 'LR', nodesep: 18, ranksep: 70, edgesep: 12, marginx: 0, marginy: 0 });
    g.setDefaultEdgeLabel(() => ({}));
    for (const n of p.nodes) g.setNode(n.id, { width: this.nodeWidth(n), height: NODE_HEIGHT });
    for (const e of p.edges) {
      const w = this.labelWidth(e);
      g.setEdge(e.from, e.to, { width: w, height: w ? 16 : 0, labelpos: 'c', minlen: 1 }, e.id);
    }
    dagreLayout(g);
    const nodes = new Map<string, NodeBox>();
    for (const n of p.nodes) {
      const d = g.node(n.id);
      nodes.set(n.id, { x: (d.x ?? 0) - d.width / 2, y: (d.y ?? 0) - d.height / 2, width: d.width, height: d.height });
    }
    const edges = new Map<string, EdgeRoute>();
    for (const e of p.edges) {
      const d = g.edge({ v: e.from, w: e.to, name: e.id });
      const points = (d?.points ?? []).map((pt) => ({ x: pt.x, y: pt.y }));
      edges.set(e.id, { points, label: { x: d?.x ?? points[0]?.x ?? 0, y: d?.y ?? points[0]?.y ?? 0 } });
    }
    const gl = g.graph();
    return { width: gl.width ?? 0, height: gl.height ?? 0, nodes, edges };
  }
}

/**
 * Connected parts, each keyed by what its layout depends on: node ids and box widths, edges' ends
 * and label widths. A container that stops changes its colour, not its part's layout.
 */
function partsOf(g: MountGraph, width: (n: GraphNode) => number, labelWidth: (e: GraphEdge) => number): Part[] {
  const parent = new Map<string, string>(g.nodes.map((n) => [n.id, n.id]));
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r) as string;
    let c = x;
    while (c !== r) { const nx = parent.get(c) as string; parent.set(c, r); c = nx; }
    return r;
  };
  for (const e of g.edges) {
    if (!parent.has(e.from) || !parent.has(e.to)) continue;
    parent.set(find(e.from), find(e.to));
  }
  const groups = new Map<string, { nodes: GraphNode[]; edges: GraphEdge[] }>();
  for (const n of g.nodes) {
    const r = find(n.id);
    const grp = groups.get(r) ?? { nodes: [], edges: [] };
    grp.nodes.push(n);
    groups.set(r, grp);
  }
  for (const e of g.edges) groups.get(find(e.from))?.edges.push(e);
  return [...groups.values()].map((grp) => {
    const nodes = [...grp.nodes].sort((a, b) => (a.id < b.id ? -1 : 1));
    const edges = [...grp.edges].sort((a, b) => (a.id < b.id ? -1 : 1));
    const key = JSON.stringify([nodes.map((n) => [n.id, width(n)]), edges.map((e) => [e.id, e.from, e.to, labelWidth(e)])]);
    return { key, nodes, edges };
  });
}

/** Rows of parts, biggest first; lone nodes (unused volumes, mostly) fill a grid after them. */
function pack(parts: PartLayout[]): GraphPositions {
  const big = parts.filter((p) => p.edges.size > 0).sort((a, b) => b.height - a.height || b.width - a.width);
  const lone = parts.filter((p) => p.edges.size === 0).sort((a, b) => [...a.nodes.keys()][0].localeCompare([...b.nodes.keys()][0]));
  const area = parts.reduce((s, p) => s + (p.width + GAP) * (p.height + GAP), 0);
  const rowWidth = Math.max(900, Math.sqrt(area) * 1.6, ...big.map((p) => p.width));
  const nodes = new Map<string, NodeBox>();
  const edges = new Map<string, EdgeRoute>();
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  let width = 0;
  const place = (p: PartLayout) => {
    if (x > 0 && x + p.width > rowWidth) {
      y += rowHeight + GAP;
      x = 0;
      rowHeight = 0;
    }
    for (const [id, b] of p.nodes) nodes.set(id, { ...b, x: b.x + x, y: b.y + y });
    for (const [id, r] of p.edges) {
      edges.set(id, { points: r.points.map((pt) => ({ x: pt.x + x, y: pt.y + y })), label: { x: r.label.x + x, y: r.label.y + y } });
    }
    x += p.width + GAP;
    width = Math.max(width, x - GAP);
    rowHeight = Math.max(rowHeight, p.height);
  };
  for (const p of big) place(p);
  if (lone.length) {
    if (x > 0) { y += rowHeight + GAP; x = 0; rowHeight = 0; }
    const cell = Math.max(...lone.map((p) => p.width));
    for (const p of lone) place({ ...p, width: cell });
  }
  return { nodes, edges, width, height: y + rowHeight };
}
