// Builds the normalised snapshot of containers, mounts and volumes. This is the boundary: dockerode
// shapes come in, our types (types.ts) go out.
// Design notes (cost per refresh): docs/engines.md#srccoreengineinventoryts
import type Dockerode from 'dockerode';
import { call, HELPER_LABEL, type Engine } from './engine';
import { statusWithoutTime } from './containerStatus';
import { holdersFromContainers } from './lockLabels';
import { modem } from './volumeArchive';
import {
  COMPOSE_PROJECT_LABEL,
  COMPOSE_SERVICE_LABEL,
  isAnonymousVolumeName,
  type Container,
  type ContainerState,
  type Inventory,
  type Mount,
  type MountType,
  type Volume,
  type VolumeUse,
  type VolumesFromRef,
} from './types';

const INSPECT_CONCURRENCY = 8;

interface RawMount {
  Type?: string;
  Name?: string;
  Source?: string;
  Destination?: string;
  Driver?: string;
  RW?: boolean;
  Mode?: string;
}

export class InventoryLoader {
  /** container id -> its HostConfig.VolumesFrom (immutable for the container's life). */
  private readonly volumesFromCache = new Map<string, readonly string[]>();

  constructor(private readonly engine: Engine) {}

  async load(signal?: AbortSignal): Promise<Inventory> {
    const docker = this.engine.docker;
    const [rawContainers, rawVolumes] = await Promise.all([
      call(() => docker.listContainers({ all: true, abortSignal: signal } as Dockerode.ContainerListOptions)),
      call(() => docker.listVolumes({ abortSignal: signal } as Dockerode.VolumeListOptions)),
    ]);
    signal?.throwIfAborted();

    const live = new Set(rawContainers.map((c) => c.Id));
    for (const id of this.volumesFromCache.keys()) if (!live.has(id)) this.volumesFromCache.delete(id);
    // Only a container with mounts can have received any through --volumes-from.
    const toInspect = rawContainers.filter((c) => (c.Mounts?.length ?? 0) > 0 && !this.volumesFromCache.has(c.Id));
    await forEachBounded(toInspect, INSPECT_CONCURRENCY, async (c) => {
      try {
        const info = await call(() => docker.getContainer(c.Id).inspect({ abortSignal: signal } as Dockerode.ContainerInspectOptions));
        const from = (info.HostConfig as { VolumesFrom?: string[] | null } | undefined)?.VolumesFrom;
        this.volumesFromCache.set(c.Id, from ?? []);
      } catch (e) {
        // Removed between list and inspect: the next event-driven refresh drops it.
        if ((e as { kind?: string }).kind !== 'notFound') throw e;
      }
    });
    signal?.throwIfAborted();

    const volumeList = (rawVolumes as unknown as { Volumes?: Dockerode.VolumeInspectInfo[] | null }).Volumes ?? [];
    return buildInventory(rawContainers, volumeList, (id) => this.volumesFromCache.get(id) ?? []);
  }
}

/** Pure: normalises the engine's lists into an Inventory. Exported for tests of edge cases. */
export function buildInventory(
  allContainers: readonly Dockerode.ContainerInfo[],
  rawVolumes: readonly Dockerode.VolumeInspectInfo[],
  volumesFromOf: (id: string) => readonly string[],
): Inventory {
  // Our own helper containers (backup, browse) are plumbing, not the user's containers: a volume
  // open as a folder is still "unused" if no container of the user's mounts it.
  const rawContainers = allContainers.filter((c) => !(c.Labels && HELPER_LABEL in c.Labels));
  const byName = new Map<string, Dockerode.ContainerInfo>();
  for (const c of rawContainers) byName.set(containerName(c), c);
  const resolve = (ref: string): Dockerode.ContainerInfo | undefined =>
    byName.get(ref) ?? (ref.length >= 4 ? rawContainers.find((c) => c.Id.startsWith(ref)) : undefined);

  const containers: Container[] = rawContainers.map((c) => {
    const refs: VolumesFromRef[] = volumesFromOf(c.Id).map((raw) => {
      const [ref, mode] = splitVolumesFrom(raw);
      const target = resolve(ref);
      return { ref, mode, ...(target ? { resolvedId: target.Id } : {}) };
    });
    const mounts = ((c.Mounts as RawMount[] | undefined) ?? []).map((m) => {
      const mount = normaliseMount(m);
      // The engine copies the source's mounts at create time; the first source with the same
      // mount at the same path is where it came from ("the first one wins").
      const via = refs
        .map((r) => (r.resolvedId ? rawContainers.find((x) => x.Id === r.resolvedId) : undefined))
        .find((src) => src && ((src.Mounts as RawMount[] | undefined) ?? []).some((sm) => sameMount(normaliseMount(sm), mount)));
      return via ? { ...mount, viaContainer: containerName(via) } : mount;
    });
    const labels = c.Labels ?? {};
    return {
      id: c.Id,
      name: containerName(c),
      image: c.Image,
      state: normaliseState(c.State),
      status: c.Status ?? '',
      created: c.Created,
      labels,
      ...(labels[COMPOSE_PROJECT_LABEL] ? { composeProject: labels[COMPOSE_PROJECT_LABEL] } : {}),
      ...(labels[COMPOSE_SERVICE_LABEL] ? { composeService: labels[COMPOSE_SERVICE_LABEL] } : {}),
      mounts,
      volumesFrom: refs,
    };
  });

  const usesByVolume = new Map<string, VolumeUse[]>();
  for (const c of containers) {
    for (const m of c.mounts) {
      if (m.type !== 'volume' || !m.volumeName) continue;
      const list = usesByVolume.get(m.volumeName) ?? [];
      list.push({
        containerId: c.id,
        containerName: c.name,
        containerState: c.state,
        destination: m.destination,
        readOnly: m.readOnly,
        ...(m.viaContainer ? { viaContainer: m.viaContainer } : {}),
      });
      usesByVolume.set(m.volumeName, list);
    }
  }

  // Our lock containers are helpers too, but say which volumes another operation holds.
  const locks = holdersFromContainers(allContainers);
  const volumes: Volume[] = rawVolumes.map((v) => {
    const labels = v.Labels ?? {};
    const created = (v as unknown as { CreatedAt?: string }).CreatedAt;
    return {
      name: v.Name,
      driver: v.Driver,
      labels,
      ...(created ? { createdAt: created } : {}),
      mountpoint: v.Mountpoint,
      scope: v.Scope ?? 'local',
      anonymous: isAnonymousVolumeName(v.Name, labels),
      ...(labels[COMPOSE_PROJECT_LABEL] ? { composeProject: labels[COMPOSE_PROJECT_LABEL] } : {}),
      users: (usesByVolume.get(v.Name) ?? []).sort((a, b) => a.containerName.localeCompare(b.containerName)),
      ...(locks.has(v.Name) ? { lock: locks.get(v.Name) } : {}),
    };
  });
  volumes.sort((a, b) => a.name.localeCompare(b.name));
  containers.sort((a, b) => a.name.localeCompare(b.name));
  return { containers, volumes, takenAt: Date.now() };
}

