// Searching inside volumes from the VS Code layer: which volume a command is about, its open helper
// (shared with the file system), the cached file list for Go to File, and the two result views.
import * as vscode from 'vscode';
import { FileIndex } from '../core/files/fileIndex';
import type { VolumeFiles } from '../core/files/volumeFiles';
import { listVolumeFiles } from '../core/files/volumeSearch';
import type { VolumeFileSystemProvider } from '../fs/VolumeFileSystemProvider';
import { parseVolumeUri, VOLUME_SCHEME, volumeSessionKey, volumeUri } from '../fs/volumeUri';
import { DiskUsageTreeProvider, type UsageNode } from '../tree/DiskUsageTreeProvider';
import { SearchResultsTreeProvider, type ResultNode } from '../tree/SearchResultsTreeProvider';

/** What a search is about: a volume's root URI (as the Explorer opens it) and a folder inside it. */
export interface SearchTarget {
  /** `docker-volume://<engine>[+ro]/<volume>`: files open under it. */
  readonly root: vscode.Uri;
  readonly volume: string;
  /** Volume path of the folder searched, `/` for the whole volume. */
  readonly folder: string;
  /** How the volume is named to a person (an anonymous volume by its owner, never its hash alone). */
  readonly label?: string;
}

export function targetOf(uri: vscode.Uri, folder?: string): SearchTarget {
  const loc = parseVolumeUri(uri);
  return { root: volumeUri(loc.engineId, loc.volume, { readOnly: loc.readOnly }), volume: loc.volume, folder: folder ?? loc.path };
}

/** The URI of a volume path under the target's root. */
export function fileUri(t: SearchTarget, path: string): vscode.Uri {
  const loc = parseVolumeUri(t.root);
  return volumeUri(loc.engineId, loc.volume, { readOnly: loc.readOnly, path });
}

export class VolumeSearch implements vscode.Disposable {
  readonly results = new SearchResultsTreeProvider();
  readonly usage = new DiskUsageTreeProvider();
  resultsView: vscode.TreeView<ResultNode> | undefined;
  usageView: vscode.TreeView<UsageNode> | undefined;
  /** The Find in Volume that runs, if any: a new one stops it. */
  running: AbortController | undefined;
  private provider: VolumeFileSystemProvider | undefined;
  private readonly indexes = new Map<string, FileIndex>();
  private readonly disposables: vscode.Disposable[] = [];

  /** Connects to the file system (its helpers and change events) and creates the two views. */
  register(context: vscode.ExtensionContext, provider: VolumeFileSystemProvider): void {
    this.provider = provider;
    this.resultsView = vscode.window.createTreeView('containerVolumes.searchResults', { treeDataProvider: this.results, showCollapseAll: true });
    this.usageView = vscode.window.createTreeView('containerVolumes.diskUsage', { treeDataProvider: this.usage, showCollapseAll: true });
    this.disposables.push(
      this.resultsView,
      this.usageView,
      this.results.onDidChangeMessage((m) => {
        if (this.resultsView) this.resultsView.message = m;
      }),
      this.usage.onDidChangeMessage((m) => {
        if (this.usageView) this.usageView.message = m;
      }),
      provider.onDidChangeFile((events) => {
        // Created, deleted, or a folder whose listing changed (polling): files may have come or gone.
        for (const e of events) if (e.uri.scheme === VOLUME_SCHEME) this.indexes.get(keyOf(e.uri))?.markStale();
      }),
    );
    context.subscriptions.push(this);
  }

  /** The volume's open helper (the file system's session for this URI). */
  files(t: SearchTarget): Promise<VolumeFiles> {
    if (!this.provider) throw new Error('the volume file system is not registered');
    return this.provider.volumeFiles(t.root);
  }

  /** The cached file list of the target's volume (the whole volume; callers narrow to a folder). */
  index(t: SearchTarget): FileIndex {
    const key = keyOf(t.root);
    let idx = this.indexes.get(key);
    if (!idx) {
      idx = new FileIndex(async (onBatch, signal) => listVolumeFiles(await this.files(t), { onBatch, signal }));
      this.indexes.set(key, idx);
    }
    return idx;
  }

  /** Files of this URI's volume changed (we deleted some): Go to File lists them again. */
  markStale(uri: vscode.Uri): void {
    this.indexes.get(keyOf(uri))?.markStale();
  }

  dispose(): void {
    this.running?.abort();
    for (const i of this.indexes.values()) i.dispose();
    this.indexes.clear();
    this.results.dispose();
    this.usage.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

function keyOf(uri: vscode.Uri): string {
  return volumeSessionKey(parseVolumeUri(uri));
}
