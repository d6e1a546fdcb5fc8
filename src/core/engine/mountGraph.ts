// The mount graph: who shares which data, through whom, as plain data built from an Inventory (no layout,
// no vscode), for the panel, its diffs and the Mermaid export.
// Design notes: docs/ui.md#srccoreenginemountgraphts
import type { Container, ContainerState, Inventory, Mount, Volume } from './types';

export type GraphNodeKind = 'container' | 'volume' | 'bind' | 'tmpfs' | 'gone';

export interface GraphNode {
  /** Stable across refreshes: `c:<container id>`, `v:<volume name>`, `b:<host path>`, `t:<container id>:<path>`, `g:<ref>`. */
  readonly id: string;
  readonly kind: GraphNodeKind;
  /** What the node is called (a volume as in the tree: "anonymous · log_home:/logs"). */
  readonly label: string;
  readonly containerId?: string;
  readonly state?: ContainerState;
  readonly running?: boolean;
  readonly image?: string;
  readonly volumeName?: string;
  readonly anonymous?: boolean;
  readonly hostPath?: string;
  readonly composeProject?: string;
  /** Volumes and host paths: how many containers use it. */
  readonly users?: number;
  /** A volume or host path used by more than one container. */
  readonly shared?: boolean;
  /** A volume no container uses (its data stays on disk). */
  readonly unused?: boolean;
}

/**
 * - `mount`: the container's own mount (-v, --mount, a Dockerfile VOLUME).
 * - `inherited`: a mount it got through --volumes-from (`via` names the first link).
 * - `volumesFrom`: container -> the container it copied mounts from (`mode` as given).
 * - `lost`: a --volumes-from source's mount at a path where the container has another mount
 *   (`winner`: the source it came from, or the container itself for its own mount).
 */
export type GraphEdgeKind = 'mount' | 'inherited' | 'volumesFrom' | 'lost';

export interface GraphEdge {
  readonly id: string;
  readonly kind: GraphEdgeKind;
  readonly from: string;
  readonly to: string;
  /** The path in the container (mount, inherited, lost); empty for volumesFrom. */
  readonly destination: string;
  readonly readOnly: boolean;
  readonly via?: string;
  readonly mode?: 'ro' | 'rw' | 'default';
  /** volumesFrom: the source container no longer exists. */
  readonly missing?: boolean;
  readonly winner?: string;
}

export interface MountGraph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

export interface GraphLabels {
  /** A volume's name as people see it (the tree's volumeLabel). */
  volume(v: Volume): string;
  tmpfs(destination: string): string;
}

export const englishLabels: GraphLabels = {
  volume: (v) => {
    if (!v.anonymous) return v.name;
    const owner = v.users.find((u) => !u.viaContainer) ?? v.users[0];
    return owner ? `anonymous · ${owner.containerName}:${owner.destination}` : `anonymous · ${v.name.slice(0, 12)}`;
  },
  tmpfs: (d) => `tmpfs ${d}`,
};

export const nodeIds = {
  container: (id: string) => `c:${id}`,
  volume: (name: string) => `v:${name}`,
  bind: (hostPath: string) => `b:${hostPath}`,
  tmpfs: (containerId: string, destination: string) => `t:${containerId}:${destination}`,
  gone: (ref: string) => `g:${ref}`,
};

function targetId(c: Container, m: Mount): string {
  if (m.type === 'volume' && m.volumeName) return nodeIds.volume(m.volumeName);
  if (m.type === 'tmpfs') return nodeIds.tmpfs(c.id, m.destination);
  return nodeIds.bind(m.source);
}

function sameMount(a: Mount, b: Mount): boolean {
  return a.type === b.type && a.destination === b.destination && (a.type === 'volume' ? a.volumeName === b.volumeName : a.source === b.source);
}

