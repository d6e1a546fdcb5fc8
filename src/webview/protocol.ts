// The messages between the mount-graph panel and its page, shared by both sides. The host
// validates every message from the page (parsePageMessage) before acting on it: unknown types,
// wrong shapes and oversized strings are rejected.
import type { GraphFilter, GraphFocus, GraphPatch, MountGraph } from '../core/engine/mountGraph';

/** The page's view settings: kept by the page (getState) and restored after a reload. */
export interface ViewSettings {
  readonly whole: boolean;
  readonly filter: GraphFilter;
}

/** Host -> page. */
export type HostMessage =
  /** The whole view: on 'ready', or after the scope changed. */
  | {
      readonly type: 'full';
      readonly graph: MountGraph;
      readonly focus?: GraphFocus;
      readonly focusIds: readonly string[];
      readonly settings: ViewSettings;
      readonly projects: readonly string[];
      readonly strings: Readonly<Record<string, string>>;
    }
  /** What an engine event changed (the page applies it to its copy of the view). */
  | { readonly type: 'patch'; readonly patch: GraphPatch; readonly projects: readonly string[] }
  | { readonly type: 'engineDown'; readonly message: string }
  /** An export finished (the page says so). */
  | { readonly type: 'copied'; readonly what: 'mermaid' | 'svg' };

export const NODE_ACTIONS = ['reveal', 'focus', 'backup', 'openFolder', 'addToWorkspace', 'inspect', 'migrate'] as const;
export type NodeAction = (typeof NODE_ACTIONS)[number];

/** Page -> host. */
export type PageMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'settings'; readonly settings: ViewSettings }
  | { readonly type: 'action'; readonly action: NodeAction; readonly nodeId: string }
  | { readonly type: 'copyMermaid' }
  | { readonly type: 'saveSvg'; readonly svg: string };

export const LIMITS = { nodeId: 600, filterText: 200, project: 256, svg: 20 * 1024 * 1024 } as const;

const str = (v: unknown, max: number, min = 0): v is string => typeof v === 'string' && v.length >= min && v.length <= max;
const keysOnly = (o: Record<string, unknown>, allowed: readonly string[]) => Object.keys(o).every((k) => allowed.includes(k));

function parseFilter(v: unknown): GraphFilter | undefined {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  if (!keysOnly(o, ['text', 'project', 'runningOnly'])) return undefined;
  if (o.text !== undefined && !str(o.text, LIMITS.filterText)) return undefined;
  if (o.project !== undefined && !str(o.project, LIMITS.project)) return undefined;
  if (o.runningOnly !== undefined && typeof o.runningOnly !== 'boolean') return undefined;
  return {
    ...(typeof o.text === 'string' && o.text ? { text: o.text } : {}),
    ...(typeof o.project === 'string' && o.project ? { project: o.project } : {}),
    ...(o.runningOnly ? { runningOnly: true } : {}),
  };
}

export function parseSettings(v: unknown): ViewSettings | undefined {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  if (!keysOnly(o, ['whole', 'filter']) || typeof o.whole !== 'boolean') return undefined;
  const filter = parseFilter(o.filter ?? {});
  return filter ? { whole: o.whole, filter } : undefined;
}

/** A focus from the page's saved state (after a reload), checked. */
export function parseFocus(v: unknown): GraphFocus | undefined {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  switch (o.kind) {
    case 'volume':
      return keysOnly(o, ['kind', 'volumeName']) && str(o.volumeName, 255, 1) ? { kind: 'volume', volumeName: o.volumeName } : undefined;
    case 'container':
      return keysOnly(o, ['kind', 'containerId']) && str(o.containerId, 64, 12) && /^[0-9a-f]+$/.test(o.containerId)
        ? { kind: 'container', containerId: o.containerId }
        : undefined;
    case 'mount':
      return keysOnly(o, ['kind', 'containerId', 'destination']) &&
        str(o.containerId, 64, 12) &&
        /^[0-9a-f]+$/.test(o.containerId) &&
        str(o.destination, 4096, 1)
        ? { kind: 'mount', containerId: o.containerId, destination: o.destination }
        : undefined;
    default:
      return undefined;
  }
}

/** The message, checked field by field (and rebuilt, so nothing unchecked rides along); undefined when invalid. */
export function parsePageMessage(m: unknown): PageMessage | undefined {
  if (m === null || typeof m !== 'object' || Array.isArray(m)) return undefined;
  const o = m as Record<string, unknown>;
  switch (o.type) {
    case 'ready':
      return keysOnly(o, ['type']) ? { type: 'ready' } : undefined;
    case 'copyMermaid':
      return keysOnly(o, ['type']) ? { type: 'copyMermaid' } : undefined;
    case 'settings': {
      if (!keysOnly(o, ['type', 'settings'])) return undefined;
      const settings = parseSettings(o.settings);
      return settings ? { type: 'settings', settings } : undefined;
    }
    case 'action':
      if (!keysOnly(o, ['type', 'action', 'nodeId'])) return undefined;
      if (!NODE_ACTIONS.includes(o.action as NodeAction) || !str(o.nodeId, LIMITS.nodeId, 3) || !/^[cvbtg]:/.test(o.nodeId)) return undefined;
      return { type: 'action', action: o.action as NodeAction, nodeId: o.nodeId };
    case 'saveSvg':
      if (!keysOnly(o, ['type', 'svg']) || !str(o.svg, LIMITS.svg, 1) || !o.svg.startsWith('<svg')) return undefined;
      return { type: 'saveSvg', svg: o.svg };
    default:
      return undefined;
  }
}
