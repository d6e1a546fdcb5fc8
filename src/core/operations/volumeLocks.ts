// Serialises operations on the same volume inside this process (a backup and a restore of one volume
// must never interleave); operations on different volumes run in parallel. Several volumes (a clone's
// source and target) are taken in sorted order, so two operations can never wait on each other.

const tails = new Map<string, Promise<void>>();

/** Runs `fn` holding the locks of `keys`; waits for earlier holders; gives up waiting on abort. */
export async function withVolumeLocks<T>(keys: readonly string[], fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  const sorted = [...new Set(keys)].sort();
  const releases: (() => void)[] = [];
  try {
    for (const key of sorted) releases.push(await acquire(key, signal));
    return await fn();
  } finally {
    for (const r of releases.reverse()) r();
  }
}

async function acquire(key: string, signal?: AbortSignal): Promise<() => void> {
  signal?.throwIfAborted();
  const previous = tails.get(key) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((r) => (release = r));
  // Our turn comes after `previous`, even if we abort while waiting (then we release at once).
  const tail = previous.then(() => mine);
  tails.set(key, tail);
  const cleanup = () => {
    release();
    if (tails.get(key) === tail) tails.delete(key);
  };
  if (!signal) {
    await previous;
    return cleanup;
  }
  await new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      cleanup();
      reject(signal.reason instanceof Error ? signal.reason : new Error('Cancelled'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    previous.then(
      () => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) return; // onAbort already ran
        resolve();
      },
      () => undefined,
    );
  });
  return cleanup;
}

/** The lock key of a volume on an engine (two engines may have volumes of the same name). */
export function volumeKey(engineHost: string, volumeName: string): string {
  return `${engineHost}\u0000${volumeName}`;
}