/** The whole engine as a graph. Deterministic: the same inventory gives the same arrays. */
export function buildMountGraph(inv: Inventory, labels: GraphLabels = englishLabels): MountGraph {
  const nodes = new Map<string, GraphNode>();
  const edges: GraphEdge[] = [];
  const byId = new Map(inv.containers.map((c) => [c.id, c]));
  const bindUsers = new Map<string, Set<string>>();

  for (const v of inv.volumes) {
    const users = new Set(v.users.map((u) => u.containerId)).size;
    nodes.set(nodeIds.volume(v.name), {
      id: nodeIds.volume(v.name),
      kind: 'volume',
      label: labels.volume(v),
      volumeName: v.name,
      anonymous: v.anonymous,
      users,
      ...(users > 1 ? { shared: true } : {}),
      ...(users === 0 ? { unused: true } : {}),
      ...(v.composeProject ? { composeProject: v.composeProject } : {}),
    });
  }

  for (const c of inv.containers) {
    const cid = nodeIds.container(c.id);
    nodes.set(cid, {
      id: cid,
      kind: 'container',
      label: c.name,
      containerId: c.id,
      state: c.state,
      running: c.state === 'running',
      image: c.image,
      ...(c.composeProject ? { composeProject: c.composeProject } : {}),
    });
    for (const m of c.mounts) addTarget(c, m);
    for (const m of c.mounts) {
      edges.push({
        id: `m:${c.id}:${m.destination}`,
        kind: m.viaContainer ? 'inherited' : 'mount',
        from: cid,
        to: targetId(c, m),
        destination: m.destination,
        readOnly: m.readOnly,
        ...(m.viaContainer ? { via: m.viaContainer } : {}),
      });
    }
    c.volumesFrom.forEach((ref, i) => {
      const source = ref.resolvedId ? byId.get(ref.resolvedId) : undefined;
      let to: string;
      if (source) {
        to = nodeIds.container(source.id);
      } else {
        to = nodeIds.gone(ref.ref);
        if (!nodes.has(to)) nodes.set(to, { id: to, kind: 'gone', label: ref.ref });
      }
      edges.push({
        id: `f:${c.id}:${i}`,
        kind: 'volumesFrom',
        from: cid,
        to,
        destination: '',
        readOnly: ref.mode === 'ro',
        mode: ref.mode,
        ...(source ? {} : { missing: true }),
      });
      if (!source) return;
      // "The first one wins": a source's mount at a path where this container has a different one.
      for (const sm of source.mounts) {
        const mine = c.mounts.find((m) => m.destination === sm.destination);
        if (!mine || sameMount(mine, sm)) continue;
        addTarget(source, sm);
        edges.push({
          id: `x:${c.id}:${sm.destination}:${source.id}`,
          kind: 'lost',
          from: cid,
          to: targetId(source, sm),
          destination: sm.destination,
          readOnly: sm.readOnly,
          via: source.name,
          winner: mine.viaContainer ?? c.name,
        });
      }
    });
  }

  for (const [id, users] of bindUsers) {
    const n = nodes.get(id);
    if (n) nodes.set(id, { ...n, users: users.size, ...(users.size > 1 ? { shared: true } : {}) });
  }
  return { nodes: [...nodes.values()], edges };

  function addTarget(c: Container, m: Mount): void {
    const id = targetId(c, m);
    if (m.type === 'volume' && m.volumeName) {
      // Listed by the container but not (yet) by the volume list: a race between the two calls.
      if (!nodes.has(id)) nodes.set(id, { id, kind: 'volume', label: m.volumeName, volumeName: m.volumeName, anonymous: m.anonymous, users: 1 });
    } else if (m.type === 'tmpfs') {
      if (!nodes.has(id)) nodes.set(id, { id, kind: 'tmpfs', label: labels.tmpfs(m.destination), containerId: c.id });
    } else {
      if (!nodes.has(id)) nodes.set(id, { id, kind: 'bind', label: m.source, hostPath: m.source });
      const set = bindUsers.get(id) ?? new Set<string>();
      set.add(c.id);
      bindUsers.set(id, set);
    }
  }
}

/** Where the panel was opened from. */
export type GraphFocus =
  | { readonly kind: 'volume'; readonly volumeName: string }
  | { readonly kind: 'container'; readonly containerId: string }
  | { readonly kind: 'mount'; readonly containerId: string; readonly destination: string };

export interface GraphFilter {
  /** Case-insensitive part of a name, label or host path; matches keep their direct neighbours. */
  readonly text?: string;
  /** Only containers of this Compose project (and what they mount), and the project's volumes. */
  readonly project?: string;
  /** Hide stopped containers (and what only they used). */
  readonly runningOnly?: boolean;
}

export interface GraphScope {
  /** The whole engine, or the focus's neighbourhood. */
  readonly whole: boolean;
  readonly focus?: GraphFocus;
  readonly filter?: GraphFilter;
}

/** The node ids the focus stands for (a mount: its container and what it mounts). */
export function focusIds(graph: MountGraph, focus: GraphFocus): string[] {
  switch (focus.kind) {
    case 'volume':
      return [nodeIds.volume(focus.volumeName)];
    case 'container':
      return [nodeIds.container(focus.containerId)];
    case 'mount': {
      const e = graph.edges.find((x) => x.from === nodeIds.container(focus.containerId) && x.destination === focus.destination && x.kind !== 'lost');
      return e ? [e.from, e.to] : [nodeIds.container(focus.containerId)];
    }
  }
}

