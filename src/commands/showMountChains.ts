// Opens the mount graph on what it was run on: a volume, a container or one of its mounts (tree
// nodes, or { volumeName } / { containerId } / { containerId, destination }). From the palette,
// with nothing chosen, it shows the whole engine.
import type { GraphFocus } from '../core/engine/mountGraph';
import type { CommandSpec } from '../services';
import { MountGraphPanel } from '../webview/MountGraphPanel';
import { argObject } from './targets';

export const showMountChains: CommandSpec = {
  id: 'containerVolumes.showMountChains',
  run(services, arg) {
    return MountGraphPanel.createOrShow(services, focusFrom(arg));
  },
};

export function focusFrom(arg: unknown): GraphFocus | undefined {
  const o = argObject(arg);
  const s = (k: string): string | undefined => {
    const v = o[k];
    return typeof v === 'string' && v.length > 0 ? v : undefined;
  };
  const mount = argObject(o.mount);
  const destination = s('destination') ?? (typeof mount.destination === 'string' ? mount.destination : undefined);
  const containerId = s('containerId');
  if (o.kind === 'mount' && containerId && destination) return { kind: 'mount', containerId, destination };
  const volumeName = s('volumeName');
  if (volumeName) return { kind: 'volume', volumeName };
  if (containerId && destination) return { kind: 'mount', containerId, destination };
  if (containerId) return { kind: 'container', containerId };
  return undefined;
}
