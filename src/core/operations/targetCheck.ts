// A copy's check on the target engine without reading the volume back: a helper there lists every entry
// (find, stat, readlink, sha256sum) and the listing gives the digest ContentDigest gave of the stream sent.
// Design notes: docs/data-operations.md#srccoreoperationstargetcheckts
import type Dockerode from 'dockerode';
import { bare, DigestSum, type DigestEntry, type DigestResult, rootLine } from '../archive/contentDigest';
import { PassThrough } from 'node:stream';
import type { EntryType, TarEntry } from '../archive/tarReader';
import { execIn, execStream } from '../helpers/helperExec';
import { removeHelper, startShellHelper } from '../helpers/helperContainers';
import { helperImageCandidates } from '../helpers/helperImages';
import { HelperCommandError } from '../helpers/workHelpers';
import { CoreError, msg } from '../message';

/** What the check needs in the image (busybox and alpine have all of it). */
const PROBE =
  'for c in find stat sha256sum xargs readlink cat rm mkdir; do command -v "$c" >/dev/null || exit 3; done; stat -c "%f %i %h %t %T %Y" / >/dev/null || exit 3';

/** Regular files over this many bytes are hashed one per batch, or by EarlyHashing while the upload runs. */
const BIG = 1 << 20;

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
 * files 200 at a time after that; with $1 "small", only those (EarlyHashing hashed the others). Each
 * batch writes "+n" on standard error when done (progress). The check runs after the upload, when
 * the cores are free: measured on the 600 MiB bench volume, 4.2 s with one job, 2.65 s with two.
 * Without a writable /tmp or `read -d` (not busybox or bash) one job hashes them all. No `xargs -P`: busybox 1.35's passed one argument too many; its `xargs -0` reading
 * a file (not a pipe) split names past 5,000 of them, so every list goes to xargs through a pipe.
 */
const LISTING = [
  'cd /v || exit 4',
  "find . ! -type s -print0 && printf '\\0' || exit 5",
  `find . ! -type s -print0 | xargs -0 stat -c '%f %u %g %s %Y %i %h %t %T %n' -- || exit 5`,
  `find . -type l -print0 | xargs -0 -r sh -c 'for l; do printf "%s\\0" "$l"; readlink -- "$l" || exit 1; printf "\\0"; done' sh || exit 5`,
  `printf '\\0'`,
  `b='printf "B\\0%s\\0" "$#"; printf "%s\\0" "$@"; sha256sum -- "$@" || exit 1; echo "+$#" >&2'`,
  'if [ "$1" = small ]; then',
  '  :',
  `elif t=$(mktemp -d 2>/dev/null) && printf 'x\\0' | { IFS= read -r -d '' v && [ "$v" = x ]; } 2>/dev/null; then`,
  `  find . -type f -size +${BIG}c -print0 > "$t/big" || exit 5`,
  `  job() { n=0; while IFS= read -r -d '' f; do if mkdir "$t/c.$n" 2>/dev/null; then sh -c "$b" sh "$f" > "$t/o.$n" || return 1; fi; n=$((n+1)); done < "$t/big"; }`,
  '  job & p=$!',
  '  job || exit 6',
  '  wait $p || exit 6',
  '  n=0; while [ -d "$t/c.$n" ]; do cat "$t/o.$n" || exit 6; n=$((n+1)); done',
  '  rm -rf "$t"',
  'else',
  `  find . -type f -size +${BIG}c -print0 | xargs -0 -r -n 1 sh -c "$b" sh || exit 6`,
  'fi',
  `find . -type f ! -size +${BIG}c -print0 | xargs -0 -r -n 200 sh -c "$b" sh || exit 6`,
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
 * by inode). `onHashed(n)`: n more regular files hashed. With `early`, the files over BIG are not
 * hashed here but taken from it; when it fails, the whole listing runs as before.
 */
export async function listTarget(
  checker: TargetChecker,
  opts: { signal?: AbortSignal; onHashed?: (n: number) => void; early?: EarlyHashing },
): Promise<DigestResult> {
  if (opts.early) {
    const [hashed, listing] = await Promise.all([opts.early.result(), runListing(checker, 'small', opts)]);
    if (hashed) {
      opts.onHashed?.(hashed.size);
      return digestOfListing(listing, hashed);
    }
  }
  return digestOfListing(await runListing(checker, 'all', opts));
}