/**
 * What is shown: the whole engine, or everything connected to the focus through containers,
 * volumes and --volumes-from links. A host path or tmpfs is shown but not walked through (a bind
 * of /etc/localtime would otherwise join every container), except that the containers sharing the
 * focus's own host path are shown. Then the filter.
 */
export function selectView(graph: MountGraph, scope: GraphScope): MountGraph {
  let keep: Set<string>;
  const adjacency = adjacencyOf(graph);
  if (scope.whole || !scope.focus) {
    keep = new Set(graph.nodes.map((n) => n.id));
  } else {
    const start = focusIds(graph, scope.focus).filter((id) => adjacency.has(id));
    keep = new Set(start);
    const queue = [...start];
    const kind = new Map(graph.nodes.map((n) => [n.id, n.kind]));
    while (queue.length) {
      const id = queue.shift() as string;
      const k = kind.get(id);
      if ((k === 'bind' || k === 'tmpfs' || k === 'gone') && !start.includes(id)) continue;
      for (const next of adjacency.get(id) ?? []) {
        if (!keep.has(next)) {
          keep.add(next);
          queue.push(next);
        }
      }
    }
  }
  if (scope.filter) {
    // The item the view was opened on stays, whatever the filters: a filter set for an earlier item
    // (another project, running only) must not answer "nothing to show" for this one.
    const pinned = scope.whole || !scope.focus ? [] : focusIds(graph, scope.focus).filter((id) => keep.has(id));
    keep = applyFilter(graph, keep, scope.filter, adjacency, pinned);
    for (const id of pinned) keep.add(id);
  }
  return {
    nodes: graph.nodes.filter((n) => keep.has(n.id)),
    edges: graph.edges.filter((e) => keep.has(e.from) && keep.has(e.to)),
  };
}

function adjacencyOf(graph: MountGraph): Map<string, Set<string>> {
  const adj = new Map<string, Set<string>>(graph.nodes.map((n) => [n.id, new Set<string>()]));
  for (const e of graph.edges) {
    adj.get(e.from)?.add(e.to);
    adj.get(e.to)?.add(e.from);
  }
  return adj;
}

function applyFilter(graph: MountGraph, shown: Set<string>, f: GraphFilter, adj: Map<string, Set<string>>, pinned: readonly string[]): Set<string> {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  let keep = new Set(shown);
  const touches = (id: string, set: Set<string>) => [...(adj.get(id) ?? [])].some((x) => set.has(x));
  if (f.runningOnly) {
    const before = keep;
    keep = new Set([...before].filter((id) => byId.get(id)?.kind !== 'container' || byId.get(id)?.running));
    // What only stopped containers used goes too; an unused volume stays (nothing hides it).
    keep = new Set(
      [...keep].filter((id) => {
        const n = byId.get(id);
        if (!n || n.kind === 'container' || n.unused || pinned.includes(id)) return true;
        return touches(id, keep) || !touches(id, before);
      }),
    );
  }
  if (f.project) {
    const inProject = new Set([...keep].filter((id) => byId.get(id)?.composeProject === f.project));
    for (const id of [...inProject]) {
      if (byId.get(id)?.kind !== 'container') continue;
      for (const x of adj.get(id) ?? []) if (keep.has(x) && byId.get(x)?.kind !== 'container') inProject.add(x);
    }
    keep = inProject;
  }
  const text = f.text?.trim().toLowerCase();
  if (text) {
    const hit = (n: GraphNode) => [n.label, n.volumeName, n.hostPath, n.image].some((s) => s?.toLowerCase().includes(text));
    const matches = [...keep].filter((id) => {
      const n = byId.get(id);
      return n !== undefined && hit(n);
    });
    const withNeighbours = new Set(matches);
    for (const id of matches) for (const x of adj.get(id) ?? []) if (keep.has(x)) withNeighbours.add(x);
    keep = withNeighbours;
  }
  return keep;
}

/** The Compose projects present, for the filter's choices. */
export function composeProjects(graph: MountGraph): string[] {
  return [...new Set(graph.nodes.map((n) => n.composeProject).filter((p): p is string => !!p))].sort();
}

/** What changed between two views: nodes and edges put (added or changed) and removed, by id. */
export interface GraphPatch {
  readonly putNodes: readonly GraphNode[];
  readonly removeNodes: readonly string[];
  readonly putEdges: readonly GraphEdge[];
  readonly removeEdges: readonly string[];
}

