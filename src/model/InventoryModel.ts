// The VS Code side's copy of the inventory: loads it through the core loader, publishes changes,
// and caches volume sizes (slow to compute on the engine: `system/df`).
// Design notes: docs/ui.md#srcmodelinventorymodelts
import * as vscode from 'vscode';
import { toEngineError } from '../core/engine/engine';
import { InventoryLoader, inventoryKey, loadVolumeSizes } from '../core/engine/inventory';
import type { Engine } from '../core/engine/engine';
import type { Inventory, Volume } from '../core/engine/types';
import type { InventoryStore } from '../services';
import type { EngineConnection } from './EngineConnection';

type FormerOwners = Record<string, { containerName: string; destination: string }>;

/** How long loaded sizes stay good while nothing new appears (a volume's size changes without events). */
export const SIZES_TTL_MS = 5 * 60_000;

export class InventoryModel implements InventoryStore, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Inventory | undefined>();
  readonly onDidChange = this.changed.event;
  private snapshot: Inventory | undefined;
  private loader: { engine: Engine; loader: InventoryLoader } | undefined;
  private loading: Promise<void> | undefined;
  private again = false;
  private sizeCache: { readonly at: number; readonly engine: Engine; readonly sizes: Promise<ReadonlyMap<string, number>> } | undefined;
  private sizeLoads = 0;
  /** The published snapshot's key (inventoryKey): a load that finds the same publishes nothing. */
  private snapshotKey: string | undefined;
  /** The next load is published even if nothing changed (Refresh: the sizes are loaded again). */
  private announce = false;

  /**
   * @param memory where the owners of anonymous volumes are remembered (globalState), so a volume whose
   *   containers are gone still says whose it was, also after a reload.
   */
  constructor(
    private readonly connection: EngineConnection,
    private readonly log: vscode.LogOutputChannel,
    private readonly memory?: vscode.Memento,
  ) {}

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
      if (!this.connection.connected || this.connection.get() !== engine) return; // another engine was chosen meanwhile
      this.publish(this.withFormerOwners(engine, inv));
    } catch (err) {
      const e = toEngineError(err);
      this.log.warn(`inventory load failed: ${e.message}`);
      this.connection.reportFailure(e);
      if (e.kind === 'unreachable' || e.kind === 'permission') this.publish(undefined);
    }
  }

  /** Drops the snapshot (another engine was chosen: its data is not this one's); the views empty at once. */
  forget(): void {
    this.sizeCache = undefined;
    if (this.snapshot) this.publish(undefined);
  }

  /** The next sizes() call loads them from the engine (the Refresh command, a restore that replaced data). */
  invalidateSizes(): void {
    this.sizeCache = undefined;
    this.announce = true;
  }

  /** How many times sizes were loaded from the engine (tests). */
  get sizeLoadCount(): number {
    return this.sizeLoads;
  }

  async sizes(): Promise<ReadonlyMap<string, number>> {
    const engine = this.connection.get();
    const cached = this.sizeCache;
    if (cached && cached.engine === engine && Date.now() - cached.at < SIZES_TTL_MS) {
      const sizes = await cached.sizes;
      if ((this.snapshot?.volumes ?? []).every((v) => sizes.has(v.name))) return sizes;
    }
    this.sizeLoads++;
    const entry = {
      at: Date.now(),
      engine,
      sizes: loadVolumeSizes(engine).catch((err: unknown) => {
        if (this.sizeCache === entry) this.sizeCache = undefined; // try again next time
        this.log.warn(`volume sizes unavailable: ${toEngineError(err).message}`);
        return new Map<string, number>();
      }),
    };
    this.sizeCache = entry;
    return entry.sizes;
  }

  /** Remembers each anonymous volume's owner, and names the ownerless ones by what was remembered. */
  private withFormerOwners(engine: Engine, inv: Inventory): Inventory {
    if (!this.memory) return inv;
    const key = `formerOwners:${engine.endpoint.host}`;
    const before = this.memory.get<FormerOwners>(key, {});
    const after: FormerOwners = {};
    const volumes = inv.volumes.map((v): Volume => {
      if (!v.anonymous) return v;
      const owner = v.users.find((u) => !u.viaContainer) ?? v.users[0];
      if (owner) {
        after[v.name] = { containerName: owner.containerName, destination: owner.destination };
        return v;
      }
      const was = before[v.name];
      if (!was) return v;
      after[v.name] = was;
      return { ...v, formerOwner: was };
    });
    // Only volumes that still exist are remembered: the record stays as small as the engine's list.
    if (JSON.stringify(after) !== JSON.stringify(before)) void this.memory.update(key, after);
    return { ...inv, volumes };
  }

  /**
   * Publishes a load; one that found what the views already show is kept (fresh status lines for
   * the hovers) but not announced. Engine events come for our own helpers too (the inventory leaves
   * them out), and each announced load makes the views fetch their rows anew: until they have, the
   * extension host knows no row, and a command chosen from a context menu meanwhile got none.
   */
  private publish(inv: Inventory | undefined): void {
    const key = inv && inventoryKey(inv);
    const same = key !== undefined && key === this.snapshotKey && !this.announce;
    this.snapshot = inv;
    this.snapshotKey = key;
    if (inv) this.announce = false;
    if (!same) this.changed.fire(inv);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
