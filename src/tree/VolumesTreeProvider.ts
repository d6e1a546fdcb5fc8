// The Volumes view: volumes in use and unused (the seed's "data still on disk but hard to find"),
// optionally grouped by compose project; under each volume, the containers that use it and where.
// Sizes are loaded lazily from the engine once the view shows, then shown in the description.
import * as vscode from 'vscode';
import { say } from '../coreText';
import { formatSince } from '../core/engine/lockLabels';
import type { Volume } from '../core/engine/types';
import type { InventoryStore } from '../services';
import { escapeMd } from './ContainersTreeProvider';
import { formatBytes, holderText, volumeLabel } from './describe';
import type { Inventory } from '../core/engine/types';
import type { EngineConnection } from '../model/EngineConnection';
import type { EngineRoots } from '../model/EngineRoots';
import { engineRootItem } from './engineRootItem';
import type { VolumeGroupNode, VolumeNode, VolumesViewNode, VolumeUserNode } from './nodes';

export class VolumesTreeProvider implements vscode.TreeDataProvider<VolumesViewNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<VolumesViewNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  private sizes: ReadonlyMap<string, number> | undefined;
  private sizesRequested = false;

  /** @param engines the engines' roots when more than one engine is known (absent: one engine, as before). */
  constructor(
    private readonly inventory: InventoryStore,
    private readonly engines?: { roots: EngineRoots; connection: EngineConnection },
  ) {
    if (engines) this.subscriptions.push(engines.roots.onDidChange(() => this.changed.fire(undefined)));
    this.subscriptions.push(
      inventory.onDidChange(() => {
        this.sizesRequested = false;
        this.changed.fire(undefined);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('containerVolumes.groupByComposeProject') || e.affectsConfiguration('containerVolumes.showSizes')) {
          this.changed.fire(undefined);
        }
      }),
    );
  }

  getChildren(node?: VolumesViewNode): VolumesViewNode[] {
    if (!node || node.kind === 'engine') {
      // Without engine roots the view has no engine rows: its top rows are the current engine's.
      return this.engines?.roots.children(node, { current: () => this.topNodes(), other: (inv, host) => this.top(inv, host) }) ?? this.topNodes();
    }
    if (!node.engineHost && !this.inventory.current) return [];
    if (node.kind === 'group') return this.groupChildren(node);
    if (node.kind === 'volume') {
      return node.volume.users.map((u): VolumeUserNode => ({
        kind: 'volumeUser',
        volumeName: node.volumeName,
        use: u,
        containerId: u.containerId,
        containerName: u.containerName,
        ...(node.engineHost ? { engineHost: node.engineHost } : {}),
      }));
    }
    return [];
  }

  /** The current engine's top rows (the view's roots when one engine is known). */
  topNodes(): VolumesViewNode[] {
    const inv = this.inventory.current;
    if (!inv) return [];
    this.requestSizes();
    return this.top(inv, undefined);
  }

  private top(inv: Inventory, engineHost: string | undefined): VolumesViewNode[] {
    if (inv.volumes.length === 0) return [];
    const on = engineHost ? { engineHost } : {};
    return [
      { kind: 'group', group: 'inuse', volumes: inv.volumes.filter((v) => v.users.length > 0), ...on },
      { kind: 'group', group: 'unused', volumes: inv.volumes.filter((v) => v.users.length === 0), ...on },
    ];
  }

  /** For reveal: a volume's node and its parents, built as getChildren builds them (ids match). */
  volumeNode(volumeName: string): VolumeNode | undefined {
    const v = this.inventory.current?.volumes.find((x) => x.name === volumeName);
    return v ? { kind: 'volume', volume: v, volumeName: v.name } : undefined;
  }

  getParent(node: VolumesViewNode): VolumesViewNode | undefined {
    if (node.kind === 'engine') return undefined;
    const roots = this.engines?.roots;
    const root = roots?.multi ? roots.roots().find((r) => (node.engineHost ? r.engine.host === node.engineHost : r.current)) : undefined;
    const otherState = node.engineHost ? roots?.peek(node.engineHost) : undefined;
    const inv = node.engineHost ? (otherState?.kind === 'ok' ? otherState.inventory : undefined) : this.inventory.current;
    if (!inv) return undefined;
    const on = node.engineHost ? { engineHost: node.engineHost } : {};
    const top = (g: 'inuse' | 'unused'): VolumeGroupNode => ({
      kind: 'group',
      group: g,
      volumes: inv.volumes.filter((v) => v.users.length > 0 === (g === 'inuse')),
      ...on,
    });
    switch (node.kind) {
      case 'group':
        return node.project !== undefined ? top(node.group) : root;
      case 'volume': {
        const g = top(node.volume.users.length > 0 ? 'inuse' : 'unused');
        const p = node.volume.composeProject;
        const byProject = vscode.workspace.getConfiguration('containerVolumes').get<boolean>('groupByComposeProject', true);
        return byProject && p ? { kind: 'group', group: g.group, project: p, volumes: g.volumes.filter((v) => v.composeProject === p), ...on } : g;
      }
      case 'volumeUser': {
        const v = inv.volumes.find((x) => x.name === node.volumeName);
        return v ? { kind: 'volume', volume: v, volumeName: v.name, ...on } : undefined;
      }
    }
  }

  private groupChildren(node: VolumeGroupNode): VolumesViewNode[] {
    const byProject = vscode.workspace.getConfiguration('containerVolumes').get<boolean>('groupByComposeProject', true);
    const on = node.engineHost ? { engineHost: node.engineHost } : {};
    const asNodes = (vs: readonly Volume[]) => vs.map((v): VolumeNode => ({ kind: 'volume', volume: v, volumeName: v.name, ...on }));
    if (!byProject || node.project !== undefined) return asNodes(node.volumes);
    const projects = [...new Set(node.volumes.map((v) => v.composeProject).filter((p): p is string => !!p))].sort();
    const projectNodes = projects.map((p): VolumeGroupNode => ({
      kind: 'group',
      group: node.group,
      project: p,
      volumes: node.volumes.filter((v) => v.composeProject === p),
      ...on,
    }));
    return [...projectNodes, ...asNodes(node.volumes.filter((v) => !v.composeProject))];
  }

  private requestSizes(): void {
    if (this.sizesRequested || !vscode.workspace.getConfiguration('containerVolumes').get<boolean>('showSizes', true)) return;
    this.sizesRequested = true;
    void this.inventory.sizes().then((s) => {
      this.sizes = s;
      this.changed.fire(undefined);
    });
  }

  getTreeItem(node: VolumesViewNode): vscode.TreeItem {
    if (node.kind === 'engine') return engineRootItem(node, this.engines!.connection, this.engines!.roots);
    const item = this.rowItem(node);
    // Rows under another engine's root: ids unique across the roots; no sizes (loaded for the current engine only).
    if (node.engineHost) {
      item.id = `${node.engineHost}|${item.id ?? ''}`;
      if (node.kind !== 'group') item.contextValue = `${item.contextValue ?? ''}${this.engines?.roots.rowContext(node.engineHost) ?? ''}`;
    }
    return item;
  }

  private rowItem(node: Exclude<VolumesViewNode, { kind: 'engine' }>): vscode.TreeItem {
    switch (node.kind) {
      case 'group': {
        const label = node.project ?? (node.group === 'inuse' ? vscode.l10n.t('In use') : vscode.l10n.t('Unused'));
        const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `group:${node.group}${node.project ? `:${node.project}` : ''}`;
        item.description = String(node.volumes.length);
        item.contextValue = node.project ? 'project' : `group+${node.group}`;
        item.iconPath = new vscode.ThemeIcon(node.project ? 'layers' : node.group === 'inuse' ? 'pass' : 'circle-slash');
        if (node.group === 'unused' && !node.project) {
          item.tooltip = vscode.l10n.t('Volumes no container uses: their data is still on disk.');
        }
        return item;
      }
      case 'volume':
        return this.volumeItem(node.volume, !node.engineHost);
      case 'volumeUser': {
        const u = node.use;
        const item = new vscode.TreeItem(u.containerName, vscode.TreeItemCollapsibleState.None);
        item.id = `volumeUser:${node.volumeName}:${u.containerId}:${u.destination}`;
        const parts = [u.destination];
        if (u.readOnly) parts.push(vscode.l10n.t('read-only'));
        if (u.viaContainer) parts.push(vscode.l10n.t('from {0}', u.viaContainer));
        item.description = parts.join(' · ');
        item.iconPath = new vscode.ThemeIcon(u.containerState === 'running' ? 'vm-running' : 'vm-outline');
        item.contextValue = `volumeUser+${u.containerState === 'running' ? 'running' : 'stopped'}`;
        return item;
      }
    }
  }

  private volumeItem(v: Volume, current: boolean): vscode.TreeItem {
    const item = new vscode.TreeItem(volumeLabel(v), v.users.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = `volume:${v.name}`;
    const size = current ? this.sizes?.get(v.name) : undefined;
    const desc: string[] = [];
    if (size !== undefined && size >= 0) desc.push(formatBytes(size));
    if (v.driver !== 'local') desc.push(v.driver);
    // Held by an operation of another window, the CLI or another machine (or of this window).
    if (v.lock) {
      desc.unshift(v.lock.ours ? vscode.l10n.t('busy: {0}', say(v.lock.operation)) : vscode.l10n.t('busy: {0} ({1})', say(v.lock.operation), say(v.lock.app)));
    }
    item.description = desc.join(' · ');
    item.iconPath = new vscode.ThemeIcon(v.lock ? 'lock' : 'database');
    item.contextValue = ['volume', v.users.length ? 'inuse' : 'unused', v.anonymous ? 'anonymous' : 'named'].join('+');
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**${escapeMd(v.name)}**\n\n`);
    if (v.lock) {
      md.appendMarkdown(
        `$(lock) ${escapeMd(vscode.l10n.t('In use by {0}. Other operations on this volume wait for it or are refused until it ends.', holderText(v.lock)))}\n\n`,
      );
      md.supportThemeIcons = true;
    }
    md.appendMarkdown(`${vscode.l10n.t('Driver: {0}', escapeMd(v.driver))}\n\n`);
    md.appendMarkdown(`${vscode.l10n.t('Mountpoint: {0}', `\`${v.mountpoint}\``)}\n\n`);
    if (v.createdAt) md.appendMarkdown(`${vscode.l10n.t('Created: {0}', escapeMd(formatSince(v.createdAt)))}\n\n`);
    if (size !== undefined && size >= 0) md.appendMarkdown(`${vscode.l10n.t('Size: {0}', formatBytes(size))}\n\n`);
    const labels = Object.entries(v.labels);
    if (labels.length) md.appendMarkdown(`${vscode.l10n.t('Labels:')}\n\n${labels.map(([k, val]) => `- \`${k}\` = \`${val}\``).join('\n')}\n`);
    item.tooltip = md;
    return item;
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
    this.changed.dispose();
  }
}
