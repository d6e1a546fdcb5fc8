// Errors of the data operations that a caller (command, CLI) tells apart: each carries one clear
// sentence for the user.

export class CancelledError extends Error {
  constructor(what: string) {
    super(`${what} was cancelled; nothing was left behind.`);
    this.name = 'CancelledError';
  }
}

/** Bad input: a missing volume, an existing file, a non-empty target without replace ... Nothing was changed. */
export class OperationRefusedError extends Error {
  constructor(message: string, readonly reason: 'notFound' | 'exists' | 'notEmpty' | 'readOnly' | 'invalid' | 'inUse') {
    super(message);
    this.name = 'OperationRefusedError';
  }
}

/** Rethrows `e`, or a CancelledError when the signal was aborted (whatever the stream said). */
export function cancelledOr(e: unknown, signal: AbortSignal | undefined, what: string): Error {
  if (signal?.aborted) return new CancelledError(what);
  return e instanceof Error ? e : new Error(String(e));
}
