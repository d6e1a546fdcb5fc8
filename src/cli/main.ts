// `container-volumes`: the same core as the extension, for scripts and cron. Exit 0 on success,
// 1 on failure, 2 on a usage error; every error is one line on stderr. Ctrl-C cancels cleanly
// (streams destroyed, helpers removed, no final file).
import { availableFormats, parseFormat, type ArchiveFormat } from '../core/archive/archiveFormat';
import { backupVolume, type BackupSource } from '../core/operations/backupVolume';
import type { FastPath } from '../core/operations/dataPath';
import { operationContext, type OperationContext } from '../core/operations/operationContext';
import { backupSet, COMPOSE_PROJECT_LABEL } from '../core/operations/backupSet';
import { restoreProject } from '../core/operations/restoreProject';
import { cloneVolume } from '../core/operations/cloneVolume';
import { copyVolumeToEngine } from '../core/operations/copyToEngine';
import { Engine } from '../core/engine/engine';
import { setLockApp, VolumeBusyError, type LockPolicy } from '../core/operations/engineLocks';
import { describeHolder } from '../core/engine/lockLabels';
import { resolveEngine, resolveTarget } from '../core/engine/engineConfig';
import { imageExists, sweepHelpers } from '../core/helpers/helperContainers';
import { InventoryLoader } from '../core/engine/inventory';
import { restoreVolume, volumeOfMount } from '../core/operations/restoreVolume';
import { verifyBackup } from '../core/archive/verifyBackup';
import { formatBytes, volumeDiskUsage, type FolderUsage } from '../core/files/diskUsage';
import { VolumeFiles } from '../core/files/volumeFiles';
import { helperImageCandidates } from '../core/helpers/helperImages';
import { formatPlan, type Plan } from '../core/operations/migrations/plan';
import { executeNameVolume, planNameVolume } from '../core/operations/migrations/nameVolume';
import { executeOwnCopy, planOwnCopy } from '../core/operations/migrations/ownCopy';
import { executeRescue, planRescue, writableLayerChanges } from '../core/operations/migrations/rescueData';
import { executeRunWithVolumesFrom, planRunWithVolumesFrom } from '../core/operations/migrations/runWithVolumesFrom';
import { executeUpgrade, planUpgrade } from '../core/operations/migrations/upgradeImage';
import { listVolumeFiles, searchVolumeText, type FileMatches } from '../core/files/volumeSearch';
import { WorkHelpers } from '../core/helpers/workHelpers';
import { CoreError, errorText, langOfEnv, type MessageCode, msg, type Params, type Progress, textOf } from '../core/message';
import * as path from 'node:path';
import type Dockerode from 'dockerode';

class UsageError extends CoreError {}

/** The CLI speaks the language of LANG (LC_ALL, LC_MESSAGES): English, or 简体中文 for zh_CN. */
const LANG = langOfEnv(process.env);
const t = (code: MessageCode, params: Params = {}): string => msg(code, params).render(LANG);

// The package's version, put in by scripts/build.mjs (esbuild `define`): the installed bundle has no
// package.json beside it to read. Unbundled (tsc's out/ for tests), it says so.
declare const CONTAINER_VOLUMES_VERSION: string | undefined;
const VERSION = typeof CONTAINER_VOLUMES_VERSION === 'string' ? CONTAINER_VOLUMES_VERSION : '0.0.0-unbundled';

/** Each command's --help (the catalogue's cli.help.<command>), in the CLI's language. */
const HELP: Record<string, MessageCode> = {
  main: 'cli.help.main',
  ls: 'cli.help.ls',
  backup: 'cli.help.backup',
  'restore-project': 'cli.help.restore-project',
  restore: 'cli.help.restore',
  clone: 'cli.help.clone',
  copy: 'cli.help.copy',
  find: 'cli.help.find',
  du: 'cli.help.du',
  upgrade: 'cli.help.upgrade',
  'run-with-volumes-from': 'cli.help.run-with-volumes-from',
  'name-volume': 'cli.help.name-volume',
  'own-copy': 'cli.help.own-copy',
  rescue: 'cli.help.rescue',
  verify: 'cli.help.verify',
};

function helpText(cmd: string): string {
  return t(HELP[cmd], { formats: availableFormats().join(LANG === 'zh-cn' ? '、' : ', ') });
}

interface Parsed {
  readonly positional: string[];
  readonly flags: Map<string, string | true>;
}

