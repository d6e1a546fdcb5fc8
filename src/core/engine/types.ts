// Our own model of what the engine holds. Engine JSON is normalised into these types once, in
// inventory.ts; nothing outside src/core ever sees a dockerode shape.
import type { Message } from '../message';

/** How a path gets into a container. `npipe` and `cluster` exist on other platforms; we keep them as `other`. */
export type MountType = 'volume' | 'bind' | 'tmpfs' | 'other';

export interface Mount {
  readonly type: MountType;
  /** Volume name (type `volume`); undefined for binds and tmpfs. */
  readonly volumeName?: string;
  /** Host path: the bind source, or the volume's mountpoint on the engine host. Empty for tmpfs. */
  readonly source: string;
  /** Path inside the container. */
  readonly destination: string;
  readonly readOnly: boolean;
  /** A volume with a generated 64-hex name (`-v /logs`, or a Dockerfile VOLUME). */
  readonly anonymous: boolean;
  readonly driver?: string;
  /**
   * Set when the mount came through `--volumes-from`: the name of the container it was copied
   * from (the first link of the chain; follow that container's own mount for the next one).
   */
  readonly viaContainer?: string;
}

export type ContainerState = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead' | 'unknown';

export interface VolumesFromRef {
  /** The reference as recorded by the engine (a name or an id). */
  readonly ref: string;
  readonly mode: 'ro' | 'rw' | 'default';
  /** The id of the container it names, when that container still exists. */
  readonly resolvedId?: string;
}

export interface Container {
  readonly id: string;
  /** Name without the leading slash. */
  readonly name: string;
  readonly image: string;
  readonly state: ContainerState;
  /** The engine's human status ("Up 3 minutes"). */
  readonly status: string;
  readonly created: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly composeProject?: string;
  readonly composeService?: string;
  readonly mounts: readonly Mount[];
  readonly volumesFrom: readonly VolumesFromRef[];
}

export interface VolumeUse {
  readonly containerId: string;
  readonly containerName: string;
  readonly containerState: ContainerState;
  readonly destination: string;
  readonly readOnly: boolean;
  readonly viaContainer?: string;
}

/** Who holds a volume's lock on the engine (engineLocks.ts): any window, the CLI, another machine. */
export interface VolumeLockHolder {
  readonly volume: string;
  /** `enter` is a reader on its way in (held for two engine calls). */
  readonly mode: 'write' | 'enter' | 'read';
  /** "restore of backup.tar", "backup to x.tar", `clone of "a" into "b"`: rendered in the reader's language. */
  readonly operation: Message;
  /** The program or window: "the CLI", `VS Code window "shop"`. */
  readonly app: Message;
  readonly host: string;
  readonly pid: number;
  /** ISO time the holder took the lock (its own clock). */
  readonly since: string;
  readonly leaseMs: number;
}

/** A volume as the engine's inspect describes it: what the data operations need to know. */
export interface VolumeInfo {
  readonly name: string;
  readonly driver: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly options: Readonly<Record<string, string>>;
  readonly mountpoint: string;
}

export interface Volume {
  readonly name: string;
  readonly driver: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly createdAt?: string;
  readonly mountpoint: string;
  readonly scope: string;
  readonly anonymous: boolean;
  readonly composeProject?: string;
  readonly users: readonly VolumeUse[];
  /**
   * An anonymous volume with no user left: the container and path that last owned it, as remembered
   * by whoever loaded the inventory before (the engine forgets it with the container).
   */
  readonly formerOwner?: { readonly containerName: string; readonly destination: string };
  /** Set while an operation holds the volume's engine lock (ours or another process's). */
  readonly lock?: VolumeLockHolder & { readonly ours: boolean };
}

/** 'docker' or 'podman' (Podman's compatible API differs in places: see docs/engines.md). */
export type EngineFlavor = 'docker' | 'podman';

/** What the engine's `version` answer says, read once at the boundary (engine.ts). */
export interface EngineVersion {
  readonly version: string;
  readonly apiVersion: string;
  readonly os: string;
  readonly flavor: EngineFlavor;
  /**
   * Whether its archive endpoints keep owners: Podman's (4.3) give and store every entry as root's,
   * so the data paths move bytes by `tar` in a helper there (operations/dataPath.ts).
   */
  readonly archiveKeepsOwners: boolean;
  /**
   * Set for an engine that runs rootless (Podman's libpod info says so): the host ids its containers'
   * root has (the user who runs it). A helper there reaches a host folder as that user, not as root:
   * a fast path binding a folder works only where that user may read or write (operations/dataPath.ts).
   */
  readonly rootless?: { readonly uid: number; readonly gid: number };
}

export interface EngineInfo extends EngineVersion {
  /** Whether the engine runs on this machine (Engine.isLocal). */
  readonly local: boolean;
}

export interface Inventory {
  readonly containers: readonly Container[];
  readonly volumes: readonly Volume[];
  readonly takenAt: number;
}

export const ANONYMOUS_VOLUME_LABEL = 'com.docker.volume.anonymous';
export const COMPOSE_PROJECT_LABEL = 'com.docker.compose.project';
export const COMPOSE_SERVICE_LABEL = 'com.docker.compose.service';

export function isAnonymousVolumeName(name: string, labels?: Readonly<Record<string, string>>): boolean {
  return (labels !== undefined && ANONYMOUS_VOLUME_LABEL in labels) || /^[0-9a-f]{64}$/.test(name);
}
