// The engine's event stream as hints: which kind of object changed. Callers debounce and reload;
// nothing here tries to patch a model from events (a volume `prune` sends no `destroy`, Podman names
// volumes in Attributes and says `remove`, and streams drop events across reconnects).
import { call, type Engine } from './engine';
import { CoreError, msg } from '../message';

export interface EngineEvent {
  readonly type: 'container' | 'volume';
  readonly action: string;
  readonly id: string;
}

/** The actions that change what the views show. */
export const CONTAINER_ACTIONS = ['create', 'destroy', 'remove', 'start', 'stop', 'die', 'rename', 'pause', 'unpause', 'kill'];
export const VOLUME_ACTIONS = ['create', 'destroy', 'remove', 'mount', 'unmount', 'prune'];

/**
 * Streams events until the signal aborts (resolves) or the stream breaks (rejects with an
 * EngineError). dockerode has no reconnect: the caller re-subscribes with backoff and resyncs.
 */
export async function watchEvents(engine: Engine, onEvent: (e: EngineEvent) => void, signal: AbortSignal): Promise<void> {
  const stream = (await call(() =>
    engine.docker.getEvents({
      filters: { type: ['container', 'volume'] },
      abortSignal: signal,
    } as Parameters<typeof engine.docker.getEvents>[0]),
  )) as NodeJS.ReadableStream & { destroy(): void };
  const onAbort = () => stream.destroy();
  signal.addEventListener('abort', onAbort, { once: true });
  let buffered = '';
  try {
    await new Promise<void>((resolve, reject) => {
      stream.on('data', (chunk: Buffer) => {
        buffered += chunk.toString('utf8');
        let nl: number;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, nl).trim();
          buffered = buffered.slice(nl + 1);
          const e = parseEvent(line);
          if (e) onEvent(e);
        }
      });
      stream.on('end', () => (signal.aborted ? resolve() : reject(new CoreError(msg('engine.eventsClosed')))));
      stream.on('close', () => (signal.aborted ? resolve() : reject(new CoreError(msg('engine.eventsClosed')))));
      stream.on('error', (err: Error) => (signal.aborted ? resolve() : reject(err)));
    });
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

export function parseEvent(line: string): EngineEvent | undefined {
  if (!line) return undefined;
  let raw: { Type?: string; Action?: string; status?: string; Actor?: { ID?: string; Attributes?: Record<string, string> } };
  try {
    raw = JSON.parse(line) as typeof raw;
  } catch {
    return undefined;
  }
  const type = raw.Type;
  const action = (raw.Action ?? raw.status ?? '').split(':')[0];
  if (type === 'container' && CONTAINER_ACTIONS.includes(action)) {
    return { type, action, id: raw.Actor?.ID ?? '' };
  }
  if (type === 'volume' && VOLUME_ACTIONS.includes(action)) {
    return { type, action, id: raw.Actor?.ID || raw.Actor?.Attributes?.name || '' };
  }
  return undefined;
}