const VALUED = new Set([
  '--host',
  '--context',
  '--format',
  '--prefix',
  '--safety-backup',
  '--helper-image',
  '--depth',
  '--include',
  '--exclude',
  '--max',
  '--to',
  '--jobs',
  '--keep',
  '--project',
  '--stop-timeout',
  '--settle',
  '--check',
]);
const BOOLEAN = new Set([
  '--all',
  '--json',
  '--stop-containers',
  '--replace',
  '--overwrite',
  '--quiet',
  '--help',
  '-h',
  '--no-fast-path',
  '--name',
  '--text',
  '--regex',
  '--case-sensitive',
  '--word',
  '--wait',
  '--keep-old',
  '--dry-run',
  '--compose-ok',
  '--ro',
  '--no-start',
  '--list',
  '--move',
]);

/** `copy`: to another engine (copyToEngine.ts). */
async function copyCommand(p: Parsed, from: Engine, opts: { signal: AbortSignal; progress?: Progress; lock: LockPolicy }): Promise<number> {
  const target = new Engine(resolveTarget(str(p, '--to') ?? ''));
  await Promise.all([sweepHelpers(from.docker), sweepHelpers(target.docker)]).catch(() => undefined);
  const r = await copyVolumeToEngine(contextOf(p, from), { source: p.positional[0], to: target, target: str(p, '--name'), move: p.flags.has('--move') }, opts);
  endProgress(opts.progress);
  for (const w of r.warnings) process.stderr.write(`${t('cli.warning', { text: w })}\n`);
  out(
    t(r.sourceRemoved ? 'cli.moved' : 'cli.copied', {
      source: p.positional[0],
      volume: r.volumeName,
      host: target.endpoint.host,
      entries: r.entries,
      bytes: r.contentBytes,
      sha256: r.sha256,
    }),
  );
  return 0;
}

function parse(args: string[], cmd = ''): Parsed {
  // `copy --name <new>` takes a value; `find --name` is a switch.
  const valued = cmd === 'copy' ? new Set([...VALUED, '--name']) : VALUED;
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith('-') && a.length > 1) {
      const [k, v] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
      if (valued.has(k)) {
        const value = v ?? args[++i];
        if (value === undefined) throw new UsageError(msg('cli.needsValue', { option: k }));
        flags.set(k, value);
      } else if (BOOLEAN.has(k) && v === undefined) {
        flags.set(k, true);
      } else {
        throw new UsageError(msg('cli.unknownOption', { option: a }));
      }
    } else {
      positional.push(a);
    }
  }
  return { positional, flags };
}

function allow(p: Parsed, cmd: string, allowed: string[], count: number): void {
  for (const k of p.flags.keys()) {
    if (!['--host', '--context', '--quiet', ...allowed].includes(k)) throw new UsageError(msg('cli.optionNotApplicable', { command: cmd, option: k }));
  }
  if (p.positional.length !== count) throw new UsageError(msg('cli.argumentCount', { command: cmd, expected: count, got: p.positional.length }));
}

function str(p: Parsed, k: string): string | undefined {
  const v = p.flags.get(k);
  return typeof v === 'string' ? v : undefined;
}

function progressPrinter(quiet: boolean): Progress | undefined {
  if (quiet || !process.stderr.isTTY) return undefined;
  let last = '';
  return (e) => {
    const pct =
      e.total && e.done !== undefined
        ? ` ${Math.min(100, Math.floor((e.done / e.total) * 100))}%`
        : e.done !== undefined
          ? ` ${(e.done / 2 ** 20).toFixed(0)} MiB`
          : '';
    if (e.message) last = e.message.render(LANG);
    const line = `${last}${pct}`;
    process.stderr.write(`\r\x1b[K${line}`);
  };
}

/** `name:/path` is a container mount; a plain name is a volume. */
function splitMount(s: string): { container: string; path: string } | undefined {
  const i = s.indexOf(':');
  if (i <= 0) return undefined;
  const p = s.slice(i + 1);
  if (!p.startsWith('/')) throw new UsageError(msg('cli.relativeMountPath', { arg: s }));
  return { container: s.slice(0, i), path: p };
}

