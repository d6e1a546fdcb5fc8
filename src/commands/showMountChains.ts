// Opens the mount-chain panel on a volume (or the one behind a mount / a container's first volume).
import type { CommandSpec } from '../services';
import { MountGraphPanel } from '../webview/MountGraphPanel';
import { argObject, volumeArg } from './targets';

export const showMountChains: CommandSpec = {
  id: 'containerVolumes.showMountChains',
  async run(services, arg) {
    const o = argObject(arg);
    let volumeName: string | undefined;
    if (typeof o.volumeName === 'string') volumeName = o.volumeName;
    else if (o.kind === 'container' && typeof o.containerId === 'string') {
      volumeName = services.inventory.current?.containers.find((c) => c.id === o.containerId)?.mounts.find((m) => m.volumeName)?.volumeName;
    }
    if (!volumeName) volumeName = (await volumeArg(services, arg, (v) => v.users.length > 0)).name;
    return MountGraphPanel.createOrShow(services, volumeName);
  },
};
