// The `docker-volume:` URI: `docker-volume://<engine-id>[+ro]/<volume>/<path>`. The engine id is a
// stable hash of the engine's address (engineIdOf), so a reloaded window reopens the same folder on
// the same engine; `+ro` opens the volume through a read-only mount. Volume names never contain `/`.
import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import type { EngineEndpoint } from '../core/engine/engineConfig';

export const VOLUME_SCHEME = 'docker-volume';

/** A stable short id for an engine endpoint, used in `docker-volume://<id>/...` URIs. */
export function engineIdOf(endpoint: Pick<EngineEndpoint, 'host'>): string {
  return 'e' + createHash('sha256').update(endpoint.host).digest('hex').slice(0, 12);
}

export interface VolumeLocation {
  readonly engineId: string;
  readonly readOnly: boolean;
  readonly volume: string;
  /** Path inside the volume, `/` for its root. */
  readonly path: string;
}

export function volumeUri(engineId: string, volume: string, opts: { readOnly?: boolean; path?: string } = {}): vscode.Uri {
  const p = opts.path && opts.path !== '/' ? opts.path : '';
  return vscode.Uri.from({ scheme: VOLUME_SCHEME, authority: `${engineId}${opts.readOnly ? '+ro' : ''}`, path: `/${volume}${p}` });
}

/** One open volume's key: engine, volume and whether it is opened read-only (one helper each). */
export function volumeSessionKey(loc: VolumeLocation): string {
  return `${loc.engineId}${loc.readOnly ? '+ro' : ''}/${loc.volume}`;
}

export function parseVolumeUri(uri: vscode.Uri): VolumeLocation {
  const m = /^\/([^/]+)(\/[\s\S]*)?$/.exec(uri.path); // names may hold newlines
  if (uri.scheme !== VOLUME_SCHEME || !m) throw vscode.FileSystemError.FileNotFound(uri);
  const readOnly = uri.authority.endsWith('+ro');
  const engineId = readOnly ? uri.authority.slice(0, -3) : uri.authority;
  const rest = (m[2] ?? '/').replace(/\/+$/, '') || '/';
  return { engineId, readOnly, volume: m[1], path: rest };
}
