// The engines the views show side by side when more than one is known: every one but the current
// gets its own connection and inventory here, made only when its root is expanded.
// Design notes: docs/ui.md#srcmodelenginerootsts
import * as vscode from 'vscode';
import { Engine, EngineError, toEngineError } from '../core/engine/engine';
import { engineRef, knownEngines, resolveEngine, resolveTarget, type KnownEngine } from '../core/engine/engineConfig';
import { helperImageCandidates } from '../core/helpers/helperImages';
import { InventoryLoader, loadVolumeSizes } from '../core/engine/inventory';
import type { Inventory } from '../core/engine/types';
import { CoreError } from '../core/message';
import { WorkHelpers } from '../core/helpers/workHelpers';
import { sayError } from '../coreText';
import { engineIdOf } from '../fs/volumeUri';
import type { EngineService, EngineState, InventoryStore } from '../services';
import type { EngineConnection } from './EngineConnection';

const PING_TIMEOUT_MS = 10_000;

export type OtherEngineState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'connecting' }
  | { readonly kind: 'ok'; readonly inventory: Inventory; readonly engine: Engine }
  | { readonly kind: 'unreachable'; readonly message: string };

/** The root of one engine in the Containers and Volumes views. */
export interface EngineRootNode {
  readonly kind: 'engine';
  readonly engine: KnownEngine;
  /** A context's name or an address: the argument of Switch Engine… (`{ to }`). */
  readonly to: string;
  readonly current: boolean;
}

