// The shell helper's constant scripts (paths only ever as "$@") and the parser of what they print:
// byte-exact records of stat(1) output, and a failed command's stderr mapped to an error code.
import { msg } from '../message';
import type { EntryType, VolumeStat } from './fileBackend';
import { VolumeFsError, type VolumeFsErrorCode } from './fsErrors';
import { withoutMount } from './volumePath';

// `%y` keeps nanoseconds (`%Y` is whole seconds: a save conflict waiting to happen).
export const FIELDS = '%f %s %u %g %y';
const FIELD_COUNT = 7; // hex mode, size, uid, gid, date, time, zone
// Constant scripts: paths arrive as "$@", never inside the script text.
export const STAT_SCRIPT = [
  'f="$1"; shift',
  'for p do',
  '  if [ -e "$p" ] || [ -L "$p" ]; then',
  '    stat -c "S $f" -- "$p" || exit 4',
  '    if [ -L "$p" ]; then',
  '      stat -L -c "T $f" -- "$p" 2>/dev/null || echo B',
  '      r=$(readlink -f -- "$p") && printf "R%s\\0\\n" "$r" || echo U',
  '    fi',
  '  else echo N; fi',
  'done',
].join('\n');
export const LIST_SCRIPT = [
  'cd -- "$1" || exit 3',
  'stat -c "S $2" . || exit 4',
  // `%n` is `./NAME`; we append "/", which no name can contain, so names with newlines parse.
  'find . -mindepth 1 -maxdepth 1 -exec stat -c "C $2 %n/" {} +',
  'find . -mindepth 1 -maxdepth 1 -type l -exec stat -L -c "L $2 %n/" {} + 2>/dev/null',
  'exit 0',
].join('\n');
export const MKDIR_SCRIPT = 'mkdir -- "$1" && chown -- "$2" "$1"';
export const DELETE_SCRIPT = 'rm -r -f -- "$1"';
export const RENAME_SCRIPT = 'if [ "$3" = 1 ]; then rm -r -f -- "$2" || exit 5; fi; mv -T -- "$1" "$2"';
export const COPY_SCRIPT = 'if [ "$3" = 1 ]; then rm -r -f -- "$2" || exit 5; fi; cp -a -T -- "$1" "$2"';
// One exec for everything a poll watches in a volume (the provider's change polling): "$1" the stat
// format, "$2" the number of folders, then one (path, hash of its last listing) pair per folder, then
// the files. A folder whose listing hashes as before answers `E` (a few bytes, however large the
// folder); a changed one `D<hash>` and its entries; a vanished one `N`. A file answers its stat (of
// what a link points to: what an editor shows) or `N`. md5sum is optional: without it every listing
// is sent.
export const SNAPSHOT_SCRIPT = [
  'f="$1"; nd="$2"; shift 2',
  'while [ "$nd" -gt 0 ]; do',
  '  p="$1"; h="$2"; shift 2; nd=$((nd - 1))',
  '  if [ -d "$p" ] && cd -- "$p" 2>/dev/null; then',
  '    o=$(find . -mindepth 1 -maxdepth 1 -exec stat -c "C $f %n/" {} + 2>/dev/null)',
  '    s=$(printf "%s\\n" "$o" | md5sum 2>/dev/null); s=${s%% *}',
  '    if [ -n "$s" ] && [ "$s" = "$h" ]; then echo E',
  '    else printf "D%s\\n" "${s:-x}"; [ -z "$o" ] || printf "%s\\n" "$o"; fi',
  '  else echo N; fi',
  'done',
  'for p do stat -L -c "S $f" -- "$p" 2>/dev/null || echo N; done',
  'exit 0',
].join('\n');
export const PROBE_SCRIPT =
  'find / -maxdepth 0 -exec stat -c "%f %y" {} + && readlink -f / && cp --help 2>&1 | grep -q -- -T && mv --help 2>&1 | grep -q -- -T';

function modeType(mode: number): EntryType {
  switch (mode & 0o170000) {
    case 0o100000:
      return 'file';
    case 0o040000:
      return 'directory';
    case 0o120000:
      return 'symlink';
    default:
      return 'other';
  }
}

export interface StatRecord {
  readonly tag: 'S' | 'T' | 'C' | 'L' | 'N' | 'B' | 'U' | 'R' | 'D' | 'E';
  readonly stat: VolumeStat;
  /** Entry name for C/L records (listing), resolved path for R, listing hash for D. */
  readonly name?: string;
}

const NO_STAT: VolumeStat = { type: 'other', size: 0, mtimeMs: 0, mode: 0 };

