// Opens the mount graph on what it was run on: a volume, a container or one of its mounts (tree
// nodes, or { volumeName } / { containerId } / { containerId, destination }). From the palette,
// with nothing chosen, it shows the whole engine.
import type { GraphFocus } from '../core/engine/mountGraph';
import { defineCommand, type Target } from '../services';
import { MountGraphPanel } from '../webview/MountGraphPanel';

export const showMountChains = defineCommand({
  id: 'containerVolumes.showMountChains',
  run(services, { target }) {
    return MountGraphPanel.createOrShow(services, focusFrom(target));
  },
});

/** A container is focused by id (rows and `{ containerId }` carry it); a mount row before the volume it mounts. */
export function focusFrom(target: Target): GraphFocus | undefined {
  switch (target.kind) {
    case 'volume':
      return { kind: 'volume', volumeName: target.volumeName };
    case 'mount': {
      const containerId = target.container.id;
      if (containerId !== undefined && target.destination !== undefined) return { kind: 'mount', containerId, destination: target.destination };
      if (target.volumeName !== undefined) return { kind: 'volume', volumeName: target.volumeName };
      return containerId !== undefined ? { kind: 'container', containerId } : undefined;
    }
    case 'container':
      return target.container.id !== undefined ? { kind: 'container', containerId: target.container.id } : undefined;
    default:
      return undefined;
  }
}
