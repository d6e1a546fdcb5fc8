// What takes the space in a volume: one pass of `du` in its helper over the whole volume (or one of
// its folders), summed up in the helper by `awk`, so that only one line per folder and the biggest
// files cross the engine, never a line per file nor any content. Sizes are disk usage in KiB as du
// counts it (hard links once, symbolic links as links: nothing outside the volume is followed).
import { StringDecoder } from 'node:string_decoder';
import { MOUNT, normalise, VolumeFsError, type VolumeFiles } from './volumeFiles';
import { msg } from './message';

export interface FolderUsage {
  /** Volume path (`/` for the root). */
  readonly path: string;
  /** Disk usage of the folder and everything under it, in bytes (du's KiB × 1024). */
  readonly bytes: number;
  /** Entries under it that are not folders with contents (files, links, empty folders), at any depth. */
  readonly files: number;
}

export interface FileUsage {
  readonly path: string;
  readonly bytes: number;
}

export interface DiskUsage {
  readonly root: string;
  /** Every folder, keyed by volume path. */
  readonly folders: ReadonlyMap<string, FolderUsage>;
  /** Sub-folders of each folder, biggest first. */
  readonly children: ReadonlyMap<string, readonly FolderUsage[]>;
  /** The biggest files, biggest first. */
  readonly biggestFiles: readonly FileUsage[];
}

export interface DiskUsageOptions {
  /** Folder of the volume to measure (default `/`). */
  readonly root?: string;
  /** How many of the biggest files to keep (default 50). */
  readonly topFiles?: number;
  readonly signal?: AbortSignal;
  /** Called now and then with the number of folders summed so far. */
  readonly onProgress?: (folders: number) => void;
}

// du prints a folder after everything in it (post-order), so a path is a folder exactly when an
// earlier line named something inside it. Paths with a newline arrive over several lines: a line
// that does not start with `KiB<TAB>` continues the previous path. Output, one line each, with `\`
// and newline escaped: `D<KiB> <entries> <path>` per folder, `T<KiB> <path>` per biggest file.
const DU_AWK = String.raw`
function esc(s) { gsub(/\\/, "\\\\", s); gsub(/\n/, "\\n", s); return s }
function keep(kb, p,   i, m) {
  if (nt < top) { nt++; tk[nt] = kb; tp[nt] = p; if (nt == top) low(); return }
  if (kb <= mink) return
  tk[mi] = kb; tp[mi] = p; low()
}
function low(   i) { mi = 1; for (i = 2; i <= nt; i++) if (tk[i] < tk[mi]) mi = i; mink = tk[mi] }
function rec(line,   i, kb, p, d, c) {
  i = index(line, "\t"); kb = substr(line, 1, i - 1) + 0; p = substr(line, i + 1)
  if (p in kids) { c = cnt[p] + 0; print "D" kb " " c " " esc(p); delete kids[p]; delete cnt[p]; nd++ }
  else { c = 1; if (top > 0 && kb > 0) keep(kb, p) }
  d = p
  if (sub("/[^/]*$", "", d)) { kids[d] = 1; cnt[d] += c }
}
/^[0-9]+\t/ { if (have) rec(cur); cur = $0; have = 1; next }
{ cur = cur "\n" $0 }
END { if (have) rec(cur); for (i = 1; i <= nt; i++) print "T" tk[i] " " esc(tp[i]) }
`;

/** `$1` the folder, `$2` how many biggest files; du's own errors go to stderr, the pipeline's status is awk's. */
const DU_SCRIPT = 'cd -- "$1" || exit 3; du -a -k -x . | awk -v top="$2" "$3"; exit 0';

/** Measures the volume (or its folder `root`) in one pass of du in the helper. */
export async function volumeDiskUsage(vf: VolumeFiles, opts: DiskUsageOptions = {}): Promise<DiskUsage> {
  const root = normalise(opts.root ?? '/');
  const prefix = root === '/' ? '' : root;
  const toPath = (rel: string) => (rel === '.' ? root : prefix + rel.slice(1));
  const folders = new Map<string, FolderUsage>();
  const files: FileUsage[] = [];
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let lastReport = 0;
  const onLine = (line: string) => {
    if (!line) return;
    const m = /^([DT])(\d+) (?:(\d+) )?([\s\S]*)$/.exec(line);
    if (!m) throw new VolumeFsError('Unavailable', root, msg('fs.unparsable', { what: 'du', near: line.slice(0, 80) }));
    const path = toPath(unescape(m[4]));
    const bytes = Number(m[2]) * 1024;
    if (m[1] === 'D') folders.set(path, { path, bytes, files: Number(m[3]) });
    else files.push({ path, bytes });
  };
  const r = await vf.job(['sh', '-c', DU_SCRIPT, 'sh', root === '/' ? MOUNT : MOUNT + root, String(opts.topFiles ?? 50), DU_AWK], (chunk) => {
    const text = rest + decoder.write(chunk);
    const lines = text.split('\n');
    rest = lines.pop() ?? '';
    for (const l of lines) onLine(l);
    if (opts.onProgress && folders.size - lastReport >= 500) {
      lastReport = folders.size;
      opts.onProgress(folders.size);
    }
  }, 'diskUsage', opts.signal);
  onLine(rest + decoder.end());
  if (r.code === 3) throw new VolumeFsError('FileNotFound', root, msg('fs.noSuchFolder'));
  if (!folders.has(root)) {
    const reason = r.stderr.split(MOUNT).join('').trim().split('\n').slice(-2).join(' ');
    throw new VolumeFsError('Unavailable', root, reason ? msg('fs.duFailedWhy', { detail: reason }) : msg('fs.duFailed'));
  }
  const children = new Map<string, FolderUsage[]>();
  for (const f of folders.values()) {
    if (f.path === root) continue;
    const parent = f.path.slice(0, f.path.lastIndexOf('/')) || '/';
    let list = children.get(parent);
    if (!list) children.set(parent, (list = []));
    list.push(f);
  }
  for (const list of children.values()) list.sort((a, b) => b.bytes - a.bytes || a.path.localeCompare(b.path));
  files.sort((a, b) => b.bytes - a.bytes || a.path.localeCompare(b.path));
  return { root, folders, children, biggestFiles: files };
}

function unescape(s: string): string {
  return s.replace(/\\(\\|n)/g, (_, c: string) => (c === 'n' ? '\n' : '\\'));
}

/** 1536 -> "1.5 KiB". */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let u = 0;
  let v = n;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} B` : `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}
