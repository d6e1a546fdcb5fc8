// The file or folder a Disk Usage action is about: a node of that view, or a `docker-volume:` URI.
import * as vscode from 'vscode';
import { VOLUME_SCHEME } from '../fs/volumeUri';
import type { Target } from '../services';

export interface UsageEntry {
  readonly uri: vscode.Uri;
  readonly kind: 'file' | 'folder';
  readonly path: string;
  readonly bytes: number;
  readonly entries: number;
}

export function usageEntry(target: Target): UsageEntry {
  const uri = target.kind === 'usageEntry' || target.kind === 'uri' ? target.uri : undefined;
  if (!uri || uri.scheme !== VOLUME_SCHEME) throw new Error(vscode.l10n.t('Choose a file or folder in the Disk Usage view.'));
  if (target.kind !== 'usageEntry') return { uri, kind: 'file', path: uri.path, bytes: 0, entries: 1 };
  const folder = target.entry === 'folder';
  return { uri, kind: target.entry, path: target.path ?? uri.path, bytes: target.bytes ?? 0, entries: folder ? (target.files ?? 0) : 1 };
}
