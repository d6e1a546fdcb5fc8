// The file or folder a Disk Usage action is about: a node of that view, or a `docker-volume:` URI.
import * as vscode from 'vscode';
import { VOLUME_SCHEME } from '../fs/volumeUri';
import { argObject } from './targets';

export interface UsageEntry {
  readonly uri: vscode.Uri;
  readonly kind: 'file' | 'folder';
  readonly path: string;
  readonly bytes: number;
  readonly entries: number;
}

export function usageEntry(arg: unknown): UsageEntry {
  const o = argObject(arg);
  const uri = o.uri instanceof vscode.Uri ? o.uri : arg instanceof vscode.Uri ? arg : undefined;
  if (!uri || uri.scheme !== VOLUME_SCHEME) throw new Error(vscode.l10n.t('Choose a file or folder in the Disk Usage view.'));
  const f = (o.folder ?? o.file) as { path?: string; bytes?: number; files?: number } | undefined;
  return { uri, kind: o.kind === 'folder' ? 'folder' : 'file', path: f?.path ?? uri.path, bytes: f?.bytes ?? 0, entries: o.kind === 'folder' ? f?.files ?? 0 : 1 };
}
