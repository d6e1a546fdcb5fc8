// `container-volumes`: the same core as the extension, for scripts and cron. Exit 0 on success,
// 1 on failure, 2 on a usage error; every error is one line on stderr. Ctrl-C cancels cleanly
// (streams destroyed, helpers removed, no final file).
import { availableFormats, parseFormat, type ArchiveFormat } from '../core/archiveFormat';
import { backupVolume, type BackupSource, type FastPath } from '../core/backupVolume';
import { backupSet, COMPOSE_PROJECT_LABEL } from '../core/backupSet';
import { restoreProject } from '../core/restoreProject';
import { cloneVolume } from '../core/cloneVolume';
import { copyVolumeToEngine } from '../core/copyToEngine';
import { Engine } from '../core/engine';
import { describeHolder, setLockApp, VolumeBusyError, type LockPolicy } from '../core/engineLocks';
import { isLocalEngine, resolveEngine, resolveTarget } from '../core/engineConfig';
import { sweepHelpers } from '../core/helperContainers';
import { InventoryLoader } from '../core/inventory';
import { restoreVolume, volumeOfMount } from '../core/restoreVolume';
import type { Progress } from '../core/types';
import { verifyBackup } from '../core/verifyBackup';
import { formatBytes, volumeDiskUsage, type FolderUsage } from '../core/diskUsage';
import { helperImageCandidates, VolumeFiles } from '../core/volumeFiles';
import { formatPlan } from '../core/migrations/plan';
import { executeNameVolume, planNameVolume } from '../core/migrations/nameVolume';
import { executeOwnCopy, planOwnCopy } from '../core/migrations/ownCopy';
import { executeRescue, planRescue, writableLayerChanges } from '../core/migrations/rescueData';
import { executeRunWithVolumesFrom, planRunWithVolumesFrom } from '../core/migrations/runWithVolumesFrom';
import { executeUpgrade, planUpgrade } from '../core/migrations/upgradeImage';
import { listVolumeFiles, searchVolumeText, type FileMatches } from '../core/volumeSearch';
import { WorkHelpers } from '../core/workHelpers';
import { CoreError, errorText, langOfEnv, type MessageCode, msg, type Params, textOf } from '../core/message';
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

