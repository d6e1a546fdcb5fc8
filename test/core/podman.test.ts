// Podman through its Docker-compatible socket, rootful (scripts/podman.sh) and rootless (scripts/podman-rootless.sh):
// browse, edit, backup, restore, copy both ways (tar in a helper, owners kept); then what only rootless
// Podman does (its socket found where a user's Podman puts it, owners in the user's id range). Differences: docs/engines.md.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, linkSync, lchownSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { backupVolume } from '../../src/core/operations/backupVolume';
import { cloneVolume } from '../../src/core/operations/cloneVolume';
import { copyVolumeToEngine } from '../../src/core/operations/copyToEngine';
import { Engine, TEST_LABEL } from '../../src/core/engine/engine';
import { engineRef, knownEngines, resolveTarget } from '../../src/core/engine/engineConfig';
import { restoreVolume } from '../../src/core/operations/restoreVolume';
import { VolumeFiles } from '../../src/core/files/volumeFiles';
import { OperationRefusedError } from '../../src/core/operations/operationErrors';
import { WorkHelpers } from '../../src/core/helpers/workHelpers';
import { tarIn, tarOut } from '../../src/core/helpers/execTar';
import { removeHelper, startShellHelper } from '../../src/core/helpers/helperContainers';
import { BUSYBOX, cleanup, contextOf, createVolume, labels, podmanEngine, podmanRootlessEngine, runContainer, sh, testEngine, uniq } from '../support/docker';
import { refusingProxy } from '../support/refusingProxy';
import { FILL_SCRIPT, fillVolume, listVolume, liveHelpers, SOCKET_SCRIPT, withoutSockets } from '../support/volumeFixtures';

/** The fixture without its chown lines: what Podman's archive endpoints can carry. */
const ROOT_OWNED = FILL_SCRIPT.split('\n')
  .filter((l) => !l.startsWith('chown'))
  .join('\n');
/** More owners on top of the fixture: a web server's (33, www-data in busybox, 82 in alpine) and a user's, setuid and setgid. */
const MORE_OWNERS = [
  'set -e',
  'cd /v',
  'mkdir www home',
  'echo "<h1>hi</h1>" > www/index.html',
  'chown -R 33:33 www',
  'echo mine > home/user.txt',
  'chown 1000:1000 home home/user.txt',
  'chmod 6750 home/user.txt',
  'chmod 700 home',
  'ln -s user.txt home/link',
  'chown -h 1000:1000 home/link',
].join('\n');

/**
 * A backup made by GNU tar on the host, as another program makes one: the root folder 1000:1000,
 * a web server's files (33:33), a user's setuid+setgid file with a hard link and a symlink the user
 * owns, a name with a newline, and what `extra` adds in the tree (chown of host paths). Returns the file.
 */
function gnuTarArchive(dir: string, name: string, extra?: (root: string) => void): string {
  const root = path.join(dir, `${name}-tree`);
  mkdirSync(path.join(root, 'www'), { recursive: true });
  mkdirSync(path.join(root, 'home'));
  writeFileSync(path.join(root, 'www', 'index.html'), '<h1>hi</h1>\n');
  writeFileSync(path.join(root, 'www', 'new\nline'), 'a name with a newline\n');
  writeFileSync(path.join(root, 'home', 'user.txt'), 'mine\n');
  linkSync(path.join(root, 'home', 'user.txt'), path.join(root, 'home', 'hard'));
  symlinkSync('user.txt', path.join(root, 'home', 'link'));
  for (const p of ['www', 'www/index.html', 'www/new\nline']) chownSync(path.join(root, p), 33, 33);
  for (const p of ['.', 'home', 'home/user.txt']) chownSync(path.join(root, p), 1000, 1000);
  lchownSync(path.join(root, 'home', 'link'), 1000, 1000);
  chmodSync(path.join(root, 'home', 'user.txt'), 0o6750);
  chmodSync(path.join(root, 'home'), 0o700);
  extra?.(root);
  const file = path.join(dir, `${name}.tar`);
  execFileSync('tar', ['-c', '--numeric-owner', '-f', file, '-C', root, '.']);
  rmSync(root, { recursive: true });
  return file;
}

function socketOf(e: Engine): string {
  assert.ok(e.endpoint.host.startsWith('unix://'), e.endpoint.host);
  return e.endpoint.host.slice('unix://'.length);
}

/** The user who runs the engine: its socket's owner (root for rootful Podman). */
function engineUser(e: Engine): { uid: number; gid: number } {
  const { uid, gid } = statSync(socketOf(e));
  return { uid, gid };
}