export async function main(rawArgv: string[]): Promise<number> {
  // Global options may come before the command too: `container-volumes --host X ls`.
  const lead: string[] = [];
  let k = 0;
  while (k < rawArgv.length && ['--host', '--context', '--quiet'].includes(rawArgv[k].split('=')[0])) {
    const takesValue = rawArgv[k] !== '--quiet' && !rawArgv[k].includes('=');
    lead.push(...rawArgv.slice(k, k + (takesValue ? 2 : 1)));
    k += takesValue ? 2 : 1;
  }
  const argv = rawArgv.slice(k);
  const cmd = argv[0];
  const rest = [...argv.slice(1), ...lead];
  if (!cmd) throw new UsageError(msg('cli.noCommand'));
  if (cmd === '--help' || cmd === '-h' || cmd === 'help') {
    out(helpText('main'));
    return 0;
  }
  if (cmd === '--version' || cmd === '-V') {
    if (argv.length > 1) throw new UsageError(msg('cli.noArguments', { command: cmd }));
    out(VERSION);
    return 0;
  }
  if (!(cmd in HELP) || cmd === 'main') throw new UsageError(msg('cli.unknownCommand', { command: cmd }));
  const p = parse(rest, cmd);
  if (p.flags.has('--help') || p.flags.has('-h')) {
    out(helpText(cmd));
    return 0;
  }
  const quiet = p.flags.has('--quiet');

  // Usage is checked before the engine is touched.
  let format: ArchiveFormat | undefined;
  switch (cmd) {
    case 'ls':
      allow(p, cmd, ['--json'], 0);
      break;
    case 'backup':
      if (isSetBackup(p)) {
        allow(
          p,
          cmd,
          ['--format', '--stop-containers', '--helper-image', '--no-fast-path', '--wait', '--to', '--jobs', '--keep', '--all', '--project'],
          p.positional.length,
        );
        if (!str(p, '--to')) throw new UsageError(msg('cli.setNeedsTo'));
        if ([p.flags.has('--all'), p.flags.has('--project'), p.positional.length > 0].filter(Boolean).length !== 1) {
          throw new UsageError(msg('cli.setExactlyOne'));
        }
        count(p, '--jobs', 1);
        count(p, '--keep', 1);
      } else allow(p, cmd, ['--format', '--stop-containers', '--overwrite', '--helper-image', '--no-fast-path', '--wait'], 2);
      if (str(p, '--format')) {
        try {
          format = parseFormat(str(p, '--format') ?? '');
        } catch (e) {
          throw new UsageError(textOf(e));
        }
      }
      break;
    case 'restore':
      allow(p, cmd, ['--replace', '--stop-containers', '--prefix', '--safety-backup', '--helper-image', '--no-fast-path', '--wait'], 2);
      break;
    case 'clone':
      allow(p, cmd, ['--stop-containers', '--helper-image', '--no-fast-path', '--wait'], 2);
      break;
    case 'copy':
      allow(p, cmd, ['--to', '--name', '--move', '--helper-image', '--wait'], 1);
      if (!str(p, '--to')) throw new UsageError(msg('cli.copyNeedsTo'));
      break;
    case 'restore-project':
      allow(p, cmd, ['--project', '--replace', '--helper-image', '--no-fast-path', '--wait'], 1);
      break;
    case 'verify':
      allow(p, cmd, [], 1);
      break;
    case 'find':
      allow(p, cmd, ['--name', '--text', '--json', '--regex', '--case-sensitive', '--word', '--include', '--exclude', '--max', '--helper-image'], 2);
      if (p.flags.has('--name') && p.flags.has('--text')) throw new UsageError(msg('cli.nameAndText'));
      if (p.flags.has('--name') && ['--regex', '--case-sensitive', '--word', '--include', '--exclude', '--max'].some((f) => p.flags.has(f))) {
        throw new UsageError(msg('cli.textOptions'));
      }
      if (p.positional[1] === '') throw new UsageError(msg('cli.emptyPattern'));
      count(p, '--max', 0);
      break;
    case 'du':
      allow(p, cmd, ['--depth', '--json', '--helper-image'], 1);
      count(p, '--depth', 0);
      break;
    case 'run-with-volumes-from': {
      const command = p.positional.slice(3);
      allow({ positional: p.positional.slice(0, 3), flags: p.flags }, cmd, ['--ro', '--no-start', '--check', '--dry-run'], 3);
      if (command.length && !rawArgv.includes('--')) throw new UsageError(msg('cli.mig.commandAfterDash', { command: cmd }));
      count(p, '--check', 1);
      break;
    }
    case 'name-volume':
    case 'rescue':
      allow(
        { positional: p.positional.slice(0, 1), flags: p.flags },
        cmd,
        ['--stop-timeout', '--settle', '--dry-run', '--compose-ok', ...(cmd === 'rescue' ? ['--list'] : [])],
        1,
      );
      if (p.positional.length > 2) throw new UsageError(msg('cli.mig.oneOrTwo', { command: cmd, got: p.positional.length }));
      if (!splitMount(p.positional[0])) throw new UsageError(msg('cli.mig.notMount', { command: cmd, arg: p.positional[0] }));
      count(p, '--stop-timeout', 0);
      count(p, '--settle', 0);
      break;
    case 'own-copy':
      allow(p, cmd, ['--stop-timeout', '--settle', '--dry-run', '--compose-ok'], 1);
      count(p, '--stop-timeout', 0);
      count(p, '--settle', 0);
      break;
    case 'upgrade':
      allow(p, cmd, ['--keep-old', '--stop-timeout', '--settle', '--dry-run', '--compose-ok'], 2);
      count(p, '--stop-timeout', 0);
      count(p, '--settle', 0);
      break;
  }

  const ac = new AbortController();
  const onSigint = () => ac.abort();
  process.once('SIGINT', onSigint);
  process.once('SIGTERM', onSigint);
  const progress = progressPrinter(quiet);
  setLockApp(msg('lockApp.cli')); // other processes render it in their own language
  const wait = p.flags.has('--wait');
  const lock: LockPolicy = {
    onBusy: (h) => {
      if (wait && !quiet) process.stderr.write(`${t('cli.waiting', { volume: h.volume, holder: describeHolder(h) })}\n`);
      return wait ? 'wait' : 'refuse';
    },
  };
  const opts = { signal: ac.signal, progress, lock };
  let workHelpers: WorkHelpers | undefined;
  let swept: Promise<unknown> | undefined;
  try {
    if (cmd === 'verify') {
      const r = await verifyBackup(p.positional[0], opts);
      out(t(r.sidecar ? 'cli.verified' : 'cli.verifiedNoRecord', { entries: r.stats.entries, bytes: r.stats.contentBytes, sha256: r.sha256 }));
      return 0;
    }
    const engine = new Engine(resolveEngine({ host: str(p, '--host'), context: str(p, '--context') }));
    const docker = engine.docker;
    if (cmd === 'copy') return await copyCommand(p, engine, opts);
    if (cmd === 'find' || cmd === 'du') return await searchCommand(cmd, p, engine, ac.signal);
    // Leftovers of dead processes go while this command works (a dead holder's lock is broken by the
    // lock code itself); the command ends only once the sweep has.
    swept = sweepHelpers(docker).catch(() => undefined);
    const local = await engine.isLocal();
    const helperImage = str(p, '--helper-image');
    const noFastPath = p.flags.has('--no-fast-path');
    workHelpers = local && !noFastPath ? new WorkHelpers(docker, { images: () => helperImageCandidates(docker, helperImage) }) : undefined;
    const fastPath: FastPath | undefined = noFastPath ? undefined : { localEngine: local, helperImage, workHelpers };
    const ctx = contextOf(p, engine, fastPath);
    if (cmd === 'upgrade') return await upgradeCommand(p, ctx, ac.signal, quiet);
    if (cmd === 'run-with-volumes-from') return await runWithVolumesFromCommand(p, ctx, ac.signal, quiet);
    if (cmd === 'name-volume' || cmd === 'own-copy' || cmd === 'rescue') return await recreateCommand(cmd, p, ctx, ac.signal, quiet);
    switch (cmd) {
      case 'ls': {
        const inv = await new InventoryLoader(engine).load(ac.signal);
        if (p.flags.has('--json')) {
          out(
            JSON.stringify(
              inv.volumes.map((v) => ({
                name: v.name,
                driver: v.driver,
                anonymous: v.anonymous,
                labels: v.labels,
                mountpoint: v.mountpoint,
                users: v.users.map((u) => ({ container: u.containerName, path: u.destination, readOnly: u.readOnly, state: u.containerState })),
                ...(v.lock ? { busy: describeHolder(v.lock).toString() } : {}),
              })),
              null,
              2,
            ),
          );
        } else {
          const rows = inv.volumes.map((v) => [
            v.name,
            v.driver,
            (v.users.map((u) => `${u.containerName}:${u.destination}${u.readOnly ? ':ro' : ''}`).join(', ') || t('cli.unused')) +
              (v.lock ? ` ${t('cli.busy', { holder: describeHolder(v.lock) })}` : ''),
          ]);
          const head = [t('cli.colVolume'), t('cli.colDriver'), t('cli.colUsedBy')];
          const w = [Math.max(width(head[0]), ...rows.map((r) => width(r[0]))), Math.max(width(head[1]), ...rows.map((r) => width(r[1])))];
          out(`${pad(head[0], w[0])}  ${pad(head[1], w[1])}  ${head[2]}`);
          for (const r of rows) out(`${pad(r[0], w[0])}  ${pad(r[1], w[1])}  ${r[2]}`);
        }
        return 0;
      }
      case 'backup': {
        if (isSetBackup(p)) return await setBackupCommand(p, ctx, { format, opts, quiet });
        const m = splitMount(p.positional[0]);
        const source: BackupSource = m ?? { volumeName: p.positional[0] };
        const oneBackup = { ...ctx, fastPath: fastPath && (await oneShotFastPath(docker, fastPath)) };
        const r = await backupVolume(
          oneBackup,
          { source, file: p.positional[1], format, stopContainers: p.flags.has('--stop-containers'), overwrite: p.flags.has('--overwrite') },
          opts,
        );
        endProgress(progress);
        for (const w of r.warnings) process.stderr.write(`${t('cli.warning', { text: w })}\n`);
        const done = { file: r.file, entries: r.sidecar.entryCount, method: r.method, bytes: r.sidecar.archiveBytes ?? 0, sha256: r.sidecar.sha256 };
        out(r.stoppedContainers.length ? t('cli.backedUpStopped', { ...done, containers: r.stoppedContainers.join(', ') }) : t('cli.backedUp', done));
        return 0;
      }
      case 'restore': {
        const m = splitMount(p.positional[1]);
        const volumeName = m ? await volumeOfMount(docker, m.container, m.path) : p.positional[1];
        const r = await restoreVolume(
          ctx,
          {
            file: p.positional[0],
            volumeName,
            replace: p.flags.has('--replace'),
            stopContainers: p.flags.has('--stop-containers'),
            prefix: str(p, '--prefix'),
            safetyBackupFile: str(p, '--safety-backup'),
          },
          opts,
        );
        endProgress(progress);
        if (r.layoutNote) process.stderr.write(`${t('cli.note', { text: r.layoutNote })}\n`);
        for (const w of r.warnings) process.stderr.write(`${t('cli.warning', { text: w })}\n`);
        const into = msg(r.created ? 'cli.newVolume' : 'cli.volume', { volume: r.volumeName });
        out(r.safetyBackup ? t('cli.restoredSafety', { entries: r.entries, into, file: r.safetyBackup }) : t('cli.restored', { entries: r.entries, into }));
        return 0;
      }
      case 'clone': {
        const r = await cloneVolume(ctx, { source: p.positional[0], target: p.positional[1], stopContainers: p.flags.has('--stop-containers') }, opts);
        endProgress(progress);
        for (const w of r.warnings) process.stderr.write(`${t('cli.warning', { text: w })}\n`);
        out(t('cli.cloned', { source: p.positional[0], volume: r.volumeName, entries: r.entries }));
        return 0;
      }
      case 'restore-project': {
        const r = await restoreProject(ctx, { from: p.positional[0], project: str(p, '--project'), replace: p.flags.has('--replace') }, opts);
        endProgress(progress);
        for (const w of r.warnings) process.stderr.write(`${t('cli.warning', { text: w })}\n`);
        const safety = r.volumes.filter((v) => v.safetyBackup).map((v) => v.safetyBackup);
        out(
          t('cli.projectRestored', {
            count: r.volumes.length,
            volumes: r.volumes.map((v) => v.volumeName).join(', '),
            project: r.project ? msg('cli.ofProject', { project: r.project }) : '',
            safety: safety.length ? msg('cli.safetyBackups', { files: safety.join(', ') }) : '',
          }),
        );
        return 0;
      }
    }
    return 2;
  } finally {
    await swept;
    await workHelpers?.dispose();
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
}

/** The one place the CLI builds an operation's environment: the engine chosen, `--helper-image`, the fast path. */
function contextOf(p: Parsed, engine: Engine, fastPath?: FastPath): OperationContext {
  return operationContext(engine.docker, { engineHost: engine.endpoint.host, fastPath, helperImage: str(p, '--helper-image') });
}

/**
 * One backup, one process: `tar` in a one-shot helper (created, run, removed: what the seed's
 * one-liner costs) rather than a work helper, whose start, probe and removal pay off only when
 * several operations share it (a backup set, the extension).
 */
async function oneShotFastPath(docker: Dockerode, f: FastPath): Promise<FastPath> {
  if (!f.localEngine) return f;
  const configured = f.helperImage?.trim();
  for (const image of await helperImageCandidates(docker, f.helperImage).catch(() => [])) {
    // Images from the engine's list exist; only the name the user gave needs a look.
    if (image !== configured || (await imageExists(docker, image))) return { localEngine: true, helperImage: image };
  }
  return f;
}

/** `backup --all`, `--project`, `--to`, or more than two names: the several-volumes form. */
function isSetBackup(p: Parsed): boolean {
  return p.flags.has('--all') || p.flags.has('--project') || p.flags.has('--to');
}

async function setBackupCommand(
  p: Parsed,
  ctx: OperationContext,
  c: { format?: ArchiveFormat; opts: { signal: AbortSignal; progress?: Progress; lock: LockPolicy }; quiet: boolean },
): Promise<number> {
  const { docker } = ctx;
  const project = str(p, '--project');
  let volumes = p.positional;
  if (p.flags.has('--all') || project) {
    const list = await docker.listVolumes(project ? { filters: { label: [`${COMPOSE_PROJECT_LABEL}=${project}`] } } : {});
    volumes = (list.Volumes ?? []).map((v) => v.Name).sort();
    if (!volumes.length) {
      throw new CoreError(project ? msg('cli.projectNoVolumes', { project, label: `${COMPOSE_PROJECT_LABEL}=${project}` }) : msg('cli.noVolumes'));
    }
  }
  const tty = !c.quiet && process.stderr.isTTY;
  const r = await backupSet(
    ctx,
    {
      volumes,
      dir: str(p, '--to') ?? '',
      project,
      jobs: count(p, '--jobs', 1),
      keep: count(p, '--keep', 1),
      stopContainers: p.flags.has('--stop-containers'),
      format: c.format,
    },
    {
      ...c.opts,
      onVolumeDone: (name, o) => {
        if (o instanceof Error) process.stderr.write(`${tty ? '\r\x1b[K' : ''}${t('cli.setFailed', { volume: name, error: oneLine(o) })}\n`);
        else if (tty) {
          process.stderr.write(`\r\x1b[K${t('cli.setVolumeDone', { volume: name, entries: o.sidecar.entryCount, bytes: o.sidecar.archiveBytes })}\n`);
        }
      },
    },
  );
  endProgress(c.opts.progress);
  for (const w of r.warnings) process.stderr.write(`${t('cli.warning', { text: w })}\n`);
  out(
    t('cli.setSummary', {
      done: r.done.length,
      total: r.done.length + r.failed.length,
      dir: path.resolve(str(p, '--to') ?? ''),
      record: r.recordFile ? msg('cli.setRecord', { file: path.basename(r.recordFile) }) : '',
      failed: r.failed.length ? msg('cli.setFailedList', { volumes: r.failed.map((f) => f.name).join(', ') }) : '',
      removed: r.removed.length ? msg('cli.setRemoved', { count: r.removed.length }) : '',
    }),
  );
  return r.failed.length ? 1 : 0;
}

function count(p: Parsed, k: string, min: number): number | undefined {
  const v = str(p, k);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < min) throw new UsageError(msg('cli.wholeNumber', { option: k, value: v }));
  return Number(v);
}

