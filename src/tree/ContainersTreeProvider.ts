// The Containers view: every container, and under it its mounts (type, path in the container, where
// the data comes from, read-only, and through which container a --volumes-from mount came).
import * as vscode from 'vscode';
import type { Container } from '../core/engine/types';
import type { InventoryStore } from '../services';
import { containerStateText, containerStatusText, mountIcon, mountSourceLabel, mountTypeText } from './describe';
import type { Inventory } from '../core/engine/types';
import type { EngineConnection } from '../model/EngineConnection';
import type { EngineRoots } from '../model/EngineRoots';
import { engineRootItem } from './engineRootItem';
import type { ContainerNode, ContainersViewNode, MountNode } from './nodes';

export class ContainersTreeProvider implements vscode.TreeDataProvider<ContainersViewNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ContainersViewNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];

  /** @param engines the engines' roots when more than one engine is known (absent: one engine, as before). */
  constructor(
    private readonly inventory: InventoryStore,
    private readonly engines?: { roots: EngineRoots; connection: EngineConnection },
  ) {
    this.subscriptions.push(inventory.onDidChange(() => this.changed.fire(undefined)));
    if (engines) this.subscriptions.push(engines.roots.onDidChange(() => this.changed.fire(undefined)));
  }

  /** The current engine's containers (the view's roots when one engine is known). */
  topNodes(): ContainerNode[] {
    const inv = this.inventory.current;
    return inv ? this.top(inv, undefined) : [];
  }

  private top(inv: Inventory, engineHost: string | undefined): ContainerNode[] {
    const on = engineHost ? { engineHost } : {};
    return inv.containers.map((c): ContainerNode => ({ kind: 'container', container: c, containerId: c.id, containerName: c.name, ...on }));
  }

  getChildren(node?: ContainersViewNode): ContainersViewNode[] {
    if (!node || node.kind === 'engine') {
      // Without engine roots the view has no engine rows: its top rows are the current engine's.
      return this.engines?.roots.children(node, { current: () => this.topNodes(), other: (inv, host) => this.top(inv, host) }) ?? this.topNodes();
    }
    if (!node.engineHost && !this.inventory.current) return [];
    if (node.kind === 'container') {
      return node.container.mounts.map((m): MountNode => ({
        kind: 'mount',
        containerId: node.containerId,
        containerName: node.containerName,
        mount: m,
        ...(m.volumeName ? { volumeName: m.volumeName } : {}),
        ...(node.engineHost ? { engineHost: node.engineHost } : {}),
      }));
    }
    return [];
  }

  getParent(node: ContainersViewNode): ContainersViewNode | undefined {
    if (node.kind === 'engine') return undefined;
    const roots = this.engines?.roots;
    if (node.kind === 'container') {
      return roots?.multi ? roots.roots().find((r) => (node.engineHost ? r.engine.host === node.engineHost : r.current)) : undefined;
    }
    const other = node.engineHost ? roots?.peek(node.engineHost) : undefined;
    const inv = node.engineHost ? (other?.kind === 'ok' ? other.inventory : undefined) : this.inventory.current;
    const c = inv?.containers.find((x) => x.id === node.containerId);
    return c
      ? { kind: 'container', container: c, containerId: c.id, containerName: c.name, ...(node.engineHost ? { engineHost: node.engineHost } : {}) }
      : undefined;
  }

  getTreeItem(node: ContainersViewNode): vscode.TreeItem {
    if (node.kind === 'engine') return engineRootItem(node, this.engines!.connection, this.engines!.roots);
    const item =
      node.kind === 'container'
        ? containerItem(node.container)
        : this.mountItem(node, node.engineHost ? other(this.engines?.roots, node.engineHost) : this.inventory.current);
    if (node.engineHost) {
      item.id = `${node.engineHost}|${item.id ?? ''}`;
      item.contextValue = `${item.contextValue ?? ''}${this.engines?.roots.rowContext(node.engineHost) ?? ''}`;
    }
    return item;
  }

  /** A container's hover, from the latest load (the row itself is redrawn only when what it shows changed). */
  resolveTreeItem(item: vscode.TreeItem, node: ContainersViewNode): vscode.TreeItem {
    if (node.kind !== 'container') return item;
    const inv = node.engineHost ? other(this.engines?.roots, node.engineHost) : this.inventory.current;
    item.tooltip = containerTooltip(inv?.containers.find((c) => c.id === node.containerId) ?? node.container);
    return item;
  }

  private mountItem(node: MountNode, inv: Inventory | undefined): vscode.TreeItem {
    const m = node.mount;
    const item = new vscode.TreeItem(m.destination, vscode.TreeItemCollapsibleState.None);
    item.id = `mount:${node.containerId}:${m.destination}`;
    // What matters first: a narrow side bar cuts the end of the line, and the source label is the longest.
    const parts: string[] = [];
    if (m.viaContainer) parts.push(vscode.l10n.t('from {0}', m.viaContainer));
    if (m.readOnly) parts.push(vscode.l10n.t('read-only'));
    parts.push(mountSourceLabel(inv, m));
    item.description = parts.join(' · ');
    item.iconPath = m.readOnly ? new vscode.ThemeIcon('lock') : mountIcon(m);
    item.contextValue = ['mount', m.type, m.readOnly ? 'readonly' : 'readwrite', m.anonymous ? 'anonymous' : '', m.viaContainer ? 'inherited' : '']
      .filter(Boolean)
      .join('+');
    const md = new vscode.MarkdownString();
    md.appendMarkdown(
      `${vscode.l10n.t('{0} — {1}', `**${escapeMd(m.destination)}**`, escapeMd(m.readOnly ? vscode.l10n.t('{0}, read-only', mountTypeText(m.type)) : mountTypeText(m.type)))}\n\n`,
    );
    if (m.volumeName) md.appendMarkdown(`${vscode.l10n.t('Volume: {0}', `\`${m.volumeName}\``)}\n\n`);
    if (m.source) md.appendMarkdown(`${vscode.l10n.t('Host path: {0}', `\`${m.source}\``)}\n\n`);
    const otherRemote = node.engineHost && this.engines?.roots.rowContext(node.engineHost).endsWith('+remote') ? node.engineHost : undefined;
    const remote = m.type === 'bind' ? (node.engineHost ? otherRemote : this.remoteHost()) : undefined;
    if (remote) {
      md.appendMarkdown(
        `${vscode.l10n.t('This folder is on the engine host {0}, not on this machine: it cannot be opened or browsed here.', escapeMd(remote))}\n\n`,
      );
    }
    if (m.viaContainer) md.appendMarkdown(vscode.l10n.t('Mounted through --volumes-from {0}', m.viaContainer));
    item.tooltip = md;
    return item;
  }

  /** The current engine's address when it runs on another machine (its host paths are not paths here). */
  private remoteHost(): string | undefined {
    const c = this.engines?.connection;
    if (!c?.connected) return undefined;
    const engine = c.get();
    return engine.local ? undefined : engine.endpoint.host;
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
    this.changed.dispose();
  }
}

function other(roots: EngineRoots | undefined, host: string): Inventory | undefined {
  const s = roots?.peek(host);
  return s?.kind === 'ok' ? s.inventory : undefined;
}

function containerItem(c: Container): vscode.TreeItem {
  const item = new vscode.TreeItem(c.name, c.mounts.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.id = `container:${c.id}`;
  item.description = `${containerStateText(c.state)} · ${c.image}`; // the state first: a narrow side bar cuts the end
  const running = c.state === 'running';
  item.iconPath = new vscode.ThemeIcon(
    running ? 'vm-running' : c.state === 'paused' ? 'debug-pause' : 'vm-outline',
    new vscode.ThemeColor(running ? 'testing.iconPassed' : 'disabledForeground'),
  );
  item.contextValue = `container+${running ? 'running' : 'stopped'}${c.mounts.length ? '+mounts' : ''}`;
  return item;
}

/** A container row's hover (resolveTreeItem: made when it is shown, from the latest load). */
function containerTooltip(c: Container): vscode.MarkdownString {
  return new vscode.MarkdownString(
    `**${escapeMd(c.name)}**\n\n${vscode.l10n.t('Image: {0}', `\`${c.image}\``)}\n\n${c.status ? vscode.l10n.t('State: {0} ({1})', containerStateText(c.state), escapeMd(containerStatusText(c.status))) : vscode.l10n.t('State: {0}', containerStateText(c.state))}\n\n` +
      vscode.l10n.t('Id: {0}', `\`${c.id.slice(0, 12)}\``) +
      (c.composeProject ? `\n\n${vscode.l10n.t('Compose project: {0}', escapeMd(c.composeProject))}` : '') +
      (c.volumesFrom.length ? `\n\n${vscode.l10n.t('--volumes-from: {0}', c.volumesFrom.map((r) => escapeMd(r.ref)).join(vscode.l10n.t(', ')))}` : ''),
  );
}

export function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
