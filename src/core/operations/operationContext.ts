// The environment every data operation runs in (which engine, its lock key, the fast paths, the helper
// image, the helpers' labels), built once by the extension and once by the CLI, so that an operation's
// input says only what the operation is: `op(ctx, input, { signal, progress })`.
import type Dockerode from 'dockerode';
import type { FastPath } from './dataPath';

export interface OperationContext {
  /** The engine's client. */
  readonly docker: Dockerode;
  /** The engine's address: this process's lock queue is keyed by it (volumes of two engines may share a name). */
  readonly engineHost: string;
  /** What the fast paths may use (operations/dataPath.ts); undefined: the archive endpoints only. */
  readonly fastPath?: FastPath;
  /**
   * An image with a shell, never pulled, for the helpers that need one: emptying a used volume,
   * putting back setuid/setgid bits and times the engine's upload drops.
   */
  readonly helperImage?: string;
  /** Extra labels on every helper and lock the operation creates (tests mark theirs). */
  readonly helperLabels?: Readonly<Record<string, string>>;
}

/** A context for `docker`; what is not given is absent (no fast path, no helper image, lock key ''). */
export function operationContext(docker: Dockerode, env: Partial<Omit<OperationContext, 'docker'>> = {}): OperationContext {
  return { engineHost: '', ...env, docker };
}