/** `find` and `du`: one helper that mounts the volume read-only, removed at the end. */
async function searchCommand(cmd: 'find' | 'du', p: Parsed, engine: Engine, signal: AbortSignal): Promise<number> {
  const helperImage = str(p, '--helper-image');
  const images = await helperImageCandidates(engine.docker, helperImage);
  const vf = await VolumeFiles.open(engine, { volume: p.positional[0], readOnly: true, helperImages: images, signal });
  try {
    if (vf.mode !== 'shell') throw new CoreError(msg(cmd === 'du' ? 'cli.duNeedsShell' : 'cli.findNeedsShell'));
    const json = p.flags.has('--json');
    if (cmd === 'du') {
      const depth = count(p, '--depth', 0) ?? 1;
      const du = await volumeDiskUsage(vf, { signal });
      const rows: FolderUsage[] = [];
      const walk = (f: FolderUsage, d: number) => {
        rows.push(f);
        if (d < depth) for (const c of du.children.get(f.path) ?? []) walk(c, d + 1);
      };
      const root = du.folders.get('/');
      if (root) walk(root, 0);
      if (json) {
        out(
          JSON.stringify(
            { volume: vf.volume, folders: rows.map((f) => ({ path: f.path, bytes: f.bytes, entries: f.files })), biggestFiles: du.biggestFiles.slice(0, 20) },
            null,
            2,
          ),
        );
      } else {
        for (const f of rows) {
          out(
            `${formatBytes(f.bytes).padStart(10)}  ${padStart(t('cli.entries', { count: f.files }), 17)}  ${'  '.repeat(f.path === '/' ? 0 : f.path.split('/').length - 1)}${f.path}`,
          );
        }
        out(`\n${t('cli.biggestFiles')}`);
        for (const f of du.biggestFiles.slice(0, 20)) out(`${formatBytes(f.bytes).padStart(10)}  ${f.path}`);
      }
      return 0;
    }
    const pattern = p.positional[1];
    if (p.flags.has('--name')) {
      const matches: string[] = [];
      const test = nameMatcher(pattern);
      await listVolumeFiles(vf, {
        signal,
        onBatch: (b) => {
          for (const x of b) if (test(x)) matches.push(x);
        },
      });
      matches.sort();
      if (json) out(JSON.stringify(matches, null, 2));
      else for (const m of matches) out(m);
      return 0;
    }
    const globs = (k: string) =>
      (str(p, k) ?? '')
        .split(',')
        .map((g) => g.trim())
        .filter(Boolean);
    const files: FileMatches[] = [];
    const summary = await searchVolumeText(
      vf,
      {
        pattern,
        regex: p.flags.has('--regex'),
        caseSensitive: p.flags.has('--case-sensitive'),
        wholeWord: p.flags.has('--word'),
        include: globs('--include'),
        exclude: globs('--exclude'),
      },
      {
        signal,
        maxResults: count(p, '--max', 0) ?? 2000,
        onFile: (f) => {
          if (json) files.push(f);
          else for (const l of f.lines) out(`${f.path}:${l.line}:${l.text}`);
        },
      },
    );
    if (json) out(JSON.stringify({ volume: vf.volume, pattern, ...summary, files }, null, 2));
    else {
      if (summary.notShown) process.stderr.write(`${t('cli.notShown', { count: summary.notShown })}\n`);
      if (summary.binarySkipped.length) process.stderr.write(`${t('cli.binarySkipped', { count: summary.binarySkipped.length })}\n`);
    }
    return 0;
  } finally {
    await vf.close();
  }
}