const HELP: Record<string, string> = {
  main: `Usage: container-volumes <command> [options]

Commands:
  ls [--json]                               list volumes and the containers that use them
  backup <volume>|<container>:<path> <file> back up a volume (contents at the archive root) or a
                                            container's mount (entries under the mount path)
  backup --all|--project <name>|<volume>... --to <dir>
                                            back up several volumes at once, one archive each
  restore-project <dir>|<record>            recreate a backed-up project's volumes (new name: --project)
  restore <file> <volume>|<container>:<path>
                                            restore into a new (or empty) volume, or replace one
  clone <source-volume> <new-volume>        copy a volume into a new one on the same engine
  copy <volume> --to <context|host> [--name <new>] [--move]
                                            copy (or move) a volume to another engine
  verify <file>                             read the whole archive and check it against its record
  find <volume> <pattern> [--name|--text]   files by name, or lines of text, inside a volume
  du <volume> [--depth N]                   what takes the space in a volume, by folder
  upgrade <container> <image>               replace a container by one from a new image, keeping its
                                            data and configuration (undone if a step fails)
  run-with-volumes-from <source> <image> <name> [-- <command>...]
                                            a new container that mounts <source>'s volumes
  name-volume <container>:<path> [<new-volume>]
                                            copy an anonymous volume into a named one and recreate
                                            the container on it (the anonymous one is kept)
  own-copy <container>                      copy what a container mounts through --volumes-from into
                                            new volumes of its own, and recreate it on them
  rescue <container>:<path> [<new-volume>]  move a folder the container wrote in its writable layer
                                            into a new volume mounted there

Global options:
  --host <address>     engine address (unix://, tcp://, ssh://); default: like the docker CLI
  --context <name>     docker context to use
  --quiet              no progress on stderr
  -h, --help           help (also after a command)
  -V, --version        print the version

A volume is changed by one operation at a time, across processes and machines sharing the engine:
backup, restore and clone refuse a volume another process holds (exit 1, saying which operation on
which host holds it and since when; nothing is changed), or wait for it with --wait.`,
  ls: `Usage: container-volumes ls [--json]

Lists volumes with their driver and the containers that use them (name:path).`,
  backup: `Usage: container-volumes backup <volume>|<container>:<path> <file> [--format tar|tar.gz|tar.zst] [--stop-containers] [--overwrite] [--helper-image <image>] [--no-fast-path] [--wait]

  <volume>            the volume's contents go to the archive's root
  <container>:<path>  that mount of the container, entries under <path> (as \`tar cvf x.tar <path>\`),
                      so the seed's \`tar xvf\` restore accepts it
  --format            default: from the file name, else tar (${availableFormats().join(', ')} here)
  --stop-containers   stop running containers that use the volume, start them again after
  --overwrite         replace an existing <file>
  --helper-image      an image with sh and tar on the engine (never pulled; default: a local busybox
                      or alpine): when the engine is local, tar runs in it straight to the folder
                      (faster); the archive is verified the same
  --no-fast-path      always go through the engine's archive endpoint
  --wait              when another process is changing the volume, wait for it (default: refuse)
The archive is written under a temporary name, verified, then renamed; <file>.json records what was saved.

       container-volumes backup --all|--project <name>|<volume>... --to <dir> [--jobs N] [--keep N] [--stop-containers] [--format tar|tar.gz|tar.zst] [--helper-image <image>] [--no-fast-path] [--wait]

Several volumes at once (every volume, a Compose project's, or those named), each to
<dir>/<volume>-<UTC time>.tar with its record, plus <project>-<time>.backup-set.json (which container
used which volume where, sizes, sha256). One line on stdout at the end; exit 1 if any volume failed
(the others are still backed up and verified).
  --jobs N            volumes backed up at the same time (default 2)
  --keep N            then keep the N newest verified backups per volume in <dir> and remove older
                      ones this command wrote (by name and record); nothing else is ever removed
  --stop-containers   stop every running container that uses any of the volumes once, start them
                      again at the end (also on failure or Ctrl-C)`,
  'restore-project': `Usage: container-volumes restore-project <dir>|<record> [--project <new-name>] [--replace] [--helper-image <image>] [--no-fast-path] [--wait]

Recreates the volumes of a backup set (the newest *.backup-set.json in <dir>, or the record given) with
their Compose labels, so \`docker compose up\` adopts them. Everything is checked first; nothing changes
if an archive is missing or differs from the record, a volume exists and is not empty, or the project
is running.
  --project <new-name>  restore as another project: volumes become <new-name>_<key>, labelled for it
  --replace           replace existing volumes, also of a running project (its containers are stopped
                      once and started again; a safety backup of each volume is taken first)`,
  restore: `Usage: container-volumes restore <file> <volume>|<container>:<path> [--replace] [--stop-containers] [--prefix <dir>] [--safety-backup <file>] [--helper-image <image>] [--no-fast-path] [--wait]

Restores into a new volume (created) or an empty one. An existing non-empty volume is refused unless
--replace: then a safety backup is taken first, the volume emptied, and the archive restored.
  <container>:<path>  the volume that container mounts at <path>
  --replace           replace the contents of a non-empty volume (after a safety backup)
  --stop-containers   stop running containers that use the volume, start them again after
  --safety-backup <file>  where the safety backup of --replace goes (default: beside <file>)
  --prefix <dir>      the archive folder whose contents go to the volume root ('' = as is); default:
                      the backup record's, or the one folder every entry sits under (\`tar cf x.tar /logs\`)
  --helper-image      an image with a shell (never pulled) to empty a volume that containers use and to
                      keep setuid/setgid bits; when the engine is local, tar in it restores faster
  --no-fast-path      always go through the engine's archive endpoint
  --wait              when another process holds the volume, wait for it (default: refuse, exit 1)
A new volume is created by this restore and no one else: if the name appears meanwhile, nothing is written.`,
  copy: `Usage: container-volumes copy <volume> --to <context|host> [--name <new>] [--move] [--helper-image <image>] [--wait]

Copies a volume's contents, driver and labels to another engine, streamed from one engine's archive
endpoint into the other's with no temporary file, then reads the copy back on the target engine and
checks entries, bytes and a content hash against what was sent (a copy that differs is removed).
The source engine is --host/--context (default: like the docker CLI).
  --to <context|host>  the target engine: a docker context name, or an address (unix://, tcp://, ssh://)
  --name <new>         the volume's name on the target (default: the same name); it must not exist
                       there, or be empty and unused
  --move               then remove the source, only if the copy is verified and no container uses it
                       (refused before anything is copied when one does)
  --helper-image       an image with a shell on the TARGET engine, to put back setuid/setgid bits
Ctrl-C or a failure leaves no volume (and no data) on the target and the source untouched.`,
  clone: `Usage: container-volumes clone <source-volume> <new-volume> [--stop-containers] [--helper-image <image>] [--no-fast-path] [--wait]

Copies contents, driver and labels into a new volume on the same engine, streamed with no temporary file.
When the engine is local and an image with sh and cp is there (--helper-image, else a local busybox or
alpine), cp -a in a helper copies the data directly.
  --stop-containers   stop running containers that use the source, start them again after
  --helper-image      the image for that helper (never pulled)
  --no-fast-path      always stream through the engine's archive endpoints
  --wait              when another process holds either volume, wait for it (default: refuse, exit 1)`,
  find: `Usage: container-volumes find <volume> <pattern> [--name|--text] [--json] [--regex] [--case-sensitive] [--word] [--include <globs>] [--exclude <globs>] [--max <n>] [--helper-image <image>]

Searches inside the volume, in a helper container that mounts it read-only (nothing is copied out).
  --text              (default) lines containing <pattern>, printed as path:line:text; binary files are
                      skipped; --regex (POSIX extended), --case-sensitive, --word (whole words)
  --name              file paths: a glob (*, ?, [...]) matches the file name, or the path when it holds
                      a /; other patterns match anywhere in the path, ignoring case
  --include, --exclude  comma-separated globs of files to search or leave out (*.log, logs/**, cache)
  --max <n>           matching lines to print (default 2000); the rest are counted
  --json              one JSON document (exact names, even with newlines)`,
  du: `Usage: container-volumes du <volume> [--depth N] [--json] [--helper-image <image>]

Disk usage of the volume's folders, biggest first, with the number of entries (files, links, empty
folders) under each, and the biggest files; measured by du in a helper that mounts the volume read-only.
  --depth N           folder levels to print below the root (default 1)
  --json              one JSON document`,
  upgrade: `Usage: container-volumes upgrade <container> <image> [--keep-old] [--stop-timeout <seconds>] [--settle <ms>] [--dry-run] [--compose-ok]

Renames the container aside, creates one under its name from <image> with its whole configuration
(command and entrypoint only where it overrode the old image's) and the same volumes, binds and tmpfs
mounted explicitly, stops the old one, starts the new one and checks it stays up (when the old one was
stopped, the new one is stopped again after the check), then removes the old one. If any step fails,
or on Ctrl-C, everything done is undone: the old container is back under its name, as it was.
  --keep-old          keep the old container, stopped and renamed, as a way back
  --stop-timeout <seconds>  how long the old container gets to stop (default: the engine's)
  --settle <ms>       how long the new container must stay up (default 2000)
  --dry-run           print the plan and change nothing
  --compose-ok        go on with a container of a Compose project (refused otherwise: the next
                      \`docker compose up\` recreates it from its file)`,
  'run-with-volumes-from': `Usage: container-volumes run-with-volumes-from <source> <image> <name> [--ro] [--no-start] [--check <ms>] [--dry-run] [-- <command>...]

Creates <name> from <image> with --volumes-from <source> (the seed's data-volume-container pattern) and
starts it; <command> (after --) replaces the image's own. Nothing existing is changed; if a step fails,
or on Ctrl-C, the new container is removed.
  --ro                mount every volume of <source> read-only (default: as <source> has them)
  --no-start          create it only
  --check <ms>        it must stay up this long, else it is removed (default: no check, like docker run -d)
  --dry-run           print the plan and change nothing`,
  'name-volume': `Usage: container-volumes name-volume <container>:<path> [<new-volume>] [--stop-timeout <seconds>] [--settle <ms>] [--dry-run] [--compose-ok]

Copies the anonymous volume <container> mounts at <path> into the new volume <new-volume> (default
<container>-<last part of path>) while <container> is stopped, then recreates <container> (same image,
same configuration) with <new-volume> at <path>, checks it stays up, and removes the old container. The
anonymous volume is kept. If any step fails, or on Ctrl-C, everything done is undone.
  --stop-timeout, --settle, --dry-run, --compose-ok   as for upgrade`,
  'own-copy': `Usage: container-volumes own-copy <container> [--stop-timeout <seconds>] [--settle <ms>] [--dry-run] [--compose-ok]

Copies each volume <container> gets through --volumes-from into a new volume
<container>-<last part of its path>, then recreates <container> on the copies without --volumes-from
(independent from now on). The source containers and their volumes are not touched. If any step
fails, or on Ctrl-C, everything done is undone.
  --stop-timeout, --settle, --dry-run, --compose-ok   as for upgrade`,
  rescue: `Usage: container-volumes rescue <container>:<path> [<new-volume>] [--list] [--stop-timeout <seconds>] [--settle <ms>] [--dry-run] [--compose-ok]

Data written inside a container instead of a volume is lost with the container. This copies the folder
<path> from <container>'s writable layer into the new volume <new-volume> (default
<container>-<last part of path>) while <container> is stopped, then recreates <container> (same image,
same configuration) with the volume mounted at <path>. If any step fails, or on Ctrl-C, everything done
is undone.
  --list              print what <container> changed outside its mounts (A added, C changed, D deleted)
                      and change nothing (<path> is then ignored: give <container>:/)
  --stop-timeout, --settle, --dry-run, --compose-ok   as for upgrade`,
  verify: `Usage: container-volumes verify <file>

Reads and parses the whole archive (truncation and corruption show) and compares it with <file>.json.`,
};

