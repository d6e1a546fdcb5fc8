// Which images a shell helper may run (configured, then local busybox/alpine; nothing is pulled):
// the one place helper images are discovered, for volume files, the fast paths and the CLI.
import type Dockerode from 'dockerode';
import { call } from '../engine/engine';

/**
 * The images a shell helper may run, best first: the one configured (containerVolumes.helperImage,
 * the CLI's --helper-image), then the local ones.
 */
export async function helperImageCandidates(docker: Dockerode, configured?: string): Promise<string[]> {
  const mine = configured?.trim();
  return [...(mine ? [mine] : []), ...(await localHelperImages(docker))];
}

/** Local images that can serve as a shell helper, best first: busybox, then alpine. */
async function localHelperImages(docker: Dockerode): Promise<string[]> {
  const images = await call(() => docker.listImages());
  const tags = images.flatMap((i) => i.RepoTags ?? []).filter((t) => t !== '<none>:<none>');
  const rank = (t: string): number => {
    const repo = t.slice(0, t.lastIndexOf(':')).replace(/^(docker\.io\/)?(library\/)?/, '');
    const base = repo.slice(repo.lastIndexOf('/') + 1);
    // Official images first; then any image named busybox/alpine (the probe checks what it has).
    return repo === 'busybox' ? 0 : repo === 'alpine' ? 1 : base === 'busybox' ? 2 : base === 'alpine' ? 3 : -1;
  };
  return tags.filter((t) => rank(t) >= 0).sort((a, b) => rank(a) - rank(b) || (a.endsWith(':latest') ? -1 : 1));
}
