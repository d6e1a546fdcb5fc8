// Is a volume empty? Answered by a read-only peek helper and the first entries of its archive GET.
import type Dockerode from 'dockerode';
import type { IncomingMessage } from 'node:http';
import * as tar from 'tar-stream';
import { getArchive } from '../engine/volumeArchive';
import { createIdleHelper, removeHelper } from './helperContainers';

/**
 * True when the volume holds nothing but its root folder. Reads only the first entries of a GET and
 * then destroys the stream (an unfinished GET would keep the helper locked), so it is cheap on a big
 * volume.
 */
export async function volumeIsEmpty(docker: Dockerode, volumeName: string, extraLabels: Record<string, string> = {}, signal?: AbortSignal): Promise<boolean> {
  const helper = await createIdleHelper(docker, {
    purpose: 'peek',
    mounts: [{ source: volumeName, target: '/v', readOnly: true, type: 'volume' }],
    labels: extraLabels,
  });
  let res: IncomingMessage | undefined;
  try {
    res = await getArchive(docker, helper.id, '/v/.', signal);
    const extract = tar.extract();
    res.pipe(extract);
    let entries = 0;
    for await (const entry of extract) {
      const name = entry.header.name.replace(/^(\.\/)+|^\.$/, '');
      entry.resume();
      if (name !== '' && name !== './') return false;
      if (++entries > 1) return false;
    }
    return true;
  } finally {
    res?.destroy();
    await removeHelper(helper);
  }
}
