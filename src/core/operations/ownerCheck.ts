// After a restore: the owners stored in the volume compared with the archive's (archive/ownerRecord.ts),
// listed by `find` and `stat` in a helper. An engine that cannot give an id (one beyond a rootless
// engine's user namespace range) may store another one without an error; the restore then fails.
import type Dockerode from 'dockerode';
import { PassThrough } from 'node:stream';
import type { OwnerRecord } from '../archive/ownerRecord';
import { tarImage } from '../helpers/execTar';
import { execIn } from '../helpers/helperExec';
import { removeHelper, startShellHelper } from '../helpers/helperContainers';
import { HelperCommandError } from '../helpers/workHelpers';
import { CoreError, msg } from '../message';

/**
 * $1's entries as `find . -print0` names them, one more NUL, then "uid:gid" per name in the same
 * order (`stat` without -L: a symlink's own owner). Names go NUL-separated (a name may hold a newline).
 */
export const OWNER_LISTING = ['cd "$1" || exit 1', 'find . -print0 || exit 1', "printf '\\0'", 'find . -print0 | xargs -0 -r stat -c %u:%g'].join('\n');

/** Throws the restore's error when the listing's owners are not the archive's. */
export function ownersMatch(record: OwnerRecord, listing: Buffer, prefix: string): void {
  const { count, examples } = record.compare(listing, prefix);
  if (!count) return;
  throw new CoreError(
    msg('restore.ownersChanged', {
      count,
      examples: examples.map((e) => `${e.path}: ${e.wanted} -> ${e.got}`).join('; '),
    }),
  );
}

function listingOf(r: { code: number; stdout: Buffer; stderr: string }): Buffer {
  if (r.code !== 0) {
    throw new HelperCommandError(msg('work.commandFailed', { command: 'find/stat', code: r.code, output: r.stderr.trim().slice(-400) }), r.code);
  }
  return r.stdout;
}

/** In a running helper (exec tar's) where the volume is at `dir`. */
export async function checkOwnersIn(c: Dockerode.Container, dir: string, record: OwnerRecord, prefix: string, signal?: AbortSignal): Promise<void> {
  ownersMatch(record, listingOf(await execIn(c, ['sh', '-c', OWNER_LISTING, 'owners', dir], { signal })), prefix);
}

/** The owner check of a volume being written, prepared in a helper of its own (see startOwnerCheck). */
export interface PendingOwnerCheck {
  /** Lists and compares (restore.ownersChanged on a difference); nothing when no image with a shell and tar was found. */
  run(record: OwnerRecord, prefix: string, signal?: AbortSignal): Promise<void>;
  /** Removes the helper; call it whether or not run was. */
  dispose(): Promise<void>;
}

/**
 * Starts, while the restore still writes, a helper from an image with a shell and tar (the configured
 * one, else a local busybox/alpine) with the volume mounted read-only, and in it the listing's exec,
 * which waits for one line on its input: after the write, that line is all it takes (neither a
 * helper's start nor an exec's, ~0.1 s, is left on the restore's path).
 */
export function startOwnerCheck(
  docker: Dockerode,
  volume: string,
  env: { readonly helperImage?: string; readonly helperLabels?: Readonly<Record<string, string>> },
): PendingOwnerCheck {
  const helper = (async () => {
    const image = await tarImage(docker, env.helperImage, env.helperLabels);
    if (!image) return undefined;
    return startShellHelper(docker, image.image, {
      purpose: 'owners',
      mounts: [{ source: volume, target: '/v', readOnly: true, type: 'volume' }],
      labels: env.helperLabels,
    });
  })();
  const go = new PassThrough();
  const listing = helper.then((c) => c && execIn(c, ['sh', '-c', `read -r go || exit 9\n${OWNER_LISTING}`, 'owners', '/v'], { stdin: go }));
  // Awaited by run or dispose; never an unhandled rejection if the write fails first.
  helper.catch(() => undefined);
  listing.catch(() => undefined);
  return {
    async run(record, prefix, signal) {
      if (!(await helper)) return;
      go.end('go\n');
      const r = await untilAborted(listing, signal);
      if (r) ownersMatch(record, listingOf(r), prefix);
    },
    async dispose() {
      go.end(); // the listing's exec, if never told to go, ends on its own
      const c = await helper.catch(() => undefined);
      if (c) await removeHelper(c);
    },
  };
}

/** `p`, or the signal's reason as soon as it aborts (what `p` runs in goes with its helper). */
function untilAborted<T>(p: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return p;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