/**
 * A migration's plan as the CLI shows it: with --dry-run on stdout, and the command is done (undefined);
 * refused for a Compose project's container without --compose-ok; else on stderr (not with --quiet),
 * and the logger for the steps is returned.
 */
function showPlan(plan: Plan, p: Parsed, quiet: boolean): ((line: string) => void) | undefined {
  if (p.flags.has('--dry-run')) {
    out(formatPlan(plan, LANG));
    return undefined;
  }
  if (plan.compose && !p.flags.has('--compose-ok')) {
    throw new CoreError(msg('cli.mig.compose', { name: plan.facts.name, project: plan.compose.project }));
  }
  const say = (line: string) => {
    if (!quiet) process.stderr.write(`${line}\n`);
  };
  say(formatPlan(plan, LANG));
  return say;
}

/** `upgrade`: the plan on stderr (stdout with --dry-run), then each step as it runs. */
async function upgradeCommand(p: Parsed, ctx: OperationContext, signal: AbortSignal, quiet: boolean): Promise<number> {
  const stopTimeoutSeconds = count(p, '--stop-timeout', 0);
  const settleMs = count(p, '--settle', 0);
  const plan = await planUpgrade(ctx, {
    container: p.positional[0],
    image: p.positional[1],
    keepOld: p.flags.has('--keep-old'),
    ...(stopTimeoutSeconds !== undefined ? { stopTimeoutSeconds } : {}),
    ...(settleMs !== undefined ? { settleMs } : {}),
  });
  const say = showPlan(plan, p, quiet);
  if (!say) return 0;
  const r = await executeUpgrade(ctx, plan, { signal, log: say });
  const done = msg(r.running ? 'cli.mig.upgraded' : 'cli.mig.upgradedStopped', { name: r.name, image: r.image, id: r.newId.slice(0, 12) });
  out(r.oldName ? t('cli.mig.keptOld', { done, old: r.oldName }) : done.render(LANG));
  return 0;
}

