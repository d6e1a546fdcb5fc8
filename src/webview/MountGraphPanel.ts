// The mount-chain panel: for one volume, which containers mount it and through which
// --volumes-from links (S2: logger02 -> logger01 -> log_home -> the volume). One panel, reused;
// it follows the inventory while open and owns its listeners, which go when it closes.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { volumeChains } from '../core/mountChains';
import type { Services } from '../services';
import { volumeLabel } from '../tree/describe';
import { isPageMessage, type ChainView, type HostMessage } from './protocol';

export class MountGraphPanel implements vscode.Disposable {
  static readonly viewType = 'containerVolumes.mountChains';
  private static current: MountGraphPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private selected: string | undefined;
  /** The last model sent to the page (tests read it). */
  lastMessage: HostMessage | undefined;

  static createOrShow(services: Services, volumeName: string | undefined): MountGraphPanel {
    const existing = MountGraphPanel.current;
    if (existing) {
      existing.panel.reveal(vscode.ViewColumn.Active);
      if (volumeName) existing.select(volumeName);
      return existing;
    }
    const root = services.context.extensionUri;
    const panel = vscode.window.createWebviewPanel(MountGraphPanel.viewType, vscode.l10n.t('Mount Chains'), vscode.ViewColumn.Active, {
      enableScripts: true,
      retainContextWhenHidden: false,
      localResourceRoots: [vscode.Uri.joinPath(root, 'dist', 'webview'), vscode.Uri.joinPath(root, 'media', 'webview')],
    });
    MountGraphPanel.current = new MountGraphPanel(panel, services, volumeName);
    return MountGraphPanel.current;
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly services: Services,
    volumeName: string | undefined,
  ) {
    this.selected = volumeName;
    panel.iconPath = vscode.Uri.joinPath(services.context.extensionUri, 'media', 'activitybar.svg');
    panel.webview.html = this.html();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m)),
      services.inventory.onDidChange(() => this.post()),
    );
  }

  select(volumeName: string): void {
    this.selected = volumeName;
    this.post();
  }

  private onMessage(m: unknown): void {
    if (!isPageMessage(m)) {
      this.services.log.warn(`mount chains: ignored an invalid message from the page: ${JSON.stringify(m)?.slice(0, 200)}`);
      return;
    }
    switch (m.type) {
      case 'ready':
        this.post();
        return;
      case 'select':
        this.select(m.volumeName);
        return;
      case 'revealContainer':
        void this.services.revealContainer(m.containerId);
        return;
    }
  }

  private post(): void {
    const inv = this.services.inventory.current;
    let msg: HostMessage;
    if (!inv) {
      const s = this.services.engine.state;
      msg = { type: 'engineDown', message: 'message' in s ? s.message : vscode.l10n.t('Not connected to a Docker engine yet.') };
    } else {
      const volumes = inv.volumes.filter((v) => v.users.length > 0 || v.name === this.selected).map((v) => ({ name: v.name, label: volumeLabel(v) }));
      if (!this.selected || !inv.volumes.some((v) => v.name === this.selected)) this.selected = volumes[0]?.name;
      const chains = this.selected ? volumeChains(inv, this.selected) : undefined;
      const volume = inv.volumes.find((v) => v.name === this.selected);
      const selected: ChainView | undefined = chains && volume
        ? { ...chains, volumeLabel: volumeLabel(volume) }
        : undefined;
      msg = { type: 'model', volumes, selected, strings: pageStrings() };
    }
    this.lastMessage = msg;
    void this.panel.webview.postMessage(msg);
  }

  private html(): string {
    const webview = this.panel.webview;
    const nonce = randomBytes(16).toString('base64');
    const root = this.services.context.extensionUri;
    const uri = (...p: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(root, ...p)).toString();
    const csp = [
      "default-src 'none'",
      `script-src 'nonce-${nonce}'`,
      `style-src ${webview.cspSource} 'nonce-${nonce}'`,
      `font-src ${webview.cspSource}`,
      `img-src ${webview.cspSource}`,
      "connect-src 'none'",
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="${vscode.env.language}">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta property="csp-nonce" content="${nonce}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${uri('media', 'webview', 'mountGraph.css')}">
  <title>${escapeHtml(vscode.l10n.t('Mount Chains'))}</title>
</head>
<body>
  <main id="app" aria-live="polite"></main>
  <script type="module" nonce="${nonce}" src="${uri('dist', 'webview', 'toolkit.min.js')}"></script>
  <script nonce="${nonce}" src="${uri('dist', 'webview', 'mountGraph.js')}"></script>
</body>
</html>`;
  }

  dispose(): void {
    if (MountGraphPanel.current === this) MountGraphPanel.current = undefined;
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}

function pageStrings(): Record<string, string> {
  return {
    volume: vscode.l10n.t('Volume'),
    owner: vscode.l10n.t('creates the mount'),
    via: vscode.l10n.t('--volumes-from {0}'),
    readOnly: vscode.l10n.t('read-only'),
    paths: vscode.l10n.t('Each container’s way to the data'),
    tree: vscode.l10n.t('Who mounts it'),
    none: vscode.l10n.t('No container uses this volume: its data stays on disk until the volume is removed.'),
    noVolumes: vscode.l10n.t('No volume is in use.'),
    mountpoint: vscode.l10n.t('On the host'),
    reveal: vscode.l10n.t('Show in the Containers view'),
  };
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
