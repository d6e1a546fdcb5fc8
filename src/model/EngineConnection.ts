// Owns the connection to the engine for the VS Code layer: resolves the endpoint from settings and
// the environment, pings it, and publishes a state the views turn into welcome messages. It never
// throws out of activation: every failure becomes a state.
import * as vscode from 'vscode';
import { Engine, EngineError, toEngineError } from '../core/engine/engine';
import { EngineConfigError, resolveEngine, type EngineEndpoint } from '../core/engine/engineConfig';
import { helperImageCandidates } from '../core/helpers/helperImages';
import { WorkHelpers } from '../core/helpers/workHelpers';
import type { EngineService, EngineState } from '../services';
import { sayError } from '../coreText';

/** An engine that has not answered a ping by then counts as unreachable (the views say so, with Retry). */
const PING_TIMEOUT_MS = 10_000;

function failureState(kind: 'permission' | 'unreachable', endpoint: EngineEndpoint): EngineState & { message: string } {
  const message =
    kind === 'permission'
      ? vscode.l10n.t('Permission denied on {0}: add your user to the "docker" group, then log in again.', endpoint.host)
      : vscode.l10n.t('No Docker engine answers at {0}.', endpoint.host);
  return { kind, message, endpoint };
}

export class EngineConnection implements EngineService, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<EngineState>();
  readonly onDidChangeState = this.changed.event;
  private current: EngineState = { kind: 'connecting' };
  private engine: Engine | undefined;
  private attempt: { readonly generation: number; readonly done: Promise<void> } | undefined;
  /** Counts setting changes: an attempt started before the latest one is not applied. */
  private generation = 0;
  private helpers: WorkHelpers | undefined;

  constructor(private readonly log: vscode.LogOutputChannel) {}

  get state(): EngineState {
    return this.current;
  }

  get connected(): boolean {
    return this.current.kind === 'ok';
  }

  get(): Engine {
    if (this.current.kind === 'ok' && this.engine) return this.engine;
    const message = 'message' in this.current ? this.current.message : vscode.l10n.t('Not connected to a Docker engine yet.');
    throw new EngineError(message, 'unreachable');
  }

  async ready(timeoutMs = 15_000): Promise<Engine> {
    if (this.current.kind === 'connecting') {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.reconnect(), new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)))]);
      clearTimeout(timer);
    }
    return this.get();
  }

  /**
   * The fast-path helpers of the connected engine, when it runs on this machine (else undefined).
   * Images: the containerVolumes.helperImage setting, then a local busybox or alpine.
   */
  workHelpers(): WorkHelpers | undefined {
    const engine = this.get();
    if (!engine.local) return undefined;
    this.helpers ??= new WorkHelpers(engine.docker, {
      images: () => helperImageCandidates(engine.docker, vscode.workspace.getConfiguration('containerVolumes').get<string>('helperImage')),
    });
    return this.helpers;
  }

  /** Removes the fast-path helpers (deactivation awaits this). */
  async disposeHelpers(): Promise<void> {
    const h = this.helpers;
    this.helpers = undefined;
    await h?.dispose();
  }

  /** Resolves and pings; concurrent callers share one attempt (one per choice of engine). */
  reconnect(): Promise<void> {
    if (this.attempt?.generation === this.generation) return this.attempt.done;
    const generation = this.generation;
    const done: Promise<void> = this.connect()
      .then((r) => {
        if (generation !== this.generation) return; // another engine was chosen meanwhile: its attempt decides
        if (r.engine) {
          if (this.engine) void this.disposeHelpers(); // they belong to the previous engine
          this.engine = r.engine;
        }
        this.set(r.state);
      })
      .finally(() => {
        if (this.attempt?.done === done) this.attempt = undefined;
      });
    this.attempt = { generation, done };
    return done;
  }

  /**
   * Another engine was chosen (a setting changed): the views say "connecting" at once, not the old
   * engine's state, and the new choice is tried at once; an attempt still under way with the old
   * settings (a silent engine) neither delays it nor overrides it when it ends.
   */
  switchEngine(): Promise<void> {
    this.generation++;
    this.set({ kind: 'connecting' });
    return this.reconnect();
  }

  /** Called by anyone whose engine call failed in a way that means the engine is gone. */
  reportFailure(err: unknown): void {
    const e = toEngineError(err);
    if (e.kind !== 'unreachable' && e.kind !== 'permission') return;
    if (this.current.kind !== 'ok') return;
    this.log.warn(`engine lost: ${e.message}`);
    this.set(failureState(e.kind, this.current.endpoint));
  }

  private async connect(): Promise<{ state: EngineState; engine?: Engine }> {
    const cfg = vscode.workspace.getConfiguration('containerVolumes');
    let endpoint: EngineEndpoint;
    try {
      endpoint = resolveEngine({ host: cfg.get<string>('dockerHost') || undefined, context: cfg.get<string>('dockerContext') || undefined });
    } catch (err) {
      const message = err instanceof EngineConfigError ? sayError(err) : String(err);
      return { state: { kind: 'config', message } };
    }
    try {
      // Inside the try: a TLS certificate path that cannot be read throws from the constructor.
      const engine = new Engine(endpoint);
      await engine.ping(AbortSignal.timeout(PING_TIMEOUT_MS));
      const info = await engine.info(); // asks the host name too when locality needs it (tcp to this machine)
      this.log.info(
        `connected to ${info.flavor} ${info.version} (API ${info.apiVersion}) at ${endpoint.host} (${endpoint.source}), ${info.local ? 'on this machine' : 'on another machine: host paths and fast paths are off'}`,
      );
      return { state: { kind: 'ok', endpoint }, engine };
    } catch (err) {
      const fileErr = err as NodeJS.ErrnoException;
      if (fileErr.syscall === 'open' && fileErr.path) {
        return { state: { kind: 'config', message: vscode.l10n.t('Cannot read the TLS file {0} for {1}.', fileErr.path, endpoint.host), endpoint } };
      }
      const e = toEngineError(err);
      const state = failureState(e.kind === 'permission' ? 'permission' : 'unreachable', endpoint);
      if (this.current.kind !== state.kind) this.log.warn(`${state.message} (${e.message})`);
      return { state };
    }
  }

  private set(s: EngineState): void {
    const same = s.kind === this.current.kind && ('message' in s ? s.message : '') === ('message' in this.current ? this.current.message : '');
    this.current = s;
    void vscode.commands.executeCommand('setContext', 'containerVolumes.engineState', s.kind);
    // Menus that need the engine's host (host paths, a bind mount's folder) show only when it is this machine.
    void vscode.commands.executeCommand('setContext', 'containerVolumes.engineLocal', s.kind === 'ok' && !!this.engine?.local);
    if (!same || s.kind === 'ok') this.changed.fire(s);
  }

  dispose(): void {
    void this.disposeHelpers();
    this.changed.dispose();
  }
}