interface Parsed {
  readonly positional: string[];
  readonly flags: Map<string, string | true>;
}

const VALUED = new Set(['--host', '--context', '--format', '--prefix', '--safety-backup', '--helper-image', '--depth', '--include', '--exclude', '--max', '--to', '--jobs', '--keep', '--project', '--stop-timeout', '--settle', '--check']);
const BOOLEAN = new Set(['--all', '--json', '--stop-containers', '--replace', '--overwrite', '--quiet', '--help', '-h', '--no-fast-path', '--name', '--text', '--regex', '--case-sensitive', '--word', '--wait', '--keep-old', '--dry-run', '--compose-ok', '--ro', '--no-start', '--list', '--move']);

/** `copy`: to another engine (copyToEngine.ts). */
async function copyCommand(p: Parsed, from: Engine, opts: { signal: AbortSignal; progress?: Progress; lock: LockPolicy }): Promise<number> {
  const target = new Engine(resolveTarget(str(p, '--to') ?? ''));
  await Promise.all([sweepHelpers(from.docker), sweepHelpers(target.docker)]).catch(() => undefined);
  const r = await copyVolumeToEngine(from, target, { source: p.positional[0], target: str(p, '--name'), move: p.flags.has('--move'), helperImage: str(p, '--helper-image') }, opts);
  endProgress(opts.progress);
  for (const w of r.warnings) process.stderr.write(`${t('cli.warning', { text: w })}\n`);
  out(t(r.sourceRemoved ? 'cli.moved' : 'cli.copied', { source: p.positional[0], volume: r.volumeName, host: target.endpoint.host, entries: r.entries, bytes: r.contentBytes, sha256: r.sha256 }));
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
    const pct = e.total && e.done !== undefined ? ` ${Math.min(100, Math.floor((e.done / e.total) * 100))}%` : e.done !== undefined ? ` ${(e.done / 2 ** 20).toFixed(0)} MiB` : '';
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
    process.stdout.write(`${HELP.main}\n`);
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
    process.stdout.write(`${HELP[cmd]}\n`);
    return 0;
  }
  const quiet = p.flags.has('--quiet');

  // Usage is checked before the engine is touched.
  let format: ArchiveFormat | undefined;
  switch (cmd) {
    case 'ls': allow(p, cmd, ['--json'], 0); break;
    case 'backup':
      if (isSetBackup(p)) {
        allow(p, cmd, ['--format', '--stop-containers', '--helper-image', '--no-fast-path', '--wait', '--to', '--jobs', '--keep', '--all', '--project'], p.positional.length);
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
    case 'restore': allow(p, cmd, ['--replace', '--stop-containers', '--prefix', '--safety-backup', '--helper-image', '--no-fast-path', '--wait'], 2); break;
    case 'clone': allow(p, cmd, ['--stop-containers', '--helper-image', '--no-fast-path', '--wait'], 2); break;
    case 'copy':
      allow(p, cmd, ['--to', '--name', '--move', '--helper-image', '--wait'], 1);
      if (!str(p, '--to')) throw new UsageError(msg('cli.copyNeedsTo'));
      break;
    case 'restore-project': allow(p, cmd, ['--project', '--replace', '--helper-image', '--no-fast-path', '--wait'], 1); break;
    case 'verify': allow(p, cmd, [], 1); break;
    case 'find':
      allow(p, cmd, ['--name', '--text', '--json', '--regex', '--case-sensitive', '--word', '--include', '--exclude', '--max', '--helper-image'], 2);
      if (p.flags.has('--name') && p.flags.has('--text')) throw new UsageError(msg('cli.nameAndText'));
      if (p.flags.has('--name') && ['--regex', '--case-sensitive', '--word', '--include', '--exclude', '--max'].some((f) => p.flags.has(f))) throw new UsageError(msg('cli.textOptions'));
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
      allow({ positional: p.positional.slice(0, 1), flags: p.flags }, cmd, ['--stop-timeout', '--settle', '--dry-run', '--compose-ok', ...(cmd === 'rescue' ? ['--list'] : [])], 1);
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
  setLockApp('the CLI'); // a label other processes read: not in this process's language
  const wait = p.flags.has('--wait');
  const lock: LockPolicy = {
    onBusy: (h) => {
      if (wait && !quiet) process.stderr.write(`${t('cli.waiting', { volume: h.volume, holder: describeHolder(h) })}\n`);
      return wait ? 'wait' : 'refuse';
    },
  };
  const opts = { signal: ac.signal, progress, lock };
  let workHelpers: WorkHelpers | undefined;
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
    if (cmd === 'upgrade') return await upgradeCommand(p, engine, ac.signal, quiet);
    if (cmd === 'run-with-volumes-from') return await runWithVolumesFromCommand(p, engine, ac.signal, quiet);
    if (cmd === 'name-volume' || cmd === 'own-copy' || cmd === 'rescue') return await recreateCommand(cmd, p, engine, ac.signal, quiet);
    const host = engine.endpoint.host;
    await sweepHelpers(docker).catch(() => undefined);
    const local = isLocalEngine(engine.endpoint);
    const helperImage = str(p, '--helper-image');
    const noFastPath = p.flags.has('--no-fast-path');
    workHelpers = local && !noFastPath
      ? new WorkHelpers(docker, { images: () => helperImageCandidates(docker, helperImage) })
      : undefined;
    const fastPath: FastPath | undefined = noFastPath ? undefined : { localEngine: local, helperImage, workHelpers };
    switch (cmd) {
      case 'ls': {
        const inv = await new InventoryLoader(engine).load(ac.signal);
        if (p.flags.has('--json')) {
          out(JSON.stringify(inv.volumes.map((v) => ({ name: v.name, driver: v.driver, anonymous: v.anonymous, labels: v.labels, mountpoint: v.mountpoint, users: v.users.map((u) => ({ container: u.containerName, path: u.destination, readOnly: u.readOnly, state: u.containerState })), ...(v.lock ? { busy: describeHolder(v.lock).toString() } : {}) })), null, 2));
        } else {
          const rows = inv.volumes.map((v) => [v.name, v.driver, (v.users.map((u) => `${u.containerName}:${u.destination}${u.readOnly ? ':ro' : ''}`).join(', ') || t('cli.unused')) + (v.lock ? ` ${t('cli.busy', { holder: describeHolder(v.lock) })}` : '')]);
          const head = [t('cli.colVolume'), t('cli.colDriver'), t('cli.colUsedBy')];
          const w = [Math.max(width(head[0]), ...rows.map((r) => width(r[0]))), Math.max(width(head[1]), ...rows.map((r) => width(r[1])))];
          out(`${pad(head[0], w[0])}  ${pad(head[1], w[1])}  ${head[2]}`);
          for (const r of rows) out(`${pad(r[0], w[0])}  ${pad(r[1], w[1])}  ${r[2]}`);
        }
        return 0;
      }
      case 'backup': {
        if (isSetBackup(p)) return await setBackupCommand(p, docker, { host, fastPath, format, opts, quiet });
        const m = splitMount(p.positional[0]);
        const source: BackupSource = m ?? { volumeName: p.positional[0] };
        const r = await backupVolume(docker, { source, file: p.positional[1], format, stopContainers: p.flags.has('--stop-containers'), overwrite: p.flags.has('--overwrite'), engineHost: host,
          fastPath }, opts);
        endProgress(progress);
        for (const w of r.warnings) process.stderr.write(`${t('cli.warning', { text: w })}\n`);
        const done = { file: r.file, entries: r.sidecar.entryCount, method: r.method, bytes: r.sidecar.archiveBytes ?? 0, sha256: r.sidecar.sha256 };
        out(r.stoppedContainers.length ? t('cli.backedUpStopped', { ...done, containers: r.stoppedContainers.join(', ') }) : t('cli.backedUp', done));
        return 0;
      }
      case 'restore': {
        const m = splitMount(p.positional[1]);
        const volumeName = m ? await volumeOfMount(docker, m.container, m.path) : p.positional[1];
        const r = await restoreVolume(docker, {
          file: p.positional[0], volumeName, replace: p.flags.has('--replace'), stopContainers: p.flags.has('--stop-containers'),
          prefix: str(p, '--prefix'), safetyBackupFile: str(p, '--safety-backup'), helperImage, fastPath, engineHost: host,
        }, opts);
        endProgress(progress);
        if (r.layoutNote) process.stderr.write(`${t('cli.note', { text: r.layoutNote })}\n`);
        for (const w of r.warnings) process.stderr.write(`${t('cli.warning', { text: w })}\n`);
        const into = msg(r.created ? 'cli.newVolume' : 'cli.volume', { volume: r.volumeName });
        out(r.safetyBackup ? t('cli.restoredSafety', { entries: r.entries, into, file: r.safetyBackup }) : t('cli.restored', { entries: r.entries, into }));
        return 0;
      }
      case 'clone': {
        const r = await cloneVolume(docker, { source: p.positional[0], target: p.positional[1], stopContainers: p.flags.has('--stop-containers'), helperImage, fastPath, engineHost: host }, opts);
        endProgress(progress);
        for (const w of r.warnings) process.stderr.write(`${t('cli.warning', { text: w })}\n`);
        out(t('cli.cloned', { source: p.positional[0], volume: r.volumeName, entries: r.entries }));
        return 0;
      }
      case 'restore-project': {
        const r = await restoreProject(docker, { from: p.positional[0], project: str(p, '--project'), replace: p.flags.has('--replace'), helperImage, fastPath, engineHost: host }, opts);
        endProgress(progress);
        for (const w of r.warnings) process.stderr.write(`${t('cli.warning', { text: w })}\n`);
        const safety = r.volumes.filter((v) => v.safetyBackup).map((v) => v.safetyBackup);
        out(t('cli.projectRestored', {
          count: r.volumes.length, volumes: r.volumes.map((v) => v.volumeName).join(', '),
          project: r.project ? msg('cli.ofProject', { project: r.project }) : '',
          safety: safety.length ? msg('cli.safetyBackups', { files: safety.join(', ') }) : '',
        }));
        return 0;
      }
    }
    return 2;
  } finally {
    await workHelpers?.dispose();
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
}

/** `backup --all`, `--project`, `--to`, or more than two names: the several-volumes form. */
function isSetBackup(p: Parsed): boolean {
  return p.flags.has('--all') || p.flags.has('--project') || p.flags.has('--to');
}

async function setBackupCommand(p: Parsed, docker: Dockerode, c: { host: string; fastPath?: FastPath; format?: ArchiveFormat; opts: { signal: AbortSignal; progress?: Progress; lock: LockPolicy }; quiet: boolean }): Promise<number> {
  const project = str(p, '--project');
  let volumes = p.positional;
  if (p.flags.has('--all') || project) {
    const list = await docker.listVolumes(project ? { filters: { label: [`${COMPOSE_PROJECT_LABEL}=${project}`] } } : {});
    volumes = (list.Volumes ?? []).map((v) => v.Name).sort();
    if (!volumes.length) throw new CoreError(project ? msg('cli.projectNoVolumes', { project, label: `${COMPOSE_PROJECT_LABEL}=${project}` }) : msg('cli.noVolumes'));
  }
  const tty = !c.quiet && process.stderr.isTTY;
  const r = await backupSet(docker, {
    volumes, dir: str(p, '--to') ?? '', project, jobs: count(p, '--jobs', 1), keep: count(p, '--keep', 1),
    stopContainers: p.flags.has('--stop-containers'), format: c.format, fastPath: c.fastPath, engineHost: c.host,
  }, { ...c.opts, onVolumeDone: (name, o) => {
    if (o instanceof Error) process.stderr.write(`${tty ? '\r\x1b[K' : ''}${t('cli.setFailed', { volume: name, error: oneLine(o) })}\n`);
    else if (tty) process.stderr.write(`\r\x1b[K${t('cli.setVolumeDone', { volume: name, entries: o.sidecar.entryCount, bytes: o.sidecar.archiveBytes })}\n`);
  } });
  endProgress(c.opts.progress);
  for (const w of r.warnings) process.stderr.write(`${t('cli.warning', { text: w })}\n`);
  out(t('cli.setSummary', {
    done: r.done.length, total: r.done.length + r.failed.length, dir: path.resolve(str(p, '--to') ?? ''),
    record: r.recordFile ? msg('cli.setRecord', { file: path.basename(r.recordFile) }) : '',
    failed: r.failed.length ? msg('cli.setFailedList', { volumes: r.failed.map((f) => f.name).join(', ') }) : '',
    removed: r.removed.length ? msg('cli.setRemoved', { count: r.removed.length }) : '',
  }));
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
        out(JSON.stringify({ volume: vf.volume, folders: rows.map((f) => ({ path: f.path, bytes: f.bytes, entries: f.files })), biggestFiles: du.biggestFiles.slice(0, 20) }, null, 2));
      } else {
        for (const f of rows) out(`${formatBytes(f.bytes).padStart(10)}  ${t('cli.entries', { count: f.files }).padStart(17)}  ${'  '.repeat(f.path === '/' ? 0 : f.path.split('/').length - 1)}${f.path}`);
        out(`\n${t('cli.biggestFiles')}`);
        for (const f of du.biggestFiles.slice(0, 20)) out(`${formatBytes(f.bytes).padStart(10)}  ${f.path}`);
      }
      return 0;
    }
    const pattern = p.positional[1];
    if (p.flags.has('--name')) {
      const matches: string[] = [];
      const test = nameMatcher(pattern);
      await listVolumeFiles(vf, { signal, onBatch: (b) => { for (const x of b) if (test(x)) matches.push(x); } });
      matches.sort();
      if (json) out(JSON.stringify(matches, null, 2));
      else for (const m of matches) out(m);
      return 0;
    }
    const globs = (k: string) => (str(p, k) ?? '').split(',').map((g) => g.trim()).filter(Boolean);
    const files: FileMatches[] = [];
    const summary = await searchVolumeText(vf, {
      pattern, regex: p.flags.has('--regex'), caseSensitive: p.flags.has('--case-sensitive'), wholeWord: p.flags.has('--word'),
      include: globs('--include'), exclude: globs('--exclude'),
    }, { signal, maxResults: count(p, '--max', 0) ?? 2000, onFile: (f) => { if (json) files.push(f); else for (const l of f.lines) out(`${f.path}:${l.line}:${l.text}`); } });
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

