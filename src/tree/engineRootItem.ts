// One engine's root in the Containers and Volumes views (shown when more than one engine is known):
// its name, its state (connected, connecting, unreachable with the reason) and where it came from.
import * as vscode from 'vscode';
import type { EngineConnection } from '../model/EngineConnection';
import type { EngineRootNode, EngineRoots } from '../model/EngineRoots';
import { engineSourceText, engineStateText } from '../engineText';
import { escapeMd } from './ContainersTreeProvider';

/** `engine+current|other+ok|connecting|unreachable|idle`: menus offer Retry on unreachable roots, Switch on others. */
export function engineRootItem(node: EngineRootNode, connection: EngineConnection, roots: EngineRoots): vscode.TreeItem {
  let state: 'ok' | 'connecting' | 'unreachable' | 'idle';
  let stateText: string;
  let reason: string | undefined;
  if (node.current) {
    const s = connection.state;
    state = s.kind === 'ok' ? 'ok' : s.kind === 'connecting' ? 'connecting' : 'unreachable';
    stateText = engineStateText(s);
    reason = 'message' in s ? s.message : undefined;
  } else {
    const s = roots.peek(node.engine.host);
    state = s.kind;
    stateText =
      s.kind === 'ok'
        ? vscode.l10n.t('connected')
        : s.kind === 'connecting'
          ? vscode.l10n.t('connecting…')
          : s.kind === 'unreachable'
            ? vscode.l10n.t('unreachable')
            : '';
    reason = s.kind === 'unreachable' ? s.message : undefined;
  }
  const item = new vscode.TreeItem(node.engine.name, node.current ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `engine:${node.engine.host}`;
  const desc = [node.current ? vscode.l10n.t('current') : '', state === 'ok' && node.current ? '' : stateText, reason ?? ''].filter(Boolean);
  item.description = desc.join(' · ');
  item.contextValue = `engine+${node.current ? 'current' : 'other'}+${state}`;
  item.iconPath = new vscode.ThemeIcon(
    state === 'unreachable' ? 'error' : 'server',
    state === 'unreachable' ? new vscode.ThemeColor('errorForeground') : undefined,
  );
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**${escapeMd(node.engine.name)}**${node.current ? ` (${escapeMd(vscode.l10n.t('current'))})` : ''}\n\n`);
  md.appendMarkdown(`${vscode.l10n.t('Address: {0}', `\`${node.engine.host}\``)}\n\n`);
  md.appendMarkdown(
    `${vscode.l10n.t('From: {0}', escapeMd(engineSourceText(node.engine.source, node.engine.source === 'context' ? node.engine.name : undefined)))}\n\n`,
  );
  if (stateText) md.appendMarkdown(`${vscode.l10n.t('State: {0}', escapeMd(stateText))}\n\n`);
  if (reason) md.appendMarkdown(escapeMd(reason));
  item.tooltip = md;
  return item;
}
