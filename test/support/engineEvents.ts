// The engine's record of what happened to a suite's containers, in the engine's order: which helper
// was removed before which container started again (the orders the data operations promise).
import type Dockerode from 'dockerode';
import { HELPER_LABEL, TEST_LABEL } from '../../src/core/engine/engine';

export interface ContainerEvent {
  readonly action: string;
  readonly id: string;
  /** The helper's purpose (its HELPER_LABEL), for the helpers an operation makes. */
  readonly helper?: string;
}

/** `start` and `destroy` of the suite's containers since `sinceMs` (a Date.now()), oldest first. */
export async function containerEvents(docker: Dockerode, suite: string, sinceMs: number): Promise<ContainerEvent[]> {
  const stream = await docker.getEvents({
    since: sinceMs / 1000,
    until: Math.ceil(Date.now() / 1000) + 1,
    filters: { type: ['container'], event: ['start', 'destroy'], label: [`${TEST_LABEL}=${suite}`] },
  });
  const chunks: Buffer[] = [];
  for await (const c of stream as AsyncIterable<Buffer>) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks)
    .toString()
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { Action: string; Actor: { ID: string; Attributes?: Record<string, string> } })
    .map((e) => ({ action: e.Action, id: e.Actor.ID, helper: e.Actor.Attributes?.[HELPER_LABEL] }));
}

/**
 * The removals of the helpers for `purpose` and the starts of container `id`, in order: e.g.
 * ['backup removed', 'started'] when the backup's helper was gone before the container started again.
 */
export function removedAndStarted(events: readonly ContainerEvent[], purpose: string, id: string): string[] {
  return events.flatMap((e) => {
    if (e.action === 'destroy' && e.helper === purpose) return [`${purpose} removed`];
    if (e.action === 'start' && e.id === id) return ['started'];
    return [];
  });
}
