// The Search Results view of Find in Volume: one node per file with matches, under it the matching
// lines, each opening the file at that line; "N more" where a cap left lines out.
import * as vscode from 'vscode';
import type { FileMatches, LineMatch, TextQuery, TextSearchSummary } from '../core/files/volumeSearch';

export type ResultNode =
  | { readonly kind: 'file'; readonly file: FileMatches; readonly uri: vscode.Uri }
  | { readonly kind: 'line'; readonly file: FileMatches; readonly uri: vscode.Uri; readonly match: LineMatch }
  | { readonly kind: 'more'; readonly file: FileMatches; readonly uri: vscode.Uri; readonly count: number };

/** Where the query matches in a line (for the highlight and the editor's selection), or undefined. */
export function matchRange(q: TextQuery, text: string): [number, number] | undefined {
  let re: RegExp;
  try {
    const source = q.regex ? q.pattern : q.pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    re = new RegExp(q.wholeWord ? `(?<![\\w])(?:${source})(?![\\w])` : source, q.caseSensitive ? 'u' : 'iu');
  } catch {
    return undefined; // a POSIX construct JavaScript does not read: no highlight, the line still opens
  }
  const m = re.exec(text);
  return m ? [m.index, m.index + m[0].length] : undefined;
}

export class SearchResultsTreeProvider implements vscode.TreeDataProvider<ResultNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ResultNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly messages = new vscode.EventEmitter<string | undefined>();
  readonly onDidChangeMessage = this.messages.event;
  private files: { file: FileMatches; uri: vscode.Uri }[] = [];
  private query: TextQuery | undefined;
  private timer: NodeJS.Timeout | undefined;

  /** Starts showing a new search (the previous results go). */
  begin(query: TextQuery, message: string): void {
    this.files = [];
    this.query = query;
    this.messages.fire(message);
    this.changed.fire(undefined);
  }

  /** One more file with matches; the view is refreshed at most five times a second. */
  add(file: FileMatches, uri: vscode.Uri): void {
    this.files.push({ file, uri });
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.changed.fire(undefined);
    }, 200);
  }

  end(message: string): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.messages.fire(message);
    this.changed.fire(undefined);
  }

  clear(): void {
    this.begin({ pattern: '' }, '');
    this.query = undefined;
  }

  /** What is shown: the files with their lines (tests read this). */
  get shown(): readonly { readonly file: FileMatches; readonly uri: vscode.Uri }[] {
    return this.files;
  }

  getChildren(node?: ResultNode): ResultNode[] {
    if (!node) return this.files.map((f) => ({ kind: 'file', file: f.file, uri: f.uri }));
    if (node.kind !== 'file') return [];
    const lines: ResultNode[] = node.file.lines.map((match) => ({ kind: 'line', file: node.file, uri: node.uri, match }));
    const more = node.file.total - node.file.lines.length;
    if (more > 0) lines.push({ kind: 'more', file: node.file, uri: node.uri, count: more });
    return lines;
  }

  getTreeItem(node: ResultNode): vscode.TreeItem {
    const f = node.file;
    if (node.kind === 'file') {
      const name = f.path.slice(f.path.lastIndexOf('/') + 1);
      const item = new vscode.TreeItem(name, f.lines.length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `file:${f.path}`;
      item.resourceUri = node.uri;
      item.description = `${f.path.slice(0, f.path.lastIndexOf('/')) || '/'} · ${f.total}`;
      item.tooltip = f.total === 1 ? vscode.l10n.t('{0}: 1 matching line', f.path) : vscode.l10n.t('{0}: {1} matching lines', f.path, f.total);
      item.contextValue = 'searchResult+file';
      if (!f.lines.length) item.command = { command: 'vscode.open', title: vscode.l10n.t('Open'), arguments: [node.uri] };
      return item;
    }
    if (node.kind === 'more') {
      const item = new vscode.TreeItem(
        node.count === 1 ? vscode.l10n.t('… 1 more matching line') : vscode.l10n.t('… {0} more matching lines', node.count),
        vscode.TreeItemCollapsibleState.None,
      );
      item.id = `more:${f.path}`;
      item.command = { command: 'vscode.open', title: vscode.l10n.t('Open'), arguments: [node.uri] };
      return item;
    }
    const m = node.match;
    // Leading blanks cost room and say nothing; keep the highlight where it was.
    const lead = m.text.length - m.text.trimStart().length;
    const text = m.text.slice(lead);
    const range = this.query ? matchRange(this.query, m.text) : undefined;
    const label: vscode.TreeItemLabel = { label: text || ' ', highlights: range && range[0] >= lead ? [[range[0] - lead, range[1] - lead]] : [] };
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
    item.id = `line:${f.path}:${m.line}`;
    item.description = String(m.line);
    item.tooltip = `${f.path}:${m.line}`;
    item.contextValue = 'searchResult+line';
    const selection = new vscode.Range(m.line - 1, range ? range[0] : 0, m.line - 1, range ? range[1] : 0);
    item.command = {
      command: 'vscode.open',
      title: vscode.l10n.t('Open'),
      arguments: [node.uri, { selection, preview: true } satisfies vscode.TextDocumentShowOptions],
    };
    return item;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.changed.dispose();
    this.messages.dispose();
  }
}

/** The view's message once a search ended. */
export function summaryMessage(volume: string, s: TextSearchSummary, stopped: boolean): string {
  const lines = s.matches === 1 ? vscode.l10n.t('1 matching line') : vscode.l10n.t('{0} matching lines', s.matches);
  const files = s.files === 1 ? vscode.l10n.t('1 file') : vscode.l10n.t('{0} files', s.files);
  const parts = [vscode.l10n.t('{0} in {1} of {2}', lines, files, volume)];
  if (s.notShown) parts.push(vscode.l10n.t('{0} more not shown', s.notShown));
  if (s.binarySkipped.length) {
    parts.push(s.binarySkipped.length === 1 ? vscode.l10n.t('1 binary file skipped') : vscode.l10n.t('{0} binary files skipped', s.binarySkipped.length));
  }
  if (stopped) parts.push(vscode.l10n.t('stopped'));
  return parts.join(' · ');
}
