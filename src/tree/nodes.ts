// The tree's nodes. Each is a plain object that also serves as the argument of the commands run
// on it ({ volumeName } / MountTarget from services.ts), so a command works the same from a
// right-click, the palette or a test.
import type { Container, Mount, Volume, VolumeUse } from '../core/types';

export interface ContainerNode {
  readonly kind: 'container';
  readonly container: Container;
  readonly containerId: string;
  readonly containerName: string;
}

export interface MountNode {
  readonly kind: 'mount';
  readonly containerId: string;
  readonly containerName: string;
  readonly mount: Mount;
  /** Set for volume mounts, so volume commands accept the node. */
  readonly volumeName?: string;
}

export interface VolumeGroupNode {
  readonly kind: 'group';
  readonly group: 'inuse' | 'unused';
  readonly project?: string;
  readonly volumes: readonly Volume[];
}

export interface VolumeNode {
  readonly kind: 'volume';
  readonly volume: Volume;
  readonly volumeName: string;
}

export interface VolumeUserNode {
  readonly kind: 'volumeUser';
  readonly volumeName: string;
  readonly use: VolumeUse;
  readonly containerId: string;
  readonly containerName: string;
}

export type ContainersViewNode = ContainerNode | MountNode;
export type VolumesViewNode = VolumeGroupNode | VolumeNode | VolumeUserNode;
export type AnyNode = ContainersViewNode | VolumesViewNode;
