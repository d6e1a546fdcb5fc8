// Work helpers: the fast path of backup, restore and clone when the engine runs on this machine, one
// long-lived helper mounting the engine's folder of local volumes (only `local` volumes with no options).
// Design notes: docs/data-operations.md#srccorehelpersworkhelpersts
import * as path from 'node:path';
import type Dockerode from 'dockerode';
import { call } from '../engine/engine';
import { execIn, type ExecResult } from './helperExec';
import { imageExists, removeHelper, startShellHelper, type HelperMount } from './helperContainers';
import { jobArgv, jobToken, killJob } from './helperJobs';
import { type CodedError, type Message, msg, textOf } from '../message';
import { isVolumeName } from '../volumeName';
import type { VolumeInfo } from '../engine/types';

/** Where the engine's volumes folder is mounted inside a work helper. */
export const VOLUMES_IN_HELPER = '/cv/volumes';
const PROBE = 'for c in tar cp find stat awk wc sed readlink kill cat rm chown chmod; do command -v "$c" >/dev/null || exit 3; done';

export interface WorkBind {
  /** An absolute folder on this machine (the engine's machine). */
  readonly host: string;
  readonly target: string;
  readonly readOnly: boolean;
}

/** Reports, twice a second, how far a command has read the file at `path` (in the helper). */
export interface WorkReading {
  readonly path: string;
  readonly onPosition: (bytes: number) => void;
}

export interface WorkHelpersConfig {
  /** Images to try, in order (the first present one that passes the probe is used). */
  readonly images: () => Promise<readonly string[]>;
  readonly labels?: Readonly<Record<string, string>>;
  /** Remove a helper unused this long (default one minute). */
  readonly idleMs?: number;
}

export class WorkHelperUnavailable extends Error implements CodedError {
  constructor(readonly text: Message) {
    super(text.toString());
    this.name = 'WorkHelperUnavailable';
  }
}

/** The command in the helper exited non-zero. */
export class HelperCommandError extends Error implements CodedError {
  constructor(
    readonly text: Message,
    readonly exitCode: number,
  ) {
    super(text.toString());
    this.name = 'HelperCommandError';
  }
}

interface Slot {
  readonly container: Promise<Dockerode.Container>;
  users: number;
  timer?: NodeJS.Timeout;
}

export class WorkHelpers {
  private readonly slots = new Map<string, Slot>();
  private root: Promise<string | undefined> | undefined;
  /** The image that passed the probe. */
  private chosen: string | undefined;
  private disposed = false;

  constructor(
    private readonly docker: Dockerode,
    private readonly config: WorkHelpersConfig,
  ) {}

  /** The engine's folder of local volumes (`<DockerRootDir>/volumes`), undefined if unknown. */
  volumesRoot(): Promise<string | undefined> {
    const root = (this.root ??= call(() => this.docker.info() as Promise<{ DockerRootDir?: string }>).then(
      (i) => (i.DockerRootDir ? path.posix.join(i.DockerRootDir, 'volumes') : undefined),
      () => {
        this.root = undefined; // the engine did not answer: ask again next time
        return undefined;
      },
    ));
    return root;
  }

  /** The volume's data folder inside a work helper, or undefined when the volume does not qualify. */
  async pathOf(v: Pick<VolumeInfo, 'name' | 'driver' | 'options' | 'mountpoint'>): Promise<string | undefined> {
    const root = await this.volumesRoot();
    if (!root || v.driver !== 'local' || Object.keys(v.options).length > 0) return undefined;
    if (!isVolumeName(v.name) || v.mountpoint !== `${root}/${v.name}/_data`) return undefined;
    return `${VOLUMES_IN_HELPER}/${v.name}/_data`;
  }

  /**
   * Starts the helper that has these binds now, so that the first `run` finds it ready (a backup set
   * starts it while it checks its volumes and takes their locks). Failures are left to `run` to report.
   */
  prepare(binds: readonly WorkBind[], writeVolumes: boolean): void {
    if (this.disposed) return;
    this.release(this.acquire(binds, writeVolumes));
  }