/**
 * Parses the helper's records, byte by byte so that multi-byte names and names with newlines or
 * spaces survive: `S|T FIELDS\n` (a path, a link's target) or `C|L FIELDS ./NAME/\n` (a listed
 * entry, a listed link's target), where NAME ends at the first `/` (no name holds one);
 * `R<path>\0\n` for a resolved link; `D<hash>\n` before a snapshot's changed listing; `N`, `B`,
 * `U`, `E` alone on a line.
 */
export function parseRecords(buf: Buffer): StatRecord[] {
  const out: StatRecord[] = [];
  let i = 0;
  const bad = () => new VolumeFsError('Unavailable', '/', msg('fs.unparsable', { what: 'helper', near: `byte ${i}` }));
  while (i < buf.length) {
    const tag = String.fromCharCode(buf[i]) as StatRecord['tag'];
    if (tag === 'N' || tag === 'B' || tag === 'U' || tag === 'E') {
      if (buf[i + 1] !== 0x0a) throw bad();
      out.push({ tag, stat: NO_STAT });
      i += 2;
      continue;
    }
    if (tag === 'R') {
      const end = buf.indexOf(0, i + 1);
      if (end < 0 || buf[end + 1] !== 0x0a) throw bad();
      out.push({ tag, stat: NO_STAT, name: buf.subarray(i + 1, end).toString('utf8') });
      i = end + 2;
      continue;
    }
    if (tag === 'D') {
      const end = buf.indexOf(0x0a, i + 1);
      if (end < 0) throw bad();
      out.push({ tag, stat: NO_STAT, name: buf.subarray(i + 1, end).toString('latin1') });
      i = end + 1;
      continue;
    }
    const named = tag === 'C' || tag === 'L';
    if ((tag !== 'S' && tag !== 'T' && !named) || buf[i + 1] !== 0x20) throw bad();
    i += 2;
    const tok: string[] = [];
    for (let k = 0; k < FIELD_COUNT; k++) {
      const end = buf.indexOf(k === FIELD_COUNT - 1 && !named ? 0x0a : 0x20, i);
      if (end < 0) throw bad();
      tok.push(buf.subarray(i, end).toString('latin1'));
      i = end + 1;
    }
    let name: string | undefined;
    if (named) {
      if (buf[i] !== 0x2e || buf[i + 1] !== 0x2f) throw bad();
      const end = buf.indexOf(0x2f, i + 2);
      if (end < 0 || buf[end + 1] !== 0x0a) throw bad();
      name = buf.subarray(i + 2, end).toString('utf8');
      i = end + 2;
    }
    const rawMode = parseInt(tok[0], 16);
    const stat: VolumeStat = {
      type: modeType(rawMode),
      size: Number(tok[1]),
      uid: Number(tok[2]),
      gid: Number(tok[3]),
      mode: rawMode & 0o7777,
      mtimeMs: parseStatTime(tok[4], tok[5], tok[6]),
    };
    out.push({ tag, stat, ...(name !== undefined ? { name } : {}) });
  }
  return out;
}

/** `2026-11-28 02:58:30.312539109 +0000` (stat's %y) to ms since the epoch. */
export function parseStatTime(date: string, time: string, zone: string): number {
  const [hms, frac = ''] = time.split('.');
  const ms = (frac + '000').slice(0, 3);
  const z = /^[+-]\d{4}$/.test(zone) ? `${zone.slice(0, 3)}:${zone.slice(3)}` : 'Z';
  const t = Date.parse(`${date}T${hms}.${ms}${z}`);
  if (Number.isNaN(t)) throw new VolumeFsError('Unavailable', '/', msg('fs.badTime', { time: `${date} ${time} ${zone}` }));
  return t;
}

/** Maps a failed command's stderr (busybox or coreutils wording) to an error code, keeping the reason. */
export function errorFromStderr(vp: string, stderr: string): VolumeFsError {
  const said = withoutMount(stderr).trim().split('\n').pop();
  const reason = said ? msg('plain', { detail: said }) : msg('fs.commandFailed');
  const code: VolumeFsErrorCode =
    /No such file or directory|can't cd/i.test(stderr) && !/Not a directory/i.test(stderr)
      ? 'FileNotFound'
      : /File exists/i.test(stderr)
        ? 'FileExists'
        : /Not a directory/i.test(stderr)
          ? 'FileNotADirectory'
          : /Is a directory/i.test(stderr)
            ? 'FileIsADirectory'
            : /Read-only file system|Permission denied|Operation not permitted/i.test(stderr)
              ? 'NoPermissions'
              : 'Unavailable';
  return new VolumeFsError(code, vp, reason);
}
