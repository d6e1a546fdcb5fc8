// The one home of the volume-name rule, for creating, restoring into and cloning to a volume, in the
// extension and the CLI alike: Docker's local driver takes ^[a-zA-Z0-9][a-zA-Z0-9_.-]+$ (two
// characters at least; checked against the real engine in test/core/volumeName.test.ts).
export const VOLUME_NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

export function isVolumeName(name: string): boolean {
  return VOLUME_NAME_PATTERN.test(name);
}

/** Why `name` cannot name a new volume, or undefined when it can. */
export function volumeNameProblem(name: string): string | undefined {
  if (!name) return 'A volume name is required.';
  if (!isVolumeName(name)) {
    return `"${name}" is not a valid volume name: use at least two of letters, digits, "_", "." and "-", starting with a letter or digit.`;
  }
  return undefined;
}