export function diffGraphs(before: MountGraph, after: MountGraph): GraphPatch {
  const diff = <T extends { id: string }>(a: readonly T[], b: readonly T[]) => {
    const old = new Map(a.map((x) => [x.id, x]));
    const put: T[] = [];
    for (const x of b) {
      const o = old.get(x.id);
      if (!o || !shallowEqual(o, x)) put.push(x);
      old.delete(x.id);
    }
    return { put, removed: [...old.keys()] };
  };
  const n = diff(before.nodes, after.nodes);
  const e = diff(before.edges, after.edges);
  return { putNodes: n.put, removeNodes: n.removed, putEdges: e.put, removeEdges: e.removed };
}

export function isEmptyPatch(p: GraphPatch): boolean {
  return !p.putNodes.length && !p.removeNodes.length && !p.putEdges.length && !p.removeEdges.length;
}

/** Applies a patch (the page does the same to its copy). */
export function applyPatch(g: MountGraph, p: GraphPatch): MountGraph {
  const merge = <T extends { id: string }>(xs: readonly T[], put: readonly T[], removed: readonly string[]) => {
    const m = new Map(xs.map((x) => [x.id, x]));
    for (const id of removed) m.delete(id);
    for (const x of put) m.set(x.id, x);
    return [...m.values()];
  };
  return { nodes: merge(g.nodes, p.putNodes, p.removeNodes), edges: merge(g.edges, p.putEdges, p.removeEdges) };
}

function shallowEqual(a: object, b: object): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => (a as Record<string, unknown>)[k] === (b as Record<string, unknown>)[k]);
}

export interface MermaidWords {
  readOnly: string;
  /** {0}: the container it came through. */
  via: string;
  /** {0}: the mode suffix (":ro", ":rw" or nothing). */
  volumesFrom: string;
  /** {0}: the winner. */
  lostTo: string;
  gone: string;
}

export const englishMermaidWords: MermaidWords = {
  readOnly: 'ro',
  via: 'via {0}',
  volumesFrom: '--volumes-from{0}',
  lostTo: 'lost to {0}',
  gone: 'removed',
};

/** A Mermaid flowchart of a view (labels quoted and escaped: names are untrusted text). */
export function toMermaid(g: MountGraph, words: MermaidWords = englishMermaidWords): string {
  const fmt = (s: string, a: string) => s.replace('{0}', a);
  const q = (s: string) => `"${s.replace(/[#"<>&|\\`\r\n]/g, (c) => (c === '\n' || c === '\r' ? ' ' : `#${c.charCodeAt(0)};`))}"`;
  const short = new Map<string, string>();
  g.nodes.forEach((n, i) => short.set(n.id, `n${i}`));
  const lines = ['flowchart LR'];
  for (const n of g.nodes) {
    const id = short.get(n.id) as string;
    const label = n.kind === 'gone' ? `${n.label} (${words.gone})` : n.label;
    const shape = n.kind === 'volume' ? `[(${q(label)})]` : n.kind === 'bind' ? `[/${q(label)}/]` : n.kind === 'tmpfs' ? `{{${q(label)}}}` : `[${q(label)}]`;
    const cls = n.kind === 'container' ? (n.running ? 'running' : 'stopped') : n.kind === 'gone' ? 'gone' : n.unused ? 'unused' : n.shared ? 'shared' : n.kind;
    lines.push(`  ${id}${shape}:::${cls}`);
  }
  for (const e of g.edges) {
    const a = short.get(e.from);
    const b = short.get(e.to);
    if (!a || !b) continue;
    const ro = e.readOnly ? ` (${words.readOnly})` : '';
    switch (e.kind) {
      case 'mount':
        lines.push(`  ${a} -->|${q(e.destination + ro)}| ${b}`);
        break;
      case 'inherited':
        lines.push(`  ${a} -.->|${q(`${e.destination}${ro} ${fmt(words.via, e.via ?? '')}`)}| ${b}`);
        break;
      case 'volumesFrom':
        lines.push(`  ${a} ==>|${q(fmt(words.volumesFrom, e.mode && e.mode !== 'default' ? `:${e.mode}` : ''))}| ${b}`);
        break;
      case 'lost':
        lines.push(`  ${a} --x|${q(`${e.destination} ${fmt(words.lostTo, e.winner ?? '')}`)}| ${b}`);
        break;
    }
  }
  lines.push(
    '  classDef running stroke:#2e7d32,stroke-width:2px',
    '  classDef stopped stroke-dasharray:4 3',
    '  classDef gone stroke:#c62828,stroke-dasharray:2 2',
    '  classDef unused stroke-dasharray:4 3,opacity:0.8',
    '  classDef shared stroke-width:3px',
  );
  return `${lines.join('\n')}\n`;
}