/** `upgrade`: the plan on stderr (stdout with --dry-run), then each step as it runs. */
async function upgradeCommand(p: Parsed, engine: Engine, signal: AbortSignal, quiet: boolean): Promise<number> {
  const stopTimeoutSeconds = count(p, '--stop-timeout', 0);
  const settleMs = count(p, '--settle', 0);
  const plan = await planUpgrade(engine, {
    container: p.positional[0], image: p.positional[1], keepOld: p.flags.has('--keep-old'),
    ...(stopTimeoutSeconds !== undefined ? { stopTimeoutSeconds } : {}), ...(settleMs !== undefined ? { settleMs } : {}),
  });
  if (p.flags.has('--dry-run')) {
    out(formatPlan(plan, LANG));
    return 0;
  }
  if (plan.compose && !p.flags.has('--compose-ok')) {
    throw new CoreError(msg('cli.mig.compose', { name: plan.facts.name, project: plan.compose.project }));
  }
  const say = (line: string) => { if (!quiet) process.stderr.write(`${line}\n`); };
  say(formatPlan(plan, LANG));
  const r = await executeUpgrade(engine, plan, { signal, log: say });
  const done = msg(r.running ? 'cli.mig.upgraded' : 'cli.mig.upgradedStopped', { name: r.name, image: r.image, id: r.newId.slice(0, 12) });
  out(r.oldName ? t('cli.mig.keptOld', { done, old: r.oldName }) : done.render(LANG));
  return 0;
}

