// VolumeFiles on the real engine: every operation in the shell mode (busybox helper), the listing's
// byte budget, names that a shell would misread, owner/mode on overwrite, read-only mounts, and the
// archive-only fallback.
import * as assert from 'node:assert/strict';
import { TEST_LABEL } from '../../src/core/engine/engine';
import { VolumeFiles, VolumeFsError, type VolumeStat } from '../../src/core/files/volumeFiles';
import { BUSYBOX, cleanup, createVolume, labels, sh, testEngine, uniq } from '../support/docker';

const SUITE = 'fs';

async function rejectsWith(p: Promise<unknown>, code: string): Promise<VolumeFsError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof VolumeFsError, `expected a VolumeFsError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    return e;
  }
  assert.fail(`expected ${code}`);
}

suite('VolumeFiles (real engine)', function () {
  this.timeout(120000);
  const engine = testEngine();
  const docker = engine.docker;
  let vol: string;
  let vf: VolumeFiles;
  const inVolume = (script: string) => sh(docker, SUITE, script, [`${vol}:/v`]);

  suiteSetup(async () => {
    await cleanup(docker, SUITE);
    vol = await createVolume(docker, SUITE, uniq('cv-fs'));
    await inVolume(
      [
        'mkdir -p /v/dir/sub /v/owned && echo hello > /v/hello.txt && echo nested > /v/dir/sub/n.txt',
        'ln -s hello.txt /v/link && ln -s dir /v/dirlink && ln -s missing /v/broken && mkfifo /v/fifo',
        'chown 1234:2345 /v/owned && echo secret > /v/owned/conf && chown 1234:2345 /v/owned/conf && chmod 0640 /v/owned/conf',
      ].join(' && '),
    );
    vf = await VolumeFiles.open(engine, { volume: vol, helperImages: [BUSYBOX], labels: labels(SUITE) });
    assert.equal(vf.mode, 'shell');
  });

  suiteTeardown(async () => {
    await vf?.close();
    await cleanup(docker, SUITE);
  });

  test('stat reports each type with real size, mtime, mode and owner', async () => {
    const f = await vf.stat('/hello.txt');
    assert.equal(f.type, 'file');
    assert.equal(f.size, 6);
    const shell = (await inVolume('stat -c "%Y %a" /v/hello.txt')).trim().split(' ');
    assert.equal(Math.floor(f.mtimeMs / 1000), Number(shell[0]));
    assert.equal(f.mode.toString(8), shell[1]);
    assert.equal((await vf.stat('/dir')).type, 'directory');
    assert.equal((await vf.stat('/')).type, 'directory');
    assert.deepEqual([(await vf.stat('/link')).type, (await vf.stat('/link')).targetType], ['symlink', 'file']);
    assert.equal((await vf.stat('/dirlink')).targetType, 'directory');
    const broken = await vf.stat('/broken');
    assert.equal(broken.type, 'symlink');
    assert.equal(broken.targetType, undefined);
    assert.equal((await vf.stat('/fifo')).type, 'other');
    const owned = await vf.stat('/owned/conf');
    assert.deepEqual([owned.uid, owned.gid, owned.mode], [1234, 2345, 0o640]);
    // quickStat (archive HEAD, no owner) agrees with the exec-based stat on everything else.
    for (const p of ['/hello.txt', '/dir', '/', '/link', '/dirlink', '/broken', '/fifo', '/owned/conf']) {
      const full = await vf.stat(p);
      const withoutOwner = Object.fromEntries(Object.entries(full).filter(([k]) => k !== 'uid' && k !== 'gid')) as Partial<VolumeStat>;
      assert.deepEqual(await vf.quickStat(p), withoutOwner, p);
    }
    await rejectsWith(vf.quickStat('/nope'), 'FileNotFound');
  });

  test('list gives names, types and link targets', async () => {
    const entries = await vf.list('/');
    const byName = new Map(entries.map((e) => [e.name, e]));
    assert.deepEqual([...byName.keys()].sort(), ['broken', 'dir', 'dirlink', 'fifo', 'hello.txt', 'link', 'owned']);
    assert.equal(byName.get('dir')?.type, 'directory');
    assert.equal(byName.get('link')?.targetType, 'file');
    assert.equal(byName.get('dirlink')?.targetType, 'directory');
    assert.equal(byName.get('hello.txt')?.size, 6);
    assert.deepEqual(
      (await vf.list('/dir')).map((e) => e.name),
      ['sub'],
    );
    assert.deepEqual(
      (await vf.list('/dirlink/sub')).map((e) => e.name),
      ['n.txt'],
    );
  });

  test('missing paths and wrong types give the right errors', async () => {
    await rejectsWith(vf.stat('/nope'), 'FileNotFound');
    await rejectsWith(vf.list('/nope'), 'FileNotFound');
    await rejectsWith(vf.list('/hello.txt'), 'FileNotADirectory');
    await rejectsWith(vf.read('/nope'), 'FileNotFound');
    await rejectsWith(vf.read('/dir'), 'FileIsADirectory');
    await rejectsWith(vf.read('/broken'), 'FileNotFound');
    await rejectsWith(vf.write('/nope/x', Buffer.from('x'), { create: true, overwrite: true }), 'FileNotFound');
    await rejectsWith(vf.write('/hello.txt', Buffer.from('x'), { create: true, overwrite: false }), 'FileExists');
    await rejectsWith(vf.write('/new.txt', Buffer.from('x'), { create: false, overwrite: true }), 'FileNotFound');
    await rejectsWith(vf.write('/dir', Buffer.from('x'), { create: true, overwrite: true }), 'FileIsADirectory');
    await rejectsWith(vf.mkdir('/dir'), 'FileExists');
    await rejectsWith(vf.mkdir('/a/b'), 'FileNotFound');
    await rejectsWith(vf.delete('/nope', { recursive: true }), 'FileNotFound');
    await rejectsWith(vf.delete('/dir', { recursive: false }), 'NoPermissions');
    await rejectsWith(vf.rename('/nope', '/x', { overwrite: false }), 'FileNotFound');
    await rejectsWith(vf.rename('/hello.txt', '/link', { overwrite: false }), 'FileExists');
    await rejectsWith(vf.rename('/dir', '/dir/sub/x', { overwrite: true }), 'NoPermissions');
    await rejectsWith(vf.rename('/dir/sub', '/dir', { overwrite: true }), 'NoPermissions');
    assert.equal((await inVolume('cat /v/hello.txt; ls /v/dir')).replace(/\r/g, ''), 'hello\nsub\n', 'nothing changed');
  });

  test('read, and read through a symlink', async () => {
    assert.equal((await vf.read('/hello.txt')).toString(), 'hello\n');
    assert.equal((await vf.read('/link')).toString(), 'hello\n');
    assert.equal((await vf.read('/dirlink/sub/n.txt')).toString(), 'nested\n');
  });

  test('write a new file: owned like its folder, mode 0644, seen at once by a container', async () => {
    await vf.write('/owned/new.txt', Buffer.from('fresh'), { create: true, overwrite: false });
    assert.equal((await inVolume('stat -c "%u:%g %a" /v/owned/new.txt; cat /v/owned/new.txt')).replace(/\r/g, ''), '1234:2345 644\nfresh');
  });

  test('overwrite keeps mode and owner; writing through a link reaches its target', async () => {
    const data = Buffer.from('changed\n'.repeat(1000));
    await vf.write('/owned/conf', data, { create: false, overwrite: true });
    assert.equal((await inVolume('stat -c "%u:%g %a %s" /v/owned/conf')).trim(), `1234:2345 640 ${data.length}`);
    assert.ok((await vf.read('/owned/conf')).equals(data));
    await vf.write('/link', Buffer.from('via link'), { create: false, overwrite: true });
    assert.equal((await inVolume('readlink /v/link; cat /v/hello.txt')).replace(/\r/g, ''), 'hello.txt\nvia link');
    const empty = Buffer.alloc(0);
    await vf.write('/empty', empty, { create: true, overwrite: false });
    assert.equal((await vf.stat('/empty')).size, 0);
  });

  test('mkdir (owned like its parent), rename, copy, delete', async () => {
    await vf.mkdir('/owned/d');
    assert.equal((await inVolume('stat -c "%u:%g" /v/owned/d')).trim(), '1234:2345');
    await vf.write('/owned/d/f', Buffer.from('f'), { create: true, overwrite: false });
    await vf.copy('/owned/d', '/owned/d2', { overwrite: false });
    assert.equal((await vf.read('/owned/d2/f')).toString(), 'f');
    assert.equal((await vf.stat('/owned/d2/f')).uid, 1234, 'copy keeps owners');
    await vf.rename('/owned/d2', '/moved', { overwrite: false });
    await rejectsWith(vf.stat('/owned/d2'), 'FileNotFound');
    assert.equal((await vf.read('/moved/f')).toString(), 'f');
    // overwrite a folder with a folder, and a file with a file
    await vf.copy('/owned/d', '/moved', { overwrite: true });
    await vf.write('/a1', Buffer.from('one'), { create: true, overwrite: false });
    await vf.write('/a2', Buffer.from('two'), { create: true, overwrite: false });
    await vf.rename('/a1', '/a2', { overwrite: true });
    assert.equal((await vf.read('/a2')).toString(), 'one');
    await rejectsWith(vf.stat('/a1'), 'FileNotFound');
    await vf.delete('/moved', { recursive: true });
    await vf.delete('/a2', { recursive: false });
    await rejectsWith(vf.stat('/moved'), 'FileNotFound');
    assert.equal((await inVolume('ls /v')).split(/\s+/).filter(Boolean).sort().join(','), 'broken,dir,dirlink,empty,fifo,hello.txt,link,owned');
  });

  test('names with spaces, quotes, newlines, Unicode and shell syntax are files, never commands', async () => {
    const names = ['a b', 'it\'s "quoted"', 'new\nline', 'ünï cødé ✓', '$(touch pwned)', '; rm -rf ~; touch pwned2', '`touch pwned3`', '-rf', '--', '*'];
    await vf.mkdir('/weird');
    for (const n of names) {
      await vf.write(`/weird/${n}`, Buffer.from(n), { create: true, overwrite: false });
      await vf.mkdir(`/weird/${n}.d`);
    }
    const listed = (await vf.list('/weird')).map((e) => e.name).sort();
    assert.deepEqual(listed, [...names, ...names.map((n) => `${n}.d`)].sort());
    for (const n of names) {
      assert.equal((await vf.read(`/weird/${n}`)).toString(), n);
      const st = await vf.stat(`/weird/${n}`);
      assert.equal(st.size, Buffer.byteLength(n));
      await vf.rename(`/weird/${n}`, `/weird/${n}.moved`, { overwrite: false });
      await vf.copy(`/weird/${n}.moved`, `/weird/${n}.copy`, { overwrite: false });
      await vf.delete(`/weird/${n}.d`, { recursive: true });
    }
    const after = (await vf.list('/weird')).map((e) => e.name).sort();
    assert.deepEqual(after, [...names.map((n) => `${n}.moved`), ...names.map((n) => `${n}.copy`)].sort());
    // Nothing was run: no stray files anywhere in the helper or the volume.
    const found = await inVolume('find / -xdev -name "pwned*" 2>/dev/null; find /v -name "pwned*"; ls /v');
    assert.ok(!/pwned/.test(found), found);
    const helperFind = await docker.getContainer(vf.helperId).exec({ Cmd: ['find', '/', '-name', 'pwned*'], AttachStdout: true, AttachStderr: true });
    const out = await new Promise<string>((resolve, reject) => {
      void helperFind.start({ hijack: true, stdin: false }).then((s) => {
        const chunks: Buffer[] = [];
        s.on('data', (c: Buffer) => chunks.push(c));
        s.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')));
        s.on('error', reject);
      }, reject);
    });
    assert.ok(!/pwned/.test(out), out);
    await vf.delete('/weird', { recursive: true });
  });

  test('a listing transfers names and metadata, not file contents', async () => {
    await inVolume('mkdir /v/big && dd if=/dev/zero of=/v/big/blob bs=1M count=16 2>/dev/null && touch /v/big/small');
    const before = vf.bytesReceived;
    const entries = await vf.list('/big');
    const listed = vf.bytesReceived - before;
    assert.deepEqual(entries.map((e) => e.name).sort(), ['blob', 'small']);
    assert.equal(entries.find((e) => e.name === 'blob')?.size, 16 * 1024 * 1024);
    assert.ok(listed < 4096, `a listing received ${listed} bytes`);
    // The same counter sees the contents when a read does move them, so it is not blind.
    const b2 = vf.bytesReceived;
    await vf.read('/big/blob');
    assert.ok(vf.bytesReceived - b2 >= 16 * 1024 * 1024);
    await vf.delete('/big', { recursive: true });
  });

  test('a read-only mount: reads work, every write is refused with the reason, nothing changes', async () => {
    const ro = await VolumeFiles.open(engine, { volume: vol, readOnly: true, helperImages: [BUSYBOX], labels: labels(SUITE) });
    try {
      assert.equal((await ro.read('/dir/sub/n.txt')).toString(), 'nested\n');
      const e = await rejectsWith(ro.write('/hello.txt', Buffer.from('x'), { create: true, overwrite: true }), 'NoPermissions');
      assert.match(e.message, /read-only/i);
      await rejectsWith(ro.mkdir('/newdir'), 'NoPermissions');
      await rejectsWith(ro.delete('/dir', { recursive: true }), 'NoPermissions');
      await rejectsWith(ro.rename('/hello.txt', '/h2', { overwrite: false }), 'NoPermissions');
      assert.equal((await vf.read('/hello.txt')).toString(), 'via link');
      assert.equal((await vf.stat('/dir')).type, 'directory');
    } finally {
      await ro.close();
    }
  });

  test('the helper is removed on close, and a missing volume is not created', async () => {
    const other = await VolumeFiles.open(engine, { volume: vol, helperImages: [BUSYBOX], labels: labels(SUITE) });
    const id = other.helperId;
    await other.close();
    await assert.rejects(docker.getContainer(id).inspect(), /no such container/i);
    const missing = uniq('cv-fs-missing');
    await rejectsWith(VolumeFiles.open(engine, { volume: missing, helperImages: [BUSYBOX], labels: labels(SUITE) }), 'FileNotFound');
    await assert.rejects(docker.getVolume(missing).inspect());
    const helpers = await docker.listContainers({ all: true, filters: { label: [`${TEST_LABEL}=${SUITE}`] } });
    assert.equal(helpers.filter((h) => h.Id !== vf.helperId).length, 0);
  });

  test('without a helper image: archive mode stats, lists, reads, writes with owners, and says what it cannot do', async () => {
    const ar = await VolumeFiles.open(engine, { volume: vol, helperImages: ['no-such-image:none'], labels: labels(SUITE) });
    try {
      assert.equal(ar.mode, 'archive');
      assert.equal((await ar.stat('/dir')).type, 'directory');
      assert.equal((await ar.stat('/link')).targetType, 'file');
      await rejectsWith(ar.stat('/nope'), 'FileNotFound');
      assert.ok((await ar.list('/')).some((e) => e.name === 'hello.txt' && e.type === 'file'));
      await ar.write('/owned/ar.txt', Buffer.from('ar'), { create: true, overwrite: false });
      assert.equal((await inVolume('stat -c "%u:%g %a" /v/owned/ar.txt; cat /v/owned/ar.txt')).replace(/\r/g, ''), '1234:2345 644\nar');
      await ar.write('/owned/conf', Buffer.from('again'), { create: false, overwrite: true });
      assert.equal((await inVolume('stat -c "%u:%g %a" /v/owned/conf')).trim(), '1234:2345 640');
      await ar.mkdir('/owned/ard');
      assert.equal((await inVolume('stat -c "%u:%g" /v/owned/ard')).trim(), '1234:2345');
      const e = await rejectsWith(ar.delete('/owned/ar.txt', { recursive: false }), 'Unavailable');
      assert.match(e.message, /helper image/);
      assert.equal(e.reason.code, 'fs.needsShell', 'the reason is a code, not only words');
      await rejectsWith(ar.rename('/owned/ar.txt', '/owned/moved.txt', { overwrite: false }), 'Unavailable');
      await rejectsWith(ar.copy('/owned', '/owned-copy', { overwrite: false }), 'Unavailable');
      await rejectsWith(
        ar.job(['true'], () => undefined, 'search'),
        'Unavailable',
      );
      await ar.copy('/owned/ar.txt', '/owned/ar-copy.txt', { overwrite: false }); // one file: a read and a write
      assert.equal((await inVolume('cat /v/owned/ar-copy.txt; ls /v /v/owned | grep -c -e moved -e owned-copy; true')).replace(/\r/g, ''), 'ar0\n');
    } finally {
      await ar.close();
    }
  });
});
