// A volume's contents as one plain tar stream over the engine's API, read or written the way the stream
// path says (dataPath.ts chooseStreamPath): the archive endpoints, or `tar` by exec in a helper.
import type Dockerode from 'dockerode';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { tarIn, tarOut } from '../helpers/execTar';
import { createIdleHelper, type HelperSpec, startShellHelper } from '../helpers/helperContainers';
import { getArchive, putArchive } from '../engine/volumeArchive';
import type { StreamPath } from './dataPath';

/** A tar stream read from a helper's mounts. */
export interface VolumeTar {
  /** Read it to its end, or destroy it (an unfinished archive GET holds the helper's lock). */
  readonly stream: Readable;
  /** Once the stream has ended: rejects when what produced it failed (exec tar's exit code and stderr). */
  finished(): Promise<void>;
}

/**
 * The helper the path reads or writes through: created and never started for the archive
 * endpoints, running its image for exec tar. Removed by the caller (removeHelper) either way.
 */
export async function streamHelper(docker: Dockerode, via: StreamPath, spec: HelperSpec): Promise<Dockerode.Container> {
  return via.kind === 'exec-tar' ? startShellHelper(docker, via.image, spec) : createIdleHelper(docker, spec);
}

/**
 * What GET /containers/{id}/archive?path=`at` gives (`/v/.`: the folder's contents as `./x`; `/logs`:
 * the folder itself as `logs/...`), from the helper made by streamHelper.
 */
export async function readVolumeTar(docker: Dockerode, via: StreamPath, helper: Dockerode.Container, at: string, signal?: AbortSignal): Promise<VolumeTar> {
  if (via.kind === 'archive-endpoint') {
    const res = await getArchive(docker, helper.id, at, signal);
    return { stream: res, finished: () => Promise.resolve() };
  }
  const [dir, name] = at.endsWith('/.') ? [at.slice(0, -2) || '/', '.'] : [path.posix.dirname(at), path.posix.basename(at)];
  return tarOut(helper, dir, [name], signal);
}

/** Extracts the plain tar `body` into the folder `dir` of the helper made by streamHelper. */
export async function writeVolumeTar(
  docker: Dockerode,
  via: StreamPath,
  helper: Dockerode.Container,
  dir: string,
  body: Readable,
  signal?: AbortSignal,
): Promise<void> {
  if (via.kind === 'archive-endpoint') return putArchive(docker, helper.id, dir, body, signal);
  return tarIn(helper, dir, body, { gnu: via.gnuTar, signal });
}
