// The copy's big files hashed on the target while the upload runs (targetCheck.ts EarlyHashing), on
// the real engine: a file is hashed only once the entry after it exists, whatever it held before.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type Dockerode from 'dockerode';
import type { TarEntry } from '../../src/core/archive/tarReader';
import { removeHelper } from '../../src/core/helpers/helperContainers';
import { EarlyHashing, startTargetChecker } from '../../src/core/operations/targetCheck';
import { BUSYBOX, cleanup, createVolume, labels, sh, testEngine, uniq } from '../support/docker';

const SUITE = 'early-hashing';

suite('big files hashed on the target while the upload runs', () => {
  const { docker } = testEngine();
  const helperLabels = labels(SUITE);
  suiteSetup(() => cleanup(docker, SUITE));
  suiteTeardown(() => cleanup(docker, SUITE));

  const entry = (path: string, type: TarEntry['type'], size: number) => ({ path, type, size, sparse: false }) as unknown as TarEntry;
  const zerosSha = (n: number) => createHash('sha256').update(Buffer.alloc(n)).digest('hex');

  /** A volume holding `zeros` bytes in ./a, its check helper and an EarlyHashing on it; `close` removes the helper. */
  async function hashingIn(name: string, zeros: number) {
    const v = await createVolume(docker, SUITE, uniq(name));
    await sh(docker, SUITE, `head -c ${zeros} /dev/zero > /v/a`, [`${v}:/v`]);
    const helpers: Dockerode.Container[] = [];
    const checker = startTargetChecker(docker, v, BUSYBOX, helperLabels, (c) => helpers.push(c));
    const early = new EarlyHashing(checker);
    const removeHelpers = async () => {
      await checker;
      await Promise.all(helpers.map(removeHelper));
    };
    const close = async () => {
      early.dispose();
      await removeHelpers();
    };
    return { v, checker, early, removeHelpers, close };
  }

  test('a file half written when it is handed over is hashed complete, once the next entry (not a folder) exists; small files are left to the listing', async () => {
    const { v, early, close } = await hashingIn('early', 2 << 20);
    try {
      early.note(entry('./', 'directory', 0));
      early.note(entry('./a', 'file', 4 << 20));
      early.note(entry('./d', 'directory', 0));
      early.note(entry('./d/b', 'file', 10)); // a's witness; b is small
      await sh(docker, SUITE, 'mkdir /v/d && sleep 1 && head -c 2097152 /dev/zero >> /v/a && printf 0123456789 > /v/d/b', [`${v}:/v`]);
      early.end();
      const got = await early.result();
      assert.deepEqual(got && [...got], [['./a', zerosSha(4 << 20)]], 'the whole file, not the half there when it was handed over');
    } finally {
      await close();
    }
  });

  test('a witness that never appears (an engine in a user namespace skips devices; here a name never made): once the upload is over, the file is hashed', async () => {
    const { checker, early, close } = await hashingIn('early-over', 3 << 20);
    try {
      early.note(entry('./a', 'file', 3 << 20));
      early.note(entry('./dev', 'character-device', 0)); // no witness: skipped where devices cannot be made
      early.note(entry('./never', 'file', 1));
      await checker;
      await new Promise((r) => setTimeout(r, 300));
      early.end();
      const got = await early.result();
      assert.deepEqual(got && [...got], [['./a', zerosSha(3 << 20)]]);
    } finally {
      await close();
    }
  });

  test('an exec that fails (the check helper removed under it) gives no result, so the listing hashes everything', async () => {
    const { early, removeHelpers, close } = await hashingIn('early-gone', 2 << 20);
    try {
      early.note(entry('./a', 'file', 2 << 20));
      early.note(entry('./never', 'file', 1)); // never made: the exec waits for it
      await new Promise((r) => setTimeout(r, 500));
      await removeHelpers();
      early.end();
      assert.equal(await early.result(), undefined);
    } finally {
      await close();
    }
  });
});
