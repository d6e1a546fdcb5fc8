// The status bar item that shows the current engine (a context's name, else its address), where it
// came from and its state; clicking it runs Switch Engine….
import * as vscode from 'vscode';
import type { EngineConnection } from './model/EngineConnection';
import type { EngineState } from './services';
import { engineSourceText, engineStateText } from './engineText';

export class EngineStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subscription: vscode.Disposable;

  constructor(connection: EngineConnection) {
    this.item = vscode.window.createStatusBarItem('containerVolumes.engine', vscode.StatusBarAlignment.Left, 10);
    this.item.name = vscode.l10n.t('Docker Engine');
    this.item.command = 'containerVolumes.switchEngine';
    this.subscription = connection.onDidChangeState((s) => this.update(s));
    this.update(connection.state);
    this.item.show();
  }

  /** What the item shows (tests read it). */
  get text(): string {
    return this.item.text;
  }

  get tooltip(): string {
    return typeof this.item.tooltip === 'string' ? this.item.tooltip : (this.item.tooltip?.value ?? '');
  }

  private update(s: EngineState): void {
    const ep = s.kind === 'connecting' ? undefined : s.endpoint;
    const name = ep ? (ep.context ?? ep.host) : vscode.l10n.t('Docker engine');
    const icon = s.kind === 'ok' ? '$(server)' : s.kind === 'connecting' ? '$(sync~spin)' : '$(error)';
    this.item.text = `${icon} ${name}`;
    const lines = [vscode.l10n.t('Docker engine: {0}', name)];
    if (ep) {
      lines.push(vscode.l10n.t('Address: {0}', ep.host));
      lines.push(vscode.l10n.t('From: {0}', engineSourceText(ep.source, ep.context)));
    }
    lines.push(vscode.l10n.t('State: {0}', engineStateText(s)));
    if ('message' in s) lines.push(s.message);
    lines.push(vscode.l10n.t('Click to switch engines.'));
    this.item.tooltip = lines.join('\n');
    this.item.backgroundColor = s.kind === 'ok' || s.kind === 'connecting' ? undefined : new vscode.ThemeColor('statusBarItem.warningBackground');
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
