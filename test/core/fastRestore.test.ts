// The fast restore (tar x in a work helper) against the archive endpoint on the same archives: the
// seed's layouts (contents under one folder, or several levels down), .tar.gz, owners kept by
// number whatever the helper image's /etc/passwd says, and a tar that lacks the options found
// before anything is written.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { backupVolume } from '../../src/core/operations/backupVolume';
import { fastRestoreScript, NO_TAR_OPTIONS, restoreVolume } from '../../src/core/operations/restoreVolume';
import { WorkHelpers } from '../../src/core/helpers/workHelpers';
import { writeTar } from '../support/archives';
import { BUSYBOX, cleanup, createVolume, labels, runContainer, sh, testContext, testEngine, uniq } from '../support/docker';
import { fillVolume, listVolume } from '../support/volumeFixtures';

const SUITE = 'fast-restore';

suite('fast restore: tar in the work helper restores what the archive endpoint restores', function () {
  this.timeout(180_000);
  const docker = testEngine().docker;
  const L = labels(SUITE);
  const images: string[] = [];
  let dir: string;

  /** A labelled image made from the busybox test image by running `script` in it. */
  async function derivedImage(name: string, script: string): Promise<string> {
    const c = await docker.createContainer({ Image: BUSYBOX, Cmd: ['sh', '-c', script], Labels: L });
    try {
      await c.start();
      assert.equal(((await c.wait()) as { StatusCode: number }).StatusCode, 0);
      await c.commit({ repo: 'container-volumes/fast-restore', tag: name, changes: `LABEL dev.container-volumes.test=${SUITE}` });
    } finally {
      await c.remove({ force: true });
    }
    const ref = `container-volumes/fast-restore:${name}`;
    images.push(ref);
    return ref;
  }

  async function both(file: string, image: string, check: (volume: string) => Promise<void>): Promise<void> {
    const helpers = new WorkHelpers(docker, { images: () => Promise.resolve([image]), labels: L });
    try {
      const fast = await restoreVolume(testContext(docker, SUITE, { fastPath: { localEngine: true, workHelpers: helpers } }), {
        file,
        volumeName: uniq('cv-fast'),
        volumeLabels: L,
      });
      assert.equal(fast.method, 'helper-tar');
      await check(fast.volumeName);
      const put = await restoreVolume(testContext(docker, SUITE, { helperImage: BUSYBOX }), {
        file,
        volumeName: uniq('cv-put'),
        volumeLabels: L,
      });
      assert.equal(put.method, 'archive-endpoint');
      assert.equal(put.prefix, fast.prefix);
      await check(put.volumeName);
    } finally {
      await helpers.dispose();
    }
  }

  suiteSetup(async () => {
    await cleanup(docker, SUITE);
    dir = mkdtempSync(path.join(os.tmpdir(), 'cv-fast-restore-'));
  });
  suiteTeardown(async () => {
    await cleanup(docker, SUITE);
    for (const i of images) {
      await docker
        .getImage(i)
        .remove({ force: true })
        .catch(() => undefined);
    }
    rmSync(dir, { recursive: true, force: true });
  });

  async function seedArchive(mountPath: string, name: string, rootOwner: string, rootMode: string): Promise<{ file: string; before: string }> {
    const home = uniq('cv-seed-home');
    await runContainer(docker, SUITE, { name: home, volumes: [mountPath], start: false });
    const vol = (await docker.getContainer(home).inspect()).Mounts[0].Name as string;
    await fillVolume(docker, SUITE, vol);
    await sh(docker, SUITE, `chown ${rootOwner} /v && chmod ${rootMode} /v`, [`${vol}:/v`]);
    const before = await listVolume(docker, SUITE, vol);
    assert.match(before, new RegExp(`^\\. directory ${rootMode} ${rootOwner.replace(':', ' ')} `));
    // docker run --volumes-from log_home -v $(pwd):/backup IMAGE tar cvf /backup/backup.tar /logs
    const id = await runContainer(docker, SUITE, { volumesFrom: [home], binds: [`${dir}:/backup`], cmd: ['tar', 'cvf', `/backup/${name}`, mountPath] });
    assert.equal(((await docker.getContainer(id).wait()) as { StatusCode: number }).StatusCode, 0);
    return { file: path.join(dir, name), before };
  }

  test("S4: the seed's archive (everything under logs/) goes to the volume's root, which takes logs/'s owner and mode", async () => {
    const { file, before } = await seedArchive('/logs', 'seed-logs.tar', '70:71', '2751');
    await both(file, BUSYBOX, async (v) => assert.equal(await listVolume(docker, SUITE, v), before));
  });

  test('a folder three levels down (`tar cf x.tar /srv/app/data`) is found and restored the same way', async () => {
    const { file, before } = await seedArchive('/srv/app/data', 'seed-deep.tar', '999:999', '700');
    await both(file, BUSYBOX, async (v) => assert.equal(await listVolume(docker, SUITE, v), before));
  });

  test('a .tar.gz is extracted by tar -z in the work helper (checked whole first), the same as through the engine', async () => {
    const vol = await createVolume(docker, SUITE, uniq('cv-gz-src'));
    await fillVolume(docker, SUITE, vol);
    const before = await listVolume(docker, SUITE, vol);
    const file = path.join(dir, 'gz.tar.gz');
    await backupVolume(testContext(docker, SUITE), { source: { volumeName: vol }, file, format: 'tar.gz' });
    await both(file, BUSYBOX, async (v) => assert.equal(await listVolume(docker, SUITE, v), before));
  });

  test("owners are kept by number even when the helper image knows the archive's user names", async () => {
    // Alpine's /etc/passwd has postgres as uid 70; Debian's postgres image writes its data as 999.
    const image = await derivedImage(
      'passwd',
      'mkdir -p /etc && echo "root:x:0:0::/:/bin/sh\npostgres:x:70:70::/:/bin/sh" > /etc/passwd && echo "root:x:0:\npostgres:x:70:" > /etc/group',
    );
    const file = path.join(dir, 'owners.tar');
    const pg = { uid: 999, gid: 999, uname: 'postgres', gname: 'postgres' };
    await writeTar(file, [
      { header: { name: './', type: 'directory', mode: 0o755 } },
      { header: { name: './pgdata/', type: 'directory', mode: 0o700, ...pg } },
      { header: { name: './pgdata/PG_VERSION', mode: 0o600, ...pg }, body: '16\n' },
    ]);
    await both(file, image, async (v) => {
      const list = await listVolume(docker, SUITE, v);
      assert.match(list, /\.\/pgdata directory 700 999 999/);
      assert.match(list, /\.\/pgdata\/PG_VERSION regular file 600 999 999 /);
    });
  });

  test("the fast restore's first step finds a tar that lacks its options before anything is written", async () => {
    // An old busybox is not at hand, and this busybox runs its own tar whatever is on PATH: a shell
    // function named tar stands in for one that refuses long options.
    const { file } = await seedArchive('/logs', 'seed-oldtar.tar', '0:0', '755');
    const vol = await createVolume(docker, SUITE, uniq('cv-oldtar'));
    const oldTar = 'tar() { for a; do case "$a" in --*) echo "tar: unrecognized option $a" >&2; return 1;; esac; done; busybox tar "$@"; }';
    const script = `${oldTar}\n${fastRestoreScript(1)}`;
    const out = await sh(docker, SUITE, `sh -c '${script.replace(/'/g, `'\\''`)}' restore /a/${path.basename(file)} /v; echo "code $?"; ls -A /v | wc -l`, [
      `${dir}:/a:ro`,
      `${vol}:/v`,
    ]);
    assert.match(out, new RegExp(`code ${NO_TAR_OPTIONS}\\s+0\\s*$`));
    // the same script with busybox's own tar restores
    const ok = await sh(docker, SUITE, `sh -c '${fastRestoreScript(1).replace(/'/g, `'\\''`)}' restore /a/${path.basename(file)} /v; echo "code $?"; ls /v`, [
      `${dir}:/a:ro`,
      `${vol}:/v`,
    ]);
    assert.match(ok, /code 0\s[\s\S]*\bsticky\b/);
  });
});