export class EngineRoots implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private engines: KnownEngine[] = [];
  private readonly others = new Map<string, { state: OtherEngineState; generation: number }>();
  private readonly subscription: vscode.Disposable;
  private shownMulti = false;
  /** The fast-path helpers of other engines that run on this machine, made when a command first needs them. */
  private readonly helpers = new Map<string, { engine: Engine; helpers: WorkHelpers }>();

  constructor(
    private readonly connection: EngineConnection,
    private readonly log: Pick<vscode.LogOutputChannel, 'warn'>,
  ) {
    this.subscription = connection.onDidChangeState(() => {
      this.reload();
      this.fire(); // which root is current, and its state
    });
    this.reload();
  }

  /** Reads the known engines again (activation, a setting changed, Refresh, Retry); fires when they changed. */
  reload(): void {
    const setting = vscode.workspace.getConfiguration('containerVolumes').get<string>('dockerHost') || undefined;
    let list: KnownEngine[];
    try {
      list = knownEngines({ setting });
    } catch (err) {
      this.log.warn(`known engines: ${String(err)}`);
      list = [];
    }
    const current = this.currentHost();
    // The current engine is always among them (a --context / setting the list does not show otherwise).
    const ep = this.connection.state.kind !== 'connecting' ? this.connection.state.endpoint : undefined;
    if (ep && !list.some((e) => e.host === ep.host)) {
      list.unshift({
        name: ep.context ?? ep.host,
        host: ep.host,
        source: ep.source === 'context' ? 'context' : ep.source === 'explicit' ? 'setting' : ep.source,
      });
    }
    const before = JSON.stringify(this.engines);
    this.engines = list;
    for (const host of [...this.others.keys()]) {
      if (!list.some((e) => e.host === host) || host === current) {
        this.others.delete(host);
        this.dropHelpers(host);
      }
    }
    if (JSON.stringify(list) !== before) this.fire();
  }

  /** The views re-render only when they show roots (or just stopped showing them): one engine, no extra renders. */
  private fire(): void {
    if (this.multi || this.shownMulti) this.changed.fire();
    this.shownMulti = this.multi;
  }

  /** True when the views show one root per engine. */
  get multi(): boolean {
    return this.engines.length > 1;
  }

  /** The current engine: the connection's, or while it is still connecting, the one the settings choose. */
  currentHost(): string | undefined {
    const s = this.connection.state;
    if (s.kind !== 'connecting') return s.endpoint?.host;
    const cfg = vscode.workspace.getConfiguration('containerVolumes');
    try {
      return resolveEngine({ host: cfg.get<string>('dockerHost') || undefined, context: cfg.get<string>('dockerContext') || undefined }).host;
    } catch {
      return undefined;
    }
  }

  roots(): EngineRootNode[] {
    const current = this.currentHost();
    return this.engines.map((e) => ({ kind: 'engine', engine: e, to: engineRef(e), current: e.host === current }));
  }

  /**
   * A view's top rows or an engine root's children: the roots (several engines), else the current
   * engine's rows; under another engine's root, its rows once loaded. Each view says only how it makes rows.
   */
  children<T>(node: EngineRootNode | undefined, rows: { current(): T[]; other(inventory: Inventory, host: string): T[] }): (EngineRootNode | T)[] {
    if (!node) return this.multi ? this.roots() : rows.current();
    if (node.current) return rows.current();
    const s = this.state(node.engine.host);
    return s.kind === 'ok' ? rows.other(s.inventory, node.engine.host) : [];
  }

  /** The root of the current engine (for reveal), when the views show roots. */
  currentRoot(): EngineRootNode | undefined {
    return this.multi ? this.roots().find((r) => r.current) : undefined;
  }

  /** Another engine's state; asking for an idle one starts loading it (a root being expanded). */
  state(host: string): OtherEngineState {
    const entry = this.others.get(host);
    if (entry) return entry.state;
    void this.load(host);
    return this.others.get(host)?.state ?? { kind: 'connecting' };
  }

  /**
   * Appended to the contextValue of a row under another engine's root: the menus that need the
   * engine's host (host paths, a bind mount's folder) follow that engine's locality, not the current one's.
   */
  rowContext(host: string): string {
    const s = this.peek(host);
    return `+other+${s.kind === 'ok' && s.engine.local ? 'local' : 'remote'}`;
  }

  /** Another engine's state, without starting anything (the root's label). */
  peek(host: string): OtherEngineState {
    return this.others.get(host)?.state ?? { kind: 'idle' };
  }

  /** Connects to another engine and loads its inventory; Retry calls it again. */
  load(host: string): Promise<void> {
    const known = this.engines.find((e) => e.host === host);
    if (!known) return Promise.resolve();
    const generation = (this.others.get(host)?.generation ?? 0) + 1;
    this.others.set(host, { state: { kind: 'connecting' }, generation });
    this.fire();
    const settle = (state: OtherEngineState) => {
      const entry = this.others.get(host);
      if (entry?.generation !== generation) return; // retried meanwhile, or no longer known
      entry.state = state;
      this.fire();
    };
    return (async () => {
      try {
        const engine = new Engine(resolveTarget(engineRef(known)));
        await engine.ping(AbortSignal.timeout(PING_TIMEOUT_MS));
        await engine.isLocal(); // tcp to this machine: asks the engine's host name, as the current engine's connection does
        const inventory = await new InventoryLoader(engine).load();
        settle({ kind: 'ok', inventory, engine });
      } catch (err) {
        const e = toEngineError(err);
        this.log.warn(`engine ${known.name} (${host}): ${e.message}`);
        settle({ kind: 'unreachable', message: err instanceof CoreError ? sayError(err) : e.message });
      }
    })();
  }

  /** Loads another engine's inventory again with its connection kept (after a command changed it); its rows stay meanwhile. */
  async reloadInventory(host: string): Promise<void> {
    const entry = this.others.get(host);
    if (entry?.state.kind !== 'ok') return this.load(host);
    const { engine } = entry.state;
    const generation = entry.generation;
    try {
      const inventory = await new InventoryLoader(engine).load();
      const now = this.others.get(host);
      if (now?.generation !== generation || now.state.kind !== 'ok') return;
      now.state = { kind: 'ok', inventory, engine };
      this.fire();
    } catch (err) {
      this.log.warn(`engine ${host}: ${toEngineError(err).message}`);
      await this.load(host); // says why under its root
    }
  }

  /** The host of the known engine whose `docker-volume:` id (engineIdOf) this is. */
  hostOfId(engineId: string): string | undefined {
    return this.engines.find((e) => engineIdOf(e) === engineId)?.host;
  }

  /** Another engine's connection, loading it first when it is not loaded; throws (unreachable) when it does not answer. */
  async engineOf(host: string): Promise<Engine> {
    let s = this.peek(host);
    if (s.kind !== 'ok') {
      await this.load(host);
      s = this.peek(host);
    }
    if (s.kind === 'ok') return s.engine;
    throw new EngineError(s.kind === 'unreachable' ? s.message : vscode.l10n.t('No Docker engine answers at {0}.', host), 'unreachable');
  }

  /**
   * What a command run on a row of another engine is handed instead of the current engine's connection
   * and inventory: that engine's, so the command acts there and the current engine is not switched.
   */
  scope(host: string): { engine: EngineService; inventory: InventoryStore } {
    const peek = () => this.peek(host);
    const changes = this.onDidChange;
    const okEngine = (): Engine | undefined => {
      const s = peek();
      return s.kind === 'ok' ? s.engine : undefined;
    };
    const state = (): EngineState => {
      const s = peek();
      if (s.kind === 'ok') return { kind: 'ok', endpoint: s.engine.endpoint };
      if (s.kind === 'unreachable') return { kind: 'unreachable', message: s.message };
      return { kind: 'connecting' };
    };
    const get = (): Engine => {
      const e = okEngine();
      if (e) return e;
      const s = peek();
      throw new EngineError(s.kind === 'unreachable' ? s.message : vscode.l10n.t('Not connected to a Docker engine yet.'), 'unreachable');
    };
    const current = (): Inventory | undefined => {
      const s = peek();
      return s.kind === 'ok' ? s.inventory : undefined;
    };
    const engine: EngineService = {
      get state() {
        return state();
      },
      onDidChangeState: (listener, thisArgs, disposables) =>
        changes(
          () => {
            listener.call(thisArgs, state());
          },
          undefined,
          disposables,
        ),
      get,
      ready: () => this.engineOf(host),
      reconnect: () => this.load(host),
      workHelpers: () => this.workHelpersOf(get()),
    };
    const inventory: InventoryStore = {
      get current() {
        return current();
      },
      onDidChange: (listener, thisArgs, disposables) =>
        changes(
          () => {
            listener.call(thisArgs, current());
          },
          undefined,
          disposables,
        ),
      refresh: () => this.reloadInventory(host),
      sizes: async () => {
        const e = okEngine();
        if (!e) return new Map<string, number>();
        return loadVolumeSizes(e).catch((err: unknown) => {
          this.log.warn(`volume sizes of ${host} unavailable: ${toEngineError(err).message}`);
          return new Map<string, number>();
        });
      },
      invalidateSizes: () => undefined, // not cached: loaded for each command that needs them
    };
    return { engine, inventory };
  }

  /** The fast-path helpers of another engine when it runs on this machine (else undefined), as for the current one. */
  private workHelpersOf(engine: Engine): WorkHelpers | undefined {
    if (!engine.local) return undefined;
    const host = engine.endpoint.host;
    const had = this.helpers.get(host);
    if (had?.engine === engine) return had.helpers;
    this.dropHelpers(host); // a reloaded engine's
    const helpers = new WorkHelpers(engine.docker, {
      images: () => helperImageCandidates(engine.docker, vscode.workspace.getConfiguration('containerVolumes').get<string>('helperImage')),
    });
    this.helpers.set(host, { engine, helpers });
    return helpers;
  }

  private dropHelpers(host: string): void {
    const had = this.helpers.get(host);
    this.helpers.delete(host);
    void had?.helpers.dispose();
  }

  /** Removes the fast-path helpers made on other engines (deactivation awaits this). */
  async disposeHelpers(): Promise<void> {
    const all = [...this.helpers.values()];
    this.helpers.clear();
    await Promise.all(all.map((h) => h.helpers.dispose()));
  }

  /** Loads again every other engine whose root was expanded (Refresh). */
  async refreshOthers(): Promise<void> {
    await Promise.all([...this.others.keys()].map((h) => this.load(h)));
  }

  dispose(): void {
    void this.disposeHelpers();
    this.subscription.dispose();
    this.changed.dispose();
  }
}
