// Puts back the setuid and setgid bits of regular files that the engine's PUT /archive drops, with
// one chmod in a helper that has a shell; without one, the restore succeeds with a warning.
// Design notes: docs/data-operations.md#srccoreoperationsmoderepairts
import type Dockerode from 'dockerode';
import type { TarHeader } from '../archive/tarWalker';
import { imageExists, runShellHelper } from '../helpers/helperContainers';
import { shellQuote as quote } from '../helpers/helperExec';
import { entryComponents } from '../archive/tarSafety';
import { type Message, msg } from '../message';

const MAX_TRACKED = 5000;

export class SpecialModes {
  readonly entries: { path: string; mode: number }[] = [];
  overflow = false;

  constructor(private readonly prefix: string) {}

  /** Call for every header of the archive being restored. */
  note(h: TarHeader): void {
    if (h.type !== 'file' && h.type !== 'contiguous-file') return;
    if (((h.mode ?? 0) & 0o6000) === 0) return;
    if (this.entries.length >= MAX_TRACKED) {
      this.overflow = true;
      return;
    }
    const parts = entryComponents(h.name);
    const pre = this.prefix ? this.prefix.split('/') : [];
    if (!pre.every((p, i) => parts[i] === p)) return;
    this.entries.push({ path: parts.slice(pre.length).join('/'), mode: (h.mode ?? 0) & 0o7777 });
  }
}

/** Puts the bits back; returns a warning when it cannot. */
export async function repairSpecialModes(
  docker: Dockerode,
  volumeName: string,
  modes: SpecialModes,
  helperImage: string | undefined,
  labels?: Record<string, string>,
  signal?: AbortSignal,
): Promise<Message | undefined> {
  if (modes.entries.length === 0) return undefined;
  const names =
    modes.entries
      .slice(0, 5)
      .map((e) => e.path)
      .join(', ') + (modes.entries.length > 5 ? ', …' : '');
  if (!helperImage || !(await imageExists(docker, helperImage))) {
    return msg('modes.lost', { count: modes.entries.length, names });
  }
  const script = ['set -e', ...modes.entries.map((e) => `chmod ${e.mode.toString(8)} ${quote(`/v/${e.path}`)}`)].join('\n');
  await runShellHelper(docker, helperImage, { purpose: 'chmod', mounts: [{ source: volumeName, target: '/v', type: 'volume' }], labels }, script, signal);
  return modes.overflow ? msg('modes.overflow', { max: MAX_TRACKED }) : undefined;
}
