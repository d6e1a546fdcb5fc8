// The one home of the volume-name rule, for creating, restoring into and cloning to a volume, in the
// extension and the CLI alike: Docker's local driver takes ^[a-zA-Z0-9][a-zA-Z0-9_.-]+$ (two
// characters at least; checked against the real engine in test/core/volumeName.test.ts).
import { msg, type Message } from './message';

export const VOLUME_NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

export function isVolumeName(name: string): boolean {
  return VOLUME_NAME_PATTERN.test(name);
}

/** Why `name` cannot name a new volume, or undefined when it can. */
export function volumeNameProblem(name: string): Message | undefined {
  if (!name) return msg('volume.nameRequired');
  if (!isVolumeName(name)) return msg('volume.nameRule', { name });
  return undefined;
}
