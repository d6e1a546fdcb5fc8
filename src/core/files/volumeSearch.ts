// Searching inside a volume, run in its helper: every file path (Go to File) and the matching lines
// (Find in Volume), streamed. User input reaches it only as argv entries; symlinks are never followed.
// Design notes: docs/data-operations.md#srccorefilesvolumesearchts
import { type FsOp, MOUNT, normalise, VolumeFsError, type VolumeFiles } from './volumeFiles';
import { msg } from '../message';

// ---- Go to File: every file path --------------------------------------------------------------

/** `$1` the folder to list. Regular files only; NUL-terminated, so any name survives. */
const LIST_SCRIPT = 'cd -- "$1" || exit 3; exec find . -xdev -type f -print0';

export interface ListFilesOptions {
  /** Folder of the volume to list (default `/`). */
  readonly root?: string;
  readonly signal?: AbortSignal;
  /** Called with each batch of volume paths (`/a/b.txt`) as they arrive. */
  readonly onBatch: (paths: string[]) => void;
}

/** Lists every regular file under `root`, streamed in batches. Returns how many there were. */
export async function listVolumeFiles(vf: VolumeFiles, opts: ListFilesOptions): Promise<number> {
  const root = normalise(opts.root ?? '/');
  const prefix = root === '/' ? '' : root;
  let rest: Buffer = Buffer.alloc(0);
  let count = 0;
  const r = await vf.job(
    ['sh', '-c', LIST_SCRIPT, 'sh', helperPath(root)],
    (chunk) => {
      const buf = rest.length ? Buffer.concat([rest, chunk]) : chunk;
      const batch: string[] = [];
      let start = 0;
      for (let i = buf.indexOf(0); i >= 0; i = buf.indexOf(0, start)) {
        // `./a/b` -> `/a/b` under the root
        batch.push(prefix + buf.subarray(start + 1, i).toString('utf8'));
        start = i + 1;
      }
      rest = Buffer.from(buf.subarray(start));
      count += batch.length;
      if (batch.length) opts.onBatch(batch);
    },
    'list',
    opts.signal,
  );
  if (r.code !== 0) throw helperError(root, 'list', r);
  return count;
}

// ---- Find in Volume: matching lines -----------------------------------------------------------

export interface TextQuery {
  /** Literal text, or a POSIX extended regular expression when `regex`. */
  readonly pattern: string;
  readonly regex?: boolean;
  readonly caseSensitive?: boolean;
  readonly wholeWord?: boolean;
  /** Globs of files to search (`*.log`, `logs/**`); none: every file. */
  readonly include?: readonly string[];
  /** Globs of files and folders to leave out. */
  readonly exclude?: readonly string[];
}

export interface TextSearchOptions {
  /** Folder of the volume to search (default `/`). */
  readonly root?: string;
  /** Matching lines kept in all (default 2000); past it files are only counted. */
  readonly maxResults?: number;
  /** Matching lines kept per file (default 100). */
  readonly maxPerFile?: number;
  readonly signal?: AbortSignal;
  /** Each file with matches, as soon as its lines are known. */
  readonly onFile: (f: FileMatches) => void;
}

export interface LineMatch {
  /** 1-based line number. */
  readonly line: number;
  /** The line (cut after LINE_PREVIEW bytes; invalid UTF-8 replaced). */
  readonly text: string;
}

export interface FileMatches {
  /** Volume path of the file. */
  readonly path: string;
  /** How many lines of the file match. */
  readonly total: number;
  /** The first of them (fewer than `total` past a cap; none once the overall cap is reached). */
  readonly lines: readonly LineMatch[];
}

export interface TextSearchSummary {
  readonly files: number;
  /** Matching lines in all, shown or not. */
  readonly matches: number;
  /** Matching lines found but not kept (the caps). */
  readonly notShown: number;
  /** Files that matched but look binary (a NUL in their first 8 KiB): left out, as grep does. */
  readonly binarySkipped: readonly string[];
}

/** Bytes of a matching line sent back; the rest of a long line (minified files) stays in the helper. */
export const LINE_PREVIEW = 400;

/**
 * `$1` folder, `$2` grep's options (built here from a fixed set, never user input), `$3` pattern,
 * `$4` lines kept in all, `$5` per file; then find's predicates (ending with `-type f`).
 * Output records: `F<total> <path>\0\n` then `<line>:<text>\n`... then `E\n` (a file's lines);
 * `C<total> <path>\0\n` (a file past the cap, counted only); `B<path>\0\n` (a binary file).
 * First every file whose path holds no newline through `grep -l` in batches; paths with a newline
 * (rare) one by one, NUL-terminated. Then, per matching file only: the binary check, the count, the lines.
 */