async function runListing(checker: TargetChecker, mode: 'all' | 'small', opts: { signal?: AbortSignal; onHashed?: (n: number) => void }): Promise<Buffer> {
  const out: Buffer[] = [];
  let errTail = '';
  const r = await execStream(checker.container, ['sh', '-c', LISTING, 'listing', mode], {
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
  return Buffer.concat(out);
}

/** Made in the check helper once the engine has answered the upload: every file is complete then. */
const UPLOADED = '/tmp/.cv-uploaded';

/**
 * Reads "name NUL witness NUL" pairs: once the witness exists (the engine's extraction has moved on
 * to a later entry, so the file is complete), or the upload is over (UPLOADED), or at once when it is
 * empty, prints the name, NUL, and sha256sum's line. At the lowest priority where `nice` is there:
 * the upload keeps the cores first. Without a writable /tmp (no UPLOADED) it does nothing: exit 7.
 */
const EARLY = [
  'cd /v || exit 4',
  `touch /tmp/.cv-early 2>/dev/null || exit 7`,
  "n=; command -v nice >/dev/null 2>&1 && n='nice -n 19'",
  "while IFS= read -r -d '' f && IFS= read -r -d '' w; do",
  `  while [ -n "$w" ] && [ ! -e "$w" ] && [ ! -L "$w" ] && [ ! -e ${UPLOADED} ]; do sleep 0.05 2>/dev/null || sleep 1; done`,
  `  printf '%s\\0' "$f"; $n sha256sum -- "$f" || exit 1`,
  'done',
].join('\n');

interface Lane {
  readonly input: PassThrough;
  /** The names sent to it, in order. */
  readonly names: string[];
  readonly out: Buffer[];
  received: number;
  /** Bytes of output the names sent will give (name, NUL, sha256sum's line). */
  expected: number;
}

/**
 * The copy's big files hashed on the target while the upload still runs, by execs in the check
 * helper. The extraction writes entries in the stream's order, each file closed before the next
 * entry is made, and the target starts empty: a file is complete once a later file, hard link or
 * symlink exists (not a folder, which may be made earlier as a parent; not a device, which an engine
 * in a user namespace skips without an error). Fed from the stream as it is sent
 * (`note`); `end` once the engine has answered the upload. One exec hashes while the upload runs
 * (the engine needs the other core), two after; each is given one file at a time. Only for the
 * engine's archive endpoint into a volume that was empty (copyToEngine).
 */
export class EarlyHashing {
  private readonly lanes: Lane[] = [0, 1].map(() => ({ input: new PassThrough(), names: [], out: [], received: 0, expected: 0 }));
  private readonly runs: Promise<boolean>[];
  private readonly queue: { name: string; witness: string }[] = [];
  /** The last big file sent, until a witness for it comes. */
  private pending: string | undefined;
  private ended = false;
  private uploaded: Promise<boolean> | undefined;

  constructor(
    private readonly checker: Promise<TargetChecker | undefined>,
    private readonly signal?: AbortSignal,
  ) {
    this.runs = this.lanes.map((lane) =>
      checker
        .then(async (c) => {
          if (!c) return false;
          const onStdout = (b: Buffer) => {
            lane.out.push(Buffer.from(b));
            lane.received += b.length;
            this.pump();
          };
          return (await execStream(c.container, ['sh', '-c', EARLY], { signal, stdin: lane.input, onStdout })).code === 0;
        })
        .catch(() => false),
    );
  }

  /** The next entry of the stream sent (its header, before its content). */
  note(e: TarEntry): void {
    if (e.type !== 'file' && e.type !== 'link' && e.type !== 'symlink') return;
    const name = `./${bare(e.path)}`;
    if (this.pending !== undefined) this.queue.push({ name: this.pending, witness: name });
    this.pending = e.type === 'file' && !e.sparse && e.size > BIG ? name : undefined;
    this.pump();
  }

  /** The engine has written everything: what still waits for a witness goes without one, and what waits for one stops waiting. */
  end(): void {
    if (this.pending !== undefined) this.queue.push({ name: this.pending, witness: '' });
    this.pending = undefined;
    this.ended = true;
    this.uploaded = this.checker
      .then(async (c) => !!c && (await execIn(c.container, ['touch', UPLOADED], { signal: this.signal })).code === 0)
      .catch(() => false);
    this.pump();
  }

  /** Stops feeding (on failure); the execs end with the check helper. */
  dispose(): void {
    for (const l of this.lanes) l.input.destroy();
  }

  /** Every file sent, by name ("./..."): its sha256; undefined when an exec failed or left one out. */
  async result(): Promise<Map<string, string> | undefined> {
    // Without the mark a hash could wait for its witness for ever: the listing then hashes everything.
    if (!(await (this.uploaded ?? false))) return undefined;
    const ok = await Promise.all(this.runs);
    if (!ok.every(Boolean) || this.queue.length) return undefined;
    const hashes = new Map<string, string>();
    for (const lane of this.lanes) {
      const out = Buffer.concat(lane.out);
      let pos = 0;
      for (const name of lane.names) {
        const z = pos + name.length;
        if (out.toString('latin1', pos, z) !== name || out[z] !== 0) return undefined;
        const line = out.toString('latin1', z + 1, z + 1 + 66 + name.length + 1);
        if (!/^[0-9a-f]{64} {2}/.test(line) || line.slice(66) !== `${name}\n`) return undefined;
        hashes.set(name, line.slice(0, 64));
        pos = z + 1 + line.length;
      }
      if (pos !== out.length) return undefined;
    }
    return hashes;
  }

  private pump(): void {
    const active = this.ended ? this.lanes : this.lanes.slice(0, 1);
    for (const lane of active) {
      if (lane.received < lane.expected || lane.input.writableEnded) continue;
      const next = this.queue.shift();
      if (next) {
        lane.names.push(next.name);
        lane.expected += 2 * next.name.length + 68;
        lane.input.write(Buffer.from(`${next.name}\0${next.witness}\0`, 'latin1'));
      } else if (this.ended) {
        lane.input.end();
      }
    }
  }
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

/**
 * The digest of the script's output (LISTING); throws on output it does not expect. `early`: the
 * files over BIG hashed apart (EarlyHashing); one the listing has and it lacks counts as different.
 */
export function digestOfListing(buf: Buffer, early?: ReadonlyMap<string, string>): DigestResult {
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
  const hashes = new Map<string, string>(early);
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

  // The other names of an inode hashed under one name (EarlyHashing hashes the name the stream gave it).
  const byInode = new Map<number, string>();
  for (const e of entries) {
    const h = e.type === 'file' && e.links > 1 ? hashes.get(e.name) : undefined;
    if (h !== undefined) byInode.set(e.inode, h);
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
      const hash = hashes.get(e.name) ?? (e.links > 1 ? byInode.get(e.inode) : undefined) ?? (early && e.size > BIG ? 'none' : bad(`sha256 of ${name}`));
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