/** `name-volume`, `own-copy` and `rescue`: as `upgrade`, the plan first, then each step. */
async function recreateCommand(cmd: 'name-volume' | 'own-copy' | 'rescue', p: Parsed, engine: Engine, signal: AbortSignal, quiet: boolean): Promise<number> {
  const stopTimeoutSeconds = count(p, '--stop-timeout', 0);
  const settleMs = count(p, '--settle', 0);
  const common = { ...(stopTimeoutSeconds !== undefined ? { stopTimeoutSeconds } : {}), ...(settleMs !== undefined ? { settleMs } : {}) };
  const m = splitMount(p.positional[0]);
  if (cmd === 'rescue' && m && p.flags.has('--list')) {
    for (const c of await writableLayerChanges(engine, m.container)) out(`${c.kind === 'added' ? 'A' : c.kind === 'deleted' ? 'D' : 'C'} ${c.path}`);
    return 0;
  }
  const plan = cmd === 'rescue' && m
    ? await planRescue(engine, { container: m.container, path: m.path, newName: p.positional[1], ...common })
    : cmd === 'name-volume' && m
    ? await planNameVolume(engine, { container: m.container, destination: m.path, newName: p.positional[1], ...common })
    : await planOwnCopy(engine, { container: p.positional[0], ...common });
  if (p.flags.has('--dry-run')) {
    out(formatPlan(plan, LANG));
    return 0;
  }
  if (plan.compose && !p.flags.has('--compose-ok')) {
    throw new CoreError(msg('cli.mig.compose', { name: plan.facts.name, project: plan.compose.project }));
  }
  const say = (line: string) => { if (!quiet) process.stderr.write(`${line}\n`); };
  say(formatPlan(plan, LANG));
  if (cmd === 'rescue') {
    const r = await executeRescue(engine, plan, { signal, log: say });
    out(t('cli.mig.rescued', { name: r.name, path: m?.path ?? '', volume: r.volume }));
  } else if (cmd === 'name-volume') {
    const r = await executeNameVolume(engine, plan, { signal, log: say });
    out(t('cli.mig.named', { name: r.name, volume: r.volume, path: m?.path ?? '', anonymous: r.anonymousVolume }));
  } else {
    const r = await executeOwnCopy(engine, plan, { signal, log: say });
    out(t('cli.mig.ownCopy', { name: r.name, pairs: Object.entries(r.volumes).map(([d, v]) => `${d} -> ${v}`).join(', ') }));
  }
  return 0;
}