const TEXT_SCRIPT = [
  'cd -- "$1" || exit 3',
  'fl="$2"; pat="$3"; cap="$4"; per="$5"; shift 5',
  'nl="',
  '"',
  'one() {',
  '  [ "$(head -c 8192 -- "$1" | grep -c -z "")" -gt 1 ] && { printf "B%s\\0\\n" "$1"; return; }',
  '  n=$(grep -c $fl -e "$pat" -- "$1"); [ "${n:-0}" -gt 0 ] || return',
  '  if [ "$cap" -gt 0 ]; then',
  '    m=$per; [ "$cap" -lt "$m" ] && m=$cap',
  '    printf "F%s %s\\0\\n" "$n" "$1"',
  `    grep -n -m "$m" $fl -e "$pat" -- "$1" | sed -e 's/^\\([0-9]*:.\\{0,${LINE_PREVIEW}\\}\\).*$/\\1/'`,
  '    printf "E\\n"',
  '    [ "$n" -lt "$m" ] && m=$n; cap=$((cap - m))',
  '  else printf "C%s %s\\0\\n" "$n" "$1"; fi',
  '}',
  '{ find . -xdev "$@" ! -path "*$nl*" -exec grep -l $fl -e "$pat" -- {} + | while IFS= read -r f; do printf "%s\\0" "$f"; done',
  '  find . -xdev "$@" -path "*$nl*" -exec grep -q $fl -e "$pat" -- {} \\; -print0; } | while IFS= read -r -d "" f; do one "$f"; done',
].join('\n');

/** grep's options for a query: always from this fixed set, one argv word. */
export function grepFlags(q: TextQuery): string {
  return [q.regex ? '-E' : '-F', ...(q.caseSensitive ? [] : ['-i']), ...(q.wholeWord ? ['-w'] : []), '-s'].join(' ');
}

/** One glob (as in VS Code's search: `*.log`, `logs/**`, `**​/tmp`) as a `find` test. */
export function globTest(glob: string): string[] {
  let g = glob
    .trim()
    .replace(/^\.?\//, '')
    .replace(/\/+$/, '');
  while (g.startsWith('**/')) g = g.slice(3);
  if (!g.includes('/')) return ['-name', g.replace(/\*\*+/g, '*')];
  return ['-path', './' + g.replace(/\/\*\*$/, '/*').replace(/\*\*+/g, '*')];
}

/** find's predicates for the include/exclude globs, ending with `-type f` (what TEXT_SCRIPT appends to). */
export function findPredicates(include: readonly string[] = [], exclude: readonly string[] = []): string[] {
  const either = (globs: readonly string[]) => globs.flatMap((g, i) => [...(i ? ['-o'] : []), ...globTest(g)]);
  const inc = include.map((g) => g.trim()).filter(Boolean);
  const exc = exclude.map((g) => g.trim()).filter(Boolean);
  return [
    // An excluded folder is not even entered; an excluded file is skipped.
    ...(exc.length ? ['(', ...either(exc), ')', '-prune', '-o'] : []),
    '-type',
    'f',
    ...(inc.length ? ['(', ...either(inc), ')'] : []),
  ];
}

/** Splits "*.log, !*.gz, logs/**" (VS Code's search style) into include and exclude globs. */
export function parseGlobList(s: string): { include: string[]; exclude: string[] } {
  const include: string[] = [];
  const exclude: string[] = [];
  for (const part of s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)) {
    if (part.startsWith('!')) {
      if (part.slice(1).trim()) exclude.push(part.slice(1).trim());
    } else include.push(part);
  }
  return { include, exclude };
}

/** Searches the text of every regular file under `root`; files are reported as they are found. */
export async function searchVolumeText(vf: VolumeFiles, q: TextQuery, opts: TextSearchOptions): Promise<TextSearchSummary> {
  if (!q.pattern) throw new VolumeFsError('Unavailable', '/', msg('fs.searchEmpty'));
  if (q.pattern.includes('\n') || q.pattern.includes('\0')) throw new VolumeFsError('Unavailable', '/', msg('fs.searchLineBreak'));
  if (q.regex) checkRegex(q.pattern);
  const root = normalise(opts.root ?? '/');
  const prefix = root === '/' ? '' : root;
  const maxResults = Math.max(0, Math.floor(opts.maxResults ?? 2000));
  const maxPerFile = Math.max(1, Math.floor(opts.maxPerFile ?? 100));
  const parser = new TextResultParser((p) => prefix + p.slice(1), opts.onFile);
  const argv = [
    'sh',
    '-c',
    TEXT_SCRIPT,
    'sh',
    helperPath(root),
    grepFlags(q),
    q.pattern,
    String(maxResults),
    String(maxPerFile),
    ...findPredicates(q.include, q.exclude),
  ];
  const r = await vf.job(argv, (chunk) => parser.push(chunk), 'search', opts.signal);
  parser.end();
  // grep -s: unreadable files are quiet; find's and the script's own errors are not.
  if (r.code !== 0 && r.stderr.trim()) throw helperError(root, 'search', r);
  return parser.summary();
}

