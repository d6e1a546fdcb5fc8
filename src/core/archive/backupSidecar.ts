// The JSON written beside every backup (`<archive>.json`): what a restore needs (volume name, driver,
// labels, where the contents sit in the archive) and what verification checks (entries, bytes,
// sha256 of the archive file as written).
import { readFile } from 'node:fs/promises';
import type { ArchiveFormat } from './archiveFormat';
import { CoreError, msg } from '../message';

export const SIDECAR_KIND = 'container-volumes-backup';

export interface BackupSidecar {
  readonly kind: typeof SIDECAR_KIND;
  readonly version: 1;
  readonly createdAt: string;
  readonly format: ArchiveFormat;
  readonly volume: { readonly name: string; readonly driver: string; readonly labels: Record<string, string> };
  /** For a container mount's backup: the container and the path its entries sit under (`/logs` -> `logs/`). */
  readonly source?: { readonly container: string; readonly path: string };
  /** Folder the volume's contents sit under in the archive ('' = the archive root). */
  readonly prefix: string;
  readonly entryCount: number;
  /** Sum of regular files' sizes. */
  readonly contentBytes: number;
  /** Size of the plain (decompressed) tar. */
  readonly tarBytes: number;
  /** Size and sha256 of the archive file itself. */
  readonly archiveBytes: number;
  readonly sha256: string;
}

export function sidecarPath(archive: string): string {
  return `${archive}.json`;
}

export class SidecarError extends CoreError {}

/** Reads the sidecar of an archive; undefined when there is none. A malformed one is an error. */
export async function readSidecar(archive: string): Promise<BackupSidecar | undefined> {
  let text: string;
  try {
    text = await readFile(sidecarPath(archive), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  let j: Partial<BackupSidecar>;
  try {
    j = JSON.parse(text) as Partial<BackupSidecar>;
  } catch {
    throw new SidecarError(msg('sidecar.notJson', { file: sidecarPath(archive) }));
  }
  if (j.kind !== SIDECAR_KIND || typeof j.sha256 !== 'string' || typeof j.entryCount !== 'number' || typeof j.volume?.name !== 'string') {
    throw new SidecarError(msg('sidecar.notOurs', { file: sidecarPath(archive) }));
  }
  return { ...j, prefix: typeof j.prefix === 'string' ? j.prefix : '' } as BackupSidecar;
}
