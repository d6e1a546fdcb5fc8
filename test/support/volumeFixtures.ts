// Fixtures for the data-operation tests: fill a volume with every kind of entry that must survive a
// round trip, and list a volume file by file (type, mode, owner, size, mtime, link target, checksum)
// from inside a busybox helper, so two volumes can be compared exactly.
import type Dockerode from 'dockerode';
import { HELPER_LABEL } from '../../src/core/engine/engine';
import { sh } from './docker';

export const LONG = 'x'.repeat(200);

/** Everything the issue lists: uid/gid, setuid/setgid/sticky, symlinks abs/rel/dangling (one owned by a user), hardlinks, FIFO, long and Unicode names, empty dirs. */
export const FILL_SCRIPT = [
  'set -e',
  'cd /v',
  'mkdir -p d/empty "üñí ç😀" sticky',
  'echo hello > d/f',
  'chown 1234:5678 d/f',
  'chmod 4755 d/f',
  'chmod 1777 sticky',
  'chmod 2750 d',
  'chown 42:43 d',
  'ln -s /etc/passwd abs',
  'ln -s d/f rel',
  'chown -h 5:6 rel', // busybox tar leaves symlinks owned by root: the fast restore must set them
  'ln -s nowhere dangling',
  'ln d/f hard',
  'mkfifo fifo',
  `mkdir -p "deep/${LONG}"`,
  `echo long > "deep/${LONG}/${LONG}"`,
  'echo ünï > "üñí ç😀/fïlé"',
  'dd if=/dev/urandom of=big bs=1024 count=300 2>/dev/null',
  'touch -d "2020-01-02 03:04:05" d/f big',
].join('\n');

/** One line per entry, sorted; hard-link counts stand for "same inode". */
export const LIST_SCRIPT = `cd /v && find . | LC_ALL=C sort | while IFS= read -r f; do
  line=$(stat -c '%n %F %a %u %g %h' "$f")
  if [ -L "$f" ]; then line="$line -> $(readlink "$f")"
  elif [ -f "$f" ]; then line="$line $(stat -c '%s %Y' "$f") $(md5sum < "$f" | cut -c1-32)"; fi
  echo "$line"
done`;

/**
 * A volume with what tar cannot or may not carry alike everywhere: a unix socket (busybox syslogd
 * binds /dev/log, and follows that symlink into the volume; killed, it leaves the socket behind) and a FIFO.
 */
export const SOCKET_SCRIPT = [
  'set -e',
  'cd /v',
  'echo data > plain',
  'mkdir sub',
  'mkfifo sub/pipe',
  'ln -sf /v/sub/listening.sock /dev/log',
  'syslogd -n -O /dev/null & p=$!',
  'for i in $(seq 1 50); do [ -S sub/listening.sock ] && break; sleep 0.1; done',
  'kill -9 $p',
  '[ -S sub/listening.sock ]',
].join('\n');

/** A volume's listing without its sockets: what every path carries (Docker's archive GET skips them, tar too). */
export function withoutSockets(listing: string): string {
  return listing
    .split('\n')
    .filter((l) => !/ socket /.test(l))
    .join('\n');
}

export async function fillVolume(docker: Dockerode, suite: string, volume: string, script = FILL_SCRIPT): Promise<void> {
  await sh(docker, suite, script, [`${volume}:/v`]);
}

export async function listVolume(docker: Dockerode, suite: string, volume: string): Promise<string> {
  return (await sh(docker, suite, LIST_SCRIPT, [`${volume}:/v`])).replace(/\r/g, '').trim();
}

/** Our helpers that are still there (created by this process), e.g. after a cancel. */
export async function liveHelpers(docker: Dockerode, suiteLabel: string, value: string): Promise<string[]> {
  const list = await docker.listContainers({ all: true, filters: { label: [HELPER_LABEL, `${suiteLabel}=${value}`] } });
  return list.map((c) => c.Names[0] ?? c.Id);
}