/** A few checks the helper's grep would otherwise answer with a cryptic message or ignore. */
function checkRegex(p: string): void {
  let depth = 0;
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '\\') i++;
    else if (p[i] === '(') depth++;
    else if (p[i] === ')' && --depth < 0) break;
  }
  if (depth !== 0) throw new VolumeFsError('Unavailable', '/', msg('fs.unbalanced', { pattern: p }));
}

/** Parses TEXT_SCRIPT's records as they stream in (a record may span chunks). */
export class TextResultParser {
  private buf: Buffer = Buffer.alloc(0);
  private cur: { path: string; total: number; lines: LineMatch[] } | undefined;
  private files = 0;
  private matches = 0;
  private shown = 0;
  private readonly binary: string[] = [];

  constructor(
    private readonly toPath: (relative: string) => string,
    private readonly onFile: (f: FileMatches) => void,
  ) {}

  push(chunk: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    let i = 0;
    const b = this.buf;
    for (;;) {
      if (i >= b.length) break;
      const tag = b[i];
      if (tag === 0x46 /* F */ || tag === 0x43 /* C */ || tag === 0x42 /* B */) {
        const end = b.indexOf(0, i + 1);
        if (end < 0 || end + 1 >= b.length) break; // incomplete
        if (b[end + 1] !== 0x0a) throw this.bad(i);
        const body = b.subarray(i + 1, end);
        if (tag === 0x42) {
          this.binary.push(this.toPath(body.toString('utf8')));
        } else {
          const sp = body.indexOf(0x20);
          const total = Number(body.subarray(0, sp).toString('latin1'));
          const path = this.toPath(body.subarray(sp + 1).toString('utf8'));
          this.files++;
          this.matches += total;
          if (tag === 0x46) this.cur = { path, total, lines: [] };
          else this.onFile({ path, total, lines: [] });
        }
        i = end + 2;
      } else if (tag === 0x45 /* E */) {
        if (i + 1 >= b.length) break;
        if (b[i + 1] !== 0x0a || !this.cur) throw this.bad(i);
        this.shown += this.cur.lines.length;
        this.onFile(this.cur);
        this.cur = undefined;
        i += 2;
      } else if (tag >= 0x30 && tag <= 0x39) {
        const end = b.indexOf(0x0a, i);
        if (end < 0) break;
        const colon = b.indexOf(0x3a, i);
        if (colon < 0 || colon > end || !this.cur) throw this.bad(i);
        this.cur.lines.push({ line: Number(b.subarray(i, colon).toString('latin1')), text: b.subarray(colon + 1, end).toString('utf8') });
        i = end + 1;
      } else {
        throw this.bad(i);
      }
    }
    this.buf = Buffer.from(b.subarray(i));
  }

  end(): void {
    // A file cut short (the job was stopped): report what arrived.
    if (this.cur) {
      this.shown += this.cur.lines.length;
      this.onFile(this.cur);
      this.cur = undefined;
    }
  }

  summary(): TextSearchSummary {
    return { files: this.files, matches: this.matches, notShown: this.matches - this.shown, binarySkipped: this.binary };
  }

  private bad(at: number): VolumeFsError {
    return new VolumeFsError('Unavailable', '/', msg('fs.unparsable', { what: 'grep', near: `"${this.buf.subarray(at, at + 40).toString('utf8')}"` }));
  }
}

// ---- shared -----------------------------------------------------------------------------------

function helperPath(vp: string): string {
  return vp === '/' ? MOUNT : MOUNT + vp;
}

function helperError(vp: string, what: FsOp, r: { code: number; stderr: string }): VolumeFsError {
  const reason = r.stderr.split(MOUNT).join('').trim().split('\n').slice(-3).join(' ') || `exit ${r.code}`;
  if (r.code === 3) return new VolumeFsError('FileNotFound', vp, msg('fs.noSuchFolderWhy', { detail: reason }));
  return new VolumeFsError('Unavailable', vp, msg('fs.opFailed', { op: msg(`fs.op.${what}`), detail: reason }));
}
