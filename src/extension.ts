// Activation: builds the services (engine connection, inventory, refresh), the two views and the
// commands, and owns every disposable through context.subscriptions. Nothing here waits on the
// engine: a missing or broken engine becomes a welcome view, never a failed activation.
import * as vscode from 'vscode';
import { toEngineError } from './core/engine/engine';
import { setLockApp } from './core/operations/engineLocks';
import { sweepHelpers } from './core/helpers/helperContainers';
import { commands } from './commands';
import { runCommand } from './commands/runner';
import { Cancelled } from './commands/targets';
import { INSPECT_SCHEME, InspectDocumentProvider } from './editors/InspectDocumentProvider';
import { registerVolumeFileSystem } from './fs/VolumeFileSystemProvider';
import { EngineConnection } from './model/EngineConnection';
import { EngineRoots } from './model/EngineRoots';
import { EngineStatusBar } from './EngineStatusBar';
import { InventoryModel } from './model/InventoryModel';
import { RefreshManager } from './model/RefreshManager';
import { VolumeSearch } from './model/VolumeSearch';
import { vscodePrompter, type Prompter } from './prompter';
import type { ResourceLabels, Services } from './services';
import { TEST_HOOKS_COMMAND, testHooksEnabled, type TestHooks } from './testHooks';
import { ContainersTreeProvider } from './tree/ContainersTreeProvider';
import { VolumesTreeProvider } from './tree/VolumesTreeProvider';
import { MountGraphPanel } from './webview/MountGraphPanel';
import { sayError } from './coreText';
import { msg } from './core/message';

// activate() exports nothing: other extensions get no services, no command runner, no way past a
// confirmation. The project's tests reach the extension through testHooks.ts only.
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Container Volumes', { log: true });
  // How other windows, the CLI and other machines see this window in a busy volume's message.
  setLockApp(vscode.workspace.name ? msg('lockApp.window', { name: vscode.workspace.name }) : msg('lockApp.windowUnnamed'));
  const connection = new EngineConnection(log);
  activeConnection = connection;
  const inventory = new InventoryModel(connection, log, context.globalState);
  const refresher = new RefreshManager(connection, inventory, log);
  context.subscriptions.push(log, connection, inventory, refresher);

  const engineRoots = new EngineRoots(connection, log);
  activeRoots = engineRoots;
  const statusBar = new EngineStatusBar(connection);
  const containers = new ContainersTreeProvider(inventory, { roots: engineRoots, connection });
  const volumes = new VolumesTreeProvider(inventory, { roots: engineRoots, connection });
  context.subscriptions.push(engineRoots, statusBar, containers, volumes);
  const treeView = <T>(id: string, provider: vscode.TreeDataProvider<T>, canSelectMany = false): vscode.TreeView<T> => {
    const view = vscode.window.createTreeView(id, { treeDataProvider: provider, showCollapseAll: true, canSelectMany });
    refresher.setVisible(id, view.visible);
    context.subscriptions.push(
      view,
      view.onDidChangeVisibility((e) => refresher.setVisible(id, e.visible)),
    );
    return view;
  };
  const containersView = treeView('containerVolumes.containers', containers);
  const volumesView = treeView('containerVolumes.volumes', volumes, true); // several volumes: Back Up… once

  const volumeSearch = new VolumeSearch();
  // The test hooks may replace these two; nothing else can.
  const replaceable: { prompter: Prompter; resourceLabels: ResourceLabels } = { prompter: vscodePrompter, resourceLabels: {} };
  const services: Services = {
    context,
    engine: connection,
    inventory,
    engineRoots,
    log,
    volumeSearch,
    get prompter() {
      return replaceable.prompter;
    },
    get resourceLabels() {
      return replaceable.resourceLabels;
    },
    setVisible: (id, visible) => refresher.setVisible(id, visible),
    async revealContainer(containerId) {
      const node = containers.topNodes().find((n) => n.containerId === containerId);
      if (node) await containersView.reveal(node, { select: true, focus: true, expand: true });
    },
    async revealMount(containerId, destination) {
      const parent = containers.topNodes().find((n) => n.containerId === containerId);
      const node = parent && containers.getChildren(parent).find((n) => n.kind === 'mount' && n.mount.destination === destination);
      if (node) await containersView.reveal(node, { select: true, focus: true });
    },
    async revealVolume(volumeName) {
      const node = volumes.volumeNode(volumeName);
      if (node) await volumesView.reveal(node, { select: true, focus: true });
    },
  };

  const volumeFileSystem = registerVolumeFileSystem(context, services);
  volumeSearch.register(context, volumeFileSystem);
  context.subscriptions.push(MountGraphPanel.registerSerializer(services));
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(INSPECT_SCHEME, new InspectDocumentProvider(connection, engineRoots)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('containerVolumes.dockerHost') || e.affectsConfiguration('containerVolumes.dockerContext')) {
        const switched = connection.switchEngine();
        inventory.forget();
        engineRoots.reload();
        void switched.then(() => inventory.refresh());
      }
    }),
    connection.onDidChangeState((s) => {
      if (s.kind === 'ok') void sweepLeftovers(services);
    }),
    // Contexts made or removed with the docker CLI meanwhile: read again on each reload and on focus.
    inventory.onDidChange(() => engineRoots.reload()),
    vscode.window.onDidChangeWindowState((w) => {
      if (w.focused) engineRoots.reload();
    }),
  );

  for (const spec of commands) {
    context.subscriptions.push(
      vscode.commands.registerCommand(spec.id, async (...args: unknown[]) => {
        try {
          return await runCommand(services, spec, args);
        } catch (err) {
          if (err instanceof Cancelled || err instanceof vscode.CancellationError) return undefined;
          const message = err instanceof Error ? err.message : String(err);
          log.error(`${spec.id}: ${message}`);
          connection.reportFailure(err);
          void vscode.window.showErrorMessage(sayError(err));
          return undefined;
        }
      }),
    );
  }

  void vscode.commands.executeCommand('setContext', 'containerVolumes.engineState', 'connecting');
  void connection.reconnect();
  if (testHooksEnabled(context)) {
    const hooks: TestHooks = {
      services,
      views: { containers, volumes },
      statusBar,
      volumeFileSystem,
      async runCommand(id, ...args) {
        const spec = commands.find((c) => c.id === id);
        if (!spec) throw new Error(`unknown command ${id}`);
        return await runCommand(services, spec, args);
      },
      get prompter() {
        return replaceable.prompter;
      },
      set prompter(p) {
        replaceable.prompter = p;
      },
      get resourceLabels() {
        return replaceable.resourceLabels;
      },
      set resourceLabels(l) {
        replaceable.resourceLabels = l;
      },
    };
    context.subscriptions.push(vscode.commands.registerCommand(TEST_HOOKS_COMMAND, () => hooks));
  }
}

/** Helpers left behind by a crashed window or CLI run on this engine. */
async function sweepLeftovers(services: Services): Promise<void> {
  try {
    const removed = await sweepHelpers(services.engine.get().docker);
    if (removed.length) services.log.info(`removed ${removed.length} leftover helper container(s): ${removed.join(', ')}`);
  } catch (err) {
    services.log.warn(`helper sweep failed: ${toEngineError(err).message}`);
  }
}

let activeConnection: EngineConnection | undefined;
let activeRoots: EngineRoots | undefined;

/** Everything else is owned by context.subscriptions; the fast-path helpers are removed here, awaited. */
export async function deactivate(): Promise<void> {
  await Promise.all([activeConnection?.disposeHelpers(), activeRoots?.disposeHelpers()]);
  activeConnection = undefined;
  activeRoots = undefined;
}
