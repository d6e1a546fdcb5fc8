// A copy's check on the target engine without reading the volume back: a helper there lists every entry
// (find, stat, readlink, sha256sum) and the listing gives the digest ContentDigest gave of the stream sent.
// Design notes: docs/data-operations.md#srccoreoperationstargetcheckts
import type Dockerode from 'dockerode';
import { DigestSum, type DigestEntry, type DigestResult, rootLine } from '../archive/contentDigest';
import type { EntryType } from '../archive/tarReader';
import { execIn, execStream } from '../helpers/helperExec';
import { removeHelper, startShellHelper } from '../helpers/helperContainers';
import { helperImageCandidates } from '../helpers/helperImages';
import { HelperCommandError } from '../helpers/workHelpers';
import { CoreError, msg } from '../message';

/** What the check needs in the image (busybox and alpine have all of it). */
const PROBE =
  'for c in find stat sha256sum xargs readlink cat rm mkdir; do command -v "$c" >/dev/null || exit 3; done; stat -c "%f %i %h %t %T %Y" / >/dev/null || exit 3';

/**
 * The listing, on standard output (every name from `find .`: "." or "./...", never empty):
 *  1. every entry's name but sockets (tar skips them), each ended by NUL, then an empty one;
 *  2. one line per name in that order: mode (hex, with the type bits), uid, gid, size, mtime, inode,
 *     links, device major and minor (hex), and the name again (checked: the lines follow the names);
 *  3. each symlink's name and target (readlink's, with its newline), each ended by NUL, then an empty one;
 *  4. the regular files' sha256 in batches: "B", the count and the names, each ended by NUL, then
 *     sha256sum's line for each, in order (busybox prints names raw: they are known, so no ambiguity).
 * Files over 1 MiB are hashed one per batch by two jobs that share them out (a `mkdir` claims each:
 * atomic), each writing to its own file in the helper's /tmp, printed after both are done; smaller
 * files 200 at a time after that. Each batch writes "+n" on standard error when done (progress). The
 * check runs after the upload, when the cores are free: measured on the 600 MiB bench volume, 4.2 s
 * with one job, 2.65 s with two. Without a writable /tmp or `read -d` (not busybox or bash) one job
 * hashes them all. No `xargs -P`: busybox 1.35's passed one argument too many; its `xargs -0` reading
 * a file (not a pipe) split names past 5,000 of them, so every list goes to xargs through a pipe.
 */
const LISTING = [
  'cd /v || exit 4',
  "find . ! -type s -print0 && printf '\\0' || exit 5",
  `find . ! -type s -print0 | xargs -0 stat -c '%f %u %g %s %Y %i %h %t %T %n' -- || exit 5`,
  `find . -type l -print0 | xargs -0 -r sh -c 'for l; do printf "%s\\0" "$l"; readlink -- "$l" || exit 1; printf "\\0"; done' sh || exit 5`,
  `printf '\\0'`,
  `b='printf "B\\0%s\\0" "$#"; printf "%s\\0" "$@"; sha256sum -- "$@" || exit 1; echo "+$#" >&2'`,
  `if t=$(mktemp -d 2>/dev/null) && printf 'x\\0' | { IFS= read -r -d '' v && [ "$v" = x ]; } 2>/dev/null; then`,
  `  find . -type f -size +1024k -print0 > "$t/big" || exit 5`,
  `  job() { n=0; while IFS= read -r -d '' f; do if mkdir "$t/c.$n" 2>/dev/null; then sh -c "$b" sh "$f" > "$t/o.$n" || return 1; fi; n=$((n+1)); done < "$t/big"; }`,
  '  job & p=$!',
  '  job || exit 6',
  '  wait $p || exit 6',
  '  n=0; while [ -d "$t/c.$n" ]; do cat "$t/o.$n" || exit 6; n=$((n+1)); done',
  '  rm -rf "$t"',
  'else',
  '  find . -type f -size +1024k -print0 | xargs -0 -r -n 1 sh -c "$b" sh || exit 6',
  'fi',
  'find . -type f ! -size +1024k -print0 | xargs -0 -r -n 200 sh -c "$b" sh || exit 6',
].join('\n');

/** A running helper on the target with the volume read-only at /v and the tools the listing needs. */
export interface TargetChecker {
  readonly container: Dockerode.Container;
  readonly image: string;
}

/**
 * Starts the check helper (the configured image, then local busybox/alpine; nothing is pulled) and
 * probes it; undefined when no image has what the listing needs. The caller removes the helper.
 */
export async function startTargetChecker(
  docker: Dockerode,
  volume: string,
  configured: string | undefined,
  labels: Readonly<Record<string, string>> | undefined,
  onStarted: (c: Dockerode.Container) => void,
): Promise<TargetChecker | undefined> {
  for (const image of await helperImageCandidates(docker, configured)) {
    let c: Dockerode.Container;
    try {
      c = await startShellHelper(docker, image, { purpose: 'copy-check', mounts: [{ source: volume, target: '/v', readOnly: true, type: 'volume' }], labels });
    } catch {
      continue; // not on this engine, or no shell in it
    }
    onStarted(c);
    const ok = await execIn(c, ['sh', '-c', PROBE]).then(
      (r) => r.code === 0,
      () => false,
    );
    if (ok) return { container: c, image };
    await removeHelper(c);
  }
  return undefined;
}

