// The VS Code side's copy of the inventory: loads it through the core loader, publishes changes,
// and caches volume sizes (slow to compute on the engine) until the next change.
import * as vscode from 'vscode';
import { toEngineError } from '../core/engine';
import { InventoryLoader, loadVolumeSizes } from '../core/inventory';
import type { Engine } from '../core/engine';
import type { Inventory } from '../core/types';
import type { InventoryStore } from '../services';
import type { EngineConnection } from './EngineConnection';

export class InventoryModel implements InventoryStore, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Inventory | undefined>();
  readonly onDidChange = this.changed.event;
  private snapshot: Inventory | undefined;
  private loader: { engine: Engine; loader: InventoryLoader } | undefined;
  private loading: Promise<void> | undefined;
  private again = false;
  private sizeCache: Promise<ReadonlyMap<string, number>> | undefined;

  constructor(private readonly connection: EngineConnection, private readonly log: vscode.LogOutputChannel) {}

  get current(): Inventory | undefined {
    return this.snapshot;
  }

  /** Reloads; calls that arrive during a load are folded into one more load after it. */
  refresh(): Promise<void> {
    if (this.loading) {
      this.again = true;
      return this.loading;
    }
    this.loading = (async () => {
      do {
        this.again = false;
        await this.loadOnce();
      } while (this.again);
    })().finally(() => (this.loading = undefined));
    return this.loading;
  }

  private async loadOnce(): Promise<void> {
    if (!this.connection.connected) await this.connection.reconnect();
    if (!this.connection.connected) {
      this.publish(undefined);
      return;
    }
    try {
      const engine = this.connection.get();
      if (this.loader?.engine !== engine) this.loader = { engine, loader: new InventoryLoader(engine) };
      const inv = await this.loader.loader.load();
      this.sizeCache = undefined;
      this.publish(inv);
    } catch (err) {
      const e = toEngineError(err);
      this.log.warn(`inventory load failed: ${e.message}`);
      this.connection.reportFailure(e);
      if (e.kind === 'unreachable' || e.kind === 'permission') this.publish(undefined);
    }
  }

  sizes(): Promise<ReadonlyMap<string, number>> {
    this.sizeCache ??= (async () => {
      try {
        return await loadVolumeSizes(this.connection.get());
      } catch (err) {
        this.sizeCache = undefined;
        this.log.warn(`volume sizes unavailable: ${toEngineError(err).message}`);
        return new Map<string, number>();
      }
    })();
    return this.sizeCache;
  }

  private publish(inv: Inventory | undefined): void {
    this.snapshot = inv;
    this.changed.fire(inv);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
