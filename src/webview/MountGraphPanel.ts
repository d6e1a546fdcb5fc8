// The mount-graph panel: who shares which data, through whom, for an item's neighbourhood or the whole
// engine. One panel, reused; it sends the page patches and validates every message from it.
// Design notes: docs/ui.md#srcwebviewmountgraphpanelts
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  buildMountGraph,
  composeProjects,
  diffGraphs,
  focusIds,
  isEmptyPatch,
  selectView,
  toMermaid,
  type GraphFocus,
  type GraphLabels,
  type GraphNode,
  type MermaidWords,
  type MountGraph,
} from '../core/engine/mountGraph';
import type { Inventory } from '../core/engine/types';
import type { Services } from '../services';
import { containerStateText, volumeLabel } from '../tree/describe';
import { parseFocus, parsePageMessage, parseSettings, type HostMessage, type NodeAction, type PageMessage, type ViewSettings } from './protocol';
import { sayError } from '../coreText';

export class MountGraphPanel implements vscode.Disposable {
  static readonly viewType = 'containerVolumes.mountChains';
  private static current: MountGraphPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private focus: GraphFocus | undefined;
  private settings: ViewSettings = { whole: false, filter: {} };
  /** The view the page has (after the last full message and patches). */
  private shown: MountGraph | undefined;
  private ready = false;
  /** The last message sent to the page, and counts: for tests. */
  lastMessage: HostMessage | undefined;
  readonly sent = { full: 0, patch: 0 };
  rejected = 0;
  /** The HTML given to the webview (tests read its CSP). */
  html = '';

  /** Opens (or reveals and refocuses) the panel on a volume, a container or a mount; no focus: the whole engine. */
  static createOrShow(services: Services, focus: GraphFocus | undefined): MountGraphPanel {
    const existing = MountGraphPanel.current;
    if (existing) {
      existing.panel.reveal(vscode.ViewColumn.Active);
      if (focus) existing.setFocus(focus);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      MountGraphPanel.viewType,
      vscode.l10n.t('Mount Graph'),
      vscode.ViewColumn.Active,
      MountGraphPanel.options(services),
    );
    MountGraphPanel.current = new MountGraphPanel(panel, services, focus, focus ? undefined : { whole: true, filter: {} });
    return MountGraphPanel.current;
  }

  /** The open panel, if any (tests). */
  static get open(): MountGraphPanel | undefined {
    return MountGraphPanel.current;
  }