/** `name-volume`, `own-copy` and `rescue`: as `upgrade`, the plan first, then each step. */
async function recreateCommand(
  cmd: 'name-volume' | 'own-copy' | 'rescue',
  p: Parsed,
  ctx: OperationContext,
  signal: AbortSignal,
  quiet: boolean,
): Promise<number> {
  const stopTimeoutSeconds = count(p, '--stop-timeout', 0);
  const settleMs = count(p, '--settle', 0);
  const common = { ...(stopTimeoutSeconds !== undefined ? { stopTimeoutSeconds } : {}), ...(settleMs !== undefined ? { settleMs } : {}) };
  const m = splitMount(p.positional[0]);
  if (cmd === 'rescue' && m && p.flags.has('--list')) {
    for (const c of await writableLayerChanges(ctx, m.container)) out(`${c.kind === 'added' ? 'A' : c.kind === 'deleted' ? 'D' : 'C'} ${c.path}`);
    return 0;
  }
  const plan =
    cmd === 'rescue' && m
      ? await planRescue(ctx, { container: m.container, path: m.path, newName: p.positional[1], ...common })
      : cmd === 'name-volume' && m
        ? await planNameVolume(ctx, { container: m.container, destination: m.path, newName: p.positional[1], ...common })
        : await planOwnCopy(ctx, { container: p.positional[0], ...common });
  const say = showPlan(plan, p, quiet);
  if (!say) return 0;
  if (cmd === 'rescue') {
    const r = await executeRescue(ctx, plan, { signal, log: say });
    out(t('cli.mig.rescued', { name: r.name, path: r.path, volume: r.volume }));
  } else if (cmd === 'name-volume') {
    const r = await executeNameVolume(ctx, plan, { signal, log: say });
    out(t('cli.mig.named', { name: r.name, volume: r.volume, path: m?.path ?? '', anonymous: r.anonymousVolume }));
  } else {
    const r = await executeOwnCopy(ctx, plan, { signal, log: say });
    out(
      t('cli.mig.ownCopy', {
        name: r.name,
        pairs: Object.entries(r.volumes)
          .map(([d, v]) => `${d} -> ${v}`)
          .join(', '),
      }),
    );
  }
  return 0;
}

