// The volume file system's one error type: a code the VS Code layer maps to a FileSystemError kind
// (never by reading the text), the volume path, and the reason as a message code.
import { type CodedError, type Message, msg } from '../message';

export type VolumeFsErrorCode = 'FileNotFound' | 'FileExists' | 'FileNotADirectory' | 'FileIsADirectory' | 'NoPermissions' | 'Unavailable';

/** What a shell-only operation is, for the message that it needs a shell. */
export type FsOp = 'delete' | 'rename' | 'copy' | 'list' | 'search' | 'diskUsage';

export class VolumeFsError extends Error implements CodedError {
  readonly text: Message;
  /** `reason`: why, without the path (the VS Code layer puts its own URI's path in front). */
  constructor(
    readonly code: VolumeFsErrorCode,
    readonly path: string,
    readonly reason: Message,
    options?: { cause?: unknown },
  ) {
    const text = msg('fs.error', { path, reason });
    super(text.toString(), options);
    this.text = text;
    this.name = 'VolumeFsError';
  }
}

/** The error of an operation that only a helper with a shell can do (the archive backend has none). */
export function needsShell(vp: string, op: FsOp): VolumeFsError {
  return new VolumeFsError('Unavailable', vp, msg('fs.needsShell', { op: msg(`fs.op.${op}`) }));
}