/**
 * Runs `f` as the engine's user (effective ids), as the extension runs for a user of rootless Podman:
 * the backup's file is created by this process and written by `tar` in a helper, whose root is that user.
 */
async function asEngineUser<T>(e: Engine, f: () => Promise<T>): Promise<T> {
  const { uid, gid } = engineUser(e);
  if (uid === process.geteuid?.()) return f();
  process.setegid?.(gid);
  process.seteuid?.(uid);
  try {
    return await f();
  } finally {
    process.seteuid?.(0);
    process.setegid?.(0);
  }
}

interface IdMap {
  readonly container_id: number;
  readonly host_id: number;
  readonly size: number;
}

interface LibpodInfo {
  readonly host?: { readonly security?: { readonly rootless?: boolean }; readonly idMappings?: { readonly uidmap?: IdMap[]; readonly gidmap?: IdMap[] } };
}

/** Podman's own info (versioned path: its API wants one); the compatible /info does not say whether it runs rootless. */
function libpodInfo(e: Engine): Promise<LibpodInfo> {
  return new Promise((resolve, reject) => {
    http
      .get({ socketPath: socketOf(e), path: '/v4.0.0/libpod/info' }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200) reject(new Error(`libpod info: ${res.statusCode ?? '?'} ${text}`));
          else resolve(JSON.parse(text) as LibpodInfo);
        });
      })
      .on('error', reject);
  });
}

const VARIANTS = [
  { name: 'rootful', suite: 'podman-engine', engine: podmanEngine, rootless: false },
  { name: 'rootless', suite: 'podman-rootless-engine', engine: podmanRootlessEngine, rootless: true },
] as const;