/**
 * The digest of the volume as the helper lists it: what ContentDigest gives of a tar of it (entries
 * but the root, content bytes once per inode, hard links as files with their inode's content, grouped
 * by inode). `onHashed(n)`: n more regular files hashed.
 */
export async function listTarget(checker: TargetChecker, opts: { signal?: AbortSignal; onHashed?: (n: number) => void }): Promise<DigestResult> {
  const out: Buffer[] = [];
  let errTail = '';
  const r = await execStream(checker.container, ['sh', '-c', LISTING], {
    signal: opts.signal,
    onStdout: (b) => out.push(Buffer.from(b)),
    onStderr: (b) => {
      const text = errTail + b.toString('latin1');
      const lines = text.split('\n');
      errTail = lines.pop() ?? '';
      for (const l of lines) if (/^\+\d+$/.test(l)) opts.onHashed?.(Number(l.slice(1)));
    },
  });
  if (r.code !== 0) {
    const said = r.stderr
      .split('\n')
      .filter((l) => !/^\+\d+$/.test(l))
      .join('\n')
      .trim()
      .slice(-400);
    throw new HelperCommandError(msg('work.commandFailed', { command: 'find / stat / sha256sum', code: r.code, output: said }), r.code);
  }
  return digestOfListing(Buffer.concat(out));
}

const TYPES: Record<number, EntryType> = {
  0o100000: 'file',
  0o040000: 'directory',
  0o120000: 'symlink',
  0o020000: 'character-device',
  0o060000: 'block-device',
  0o010000: 'fifo',
};

interface Listed {
  readonly name: string;
  readonly type: EntryType;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
  readonly mtime: number;
  readonly inode: number;
  readonly links: number;
  readonly major: number;
  readonly minor: number;
}

/** The digest of the script's output (listingScript); throws on output it does not expect. */
export function digestOfListing(buf: Buffer): DigestResult {
  let pos = 0;
  const bad = (what: string): never => {
    throw new CoreError(msg('copy.listingUnreadable', { what, at: pos }));
  };
  const item = (): string => {
    const z = buf.indexOf(0, pos);
    if (z < 0) bad('NUL');
    const s = buf.toString('latin1', pos, z);
    pos = z + 1;
    return s;
  };
  const names: string[] = [];
  for (let n = item(); n !== ''; n = item()) names.push(n);
  const entries: Listed[] = names.map((name) => {
    const end = ` ${name}\n`;
    const nl = buf.indexOf(end, pos, 'latin1');
    if (nl < 0) bad('stat');
    const f = buf.toString('latin1', pos, nl).split(' ');
    pos = nl + Buffer.byteLength(end, 'latin1');
    if (f.length !== 9 || !f.every((x) => /^-?[0-9a-f]+$/.test(x))) bad('stat');
    const [mode, uid, gid, size, mtime, inode, links] = [parseInt(f[0], 16), ...f.slice(1, 7).map(Number)];
    const type = TYPES[mode & 0o170000] ?? bad(`type ${f[0]}`);
    return { name, type, mode, uid, gid, size, mtime, inode, links, major: parseInt(f[7], 16), minor: parseInt(f[8], 16) };
  });
  const targets = new Map<string, string>();
  for (let n = item(); n !== ''; n = item()) {
    const t = item();
    if (!t.endsWith('\n')) bad('readlink');
    targets.set(n, t.slice(0, -1));
  }
  const hashes = new Map<string, string>();
  while (pos < buf.length) {
    if (item() !== 'B') bad('batch');
    const count = Number(item());
    if (!Number.isSafeInteger(count) || count < 1) bad('batch');
    const batch: string[] = [];
    for (let i = 0; i < count; i++) batch.push(item());
    for (const name of batch) {
      const line = buf.toString('latin1', pos, pos + 66 + name.length + 1);
      if (!/^[0-9a-f]{64} {2}/.test(line) || line.slice(66) !== `${name}\n`) bad('sha256sum');
      hashes.set(name, line.slice(0, 64));
      pos += line.length;
    }
  }

  const sum = new DigestSum();
  let root: string | undefined;
  let contentBytes = 0;
  const inodes = new Map<number, string>();
  for (const e of entries) {
    if (e.name === '.') {
      root = rootLine(e.type, e.mode, e.uid, e.gid);
      continue;
    }
    const name = e.name.startsWith('./') ? e.name.slice(2) : bad(`name ${e.name}`);
    const base = { name, mode: e.mode, uid: e.uid, gid: e.gid, mtimeSec: e.mtime, devmajor: e.major, devminor: e.minor };
    if (e.type === 'file') {
      const hash = hashes.get(e.name) ?? bad(`sha256 of ${name}`);
      sum.add({ ...base, type: 'file', linkpath: null, data: `${e.size}:${hash}` } satisfies DigestEntry);
      const first = e.links > 1 ? inodes.get(e.inode) : undefined;
      if (first === undefined) {
        contentBytes += e.size; // a tar carries an inode's content once, with its first name
        if (e.links > 1) inodes.set(e.inode, name);
      } else {
        sum.link(name, first);
      }
    } else {
      const linkpath = e.type === 'symlink' ? (targets.get(e.name) ?? bad(`target of ${name}`)) : null;
      sum.add({ ...base, type: e.type, linkpath });
    }
  }
  if (root === undefined) bad('root');
  return { entries: entries.length - 1, contentBytes, sha256: sum.sha256, root };
}
