// What takes the space in a volume: one pass of `du -a` in its helper, streamed out and summed up here
// (one record per folder, the biggest files). Sizes are disk usage in KiB as du counts it.
// Design notes: docs/data-operations.md#srccorefilesdiskusagets
import { StringDecoder } from 'node:string_decoder';
import { MOUNT, normalise, VolumeFsError, type VolumeFiles } from './volumeFiles';
import { msg } from '../message';

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

/** `$1` the folder; du's own errors go to stderr. */
const DU_SCRIPT = 'cd -- "$1" || exit 3; du -a -k -x .; exit 0';

/**
 * Sums up `du -a -k` output, fed line by line. du prints a folder after everything in it (post-order,
 * depth first), so an entry is a folder with contents exactly when the entry before it was deeper,
 * and the folder's entry count is what was counted one level below it since. Names with a newline
 * arrive over several lines: a line that does not start with `KiB<TAB>` continues the previous name.
 * The last entry is the root. Exported for tests on du's real output.
 */
export class DuSummer {
  readonly folders = new Map<string, FolderUsage>();
  readonly biggest: FileUsage[] = [];
  private readonly acc: number[] = [];
  private prevDepth = -1;
  private kb = -1;
  private name = '';
  private depth = 0;
  private minIndex = 0;

  constructor(
    private readonly toPath: (rel: string) => string,
    private readonly top: number,
  ) {}

  line(l: string): void {
    const tab = l.indexOf('\t');
    if (tab > 0 && isDigits(l, tab)) {
      if (this.kb >= 0) this.record(false);
      this.kb = Number(l.slice(0, tab));
      this.name = l.slice(tab + 1);
      this.depth = slashes(this.name);
    } else if (this.kb >= 0) {
      this.name += '\n' + l;
      this.depth += slashes(l);
    }
  }

  /** After the last line: the root. */
  end(): void {
    if (this.kb >= 0) this.record(true);
    this.kb = -1;
    this.biggest.sort((a, b) => b.bytes - a.bytes || a.path.localeCompare(b.path));
  }

  private record(root: boolean): void {
    const d = this.depth;
    if (root || d < this.prevDepth) {
      const count = this.acc[d + 1] ?? 0;
      this.acc[d + 1] = 0;
      const path = this.toPath(this.name);
      this.folders.set(path, { path, bytes: this.kb * 1024, files: count });
      this.acc[d] = (this.acc[d] ?? 0) + count;
    } else {
      this.acc[d] = (this.acc[d] ?? 0) + 1;
      if (this.top > 0 && this.kb > 0) this.keep();
    }
    this.prevDepth = d;
  }

  private keep(): void {
    const list = this.biggest;
    const bytes = this.kb * 1024;
    if (list.length < this.top) {
      list.push({ path: this.toPath(this.name), bytes });
      if (list.length === this.top) this.lowest();
    } else if (bytes > list[this.minIndex].bytes) {
      list[this.minIndex] = { path: this.toPath(this.name), bytes };
      this.lowest();
    }
  }

  private lowest(): void {
    let m = 0;
    for (let i = 1; i < this.biggest.length; i++) if (this.biggest[i].bytes < this.biggest[m].bytes) m = i;
    this.minIndex = m;
  }
}

/** The candidates for the biggest files less the empty folders among them (one test in the helper). */
async function withoutFolders(vf: VolumeFiles, files: readonly FileUsage[], signal?: AbortSignal): Promise<FileUsage[]> {
  if (files.length === 0) return [];
  const chunks: Buffer[] = [];
  const script = 'for p; do [ -d "$p" ] && [ ! -L "$p" ] && printf "%s\\0" "$p"; done; exit 0';
  await vf.job(['sh', '-c', script, 'sh', ...files.map((f) => MOUNT + f.path)], (c) => chunks.push(c), 'diskUsage', signal);
  const folders = new Set(
    Buffer.concat(chunks)
      .toString('utf8')
      .split('\0')
      .filter(Boolean)
      .map((p) => p.slice(MOUNT.length)),
  );
  return files.filter((f) => !folders.has(f.path));
}

function isDigits(s: string, end: number): boolean {
  for (let i = 0; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function slashes(s: string): number {
  let n = 0;
  for (let i = s.indexOf('/'); i !== -1; i = s.indexOf('/', i + 1)) n++;
  return n;
}

/** Measures the volume (or its folder `root`) in one pass of du in the helper. */
export async function volumeDiskUsage(vf: VolumeFiles, opts: DiskUsageOptions = {}): Promise<DiskUsage> {
  const root = normalise(opts.root ?? '/');
  const prefix = root === '/' ? '' : root;
  const toPath = (rel: string) => (rel === '.' ? root : prefix + rel.slice(1));
  const top = opts.topFiles ?? 50;
  // du -a cannot tell an empty folder from a file: keep twice as many, drop the folders below.
  const sum = new DuSummer(toPath, top * 2);
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let lastReport = 0;
  const r = await vf.job(
    ['sh', '-c', DU_SCRIPT, 'sh', root === '/' ? MOUNT : MOUNT + root],
    (chunk) => {
      const lines = (rest + decoder.write(chunk)).split('\n');
      rest = lines.pop() ?? '';
      for (const l of lines) sum.line(l);
      if (opts.onProgress && sum.folders.size - lastReport >= 500) {
        lastReport = sum.folders.size;
        opts.onProgress(sum.folders.size);
      }
    },
    'diskUsage',
    opts.signal,
  );
  const last = rest + decoder.end();
  if (last) sum.line(last);
  if (r.code === 3) throw new VolumeFsError('FileNotFound', root, msg('fs.noSuchFolder'));
  sum.end();
  const folders = sum.folders;
  if (!folders.has(root)) {
    const reason = r.stderr.split(MOUNT).join('').trim().split('\n').slice(-2).join(' ');
    throw new VolumeFsError('Unavailable', root, reason ? msg('fs.duFailedWhy', { detail: reason }) : msg('fs.duFailed'));
  }
  const biggest = await withoutFolders(vf, sum.biggest, opts.signal);
  const children = new Map<string, FolderUsage[]>();
  for (const f of folders.values()) {
    if (f.path === root) continue;
    const parent = f.path.slice(0, f.path.lastIndexOf('/')) || '/';
    let list = children.get(parent);
    if (!list) children.set(parent, (list = []));
    list.push(f);
  }
  for (const list of children.values()) list.sort((a, b) => b.bytes - a.bytes || a.path.localeCompare(b.path));
  return { root, folders, children, biggestFiles: biggest.slice(0, top) };
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