function containerName(c: Dockerode.ContainerInfo): string {
  return (c.Names?.[0] ?? c.Id.slice(0, 12)).replace(/^\//, '');
}

function splitVolumesFrom(raw: string): [string, VolumesFromRef['mode']] {
  const m = /^(.*):(ro|rw)$/.exec(raw);
  return m ? [m[1], m[2] as 'ro' | 'rw'] : [raw, 'default'];
}

function normaliseMount(m: RawMount): Mount {
  const type: MountType = m.Type === 'volume' || m.Type === 'bind' || m.Type === 'tmpfs' ? m.Type : 'other';
  const name = type === 'volume' ? m.Name : undefined;
  return {
    type,
    ...(name ? { volumeName: name } : {}),
    source: m.Source ?? '',
    destination: m.Destination ?? '',
    readOnly: m.RW === false,
    anonymous: type === 'volume' && !!name && isAnonymousVolumeName(name),
    ...(m.Driver ? { driver: m.Driver } : {}),
  };
}

function sameMount(a: Mount, b: Mount): boolean {
  return a.type === b.type && a.destination === b.destination && (a.type === 'volume' ? a.volumeName === b.volumeName : a.source === b.source);
}

function normaliseState(s: string | undefined): ContainerState {
  const known: ContainerState[] = ['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead'];
  return known.includes(s as ContainerState) ? (s as ContainerState) : 'unknown';
}

async function forEachBounded<T>(items: readonly T[], limit: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * What a snapshot shows, as one string to compare loads by: the time of the load and the status
 * lines' durations ("Up 3 minutes") are left out, so a load that found nothing new compares equal.
 */
export function inventoryKey(inv: Inventory): string {
  return JSON.stringify({ containers: inv.containers.map((c) => ({ ...c, status: statusWithoutTime(c.status) })), volumes: inv.volumes });
}

/**
 * Sizes of all volumes in bytes, from `system/df` (slow on big engines: the engine walks every
 * volume). -1 where the engine reports none.
 */
export async function loadVolumeSizes(engine: Pick<Engine, 'docker'>, signal?: AbortSignal): Promise<Map<string, number>> {
  // `type=volume` (API 1.42+) computes only volume sizes; older engines ignore it and compute all.
  const df = (await call(
    () =>
      new Promise<unknown>((resolve, reject) =>
        modem(engine.docker).dial(
          {
            path: '/system/df?',
            method: 'GET',
            options: { type: 'volume' },
            abortSignal: signal,
            statusCodes: { 200: true, 400: 'bad parameter', 500: 'server error' },
          },
          // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- docker-modem errors are plain objects; call() converts them
          (err, data) => (err ? reject(err) : resolve(data)),
        ),
      ),
  )) as { Volumes?: { Name: string; UsageData?: { Size?: number } | null }[] | null };
  const sizes = new Map<string, number>();
  for (const v of df.Volumes ?? []) sizes.set(v.Name, v.UsageData?.Size ?? -1);
  return sizes;
}