/** `run-with-volumes-from`: as `upgrade`, the plan first, then each step. */
async function runWithVolumesFromCommand(p: Parsed, engine: Engine, signal: AbortSignal, quiet: boolean): Promise<number> {
  const [source, image, name, ...command] = p.positional;
  const check = count(p, '--check', 1);
  const plan = await planRunWithVolumesFrom(engine, {
    source, image, name, command, mode: p.flags.has('--ro') ? 'ro' : 'rw', start: !p.flags.has('--no-start'),
    ...(check !== undefined ? { checkStaysUpMs: check } : {}),
  });
  if (p.flags.has('--dry-run')) {
    out(formatPlan(plan, LANG));
    return 0;
  }
  const say = (line: string) => { if (!quiet) process.stderr.write(`${line}\n`); };
  say(formatPlan(plan, LANG));
  const r = await executeRunWithVolumesFrom(engine, plan, { signal, log: say });
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
        re += '[' + pattern.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\') + ']';
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

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (e: unknown) => {
      const line = e instanceof VolumeBusyError ? t('cli.busyWait', { volume: e.holder.volume, holder: describeHolder(e.holder) }) : oneLine(e);
      process.stderr.write(`${process.stderr.isTTY ? '\r\x1b[K' : ''}container-volumes: ${line}\n`);
      process.exitCode = e instanceof UsageError ? 2 : 1;
    },
  );
}
