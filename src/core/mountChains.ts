// The mount chains of one volume, as a forest: the containers that mount it directly (owners) at
// the roots, and under each the containers that got the mount from it with --volumes-from, and so
// on (the seed's log_home <- logger01 <- logger02). Pure: built from an Inventory.
import type { ContainerState, Inventory } from './types';

export interface ChainNode {
  readonly containerId: string;
  readonly containerName: string;
  readonly state: ContainerState;
  readonly destination: string;
  readonly readOnly: boolean;
  /** The container this one got the mount from (undefined for an owner). */
  readonly viaContainer?: string;
  readonly children: readonly ChainNode[];
}

export interface VolumeChains {
  readonly volumeName: string;
  readonly anonymous: boolean;
  readonly mountpoint: string;
  readonly roots: readonly ChainNode[];
  /** Each container's path to the volume, leaf first: ["logger02", "logger01", "log_home"]. */
  readonly paths: readonly (readonly string[])[];
}

export function volumeChains(inv: Inventory, volumeName: string): VolumeChains | undefined {
  const volume = inv.volumes.find((v) => v.name === volumeName);
  if (!volume) return undefined;
  const users = volume.users;
  const names = new Set(users.map((u) => u.containerName));
  const build = (name: string, seen: Set<string>): ChainNode[] => users
    .filter((u) => u.viaContainer === name && !seen.has(u.containerName))
    .map((u) => ({
      containerId: u.containerId, containerName: u.containerName, state: u.containerState, destination: u.destination,
      readOnly: u.readOnly, viaContainer: u.viaContainer, children: build(u.containerName, new Set([...seen, u.containerName])),
    }));
  // Owners: users that did not get it through --volumes-from, or got it from a container that is gone.
  const roots: ChainNode[] = users
    .filter((u) => !u.viaContainer || !names.has(u.viaContainer))
    .map((u) => ({
      containerId: u.containerId, containerName: u.containerName, state: u.containerState, destination: u.destination,
      readOnly: u.readOnly, ...(u.viaContainer ? { viaContainer: u.viaContainer } : {}),
      children: build(u.containerName, new Set([u.containerName])),
    }));
  const paths: string[][] = [];
  const walk = (n: ChainNode, trail: string[]) => {
    const here = [n.containerName, ...trail];
    paths.push(here);
    for (const c of n.children) walk(c, here);
  };
  for (const r of roots) walk(r, []);
  paths.sort((a, b) => b.length - a.length || a.join().localeCompare(b.join()));
  return { volumeName, anonymous: volume.anonymous, mountpoint: volume.mountpoint, roots, paths };
}
