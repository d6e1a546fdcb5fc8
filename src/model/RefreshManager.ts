// Keeps the inventory fresh while a view is visible, and costs nothing while none is.
// Design notes: docs/ui.md#srcmodelrefreshmanagerts
import * as vscode from 'vscode';
import { watchEvents } from '../core/engine/engineEvents';
import type { EngineConnection } from './EngineConnection';
import type { InventoryModel } from './InventoryModel';

const DEBOUNCE_MS = 300;
const MAX_BACKOFF_MS = 30_000;

export class RefreshManager implements vscode.Disposable {
  private readonly visible = new Set<string>();
  private running: AbortController | undefined;
  private debounce: NodeJS.Timeout | undefined;
  /** Aborts the current event subscription (the engine changed: re-subscribe to the new one). */
  private subscription: AbortController | undefined;
  private readonly stateListener: vscode.Disposable;

  constructor(
    private readonly connection: EngineConnection,
    private readonly inventory: InventoryModel,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.stateListener = connection.onDidChangeState(() => this.subscription?.abort());
  }

  setVisible(viewId: string, isVisible: boolean): void {
    if (isVisible) this.visible.add(viewId);
    else this.visible.delete(viewId);
    if (this.visible.size > 0 && !this.running) this.start();
    if (this.visible.size === 0 && this.running) this.stop();
  }

  /** A hint that something changed: reload soon, once for a burst of hints. */
  hint(): void {
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      void this.inventory.refresh();
    }, DEBOUNCE_MS);
  }

  private start(): void {
    const ctl = new AbortController();
    this.running = ctl;
    void this.inventory.refresh();
    void this.eventLoop(ctl.signal);
    void this.pollLoop(ctl.signal);
  }

  private stop(): void {
    this.running?.abort();
    this.running = undefined;
  }

  private async eventLoop(signal: AbortSignal): Promise<void> {
    let backoff = 1000;
    while (!signal.aborted) {
      if (!this.connection.connected) {
        await this.connection.reconnect();
        if (this.connection.connected) {
          backoff = 1000;
          await this.inventory.refresh();
        } else {
          await sleep(backoff, signal);
          backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
          continue;
        }
      }
      const sub = new AbortController();
      this.subscription = sub;
      try {
        const engine = this.connection.get();
        const subscribed = Date.now();
        await watchEvents(engine, () => this.hint(), AbortSignal.any([signal, sub.signal]));
        if (Date.now() - subscribed > 10_000) backoff = 1000;
      } catch (err) {
        if (signal.aborted) return;
        if (sub.signal.aborted) continue;
        this.log.debug(`event stream ended: ${String(err)}`);
        this.connection.reportFailure(err);
        // Whatever happened while we were not listening: resync after the gap.
        await this.inventory.refresh();
        await sleep(backoff, signal);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
    }
  }

  private async pollLoop(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const seconds = vscode.workspace.getConfiguration('containerVolumes').get<number>('resyncIntervalSeconds', 60);
      await sleep(Math.max(5, seconds) * 1000, signal);
      if (!signal.aborted && this.connection.connected) await this.inventory.refresh();
    }
  }

  dispose(): void {
    this.stateListener.dispose();
    this.stop();
    if (this.debounce) clearTimeout(this.debounce);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
