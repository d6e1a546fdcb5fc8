// The Disk Usage view: a volume's folders biggest first, one level at a time as they are expanded,
// and its biggest files, measured by one pass of du (core/diskUsage).
// Design notes: docs/ui.md#srctreediskusagetreeproviderts
import * as vscode from 'vscode';
import { formatBytes, type DiskUsage, type FileUsage, type FolderUsage } from '../core/files/diskUsage';

export type UsageNode =
  | { readonly kind: 'folder'; readonly folder: FolderUsage; readonly uri: vscode.Uri }
  | { readonly kind: 'biggest' }
  | { readonly kind: 'file'; readonly file: FileUsage; readonly uri: vscode.Uri };

interface Shown {
  /** The view's name for the volume. */
  readonly volume: string;
  readonly volumeName: string;
  readonly usage: DiskUsage;
  readonly uriOf: (path: string) => vscode.Uri;
  folders: Map<string, FolderUsage>;
  children: Map<string, FolderUsage[]>;
  biggest: FileUsage[];
}

export class DiskUsageTreeProvider implements vscode.TreeDataProvider<UsageNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<UsageNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly messages = new vscode.EventEmitter<string | undefined>();
  readonly onDidChangeMessage = this.messages.event;
  private shown: Shown | undefined;

  show(volume: string, usage: DiskUsage, uriOf: (path: string) => vscode.Uri, volumeName = volume): void {
    this.shown = {
      volume,
      volumeName,
      usage,
      uriOf,
      folders: new Map(usage.folders),
      children: new Map([...usage.children].map(([k, v]) => [k, [...v]])),
      biggest: [...usage.biggestFiles],
    };
    const root = usage.folders.get(usage.root);
    this.messages.fire(
      root
        ? root.files === 1
          ? vscode.l10n.t('{0}{1}: {2} in 1 entry', volume, usage.root === '/' ? '' : usage.root, formatBytes(root.bytes))
          : vscode.l10n.t('{0}{1}: {2} in {3} entries', volume, usage.root === '/' ? '' : usage.root, formatBytes(root.bytes), root.files)
        : undefined,
    );
    this.changed.fire(undefined);
  }

  /** The volume whose measure is shown, and how the view names it ("anonymous · log_home:/logs"). */
  get shownVolume(): { readonly volume: string; readonly label: string } | undefined {
    return this.shown ? { volume: this.shown.volumeName, label: this.shown.volume } : undefined;
  }

  /** The measure shown (tests read it). */
  get current(): DiskUsage | undefined {
    return this.shown?.usage;
  }

  /** Takes a deleted file or folder out of the view, and its size and entries off its ancestors. */
  removed(path: string, bytes: number, entries: number): void {
    const s = this.shown;
    if (!s) return;
    for (const k of [...s.folders.keys()]) if (k === path || k.startsWith(path + '/')) s.folders.delete(k);
    for (const [k, list] of s.children) {
      if (k === path || k.startsWith(path + '/')) s.children.delete(k);
      else {
        s.children.set(
          k,
          list.filter((f) => f.path !== path),
        );
      }
    }
    s.biggest = s.biggest.filter((f) => f.path !== path && !f.path.startsWith(path + '/'));
    for (let p = parentOf(path); p !== undefined; p = p === s.usage.root ? undefined : parentOf(p)) {
      const f = s.folders.get(p);
      if (f) s.folders.set(p, { ...f, bytes: Math.max(0, f.bytes - bytes), files: Math.max(0, f.files - entries) });
    }
    for (const [k, list] of s.children) {
      s.children.set(
        k,
        list.map((f) => s.folders.get(f.path) ?? f).sort((a, b) => b.bytes - a.bytes),
      );
    }
    this.changed.fire(undefined);
  }

  getChildren(node?: UsageNode): UsageNode[] {
    const s = this.shown;
    if (!s) return [];
    if (!node) {
      const root = s.folders.get(s.usage.root);
      return [...(s.biggest.length ? [{ kind: 'biggest' } as const] : []), ...(root ? this.folderChildren(s, root.path) : [])];
    }
    if (node.kind === 'biggest') return s.biggest.map((file) => ({ kind: 'file', file, uri: s.uriOf(file.path) }));
    if (node.kind === 'folder') return this.folderChildren(s, node.folder.path);
    return [];
  }

  private folderChildren(s: Shown, path: string): UsageNode[] {
    return (s.children.get(path) ?? []).map((folder) => ({ kind: 'folder', folder, uri: s.uriOf(folder.path) }));
  }

  getTreeItem(node: UsageNode): vscode.TreeItem {
    const s = this.shown;
    if (node.kind === 'biggest') {
      const item = new vscode.TreeItem(vscode.l10n.t('Biggest files'), vscode.TreeItemCollapsibleState.Collapsed);
      item.id = 'biggest';
      item.iconPath = new vscode.ThemeIcon('list-ordered');
      return item;
    }
    if (node.kind === 'file') {
      const f = node.file;
      const item = new vscode.TreeItem(f.path.slice(f.path.lastIndexOf('/') + 1), vscode.TreeItemCollapsibleState.None);
      item.id = `file:${f.path}`;
      item.resourceUri = node.uri;
      item.description = `${formatBytes(f.bytes)} · ${f.path.slice(0, f.path.lastIndexOf('/')) || '/'}`;
      item.tooltip = `${f.path}\n${formatBytes(f.bytes)}`;
      item.contextValue = 'usage+file';
      item.command = { command: 'vscode.open', title: vscode.l10n.t('Open'), arguments: [node.uri] };
      return item;
    }
    const f = node.folder;
    const parent = s?.folders.get(parentOf(f.path) ?? '/');
    const share = parent && parent.bytes > 0 ? Math.round((f.bytes / parent.bytes) * 100) : 100;
    const hasChildren = (s?.children.get(f.path)?.length ?? 0) > 0;
    const item = new vscode.TreeItem(
      f.path.slice(f.path.lastIndexOf('/') + 1),
      hasChildren ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
    );
    item.id = `folder:${f.path}`;
    item.iconPath = vscode.ThemeIcon.Folder;
    item.resourceUri = node.uri;
    item.description =
      f.files === 1
        ? vscode.l10n.t('{0} · {1}% · 1 entry', formatBytes(f.bytes), share)
        : vscode.l10n.t('{0} · {1}% · {2} entries', formatBytes(f.bytes), share, f.files);
    item.tooltip = `${f.path}\n${formatBytes(f.bytes)}`;
    item.contextValue = 'usage+folder';
    return item;
  }

  getParent(): undefined {
    return undefined;
  }

  dispose(): void {
    this.changed.dispose();
    this.messages.dispose();
  }
}

function parentOf(path: string): string | undefined {
  if (path === '/') return undefined;
  return path.slice(0, path.lastIndexOf('/')) || '/';
}
