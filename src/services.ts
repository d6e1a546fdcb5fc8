// What every command and view of the VS Code layer is handed: the engine connection, the inventory
// snapshot and the log. Built once in extension.ts; commands never construct their own.
import type * as vscode from 'vscode';
import type { Engine } from './core/engine/engine';
import type { EngineEndpoint } from './core/engine/engineConfig';
import type { Inventory, Mount } from './core/engine/types';
import type { EngineRoots } from './model/EngineRoots';
import type { VolumeSearch } from './model/VolumeSearch';
import type { Prompter } from './prompter';
import type { WorkHelpers } from './core/helpers/workHelpers';
import type { ArgsEngine, CommandOptions, CommandTarget, OptionSchema } from './commands/commandArgs';

export type EngineState =
  | { readonly kind: 'connecting' }
  | { readonly kind: 'ok'; readonly endpoint: EngineEndpoint }
  | { readonly kind: 'unreachable' | 'permission' | 'config'; readonly message: string; readonly endpoint?: EngineEndpoint };

export interface EngineService {
  readonly state: EngineState;
  readonly onDidChangeState: vscode.Event<EngineState>;
  /** The engine to call; throws an EngineError (kind `unreachable`) when not connected. */
  get(): Engine;
  /**
   * The engine, waiting (up to `timeoutMs`) while the first connection is still being made: after a
   * reload, VS Code reads a volume folder's settings before the extension has connected.
   */
  ready(timeoutMs?: number): Promise<Engine>;
  /** Re-resolves the endpoint from settings and the environment, and reconnects. */
  reconnect(): Promise<void>;
  /** The fast-path helpers of the connected engine when it runs on this machine. */
  workHelpers(): WorkHelpers | undefined;
}

export interface InventoryStore {
  /** The latest snapshot, or undefined before the first load or while the engine is away. */
  readonly current: Inventory | undefined;
  readonly onDidChange: vscode.Event<Inventory | undefined>;
  /** Reloads now (callers after a change they made: create, remove, restore ...). */
  refresh(): Promise<void>;
  /** Sizes by volume name, loaded lazily from `system/df`; cached until a volume they miss appears, or a while. */
  sizes(): Promise<ReadonlyMap<string, number>>;
  /** Makes the next sizes() load them again. */
  invalidateSizes(): void;
}

export interface Services {
  readonly context: vscode.ExtensionContext;
  readonly engine: EngineService;
  readonly inventory: InventoryStore;
  /** The known engines and the other engines' rows (the views show one root per engine when there are several). */
  readonly engineRoots: Pick<
    EngineRoots,
    'multi' | 'roots' | 'reload' | 'load' | 'refreshOthers' | 'state' | 'scope' | 'engineOf' | 'hostOfId' | 'currentHost'
  >;
  readonly log: vscode.LogOutputChannel;
  /** Searching inside volumes: helpers, cached file lists, the Search Results and Disk Usage views. */
  readonly volumeSearch: VolumeSearch;
  /** Engine events and the resync poll run while at least one consumer (a view, the mount graph) is visible. */
  setVisible(consumerId: string, visible: boolean): void;
  /** Shows a container in the Containers view (from the mount-graph panel, say). */
  revealContainer(containerId: string): Promise<void>;
  /** Shows one mount of a container in the Containers view. */
  revealMount(containerId: string, destination: string): Promise<void>;
  /** Shows a volume in the Volumes view. */
  revealVolume(volumeName: string): Promise<void>;
  /** Asks the user: every confirmation, choice, name and file a command needs. */
  readonly prompter: Prompter;
  /** Labels added to the helpers and volumes the commands create: none, except under the test harness. */
  readonly resourceLabels: ResourceLabels;
}

export interface ResourceLabels {
  readonly helper?: Readonly<Record<string, string>>;
  readonly volume?: Readonly<Record<string, string>>;
  /** On containers a command creates (Run with Volumes From…). */
  readonly container?: Readonly<Record<string, string>>;
}

/** A command's argument when it acts on one mount of a container. */
export interface MountTarget {
  readonly containerId: string;
  readonly containerName: string;
  readonly mount: Mount;
}

/** What a command acts on, read from its argument by the runner (src/commands/commandArgs.ts). */
export type Target = CommandTarget<vscode.Uri>;

/** A command's argument, parsed once by the runner: its target, its declared options, the views' selection. */
export interface CommandInput<S extends OptionSchema = OptionSchema> {
  readonly target: Target;
  readonly options: CommandOptions<S>;
  /** The views' multiple selection, when VS Code passed one. */
  readonly selection?: readonly Target[];
  /** The argument is a view's row, not a script's or test's argument object. */
  readonly fromRow: boolean;
  /** Which engine its rows are of (the runner runs the command there). */
  readonly engine: ArgsEngine;
}

/** One command: its id (as in package.json) and what it does. One file per command under src/commands. */
export interface CommandSpec<S extends OptionSchema = OptionSchema> {
  readonly id: string;
  /** It changes data (volumes, containers, files): in Restricted Mode it waits for workspace trust. */
  readonly changesData?: boolean;
  /** The options it reads from its argument object besides the target (`{ file, stopContainers }`), with their types. */
  readonly options?: S;
  run(services: Services, input: CommandInput<S>): unknown;
}

/** A command with its options' types inferred from its `options` (one call per command file). */
export function defineCommand<const S extends OptionSchema = Record<never, never>>(spec: CommandSpec<S>): CommandSpec<S> {
  return spec;
}
