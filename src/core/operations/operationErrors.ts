// Errors of the data operations that a caller (command, CLI) tells apart: each carries one clear
// sentence for the user.
import { type CodedError, type Message, msg } from '../message';

export class CancelledError extends Error implements CodedError {
  readonly text: Message;
  /** `what`: the operation (`op.backup` …), or the whole sentence when `whole` is set. */
  constructor(what: Message, whole = false) {
    const text = whole ? what : msg('op.cancelled', { what });
    super(text.toString());
    this.text = text;
    this.name = 'CancelledError';
  }
}

/** Bad input: a missing volume, an existing file, a non-empty target without replace … Nothing was changed. */
export class OperationRefusedError extends Error implements CodedError {
  constructor(
    readonly text: Message,
    readonly reason: 'notFound' | 'exists' | 'notEmpty' | 'readOnly' | 'invalid' | 'inUse' | 'busy',
  ) {
    super(text.toString());
    this.name = 'OperationRefusedError';
  }
}

/** The engine's connection broke in the middle of a stream (engine stopped, socket cut). */
export class EngineStreamError extends Error implements CodedError {
  readonly text: Message;
  constructor(what: Message, detail: string, options?: { cause?: unknown }) {
    const text = msg('op.streamBroke', { what, detail });
    super(text.toString(), options);
    this.text = text;
    this.name = 'EngineStreamError';
  }
}

/** Rethrows `e`, or a CancelledError when the signal was aborted (whatever the stream said). */
export function cancelledOr(e: unknown, signal: AbortSignal | undefined, what: Message): Error {
  if (signal?.aborted) return new CancelledError(what);
  const err = e instanceof Error ? e : new Error(String(e));
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'EPIPE' || /^aborted$|socket hang up|premature close/i.test(err.message)) {
    return new EngineStreamError(what, err.message, { cause: err });
  }
  return err;
}
