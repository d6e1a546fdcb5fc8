// The engines the views show side by side when more than one is known: every one but the current
// gets its own connection and inventory here, made only when its root is expanded.
// Design notes: docs/ui.md#srcmodelenginerootsts
import * as vscode from 'vscode';
import { Engine, toEngineError } from '../core/engine/engine';
import { engineRef, knownEngines, resolveEngine, resolveTarget, type KnownEngine } from '../core/engine/engineConfig';
import { InventoryLoader } from '../core/engine/inventory';
import type { Inventory } from '../core/engine/types';
import { CoreError } from '../core/message';
import { sayError } from '../coreText';
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

  constructor(private readonly connection: EngineConnection, private readonly log: Pick<vscode.LogOutputChannel, 'warn'>) {
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
      list.unshift({ name: ep.context ?? ep.host, host: ep.host, source: ep.source === 'context' ? 'context' : ep.source === 'explicit' ? 'setting' : ep.source });
    }
    const before = JSON.stringify(this.engines);
    this.engines = list;
    for (const host of [...this.others.keys()]) if (!list.some((e) => e.host === host) || host === current) this.others.delete(host);
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
  private currentHost(): string | undefined {
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
        const inventory = await new InventoryLoader(engine).load();
        settle({ kind: 'ok', inventory, engine });
      } catch (err) {
        const e = toEngineError(err);
        this.log.warn(`engine ${known.name} (${host}): ${e.message}`);
        settle({ kind: 'unreachable', message: err instanceof CoreError ? sayError(err) : e.message });
      }
    })();
  }

  /** Loads again every other engine whose root was expanded (Refresh). */
  async refreshOthers(): Promise<void> {
    await Promise.all([...this.others.keys()].map((h) => this.load(h)));
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
