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
  constructor(message: string, readonly reason: 'notFound' | 'exists' | 'notEmpty' | 'readOnly' | 'invalid' | 'inUse' | 'busy') {
    super(message);
    this.name = 'OperationRefusedError';
  }
}

/** The engine's connection broke in the middle of a stream (engine stopped, socket cut). */
export class EngineStreamError extends Error {
  constructor(what: string, detail: string, options?: { cause?: unknown }) {
    super(`The connection to the Docker engine broke during ${what.replace(/^The /, 'the ')} (${detail}).`, options);
    this.name = 'EngineStreamError';
  }
}

/** Rethrows `e`, or a CancelledError when the signal was aborted (whatever the stream said). */
export function cancelledOr(e: unknown, signal: AbortSignal | undefined, what: string): Error {
  if (signal?.aborted) return new CancelledError(what);
  const err = e instanceof Error ? e : new Error(String(e));
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'EPIPE' || /^aborted$|socket hang up|premature close/i.test(err.message)) {
    return new EngineStreamError(what, err.message, { cause: err });
  }
  return err;
}
