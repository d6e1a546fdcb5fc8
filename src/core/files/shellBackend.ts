// The volume through a long-lived helper with a shell: metadata, listings, snapshots, folder changes
// and jobs by `docker exec` of the constant scripts in helperScripts (one exec per call).
import type Dockerode from 'dockerode';
import { execIn, type ExecResult } from '../helpers/helperExec';
import { runJob, type JobResult } from '../helpers/helperJobs';
import { msg } from '../message';
import type { EntryType, FileBackend, FolderSnapshot, PathInfo, Snapshot, Traffic, VolumeDirEntry, VolumeStat } from './fileBackend';
import { type FsOp, VolumeFsError } from './fsErrors';
import {
  COPY_SCRIPT,
  DELETE_SCRIPT,
  errorFromStderr,
  FIELDS,
  LIST_SCRIPT,
  MKDIR_SCRIPT,
  parseRecords,
  PROBE_SCRIPT,
  RENAME_SCRIPT,
  SNAPSHOT_SCRIPT,
  STAT_SCRIPT,
} from './helperScripts';
import { toHelper } from './volumePath';

export class ShellBackend implements FileBackend {
  readonly mode = 'shell';

  constructor(
    private readonly helper: Dockerode.Container,
    private readonly traffic: Traffic,
  ) {}

  /** Whether the helper's image has what the scripts need (sh, find -exec +, stat -c, readlink -f, cp -T, mv -T). */
  async probe(signal?: AbortSignal): Promise<boolean> {
    return (await this.exec(['sh', '-c', PROBE_SCRIPT], signal)).code === 0;
  }

  supports(): boolean {
    return true;
  }

  async statPaths(vps: readonly string[], signal?: AbortSignal): Promise<PathInfo[]> {
    const r = await this.exec(['sh', '-c', STAT_SCRIPT, 'sh', FIELDS, ...vps.map(toHelper)], signal);
    if (r.code !== 0) throw errorFromStderr(vps[0], r.stderr);
    const records = parseRecords(r.stdout);
    const out: PathInfo[] = [];
    let cur: { stat?: VolumeStat; targetType?: EntryType; realPath?: string } | undefined;
    const flush = () => {
      if (cur) {
        out.push(
          cur.stat
            ? { stat: { ...cur.stat, ...(cur.targetType ? { targetType: cur.targetType } : {}) }, ...(cur.realPath ? { realPath: cur.realPath } : {}) }
            : {},
        );
      }
    };
    for (const rec of records) {
      if (rec.tag === 'S' || rec.tag === 'N') {
        flush();
        cur = rec.tag === 'S' ? { stat: rec.stat } : {};
      } else if (cur && rec.tag === 'T') cur.targetType = rec.stat.type;
      else if (cur && rec.tag === 'R' && rec.name !== undefined) cur.realPath = rec.name;
    }
    flush();
    if (out.length !== vps.length) throw new VolumeFsError('Unavailable', vps[0], msg('fs.unexpectedOutput', { what: 'stat', output: r.stderr }));
    return out;
  }

  async list(vp: string, signal?: AbortSignal): Promise<VolumeDirEntry[]> {
    const r = await this.exec(['sh', '-c', LIST_SCRIPT, 'sh', toHelper(vp), FIELDS], signal);
    if (r.code !== 0) throw errorFromStderr(vp, r.stderr);
    const records = parseRecords(r.stdout);
    const self = records[0];
    if (!self || self.tag !== 'S') throw new VolumeFsError('Unavailable', vp, msg('fs.unexpectedOutput', { what: 'find', output: r.stderr }));
    const targets = new Map<string, EntryType>();
    for (const rec of records) if (rec.tag === 'L' && rec.name !== undefined) targets.set(rec.name, rec.stat.type);
    const out: VolumeDirEntry[] = [];
    for (const rec of records) {
      if (rec.tag !== 'C' || rec.name === undefined) continue;
      const targetType = rec.stat.type === 'symlink' ? targets.get(rec.name) : undefined;
      out.push({ name: rec.name, ...rec.stat, ...(targetType ? { targetType } : {}) });
    }
    return out;
  }