  static options(services: Services): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      retainContextWhenHidden: false,
      localResourceRoots: [vscode.Uri.joinPath(services.context.extensionUri, 'dist', 'webview')],
    };
  }

  /** Brings the panel back after a window reload, with the focus and settings the page saved (validated). */
  static registerSerializer(services: Services): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(MountGraphPanel.viewType, {
      deserializeWebviewPanel: async (panel, state: unknown) => {
        const s = state !== null && typeof state === 'object' ? (state as Record<string, unknown>) : {};
        panel.webview.options = MountGraphPanel.options(services);
        MountGraphPanel.current?.dispose();
        MountGraphPanel.current = new MountGraphPanel(panel, services, parseFocus(s.focus), parseSettings(s.settings));
        await Promise.resolve();
      },
    });
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly services: Services,
    focus: GraphFocus | undefined,
    settings: ViewSettings | undefined,
  ) {
    this.focus = focus;
    if (settings) this.settings = settings;
    panel.iconPath = vscode.Uri.joinPath(services.context.extensionUri, 'media', 'activitybar.svg');
    panel.title = vscode.l10n.t('Mount Graph');
    this.html = this.makeHtml();
    panel.webview.html = this.html;
    services.setVisible(MountGraphPanel.viewType, panel.visible);
    this.disposables.push(
      // The page is dropped while hidden (no retained context) and says 'ready' when shown again.
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.ready = false;
        services.setVisible(MountGraphPanel.viewType, panel.visible);
      }),
      { dispose: () => services.setVisible(MountGraphPanel.viewType, false) },
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
      services.inventory.onDidChange(() => this.update()),
    );
  }

  /** What the page shows now (after the last full view and patches). */
  get view(): MountGraph | undefined {
    return this.shown;
  }

  /** The webview's options (tests check localResourceRoots). */
  get webviewOptions(): vscode.WebviewOptions {
    return this.panel.webview.options;
  }

  setFocus(focus: GraphFocus): void {
    this.focus = focus;
    this.settings = { ...this.settings, whole: false };
    this.sendFull();
  }

  /** What the page sent, validated; returns false (and changes nothing) when it is rejected. */
  receive(raw: unknown): boolean {
    const m = parsePageMessage(raw);
    if (!m) {
      this.rejected++;
      this.services.log.warn(`mount graph: rejected an invalid message from the page: ${safeJson(raw)}`);
      return false;
    }
    void this.handle(m).catch((err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      this.services.log.error(`mount graph: ${message}`);
      void vscode.window.showErrorMessage(sayError(err));
    });
    return true;
  }

  private async handle(m: PageMessage): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.ready = true;
        this.sendFull();
        return;
      case 'settings':
        this.settings = m.settings;
        this.update(true);
        return;
      case 'action':
        await this.runAction(m.action, m.nodeId);
        return;
      case 'copyMermaid':
        await vscode.env.clipboard.writeText(toMermaid(this.shown ?? { nodes: [], edges: [] }, mermaidWords()));
        this.post({ type: 'copied', what: 'mermaid' });
        return;
      case 'saveSvg': {
        const folder = vscode.workspace.workspaceFolders?.[0];
        const uri = await vscode.window.showSaveDialog({
          filters: { SVG: ['svg'] },
          saveLabel: vscode.l10n.t('Save as SVG'),
          defaultUri: vscode.Uri.file(path.join(folder?.uri.scheme === 'file' ? folder.uri.fsPath : homedir(), 'mount-graph.svg')),
        });
        if (!uri) return;
        if (uri.scheme === 'file') await writeFile(uri.fsPath, m.svg, 'utf8');
        else await vscode.workspace.fs.writeFile(uri, Buffer.from(m.svg, 'utf8'));
        this.post({ type: 'copied', what: 'svg' });
        return;
      }
    }
  }

  /** A node's action, on the node as the inventory knows it now (an id the page made up finds nothing). */
  private async runAction(action: NodeAction, nodeId: string): Promise<void> {
    const inv = this.services.inventory.current;
    const node = this.shown?.nodes.find((n) => n.id === nodeId);
    if (!inv || !node) return;
    const target = treeTarget(inv, node);
    if (!target) return;
    switch (action) {
      case 'reveal':
        if (node.kind === 'container' && target.containerId) await this.services.revealContainer(target.containerId);
        else if (node.kind === 'volume' && node.volumeName) await this.services.revealVolume(node.volumeName);
        else if (target.containerId && target.mountDestination) await this.services.revealMount(target.containerId, target.mountDestination);
        return;
      case 'focus': {
        const f = focusOf(node, target);
        if (f) this.setFocus(f);
        return;
      }
      default: {
        const command = (
          {
            backup: 'containerVolumes.backupVolume',
            openFolder: 'containerVolumes.openVolumeInNewWindow',
            addToWorkspace: 'containerVolumes.addVolumeToWorkspace',
            inspect: 'containerVolumes.inspect',
            migrate: 'containerVolumes.migrateContainer',
          } as const
        )[action];
        const arg = node.kind === 'container' ? target.containerArg : node.kind === 'volume' ? { volumeName: node.volumeName } : target.mountArg;
        if (!arg || (action === 'migrate' && node.kind !== 'container')) return;
        await vscode.commands.executeCommand(command, arg);
      }
    }
  }

  /** The engine's whole graph and the part of it shown. */
  private compute(inv: Inventory): { whole: MountGraph; view: MountGraph } {
    const whole = buildMountGraph(inv, graphLabels());
    const view = selectView(whole, { whole: this.settings.whole || !this.focus, ...(this.focus ? { focus: this.focus } : {}), filter: this.settings.filter });
    return { whole, view };
  }

  private sendFull(): void {
    if (!this.ready) return;
    const inv = this.services.inventory.current;
    if (!inv) {
      this.shown = undefined;
      const s = this.services.engine.state;
      this.post({ type: 'engineDown', message: 'message' in s ? s.message : vscode.l10n.t('Not connected to a Docker engine yet.') });
      return;
    }
    const { whole, view } = this.compute(inv);
    this.shown = view;
    this.sent.full++;
    this.post({
      type: 'full',
      graph: view,
      ...(this.focus ? { focus: this.focus } : {}),
      focusIds: this.focus ? focusIds(whole, this.focus) : [],
      settings: { ...this.settings, whole: this.settings.whole || !this.focus },
      projects: composeProjects(whole),
      strings: pageStrings(),
    });
  }

  /** After an engine event or a settings change (answered even when nothing changed): only what changed. */
  private update(answer = false): void {
    if (!this.ready) return;
    const inv = this.services.inventory.current;
    if (!inv || !this.shown) {
      this.sendFull();
      return;
    }
    const { whole, view } = this.compute(inv);
    const patch = diffGraphs(this.shown, view);
    this.shown = view;
    if (isEmptyPatch(patch) && !answer) return;
    this.sent.patch++;
    this.post({ type: 'patch', patch, projects: composeProjects(whole) });
  }

  private post(m: HostMessage): void {
    this.lastMessage = m;
    void this.panel.webview.postMessage(m);
  }

  private makeHtml(): string {
    const webview = this.panel.webview;
    const nonce = randomBytes(16).toString('base64');
    const uri = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(this.services.context.extensionUri, 'dist', 'webview', file)).toString();
    const csp = [
      "default-src 'none'",
      `script-src 'nonce-${nonce}'`,
      `style-src ${webview.cspSource} 'nonce-${nonce}'`,
      `font-src ${webview.cspSource}`,
      `img-src ${webview.cspSource}`,
      "connect-src 'none'",
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="${escapeHtml(vscode.env.language)}">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta property="csp-nonce" content="${nonce}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${uri('mountGraph.css')}">
  <title>${escapeHtml(vscode.l10n.t('Mount Graph'))}</title>
</head>
<body>
  <main id="app" aria-live="polite"></main>
  <script nonce="${nonce}" src="${uri('mountGraph.js')}"></script>
</body>
</html>`;
  }

  dispose(): void {
    if (MountGraphPanel.current === this) MountGraphPanel.current = undefined;
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}

interface TreeTarget {
  readonly containerId?: string;
  readonly mountDestination?: string;
  readonly containerArg?: object;
  readonly mountArg?: object;
}

/** Where a node is in the tree, and the argument the tree's commands take for it. */
function treeTarget(inv: Inventory, node: GraphNode): TreeTarget | undefined {
  switch (node.kind) {
    case 'container': {
      const c = inv.containers.find((x) => x.id === node.containerId);
      return c ? { containerId: c.id, containerArg: { kind: 'container', container: c, containerId: c.id, containerName: c.name } } : undefined;
    }
    case 'volume': {
      const v = inv.volumes.find((x) => x.name === node.volumeName);
      const user = v?.users.find((u) => !u.viaContainer) ?? v?.users[0];
      return v ? { ...(user ? { containerId: user.containerId, mountDestination: user.destination } : {}) } : undefined;
    }
    case 'bind':
    case 'tmpfs': {
      for (const c of inv.containers) {
        const m = c.mounts.find((x) =>
          node.kind === 'bind'
            ? x.type !== 'volume' && x.type !== 'tmpfs' && x.source === node.hostPath
            : x.type === 'tmpfs' && c.id === node.containerId && node.id.endsWith(`:${x.destination}`),
        );
        if (m) return { containerId: c.id, mountDestination: m.destination, mountArg: { kind: 'mount', containerId: c.id, containerName: c.name, mount: m } };
      }
      return undefined;
    }
    case 'gone':
      return undefined;
  }
}

function focusOf(node: GraphNode, target: TreeTarget): GraphFocus | undefined {
  if (node.kind === 'container' && node.containerId) return { kind: 'container', containerId: node.containerId };
  if (node.kind === 'volume' && node.volumeName) return { kind: 'volume', volumeName: node.volumeName };
  if (target.containerId && target.mountDestination) return { kind: 'mount', containerId: target.containerId, destination: target.mountDestination };
  return undefined;
}

function graphLabels(): GraphLabels {
  return { volume: volumeLabel, tmpfs: (d) => vscode.l10n.t('tmpfs at {0}', d) };
}

function mermaidWords(): MermaidWords {
  return {
    readOnly: vscode.l10n.t('read-only'),
    via: vscode.l10n.t('via {0}'),
    volumesFrom: '--volumes-from{0}',
    lostTo: vscode.l10n.t('lost to {0}'),
    gone: vscode.l10n.t('removed'),
  };
}

function pageStrings(): Record<string, string> {
  return {
    wholeEngine: vscode.l10n.t('Whole engine'),
    filterPlaceholder: vscode.l10n.t('Filter by name…'),
    project: vscode.l10n.t('Compose project'),
    projectIs: vscode.l10n.t('Compose project: {0}'),
    allProjects: vscode.l10n.t('All projects'),
    runningOnly: vscode.l10n.t('Running only'),
    zoomIn: vscode.l10n.t('Zoom in'),
    zoomOut: vscode.l10n.t('Zoom out'),
    fit: vscode.l10n.t('Fit'),
    copyMermaid: vscode.l10n.t('Copy as Mermaid'),
    saveSvg: vscode.l10n.t('Save as SVG…'),
    copied: vscode.l10n.t('Copied as Mermaid.'),
    saved: vscode.l10n.t('Saved.'),
    graphLabel: vscode.l10n.t('Mount graph: containers, the volumes and host paths they mount, and --volumes-from links'),
    nothing: vscode.l10n.t('Nothing to show: no container or volume matches.'),
    running: vscode.l10n.t('running'),
    ...Object.fromEntries(
      (['created', 'paused', 'restarting', 'removing', 'exited', 'dead', 'unknown'] as const).map((s) => [`state.${s}`, containerStateText(s)]),
    ),
    stopped: vscode.l10n.t('stopped'),
    volume: vscode.l10n.t('volume'),
    anonymousVolume: vscode.l10n.t('anonymous volume'),
    unused: vscode.l10n.t('unused'),
    shared: vscode.l10n.t('shared'),
    usedBy: vscode.l10n.t('{0} containers'),
    hostPath: vscode.l10n.t('host path'),
    tmpfs: vscode.l10n.t('tmpfs (in memory)'),
    gone: vscode.l10n.t('removed container'),
    readOnly: vscode.l10n.t('read-only'),
    volumesFrom: '--volumes-from{0}',
    lost: vscode.l10n.t('lost'),
    legendMount: vscode.l10n.t('mount'),
    legendInherited: vscode.l10n.t('inherited'),
    legendLost: vscode.l10n.t('duplicate path, lost'),
    titleMount: vscode.l10n.t('{0} mounts {2} at {1}'),
    titleInherited: vscode.l10n.t('{0} has {2} at {1}, inherited through {3}'),
    titleVolumesFrom: vscode.l10n.t('{0} --volumes-from {1}'),
    titleVolumesFromGone: vscode.l10n.t('{0} --volumes-from {1}, a container that no longer exists'),
    titleLost: vscode.l10n.t('{0} did not get {2} at {1}: {3} was first'),
    titleReadOnly: vscode.l10n.t('{0} (read-only)'),
    actionsFor: vscode.l10n.t('Actions for {0}'),
    'action.reveal': vscode.l10n.t('Show in the Tree'),
    'action.focus': vscode.l10n.t('Show Its Neighbourhood'),
    'action.backup': vscode.l10n.t('Back Up…'),
    'action.openFolder': vscode.l10n.t('Open in New Window'),
    'action.addToWorkspace': vscode.l10n.t('Add to Workspace'),
    'action.inspect': vscode.l10n.t('Inspect'),
    'action.migrate': vscode.l10n.t('Migrate to a New Image…'),
  };
}

function safeJson(v: unknown): string {
  try {
    return (JSON.stringify(v) ?? String(v)).slice(0, 200);
  } catch {
    return '(not serialisable)';
  }
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