/** `run-with-volumes-from`: as `upgrade`, the plan first, then each step. */
async function runWithVolumesFromCommand(p: Parsed, ctx: OperationContext, signal: AbortSignal, quiet: boolean): Promise<number> {
  const [source, image, name, ...command] = p.positional;
  const check = count(p, '--check', 1);
  const plan = await planRunWithVolumesFrom(ctx, {
    source,
    image,
    name,
    command,
    mode: p.flags.has('--ro') ? 'ro' : 'rw',
    start: !p.flags.has('--no-start'),
    ...(check !== undefined ? { checkStaysUpMs: check } : {}),
  });
  const say = showPlan(plan, p, quiet);
  if (!say) return 0;
  const r = await executeRunWithVolumesFrom(ctx, plan, { signal, log: say });
  out(t(plan.facts.mode === 'ro' ? 'cli.mig.ranRo' : 'cli.mig.ran', { name: r.name, id: r.id.slice(0, 12), source: plan.facts.source }));
  return 0;
}

/** --name: a glob matches the file name (the path when it holds a /); anything else is a substring, ignoring case. */
function nameMatcher(pattern: string): (p: string) => boolean {
  if (!/[*?[]/.test(pattern)) {
    const q = pattern.toLowerCase();
    return (p) => p.toLowerCase().includes(q);
  }
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*' && pattern[i + 1] === '*') {
      re += '.*';
      i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        re +=
          '[' +
          pattern
            .slice(i + 1, end)
            .replace(/^!/, '^')
            .replace(/\\/g, '\\\\') +
          ']';
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  const full = new RegExp(`^${pattern.includes('/') ? '/?' : ''}${re}$`, 's');
  return pattern.includes('/') ? (p) => full.test(p) || full.test(p.slice(1)) : (p) => full.test(p.slice(p.lastIndexOf('/') + 1));
}

/** Columns as a terminal shows them: a CJK character takes two. */
function width(s: string): number {
  let n = 0;
  for (const ch of s) n += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return n;
}

function pad(s: string, w: number): string {
  return s + ' '.repeat(Math.max(0, w - width(s)));
}

function padStart(s: string, w: number): string {
  return ' '.repeat(Math.max(0, w - width(s))) + s;
}

function out(s: string): void {
  process.stdout.write(`${s}\n`);
}

function endProgress(progress: Progress | undefined): void {
  if (progress) process.stderr.write('\r\x1b[K');
}

function oneLine(e: unknown): string {
  const m = errorText(e, LANG);
  return m.replace(/\s*\n\s*/g, ' ').trim();
}

/** Runs the command line and sets the exit code (called by launch.ts, or when this file is run itself). */
export function start(argv: readonly string[]): void {
  main([...argv]).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      const line = e instanceof VolumeBusyError ? t('cli.busyWait', { volume: e.holder.volume, holder: describeHolder(e.holder) }) : oneLine(e);
      process.stderr.write(`${process.stderr.isTTY ? '\r\x1b[K' : ''}container-volumes: ${line}\n`);
      process.exitCode = e instanceof UsageError ? 2 : 1;
    },
  );
}

if (require.main === module) start(process.argv.slice(2));
