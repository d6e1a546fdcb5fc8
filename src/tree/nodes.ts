// The tree's nodes. Each is a plain object that also serves as the argument of the commands run
// on it ({ volumeName } / MountTarget from services.ts), so a command works the same from a
// right-click, the palette or a test.
import type { Container, Mount, Volume, VolumeUse } from '../core/engine/types';
import type { EngineRootNode } from '../model/EngineRoots';

export type { EngineRootNode };

export interface ContainerNode {
  /** Set on rows under another engine's root (not the current engine's): that engine's address. */
  readonly engineHost?: string;
  readonly kind: 'container';
  readonly container: Container;
  readonly containerId: string;
  readonly containerName: string;
}

export interface MountNode {
  /** Set on rows under another engine's root (not the current engine's): that engine's address. */
  readonly engineHost?: string;
  readonly kind: 'mount';
  readonly containerId: string;
  readonly containerName: string;
  readonly mount: Mount;
  /** Set for volume mounts, so volume commands accept the node. */
  readonly volumeName?: string;
}

export interface VolumeGroupNode {
  /** Set on rows under another engine's root (not the current engine's): that engine's address. */
  readonly engineHost?: string;
  readonly kind: 'group';
  readonly group: 'inuse' | 'unused';
  readonly project?: string;
  readonly volumes: readonly Volume[];
}

export interface VolumeNode {
  /** Set on rows under another engine's root (not the current engine's): that engine's address. */
  readonly engineHost?: string;
  readonly kind: 'volume';
  readonly volume: Volume;
  readonly volumeName: string;
}

export interface VolumeUserNode {
  /** Set on rows under another engine's root (not the current engine's): that engine's address. */
  readonly engineHost?: string;
  readonly kind: 'volumeUser';
  readonly volumeName: string;
  readonly use: VolumeUse;
  readonly containerId: string;
  readonly containerName: string;
}

export type ContainersViewNode = EngineRootNode | ContainerNode | MountNode;
export type VolumesViewNode = EngineRootNode | VolumeGroupNode | VolumeNode | VolumeUserNode;
export type AnyNode = ContainersViewNode | VolumesViewNode;
