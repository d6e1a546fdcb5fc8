// VolumeFiles.snapshot on the real engine: what the file system's change polling asks each volume,
// in one exec. Changes are made by another container, as a user's containers make them.
import * as assert from 'node:assert/strict';
import { VolumeFiles, type FolderSnapshot, type VolumeDirEntry } from '../../src/core/files/volumeFiles';
import { BUSYBOX, cleanup, createVolume, labels, sh, testEngine, uniq } from '../support/docker';

const SUITE = 'fs-snapshot';

function listed(s: FolderSnapshot | undefined): { hash: string; entries: readonly VolumeDirEntry[] } {
  if (s?.kind !== 'listed') assert.fail(`expected a listing, got ${JSON.stringify(s)}`);
  return s;
}

const names = (entries: readonly VolumeDirEntry[]) => entries.map((e) => e.name).sort();

suite('VolumeFiles.snapshot (real engine)', function () {
  this.timeout(120000);
  const engine = testEngine();
  const docker = engine.docker;
  let vol: string;
  const inVolume = (script: string) => sh(docker, SUITE, script, [`${vol}:/v`]);

  suiteSetup(async () => {
    await cleanup(docker, SUITE);
    vol = await createVolume(docker, SUITE, uniq('cv-snap'));
    await inVolume('mkdir -p /v/sub/deep /v/gone && echo one > /v/a.txt && echo two > /v/b.txt && echo s > /v/sub/s.txt && ln -s a.txt /v/link');
  });

  suiteTeardown(async () => {
    await cleanup(docker, SUITE);
  });

  test('one exec answers every folder and file; an unchanged folder costs a few bytes; changes come back entry by entry', async () => {
    const vf = await VolumeFiles.open(engine, { volume: vol, helperImages: [BUSYBOX], labels: labels(SUITE) });
    try {
      const folders = ['/', '/sub', '/gone'];
      const files = ['/a.txt', '/link', '/sub/s.txt'];
      let execs = vf.execs;
      const first = await vf.snapshot(
        folders.map((path) => ({ path })),
        files,
      );
      assert.equal(vf.execs - execs, 1, 'one exec for three folders and three files');
      const root = listed(first.folders[0]);
      assert.deepEqual(names(root.entries), ['a.txt', 'b.txt', 'gone', 'link', 'sub']);
      assert.equal(root.entries.find((e) => e.name === 'link')?.type, 'symlink');
      assert.deepEqual(names(listed(first.folders[1]).entries), ['deep', 's.txt']);
      assert.deepEqual(listed(first.folders[2]).entries, []);
      assert.deepEqual(
        first.files.map((f) => f?.size),
        [4, 4, 2],
        'a link is stated as what it points to',
      );
      assert.equal(first.files[0]?.type, 'file');
      assert.equal(first.files[1]?.type, 'file');

      // Nothing changed: every folder answers "same", whatever its size.
      const hashes = first.folders.map((f) => listed(f).hash);
      execs = vf.execs;
      const bytes = vf.bytesReceived;
      const again = await vf.snapshot(
        folders.map((path, i) => ({ path, hash: hashes[i] })),
        files,
      );
      assert.equal(vf.execs - execs, 1);
      assert.deepEqual(
        again.folders.map((f) => f.kind),
        ['same', 'same', 'same'],
      );
      assert.deepEqual(again.files, first.files);
      assert.ok(vf.bytesReceived - bytes < 600, `${vf.bytesReceived - bytes} bytes for an unchanged snapshot`);

      // A container creates, rewrites and removes files, and removes a folder.
      const weird = 'new\nline ✓';
      await inVolume(`echo changed-size > /v/a.txt && rm /v/b.txt && echo n > /v/sub/new.txt && rmdir /v/gone && printf x > "/v/${weird}"`);
      const after = await vf.snapshot(
        folders.map((path, i) => ({ path, hash: hashes[i] })),
        [...files, '/b.txt'],
      );
      const root2 = listed(after.folders[0]);
      assert.deepEqual(names(root2.entries), ['a.txt', 'link', weird, 'sub'].sort());
      assert.notEqual(root2.hash, hashes[0]);
      assert.equal(root2.entries.find((e) => e.name === 'a.txt')?.size, 13);
      assert.deepEqual(names(listed(after.folders[1]).entries), ['deep', 'new.txt', 's.txt']);
      assert.equal(after.folders[2].kind, 'gone');
      assert.equal(after.files[0]?.size, 13);
      assert.equal(after.files[1]?.size, 13);
      assert.equal(after.files[3], undefined, 'a removed file is undefined');
    } finally {
      await vf.close();
    }
  });

  test('archive mode (no helper image): a folder is re-listed when its mtime moved, files are stated by HEAD', async () => {
    const ar = await VolumeFiles.open(engine, { volume: vol, helperImages: ['no-such-image:none'], labels: labels(SUITE) });
    try {
      assert.equal(ar.mode, 'archive');
      const first = await ar.snapshot([{ path: '/sub' }], ['/sub/s.txt', '/link', '/missing']);
      const sub = listed(first.folders[0]);
      assert.ok(names(sub.entries).includes('s.txt'));
      assert.equal(first.files[0]?.size, 2);
      assert.equal(first.files[1]?.type, 'file', 'a link is stated as what it points to');
      assert.equal(first.files[2], undefined);
      assert.equal((await ar.snapshot([{ path: '/sub', hash: sub.hash }], [])).folders[0].kind, 'same');
      await inVolume('echo m > /v/sub/more.txt');
      assert.ok(names(listed((await ar.snapshot([{ path: '/sub', hash: sub.hash }], [])).folders[0]).entries).includes('more.txt'));
      assert.equal((await ar.snapshot([{ path: '/sub/s.txt' }], [])).folders[0].kind, 'gone', 'a file is not a folder');
    } finally {
      await ar.close();
    }
  });
});