  /**
   * Runs `argv` in the helper that has these binds, the volumes folder mounted read-only unless
   * `writeVolumes`. Cancelling kills the command's process tree in the helper and throws once it is
   * gone. Throws WorkHelperUnavailable when no helper can be started (no suitable image, a bind the
   * engine refuses), and a HelperCommandError with the command's stderr when it exits non-zero.
   */
  async run(opts: {
    binds: readonly WorkBind[];
    writeVolumes: boolean;
    argv: readonly string[];
    /** How errors name the command (default: argv[0]). */
    what?: string;
    signal?: AbortSignal;
    reading?: WorkReading;
  }): Promise<ExecResult> {
    const { signal } = opts;
    signal?.throwIfAborted();
    if (this.disposed) throw new WorkHelperUnavailable(msg('work.disposed'));
    const slot = this.acquire(opts.binds, opts.writeVolumes);
    try {
      const c = await slot.container;
      const token = jobToken();
      // The shell records its pid and becomes the command: cancel kills that process and its children.
      const argv = jobArgv(token, opts.argv);
      let killed: Promise<void> | undefined;
      const onAbort = () => {
        killed = killJob(c, token);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      let poll: NodeJS.Timeout | undefined;
      const reading = opts.reading;
      if (reading) {
        let busy = false;
        poll = setInterval(() => {
          if (busy) return;
          busy = true;
          void this.position(c, token, reading.path)
            .then((n) => {
              if (n !== undefined) reading.onPosition(n);
            })
            .finally(() => {
              busy = false;
            });
        }, 500);
      }
      try {
        const r = await execIn(c, argv, { signal });
        if (r.code !== 0) {
          throw new HelperCommandError(
            msg('work.commandFailed', {
              command: opts.what ?? opts.argv[0],
              code: r.code,
              output: r.stderr.trim().slice(-400) || r.stdout.toString('utf8').trim().slice(-400),
            }),
            r.code,
          );
        }
        return r;
      } catch (e) {
        // Cancelled: return only once nothing runs any more, so the caller may remove what it wrote.
        await killed;
        throw e;
      } finally {
        clearInterval(poll);
        signal?.removeEventListener('abort', onAbort);
      }
    } finally {
      this.release(slot);
    }
  }

  /**
   * The job's read position in `file`, from /proc: the job's process has it open, or one of its
   * children (`tar -z` leaves the file to the gzip process it forks).
   */
  private async position(c: Dockerode.Container, token: string, file: string): Promise<number | undefined> {
    const script =
      'p=$(cat "/tmp/cv-job-$0") || exit 1; for q in $p $(cat /proc/$p/task/*/children 2>/dev/null); do for f in /proc/$q/fd/*; do [ "$(readlink "$f")" = "$1" ] && exec sed -n "s/^pos:[[:space:]]*//p" "/proc/$q/fdinfo/${f##*/}"; done; done; exit 1';
    const r = await execIn(c, ['sh', '-c', script, token, file]).catch(() => undefined);
    const n = r?.code === 0 ? Number(r.stdout.toString('utf8').trim()) : NaN;
    return Number.isFinite(n) ? n : undefined;
  }

  private acquire(binds: readonly WorkBind[], writeVolumes: boolean): Slot {
    const key = JSON.stringify([writeVolumes, [...binds].sort((a, b) => a.target.localeCompare(b.target))]);
    let slot = this.slots.get(key);
    if (!slot) {
      const container = this.start(binds, writeVolumes);
      slot = { container, users: 0 };
      this.slots.set(key, slot);
      const s = slot;
      container.catch(() => {
        if (this.slots.get(key) === s) this.slots.delete(key); // a failed start is retried next time
      });
    }
    clearTimeout(slot.timer);
    slot.timer = undefined;
    slot.users++;
    return slot;
  }

  private release(slot: Slot): void {
    slot.users--;
    if (slot.users > 0 || this.disposed) return;
    slot.timer = setTimeout(() => {
      for (const [k, s] of this.slots) if (s === slot) this.slots.delete(k);
      void slot.container.then(
        (c) => removeHelper(c),
        () => undefined,
      );
    }, this.config.idleMs ?? 60_000);
    slot.timer.unref();
  }

  private async start(binds: readonly WorkBind[], writeVolumes: boolean): Promise<Dockerode.Container> {
    const root = await this.volumesRoot();
    if (!root) throw new WorkHelperUnavailable(msg('work.noRoot'));
    const mounts: HelperMount[] = [
      { source: root, target: VOLUMES_IN_HELPER, readOnly: !writeVolumes, type: 'bind' },
      ...binds.map((b) => ({ source: b.host, target: b.target, readOnly: b.readOnly, type: 'bind' as const })),
    ];
    let why = msg('work.noImage');
    for (const image of this.chosen ? [this.chosen] : await this.config.images()) {
      if (!(await imageExists(this.docker, image))) continue; // nothing is ever pulled
      let c: Dockerode.Container;
      try {
        c = await startShellHelper(this.docker, image, { purpose: 'work', mounts, labels: this.config.labels });
      } catch (e) {
        why = msg('work.notStarted', { detail: textOf(e) });
        continue;
      }
      const probe = await execIn(c, ['sh', '-c', PROBE]).catch(() => undefined);
      if (probe?.code === 0 && !this.disposed) {
        this.chosen = image;
        return c;
      }
      await removeHelper(c);
      if (this.disposed) break;
    }
    throw new WorkHelperUnavailable(this.disposed ? msg('work.disposed') : why);
  }

  /** Removes every helper. Idempotent. */
  async dispose(): Promise<void> {
    this.disposed = true;
    const slots = [...this.slots.values()];
    this.slots.clear();
    for (const s of slots) clearTimeout(s.timer);
    await Promise.all(
      slots.map((s) =>
        s.container.then(
          (c) => removeHelper(c),
          () => undefined,
        ),
      ),
    );
  }
}
