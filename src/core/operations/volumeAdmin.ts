// Creating and removing volumes. Removal refuses volumes in use (the engine does too; we say why),
// and removes exactly the volumes named, never "whatever is unused at that moment" as prune would.
import { call, EngineError, type Engine } from '../engine/engine';
import { createNewVolume, withEngineLocks } from './engineLocks';
import { msg } from '../message';
import { volumeNameProblem } from '../volumeName';

export async function createVolume(engine: Engine, name: string, labels: Record<string, string> = {}, driver = 'local'): Promise<string> {
  const problem = volumeNameProblem(name);
  if (problem) throw new EngineError(problem, 'badRequest');
  // Creating an existing name silently returns the existing volume: refuse instead, so nobody
  // believes they got an empty new volume.
  try {
    await call(() => engine.docker.getVolume(name).inspect());
    throw new EngineError(msg('volume.exists', { name }), 'conflict');
  } catch (e) {
    if ((e as EngineError).kind !== 'notFound') throw e;
  }
  await createNewVolume(engine.docker, { Name: name, Driver: driver, Labels: labels });
  return name;
}

/** Removes one volume, holding its engine lock: never under a restore, clone or backup of another process. */
export async function removeVolume(engine: Engine, name: string): Promise<void> {
  await withEngineLocks(engine.docker, [{ volume: name, mode: 'write' }], { operation: msg('lockOp.removal') }, async () => {
    try {
      await call(() => engine.docker.getVolume(name).remove());
    } catch (e) {
      if ((e as EngineError).kind === 'conflict') {
        throw new EngineError(msg('volume.inUse', { name }), 'conflict', 409, { cause: e });
      }
      throw e;
    }
  });
}

/** Removes each named volume; reports per volume, never stops at the first failure. */
export async function removeVolumes(
  engine: Engine,
  names: readonly string[],
  signal?: AbortSignal,
): Promise<{ removed: string[]; failed: { name: string; reason: string }[] }> {
  const removed: string[] = [];
  const failed: { name: string; reason: string }[] = [];
  for (const name of names) {
    if (signal?.aborted) break;
    try {
      await removeVolume(engine, name);
      removed.push(name);
    } catch (e) {
      failed.push({ name, reason: (e as Error).message });
    }
  }
  return { removed, failed };
}
