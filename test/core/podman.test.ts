// Podman through its Docker-compatible socket (Debian's podman, rootful, `podman system service`
// started by scripts/podman.sh with a storage root of its own): browse, edit, backup and restore of a
// volume there, and copy Docker -> Podman and Podman -> Docker (copyVolumeToEngine), data compared
// file by file by busybox on each engine. Podman 4.3's archive endpoints make every file root's:
// a copy to Podman of other owners' files fails its verification, one from Podman is refused. The differences Podman's API has (archive entry names,
// missing fields, `localhost/` image names) are what these tests are for.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { backupVolume } from '../../src/core/operations/backupVolume';
import { copyVolumeToEngine } from '../../src/core/operations/copyToEngine';
import type { Engine } from '../../src/core/engine/engine';
import { restoreVolume } from '../../src/core/operations/restoreVolume';
import { VolumeFiles } from '../../src/core/files/volumeFiles';
import { OperationRefusedError } from '../../src/core/operations/operationErrors';
import { WorkHelpers } from '../../src/core/helpers/workHelpers';
import { BUSYBOX, cleanup, contextOf, createVolume, labels, podmanEngine, sh, testEngine, uniq } from '../support/docker';
import { FILL_SCRIPT, fillVolume, listVolume } from '../support/volumeFixtures';
import { operationContext } from '../../src/core/operations/operationContext';

const SUITE = 'podman-engine';
/** The fixture without its chown lines: what Podman's archive endpoints can carry. */
const ROOT_OWNED = FILL_SCRIPT.split('\n')
  .filter((l) => !l.startsWith('chown'))
  .join('\n');

suite('Podman (Docker-compatible socket): browse, backup, restore, copy to and from Docker', function () {
  this.timeout(180_000);
  const docker = testEngine();
  const podman = podmanEngine();
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
    tmp = mkdtempSync(path.join(os.tmpdir(), 'cv-podman-'));
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
    const b = await backupVolume(operationContext(podman.docker, { engineHost: podman.endpoint.host, helperLabels, fastPath: await fastPathOf(podman) }), {
      source: { volumeName: source },
      file,
    });
    assert.ok(b.sidecar.entryCount > 10, `${b.sidecar.entryCount} entries`);
    // the fast path (tar in a helper, a unix socket: this machine) keeps owners; Podman's archive GET would not
    assert.equal(b.method, 'helper-tar');
    const into = uniq('podman-restored');
    await restoreVolume(
      operationContext(podman.docker, { fastPath: await fastPathOf(podman), helperImage: BUSYBOX, helperLabels, engineHost: podman.endpoint.host }),
      { file, volumeName: into, volumeLabels: helperLabels },
    );
    assert.equal(await listVolume(podman.docker, SUITE, into), before);
  });

  test("a backup through Podman's archive endpoint (no fast path: what a remote Podman gets) warns that owners are not in it", async () => {
    const b = await backupVolume(operationContext(podman.docker, { engineHost: podman.endpoint.host, helperLabels }), {
      source: { volumeName: source },
      file: path.join(tmp, 'podman-archive.tar'),
    });
    assert.equal(b.method, 'archive-endpoint');
    assert.deepEqual(
      b.warnings.map((w) => w.code),
      ['backup.podmanOwners'],
    );
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

  test('copy Docker -> Podman of files other users own: Podman stores them as root, the verification refuses, nothing is left on Podman', async () => {
    const src = uniq('docker-owned');
    await createVolume(docker.docker, SUITE, src);
    await fillVolume(docker.docker, SUITE, src);
    const target = uniq('owned-to-podman');
    await assert.rejects(
      copyVolumeToEngine(contextOf(docker, { helperImage: BUSYBOX, helperLabels }), { source: src, target, to: podman }),
      /differs from the source/,
    );
    assert.deepEqual(
      ((await podman.docker.listVolumes()).Volumes ?? []).filter((v) => v.Name === target),
      [],
    );
  });

  test('copy Podman -> Docker is refused up front (its archive loses owners unseen), nothing is created on Docker', async () => {
    const target = uniq('from-podman');
    await assert.rejects(copyVolumeToEngine(contextOf(podman, { helperImage: BUSYBOX, helperLabels }), { source, target, to: docker }), (e: unknown) => {
      assert.ok(e instanceof OperationRefusedError);
      assert.match(e.message, /is Podman, whose archive endpoint gives every file as owned by root/);
      return true;
    });
    assert.deepEqual(
      ((await docker.docker.listVolumes()).Volumes ?? []).filter((v) => v.Name === target),
      [],
    );
  });
});