for (const variant of VARIANTS) {
  const SUITE = variant.suite;
  suite(`Podman ${variant.name} (Docker-compatible socket): browse, backup, restore, copy to and from Docker`, function () {
    this.timeout(180_000);
    const docker = testEngine();
    const podman = variant.engine();
    const helperLabels = labels(SUITE);
    let tmp: string;
    let source: string;
    let before: string;
    const helpers: WorkHelpers[] = [];

    /** The fast path as the extension and the CLI offer it (a unix socket: this machine). */
    async function fastPathOf(e: Engine) {
      const isLocal = await e.isLocal();
      const workHelpers = isLocal ? new WorkHelpers(e.docker, { images: () => Promise.resolve([BUSYBOX]), labels: helperLabels }) : undefined;
      if (workHelpers) helpers.push(workHelpers);
      return { localEngine: isLocal, helperImage: BUSYBOX, workHelpers };
    }

    suiteSetup(async () => {
      await cleanup(podman.docker, SUITE);
      await cleanup(docker.docker, SUITE);
      assert.equal((await podman.info()).flavor, 'podman', 'the Podman socket answers as Podman');
      assert.equal((await libpodInfo(podman)).host?.security?.rootless, variant.rootless, `Podman runs ${variant.name}`);
      tmp = mkdtempSync(path.join(os.tmpdir(), 'cv-podman-'));
      // the engine's user's folder, as a user's own folder is for the Podman that user runs
      chownSync(tmp, engineUser(podman).uid, engineUser(podman).gid);
      source = uniq('podman-src');
      await createVolume(podman.docker, SUITE, source, { 'com.example.team': 'data ü' });
      await fillVolume(podman.docker, SUITE, source);
      before = await listVolume(podman.docker, SUITE, source);
    });
    suiteTeardown(async () => {
      await Promise.all(helpers.map((h) => h.dispose()));
      if (tmp) rmSync(tmp, { recursive: true, force: true });
      await cleanup(podman.docker, SUITE);
      await cleanup(docker.docker, SUITE);
    });

    test('browse and edit a volume on Podman', async () => {
      const files = await VolumeFiles.open(podman, { volume: source, helperImages: [BUSYBOX], labels: helperLabels });
      try {
        const names = (await files.list('/')).map((e) => e.name).sort();
        assert.ok(names.includes('d') && names.includes('big') && names.includes('üñí ç😀'), names.join(','));
        assert.equal((await files.read('/d/f')).toString(), 'hello\n');
        await files.write('/edited.txt', Buffer.from('written on podman\n'), { create: true, overwrite: true });
      } finally {
        await files.close();
      }
      assert.equal(await sh(podman.docker, SUITE, 'cat /v/edited.txt; rm /v/edited.txt', [`${source}:/v`]), 'written on podman\r\n');
    });

    test('back up a Podman volume and restore it into a new one, data compared file by file', async () => {
      const file = path.join(tmp, 'podman.tar');
      const b = await asEngineUser(podman, async () =>
        backupVolume(contextOf(podman, { helperLabels, fastPath: await fastPathOf(podman) }), {
          source: { volumeName: source },
          file,
        }),
      );
      assert.ok(b.sidecar.entryCount > 10, `${b.sidecar.entryCount} entries`);
      // the fast path (tar in a helper, a unix socket: this machine) keeps owners; Podman's archive GET would not
      assert.equal(b.method, 'helper-tar');
      const into = uniq('podman-restored');
      const r = await asEngineUser(podman, async () =>
        restoreVolume(contextOf(podman, { helperLabels, fastPath: await fastPathOf(podman), helperImage: BUSYBOX }), {
          file,
          volumeName: into,
          volumeLabels: helperLabels,
        }),
      );
      assert.equal(r.method, 'helper-tar');
      assert.equal(await listVolume(podman.docker, SUITE, into), before);
    });

    for (const how of ['work helper', 'one-shot helper'] as const) {
      test(`a fast-path backup (${how}) run by root into root's own folder: ${variant.rootless ? "rootless Podman's helper cannot write there, so tar in a helper over the API" : 'tar in a helper writing the folder'}, owners kept, nothing left behind`, async () => {
        const dir = mkdtempSync(path.join(os.tmpdir(), 'cv-podman-root-')); // root's, 0700: as a root user's folder is
        try {
          // (engine lock markers, cv-read-*, are the locks' business: rootless Podman may remove them a moment late)
          const live = async () => (await liveHelpers(podman.docker, TEST_LABEL, SUITE)).filter((n) => !/^\/?cv-(read|lock)-/.test(n));
          const earlier = await live(); // the work helpers of the suite's other tests
          const fast = await fastPathOf(podman);
          const file = path.join(dir, 'by-root.tar');
          const b = await backupVolume(contextOf(podman, { helperLabels, fastPath: how === 'work helper' ? fast : { ...fast, workHelpers: undefined } }), {
            source: { volumeName: source },
            file,
          });
          assert.equal(b.method, variant.rootless ? 'exec-tar' : 'helper-tar');
          assert.deepEqual(b.warnings, []);
          assert.deepEqual(readdirSync(dir).sort(), ['by-root.tar', 'by-root.tar.json'], 'no partial file left');
          await fast.workHelpers?.dispose();
          assert.deepEqual(await live(), earlier, 'no helper left');
          const into = uniq('by-root-on-docker');
          await restoreVolume(contextOf(docker, { helperImage: BUSYBOX, helperLabels }), { file, volumeName: into, volumeLabels: helperLabels });
          assert.equal(await listVolume(docker.docker, SUITE, into), before);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });
    }

    test(`a fast-path restore and a clone run by root, of root's own archive (0600 in a 0700 folder): ${variant.rootless ? "rootless Podman's helper cannot read it, so tar -x in a helper over the API" : 'tar in the work helper'}; the clone by cp in the work helper; owners kept`, async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'cv-podman-root-'));
      try {
        const file = path.join(dir, 'root-owned.tar');
        await backupVolume(contextOf(podman, { helperLabels }), { source: { volumeName: source }, file });
        assert.equal(statSync(file).mode & 0o777, 0o600);
        const ctx = contextOf(podman, { helperLabels, fastPath: await fastPathOf(podman), helperImage: BUSYBOX });
        const into = uniq('root-restored');
        const r = await restoreVolume(ctx, { file, volumeName: into, volumeLabels: helperLabels });
        assert.equal(r.method, variant.rootless ? 'exec-tar' : 'helper-tar');
        if (variant.rootless) assert.match(r.fastPathSkipped ?? '', /runs rootless as uid \d+, who cannot read the archive/);
        assert.equal(await listVolume(podman.docker, SUITE, into), before);
        const c = await cloneVolume(ctx, { source, target: uniq('root-cloned'), volumeLabels: helperLabels });
        assert.equal(c.method, 'helper-cp');
        assert.equal(await listVolume(podman.docker, SUITE, c.volumeName), before);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    test('a backup of a Podman volume reached as a remote engine (no fast path) keeps owners: tar in a helper, restored on Docker file by file', async () => {
      const file = path.join(tmp, 'podman-remote.tar');
      const b = await backupVolume(contextOf(podman, { helperLabels }), {
        source: { volumeName: source },
        file,
      });
      assert.equal(b.method, 'exec-tar');
      assert.deepEqual(b.warnings, []);
      const into = uniq('podman-remote-restored');
      await restoreVolume(contextOf(docker, { helperImage: BUSYBOX, helperLabels }), { file, volumeName: into, volumeLabels: helperLabels });
      assert.equal(await listVolume(docker.docker, SUITE, into), before);
    });

    test("a backup of a container's mount on a remote Podman: tar in a helper, entries under the mount's folder as the archive endpoint names them, owners kept", async () => {
      const id = await runContainer(podman.docker, SUITE, { binds: [`${source}:/logs`], start: false });
      const file = path.join(tmp, 'podman-mount.tar');
      const b = await backupVolume(contextOf(podman, { helperLabels }), {
        source: { container: id, path: '/logs' },
        file,
      });
      assert.equal(b.method, 'exec-tar');
      const listing = execFileSync('tar', ['-tv', '--numeric-owner', '-f', file], { encoding: 'utf8' });
      assert.match(listing, /^drwxr-xr-x 0\/0 .* logs\/$/m);
      assert.match(listing, /^-rwsr-xr-x 1234\/5678 .* logs\/(d\/f|hard)$/m);
      assert.match(listing, /^lrwxrwxrwx 5\/6 .* logs\/rel -> d\/f$/m);
    });

    test('without a helper image with tar on Podman (its image list empty): a backup says the owners are missing, a copy from it is refused as before', async () => {
      const proxy = await refusingProxy(() => false, undefined, {
        upstream: socketOf(podman),
        answer: (method, url) => (method === 'GET' && /^(\/v[\d.]+)?\/images\/json/.test(url) ? [] : undefined),
      });
      try {
        const b = await backupVolume(contextOf(proxy.engine, { helperLabels }), { source: { volumeName: source }, file: path.join(tmp, 'podman-archive.tar') });
        assert.equal(b.method, 'archive-endpoint');
        assert.deepEqual(
          b.warnings.map((w) => w.code),
          ['backup.podmanOwners'],
        );
        const target = uniq('from-podman-no-tar');
        await assert.rejects(copyVolumeToEngine(contextOf(proxy.engine, { helperLabels }), { source, target, to: docker }), (e: unknown) => {
          assert.ok(e instanceof OperationRefusedError);
          assert.match(e.message, /is Podman, whose archive endpoint gives every file as owned by root/);
          return true;
        });
        assert.deepEqual(
          ((await docker.docker.listVolumes()).Volumes ?? []).filter((v) => v.Name === target),
          [],
        );
        // A restore and a clone go through the archive endpoints as before, and say the owners are lost.
        const r = await restoreVolume(contextOf(proxy.engine, { helperLabels }), {
          file: gnuTarArchive(tmp, 'gnu-no-tar'),
          volumeName: uniq('restore-no-tar'),
          volumeLabels: helperLabels,
        });
        assert.equal(r.method, 'archive-endpoint');
        assert.ok(
          r.warnings.some((w) => w.code === 'restore.podmanOwners'),
          r.warnings.map((w) => w.code).join(),
        );
        const c = await cloneVolume(contextOf(proxy.engine, { helperLabels }), { source, target: uniq('clone-no-tar'), volumeLabels: helperLabels });
        assert.equal(c.method, 'archive-endpoint');
        assert.ok(
          c.warnings.some((w) => w.code === 'clone.podmanOwners'),
          c.warnings.map((w) => w.code).join(),
        );
      } finally {
        await proxy.close();
      }
    });

    test('copy Docker -> Podman of a volume whose files root owns: every entry as it was, labels kept', async () => {
      const src = uniq('docker-src');
      await createVolume(docker.docker, SUITE, src, { 'com.example.team': 'data ü' });
      await fillVolume(docker.docker, SUITE, src, ROOT_OWNED);
      const expected = await listVolume(docker.docker, SUITE, src);
      const r = await copyVolumeToEngine(contextOf(docker, { helperImage: BUSYBOX, helperLabels }), { source: src, target: uniq('to-podman'), to: podman });
      assert.equal(await listVolume(podman.docker, SUITE, r.volumeName), expected);
      assert.equal((await podman.docker.getVolume(r.volumeName).inspect()).Labels?.['com.example.team'], 'data ü');
    });

    test('copy Docker -> Podman of files other users own (setuid, setgid, symlink owners): written by tar in a helper, verified, file by file as on Docker', async () => {
      const src = uniq('docker-owned');
      await createVolume(docker.docker, SUITE, src);
      await fillVolume(docker.docker, SUITE, src);
      await fillVolume(docker.docker, SUITE, src, MORE_OWNERS);
      const expected = await listVolume(docker.docker, SUITE, src);
      assert.match(expected, /\.\/www\/index\.html regular file 644 33 33 /);
      const r = await copyVolumeToEngine(contextOf(docker, { helperImage: BUSYBOX, helperLabels }), {
        source: src,
        target: uniq('owned-to-podman'),
        to: podman,
      });
      assert.equal(await listVolume(podman.docker, SUITE, r.volumeName), expected);
      assert.deepEqual(r.warnings, []);
      assert.equal(r.verifiedBy, 'target-listing', 'checked by a listing on Podman');
    });

    test('copy Podman -> Docker keeps owners and modes (1000:1000, 33:33, setuid and setgid files, symlink owners): read by tar in a helper, file by file', async () => {
      const src = uniq('podman-owned');
      await createVolume(podman.docker, SUITE, src, { 'com.example.team': 'data ü' });
      await fillVolume(podman.docker, SUITE, src);
      await fillVolume(podman.docker, SUITE, src, MORE_OWNERS);
      const expected = await listVolume(podman.docker, SUITE, src);
      assert.match(expected, /\.\/home\/user\.txt regular file 6750 1000 1000 /);
      const r = await copyVolumeToEngine(contextOf(podman, { helperImage: BUSYBOX, helperLabels }), { source: src, target: uniq('from-podman'), to: docker });
      assert.equal(await listVolume(docker.docker, SUITE, r.volumeName), expected);
      assert.equal((await docker.docker.getVolume(r.volumeName).inspect()).Labels?.['com.example.team'], 'data ü');
      assert.equal(r.verifiedBy, 'target-listing');
    });

    test('restore of a GNU tar archive (root folder 1000:1000, 33:33, setuid, symlink and hard link, a newline in a name) into Podman without the fast path: tar by exec, owners kept and compared', async () => {
      const file = gnuTarArchive(tmp, 'gnu-owners');
      const onDocker = uniq('gnu-on-docker');
      await restoreVolume(contextOf(docker, { helperImage: BUSYBOX, helperLabels }), { file, volumeName: onDocker, volumeLabels: helperLabels });
      const expected = await listVolume(docker.docker, SUITE, onDocker);
      assert.match(expected, /^\. directory 755 1000 1000 /m);
      assert.match(expected, /^\.\/home\/user\.txt regular file 6750 1000 1000 2 /m);
      assert.match(expected, /^\.\/home\/link symbolic link 777 1000 1000 1 -> user\.txt$/m);
      const into = uniq('gnu-on-podman');
      const r = await restoreVolume(contextOf(podman, { helperImage: BUSYBOX, helperLabels }), { file, volumeName: into, volumeLabels: helperLabels });
      assert.equal(r.method, 'exec-tar');
      assert.deepEqual(r.warnings, []);
      assert.equal(await listVolume(podman.docker, SUITE, into), expected);
      assert.equal(await sh(podman.docker, SUITE, "stat -c '%u:%g %s' /v/www/new?line", [`${into}:/v`]), '33:33 22\r\n');
    });

    test('restore into an existing Podman volume without the fast path (replace): tar by exec, owners kept; the safety backup too', async () => {
      const file = gnuTarArchive(tmp, 'gnu-replace');
      const into = uniq('gnu-replace');
      await createVolume(podman.docker, SUITE, into);
      await fillVolume(podman.docker, SUITE, into, MORE_OWNERS);
      const old = await listVolume(podman.docker, SUITE, into);
      const safety = path.join(tmp, 'gnu-replace-safety.tar');
      const r = await restoreVolume(contextOf(podman, { helperImage: BUSYBOX, helperLabels }), {
        file,
        volumeName: into,
        replace: true,
        safetyBackupFile: safety,
      });
      assert.equal(r.method, 'exec-tar');
      assert.match(await listVolume(podman.docker, SUITE, into), /^\.\/www\/index\.html regular file 644 33 33 /m);
      // The safety backup puts the old owners back as they were.
      const back = uniq('gnu-replace-back');
      await restoreVolume(contextOf(podman, { helperImage: BUSYBOX, helperLabels }), { file: safety, volumeName: back, volumeLabels: helperLabels });
      assert.equal(await listVolume(podman.docker, SUITE, back), old);
    });

    test('clone on Podman without the fast path keeps owners (1000:1000, 33:33, setuid and setgid files, symlink owners): tar by exec in helpers', async () => {
      const src = uniq('clone-src');
      await createVolume(podman.docker, SUITE, src);
      await fillVolume(podman.docker, SUITE, src);
      await fillVolume(podman.docker, SUITE, src, MORE_OWNERS);
      const expected = await listVolume(podman.docker, SUITE, src);
      assert.match(expected, /\.\/home\/user\.txt regular file 6750 1000 1000 /);
      const r = await cloneVolume(contextOf(podman, { helperImage: BUSYBOX, helperLabels }), {
        source: src,
        target: uniq('clone-dst'),
        volumeLabels: helperLabels,
      });
      assert.equal(r.method, 'exec-tar');
      assert.deepEqual(r.warnings, []);
      assert.equal(await listVolume(podman.docker, SUITE, r.volumeName), expected);
    });

    test('a unix socket in a Podman volume is skipped alike by a backup without the fast path and by copies both ways; FIFOs go through', async () => {
      const vol = await createVolume(podman.docker, SUITE, uniq('podman-sockets'));
      await sh(podman.docker, SUITE, SOCKET_SCRIPT, [`${vol}:/v`]);
      const listing = await listVolume(podman.docker, SUITE, vol);
      assert.match(listing, /^\.\/sub\/listening\.sock socket /m, 'the volume has a socket');
      assert.match(listing, /^\.\/sub\/pipe fifo /m);

      const file = path.join(tmp, 'podman-sockets.tar');
      const b = await backupVolume(contextOf(podman, { helperLabels }), { source: { volumeName: vol }, file });
      assert.equal(b.method, 'exec-tar');
      const names = execFileSync('tar', ['-tv', '--numeric-owner', '-f', file], { encoding: 'utf8' });
      assert.doesNotMatch(names, /listening\.sock/);
      assert.match(names, /^p.* \.\/sub\/pipe$/m);

      const toDocker = await copyVolumeToEngine(contextOf(podman, { helperImage: BUSYBOX, helperLabels }), {
        source: vol,
        target: uniq('sockets-to-docker'),
        to: docker,
      });
      assert.equal(await listVolume(docker.docker, SUITE, toDocker.volumeName), withoutSockets(listing));

      const onDocker = await createVolume(docker.docker, SUITE, uniq('docker-sockets'));
      await sh(docker.docker, SUITE, SOCKET_SCRIPT, [`${onDocker}:/v`]);
      const dockerListing = await listVolume(docker.docker, SUITE, onDocker);
      assert.match(dockerListing, /^\.\/sub\/listening\.sock socket /m);
      const toPodman = await copyVolumeToEngine(contextOf(docker, { helperImage: BUSYBOX, helperLabels }), {
        source: onDocker,
        target: uniq('sockets-to-podman'),
        to: podman,
      });
      assert.equal(await listVolume(podman.docker, SUITE, toPodman.volumeName), withoutSockets(dockerListing));
    });

    // A rootless user namespace may make no device node (mknod: EPERM), so rootful only.
    if (!variant.rootless) {
      test('a device node: copies carry it both ways through tar in a helper, a backup refuses it on Podman (exec-tar) as on Docker (archive endpoint)', async () => {
        const DEVICE = 'set -e\ncd /v\necho data > plain\nmknod null c 1 3';
        const onPodman = await createVolume(podman.docker, SUITE, uniq('podman-device'));
        await fillVolume(podman.docker, SUITE, onPodman, DEVICE);
        const listing = await listVolume(podman.docker, SUITE, onPodman);
        assert.match(listing, /^\.\/null character special file 644 0 0 /m);
        const toDocker = await copyVolumeToEngine(contextOf(podman, { helperImage: BUSYBOX, helperLabels }), {
          source: onPodman,
          target: uniq('device-to-docker'),
          to: docker,
        });
        assert.equal(await listVolume(docker.docker, SUITE, toDocker.volumeName), listing);
        const toPodman = await copyVolumeToEngine(contextOf(docker, { helperImage: BUSYBOX, helperLabels }), {
          source: toDocker.volumeName,
          target: uniq('device-to-podman'),
          to: podman,
        });
        assert.equal(await listVolume(podman.docker, SUITE, toPodman.volumeName), listing);
        const refusals: string[] = [];
        for (const [e, vol, name] of [
          [podman, onPodman, 'device-podman.tar'],
          [docker, toDocker.volumeName, 'device-docker.tar'],
        ] as const) {
          const file = path.join(tmp, name);
          await assert.rejects(backupVolume(contextOf(e, { helperLabels }), { source: { volumeName: vol }, file }), (err: Error) => {
            refusals.push(err.message.replace(file, 'FILE'));
            return true;
          });
          assert.deepEqual(
            readdirSync(tmp).filter((f) => f.includes(name)),
            [],
            'no file left',
          );
        }
        assert.match(refusals[0], /"\.\/null" is a device node; device nodes are not restored/);
        assert.equal(refusals[0], refusals[1]);
      });
    }

    test('tar that fails in the helper is an error, never a short archive: its exit code and standard error are read', async () => {
      const vol = uniq('tar-fails');
      await createVolume(podman.docker, SUITE, vol);
      const c = await startShellHelper(podman.docker, BUSYBOX, {
        purpose: 'tar-test',
        mounts: [{ source: vol, target: '/v', type: 'volume' }],
        labels: helperLabels,
      });
      try {
        const out = await tarOut(c, '/v', ['missing']);
        out.stream.resume();
        await assert.rejects(out.finished(), /tar -c in the helper failed \(exit 1\): .*missing/);
        // As GNU tar (nothing parsed on our side): what tar itself says about a stream that is no archive.
        await assert.rejects(tarIn(c, '/v', Readable.from([Buffer.alloc(1024, 'x')]), { gnu: true }), /tar -x in the helper failed \(exit 1\)/);
      } finally {
        await removeHelper(c);
      }
    });
  });
}

suite("rootless Podman: found where a user's Podman puts its socket, owners in the user's id range", function () {
  this.timeout(180_000);
  const SUITE = 'podman-rootless-only';
  const docker = testEngine();
  const podman = podmanRootlessEngine();
  const helperLabels = labels(SUITE);
  let tmp: string;
  const helpers: WorkHelpers[] = [];

  async function fastPathOf(e: Engine) {
    const workHelpers = new WorkHelpers(e.docker, { images: () => Promise.resolve([BUSYBOX]), labels: helperLabels });
    helpers.push(workHelpers);
    return { localEngine: await e.isLocal(), helperImage: BUSYBOX, workHelpers };
  }

  suiteSetup(async () => {
    await cleanup(podman.docker, SUITE);
    await cleanup(docker.docker, SUITE);
    tmp = mkdtempSync(path.join(os.tmpdir(), 'cv-podman-rootless-'));
    chownSync(tmp, engineUser(podman).uid, engineUser(podman).gid);
  });
  suiteTeardown(async () => {
    await Promise.all(helpers.map((h) => h.dispose()));
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    await cleanup(podman.docker, SUITE);
    await cleanup(docker.docker, SUITE);
  });

  test("the engine list (the extension's pickers, the Engines view) finds it at $XDG_RUNTIME_DIR/podman/podman.sock, and it answers there", async () => {
    const sock = socketOf(podman);
    const runtimeDir = path.dirname(path.dirname(sock));
    assert.equal(path.join(runtimeDir, 'podman', 'podman.sock'), sock, "the socket is where a user's rootless Podman puts it");
    const home = path.join(tmp, 'home'); // no docker CLI contexts
    const listed = (env: NodeJS.ProcessEnv) => knownEngines({ env, homeDir: home }).filter((e) => e.name === 'podman (rootless)');
    const found = listed({ XDG_RUNTIME_DIR: runtimeDir });
    assert.deepEqual(
      found.map((e) => [e.host, e.source]),
      [[podman.endpoint.host, 'podman']],
    );
    assert.deepEqual(listed({ XDG_RUNTIME_DIR: path.join(tmp, 'another-user') }), [], "another user's runtime folder: not listed");
    const picked = new Engine(resolveTarget(engineRef(found[0])));
    const info = await picked.info();
    assert.deepEqual([info.flavor, info.local], ['podman', true]);
    const name = await createVolume(podman.docker, SUITE, uniq('found'));
    assert.ok(
      ((await picked.docker.listVolumes()).Volumes ?? []).some((v) => v.Name === name),
      "the picked engine is the user's Podman",
    );
  });

  test("owners are the user's subordinate ids on the host; a fast-path backup keeps what containers see, and restores on Docker as it was", async () => {
    const vol = await createVolume(podman.docker, SUITE, uniq('mapped'));
    await fillVolume(podman.docker, SUITE, vol);
    const listing = await listVolume(podman.docker, SUITE, vol);
    const { idMappings } = (await libpodInfo(podman)).host ?? {};
    const onHost = (map: IdMap[] | undefined, id: number) => {
      const m = (map ?? []).find((x) => id >= x.container_id && id < x.container_id + x.size);
      assert.ok(m, `${id} is mapped`);
      return m.host_id + id - m.container_id;
    };
    const { Mountpoint } = await podman.docker.getVolume(vol).inspect();
    const f = statSync(path.join(Mountpoint, 'd', 'f'));
    assert.deepEqual([f.uid, f.gid], [onHost(idMappings?.uidmap, 1234), onHost(idMappings?.gidmap, 5678)]);
    assert.notEqual(f.uid, 1234, "a rootless container's 1234 is another id on the host");
    assert.equal(statSync(path.join(Mountpoint, 'big')).uid, engineUser(podman).uid, "the containers' root is the user");

    const file = path.join(tmp, 'mapped.tar');
    const b = await asEngineUser(podman, async () =>
      backupVolume(contextOf(podman, { helperLabels, fastPath: await fastPathOf(podman) }), {
        source: { volumeName: vol },
        file,
      }),
    );
    assert.equal(b.method, 'helper-tar');
    assert.equal(statSync(file).uid, engineUser(podman).uid, "the backup is the user's file");
    const into = uniq('mapped-on-docker');
    await restoreVolume(contextOf(docker, { helperLabels, fastPath: await fastPathOf(docker), helperImage: BUSYBOX }), {
      file,
      volumeName: into,
      volumeLabels: helperLabels,
    });
    assert.equal(await listVolume(docker.docker, SUITE, into), listing);
  });
  /** An archive whose owners rootless Podman cannot give: uid/gid 100000, beyond the user's 65,536 ids. */
  const OUT_OF_RANGE = (root: string) => {
    writeFileSync(path.join(root, 'www', 'far.txt'), 'owned far away\n');
    chownSync(path.join(root, 'www', 'far.txt'), 100000, 100000);
  };

  async function assertOwnersRefused(p: Promise<unknown>, rolledBack: boolean): Promise<void> {
    await assert.rejects(p, (e: unknown) => {
      const text = (e as Error).message;
      assert.match(text, /did not keep the archive's owners on 1 entry/);
      assert.match(text, /www\/far\.txt: 100000:100000 -> 0:0/);
      assert.match(text, /outside the range the engine's user namespace maps/);
      if (rolledBack) assert.match(text, /previous contents were put back from the safety backup/);
      return true;
    });
  }

  for (const fast of [false, true]) {
    const how = fast ? 'tar in the work helper (fast path)' : 'tar by exec (no fast path)';
    test(`restore of an archive with uid 100000 (beyond the user's 65,536 ids), ${how}: a clear error, a new volume removed, a replaced one as before`, async () => {
      const file = gnuTarArchive(tmp, `far-${fast}`, OUT_OF_RANGE);
      const ctx = async () => contextOf(podman, { helperImage: BUSYBOX, helperLabels, fastPath: fast ? await fastPathOf(podman) : undefined });
      const fresh = uniq('far-new');
      await assertOwnersRefused(
        asEngineUser(podman, async () => restoreVolume(await ctx(), { file, volumeName: fresh, volumeLabels: helperLabels })),
        false,
      );
      assert.deepEqual(
        ((await podman.docker.listVolumes()).Volumes ?? []).filter((v) => v.Name === fresh),
        [],
        'the new volume was removed',
      );
      const vol = await createVolume(podman.docker, SUITE, uniq('far-replace'));
      await fillVolume(podman.docker, SUITE, vol);
      const before = await listVolume(podman.docker, SUITE, vol);
      await assertOwnersRefused(
        asEngineUser(podman, async () =>
          restoreVolume(await ctx(), { file, volumeName: vol, replace: true, safetyBackupFile: path.join(tmp, `far-${fast}-safety.tar`) }),
        ),
        true,
      );
      assert.equal(await listVolume(podman.docker, SUITE, vol), before);
    });
  }

  test('a copy to rootless Podman of files owned by uid 100000 fails its verification and leaves no volume', async () => {
    const src = await createVolume(docker.docker, SUITE, uniq('far-src'));
    await fillVolume(docker.docker, SUITE, src, 'set -e\necho far > /v/far.txt\nchown 100000:100000 /v/far.txt');
    const target = uniq('far-copy');
    await assert.rejects(
      copyVolumeToEngine(contextOf(docker, { helperImage: BUSYBOX, helperLabels }), { source: src, target, to: podman }),
      /differs from the source/,
    );
    assert.deepEqual(
      ((await podman.docker.listVolumes()).Volumes ?? []).filter((v) => v.Name === target),
      [],
    );
  });
});
