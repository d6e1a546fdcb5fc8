// How the views, the status bar and the engine pickers name where an engine came from and its state.
import * as vscode from 'vscode';
import type { EngineSource, KnownEngine } from './core/engine/engineConfig';
import type { EngineState } from './services';

/** Where a known engine (or a resolved endpoint) came from, as a user reads it. */
export function engineSourceText(source: KnownEngine['source'] | EngineSource, context?: string): string {
  switch (source) {
    case 'context':
      return context ? vscode.l10n.t('docker context {0}', context) : vscode.l10n.t('docker context');
    case 'DOCKER_HOST':
      return 'DOCKER_HOST';
    case 'setting':
    case 'explicit':
      return vscode.l10n.t('setting');
    case 'podman':
      return vscode.l10n.t('Podman socket');
    case 'default':
      return vscode.l10n.t('default engine');
  }
}

/** The current engine's state in a word or two: connected, connecting, unreachable. */
export function engineStateText(state: EngineState): string {
  switch (state.kind) {
    case 'ok':
      return vscode.l10n.t('connected');
    case 'connecting':
      return vscode.l10n.t('connecting…');
    case 'permission':
      return vscode.l10n.t('permission denied');
    case 'config':
      return vscode.l10n.t('not configured');
    case 'unreachable':
      return vscode.l10n.t('unreachable');
  }
}