  /** One exec: a folder whose listing hashes as before costs a few bytes, however large it is. */
  async snapshot(dirs: readonly { vp: string; hash?: string }[], fps: readonly string[], signal?: AbortSignal): Promise<Snapshot> {
    const args = dirs.flatMap((d) => [toHelper(d.vp), d.hash ?? '-']);
    const r = await this.exec(['sh', '-c', SNAPSHOT_SCRIPT, 'sh', FIELDS, String(dirs.length), ...args, ...fps.map(toHelper)], signal);
    if (r.code !== 0) throw errorFromStderr(dirs[0]?.vp ?? fps[0] ?? '/', r.stderr);
    const records = parseRecords(r.stdout);
    let i = 0;
    const bad = () => new VolumeFsError('Unavailable', '/', msg('fs.unexpectedOutput', { what: 'snapshot', output: r.stderr }));
    const out: FolderSnapshot[] = [];
    for (let d = 0; d < dirs.length; d++) {
      const rec = records[i++];
      if (rec?.tag === 'E') out.push({ kind: 'same' });
      else if (rec?.tag === 'N') out.push({ kind: 'gone' });
      else if (rec?.tag === 'D' && rec.name !== undefined) {
        const entries: VolumeDirEntry[] = [];
        for (; records[i]?.tag === 'C'; i++) entries.push({ name: records[i].name ?? '', ...records[i].stat });
        out.push({ kind: 'listed', hash: rec.name, entries });
      } else throw bad();
    }
    const stats: (VolumeStat | undefined)[] = [];
    for (let f = 0; f < fps.length; f++) {
      const rec = records[i++];
      if (rec?.tag === 'S') stats.push(rec.stat);
      else if (rec?.tag === 'N') stats.push(undefined);
      else throw bad();
    }
    if (i !== records.length) throw bad();
    return { folders: out, files: stats };
  }

  async mkdir(vp: string, parent: VolumeStat, signal?: AbortSignal): Promise<void> {
    await this.run(vp, ['sh', '-c', MKDIR_SCRIPT, 'sh', toHelper(vp), `${parent.uid ?? 0}:${parent.gid ?? 0}`], signal);
  }

  async remove(vp: string, signal?: AbortSignal): Promise<void> {
    await this.run(vp, ['sh', '-c', DELETE_SCRIPT, 'sh', toHelper(vp)], signal);
  }

  async move(op: 'rename' | 'copy', src: string, dst: string, removeFirst: boolean, signal?: AbortSignal): Promise<void> {
    await this.run(dst, ['sh', '-c', op === 'rename' ? RENAME_SCRIPT : COPY_SCRIPT, 'sh', toHelper(src), toHelper(dst), removeFirst ? '1' : '0'], signal);
  }

  /** Aborting kills the job's processes in the helper (helperJobs); argv vectors only. */
  job(argv: string[], onStdout: (chunk: Buffer) => void, _what: FsOp, signal?: AbortSignal): Promise<JobResult> {
    return runJob(this.helper, argv, {
      signal,
      onStdout,
      onBytes: (n) => {
        this.traffic.bytesReceived += n;
      },
    });
  }

  /** Runs a command that prints nothing on success; turns its stderr into a VolumeFsError. */
  private async run(vp: string, argv: string[], signal?: AbortSignal): Promise<void> {
    const r = await this.exec(argv, signal);
    if (r.code !== 0) throw errorFromStderr(vp, r.stderr);
  }

  private async exec(argv: string[], signal?: AbortSignal): Promise<ExecResult> {
    this.traffic.execs++;
    return execIn(this.helper, argv, {
      signal,
      onBytes: (n) => {
        this.traffic.bytesReceived += n;
      },
    });
  }
}
