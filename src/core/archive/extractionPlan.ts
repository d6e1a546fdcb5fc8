// What restoring an archive exactly as GNU tar extracts it takes, learnt from the header scan: entries
// refused, whether busybox `tar x` is faithful, and which times each path must set afterwards.
// Design notes: docs/data-operations.md#srccorearchiveextractionplants
import { displayName, isUtf8Name, pathComponents, type TarEntry } from './tarReader';
import { type Message, msg } from '../message';

/** Times to set after extraction: path -> seconds, grouped by time when asked (one `touch` per group). */
export class TimeFixups {
  static readonly MAX = 20_000;
  private readonly byPath = new Map<string, [number, boolean]>();
  complete = true;

  /** `symlink`: the time is the link's own (touch -h). A later entry for the same path wins. */
  add(path: string, sec: number, symlink: boolean): void {
    if (!this.complete) return;
    const p = Buffer.from(pathComponents(path), 'latin1').toString('utf8');
    if (!isUtf8Name(path) || (!this.byPath.has(p) && this.byPath.size >= TimeFixups.MAX)) {
      this.complete = false;
      this.byPath.clear();
      return;
    }
    this.byPath.delete(p);
    this.byPath.set(p, [sec, symlink]);
  }

  get size(): number {
    return this.byPath.size;
  }

  /** Seconds -> [path relative to `folder` ('' = the folder itself), is a symlink] for paths at or under it. */
  under(folder: string): Map<number, [string, boolean][]> {
    const out = new Map<number, [string, boolean][]>();
    for (const [p, [sec, sym]] of this.byPath) {
      const rel = !folder ? p : p === folder ? '' : p.startsWith(`${folder}/`) ? p.slice(folder.length + 1) : undefined;
      if (rel === undefined) continue;
      const list = out.get(sec);
      if (list) list.push([rel, sym]);
      else out.set(sec, [[rel, sym]]);
    }
    return out;
  }
}

const PLAIN_FLAGS = new Set(['0', '\0', '1', '2', '3', '4', '5', '6', '7']);

export class ExtractionPlan {
  static readonly MAX_PATHS = 200_000;
  /** The first entry no path restores exactly, with why (the archive is refused). */
  unsupported: Message | undefined;
  /** Why busybox `tar x` would not extract this archive as GNU tar does (undefined: it would). */
  plainTarIssue: string | undefined;
  /** Times the fast path sets after `tar x`: busybox leaves folders and symlinks dated now. */
  readonly helperTimes = new TimeFixups();
  /** Times the archive-endpoint path sets after the upload: the engine dates times before 1970 at 1970. */
  readonly endpointTimes = new TimeFixups();
  /** What GNU tar would say while extracting (unknown types taken as files), a few. */
  readonly notes: Message[] = [];
  labels = 0;
  private readonly seen = new Map<string, boolean>();

  add(e: TarEntry): void {
    const name = displayName(e.path);
    if (e.note && this.notes.length < 5) this.notes.push(e.note);
    if (e.mtime.sec < 0 && e.mtime.nsec !== 0) {
      this.unsupported ??= msg('plan.before1970Fraction', { name });
    }
    // Busybox tar reads plain headers only, sets no folder or symlink times, overwrites a duplicate in
    // place (a hard link to it would follow), and refuses what it does not know.
    const issue = e.labelled
      ? 'the archive has a GNU volume label'
      : e.magic === 'v7'
        ? `"${name}" has a v7 header`
        : !PLAIN_FLAGS.has(e.flag)
          ? `"${name}" is of type ${JSON.stringify(e.flag)}`
          : e.sparse
            ? `"${name}" is a sparse file`
            : e.extended.some((x) => x !== 'path' && x !== 'linkpath')
              ? `"${name}" has its ${e.extended.filter((x) => x !== 'path' && x !== 'linkpath').join(', ')} in a pax header`
              : e.mtime.nsec !== 0
                ? `"${name}" has a time with a fraction of a second`
                : undefined;
    if (issue) this.plainTarIssue ??= issue;
    const key = pathComponents(e.path);
    const isDir = e.type === 'directory';
    if (!this.plainTarIssue) {
      const before = this.seen.get(key);
      if (before !== undefined && !(before && isDir)) this.plainTarIssue = `"${name}" appears twice`;
      else if (this.seen.size >= ExtractionPlan.MAX_PATHS) this.plainTarIssue = `it has more than ${ExtractionPlan.MAX_PATHS} entries`;
      else this.seen.set(key, isDir);
    }
    if (isDir || e.type === 'symlink') {
      this.helperTimes.add(e.path, e.mtime.sec, e.type === 'symlink');
      if (!this.helperTimes.complete) this.plainTarIssue ??= `its folders and symlinks are too many, or not named in UTF-8, to be dated after busybox tar`;
    }
    if (e.mtime.sec < 0 && e.type !== 'symlink' && e.type !== 'link') {
      this.endpointTimes.add(e.path, e.mtime.sec, false);
      if (!this.endpointTimes.complete) {
        this.unsupported ??= msg('plan.before1970Many', { name });
      }
    }
    if (this.plainTarIssue) this.seen.clear();
  }
}

/** Arguments per command (well under the kernel's limits on one argument list). */
const BATCH = 1000;

/**
 * The `touch` commands that date `fixups` under `folder` (relative to `root`, the volume's folder
 * where the command runs): `touch -c -h -d @SECONDS -- paths...`, one per time and batch.
 */
export function touchCommands(fixups: TimeFixups, folder: string, root: string): string[][] {
  const out: string[][] = [];
  for (const [sec, list] of fixups.under(folder)) {
    const paths = list.map(([p]) => (p ? `${root}/${p}` : root));
    for (let i = 0; i < paths.length; i += BATCH) out.push(['touch', '-c', '-h', '-d', `@${sec}`, '--', ...paths.slice(i, i + BATCH)]);
  }
  return out;
}
