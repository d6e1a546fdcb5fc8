// One cleanup stack per operation instead of nested catch/finally: what it must undo or release
// (start stopped containers, remove helpers and temporary files, destroy streams) is deferred as it
// is acquired and runs in reverse order at the end, on success, failure and cancel alike.

/** A deferred step. `failure` is the operation's error when it failed (a step may amend it), else undefined. */
export type CleanupStep = (failure: Error | undefined) => unknown;

/** The original error of a failed operation, with the errors its cleanup steps threw meanwhile. */
export interface WithSuppressed {
  suppressed?: unknown[];
}

export class Cleanup {
  private readonly steps: CleanupStep[] = [];

  /**
   * Runs `step` at the end (after the steps deferred later). Returns a handle that runs it now
   * instead, once (containers started again as soon as the engine is done with the volume): its
   * error then goes to the caller, as any error of the operation's own.
   */
  defer(step: CleanupStep): () => Promise<void> {
    this.steps.push(step);
    return async () => {
      const i = this.steps.lastIndexOf(step);
      if (i < 0) return;
      this.steps.splice(i, 1);
      await step(undefined);
    };
  }

  /** Runs `step` at the end only when the operation failed or was cancelled (undo what it made). */
  onFailure(step: (failure: Error) => unknown): void {
    this.defer((failure) => (failure ? step(failure) : undefined));
  }

  /**
   * Runs every step not yet run, the last deferred first, each even when one before it threw (the
   * operation's signal may be aborted: steps do not take it). Returns the errors the steps threw.
   */
  async run(failure?: Error): Promise<unknown[]> {
    const errors: unknown[] = [];
    for (let step = this.steps.pop(); step; step = this.steps.pop()) {
      try {
        await step(failure);
      } catch (e) {
        errors.push(e);
      }
    }
    return errors;
  }
}

/**
 * Runs `body` with a cleanup stack and then the stack. On failure the error thrown is the body's
 * (mapped by `failed`, e.g. into a CancelledError, before the steps see it), with the steps' own
 * errors in its `suppressed`; on success a step's error is thrown (several: an AggregateError).
 */
export async function withCleanup<T>(body: (cleanup: Cleanup) => Promise<T>, failed: (e: unknown) => Error = asError): Promise<T> {
  const cleanup = new Cleanup();
  let result: T;
  try {
    result = await body(cleanup);
  } catch (e) {
    const err = failed(e);
    const errors = await cleanup.run(err);
    if (errors.length) (err as WithSuppressed).suppressed = [...((err as WithSuppressed).suppressed ?? []), ...errors];
    throw err;
  }
  const errors = await cleanup.run();
  if (errors.length === 1) throw asError(errors[0]);
  if (errors.length) throw new AggregateError(errors, 'cleanup failed');
  return result;
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}
