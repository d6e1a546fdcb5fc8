// The volume-name rule has one home (core/volumeName.ts) and gives the real engine's answer: every
// name below is tried on the engine (docker volume create, local driver) and through each way this
// project makes a volume (create, restore into, clone to), and all of them agree.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cloneVolume } from '../../src/core/operations/cloneVolume';
import { restoreVolume } from '../../src/core/operations/restoreVolume';
import { createVolume } from '../../src/core/operations/volumeAdmin';
import { isVolumeName, volumeNameProblem } from '../../src/core/volumeName';
import { cleanup, labels, testContext, testEngine, uniq } from '../support/docker';

const SUITE = 'volume-name';
const NAMES = ['a', '1', 'ab', 'A1', 'a.', 'a_-.z', '_a', '.a', '-a', 'a b', 'aé', 'ab/c', 'a:b', ''];

suite("volume names: one rule, the engine's", function () {
  this.timeout(60000);
  const engine = testEngine();
  const docker = engine.docker;
  const L = labels(SUITE);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cv-name-'));
  const unique = (n: string) => (n ? `${n}${uniq('').replace(/[^a-zA-Z0-9]/g, '')}` : n);

  suiteSetup(() => cleanup(docker, SUITE));
  suiteTeardown(async () => {
    await cleanup(docker, SUITE);
    rmSync(dir, { recursive: true, force: true });
  });

  test('the rule accepts exactly the names the engine accepts', async () => {
    const engineSays: Record<string, boolean> = {};
    for (const n of NAMES.filter(Boolean)) {
      engineSays[n] = await docker.createVolume({ Name: n, Labels: L }).then(
        () => true,
        () => false,
      );
      await docker
        .getVolume(n)
        .remove()
        .catch(() => undefined);
    }
    const ruleSays = Object.fromEntries(NAMES.filter(Boolean).map((n) => [n, isVolumeName(n)]));
    assert.deepEqual(ruleSays, engineSays);
    assert.equal(engineSays.a, false, 'the engine refuses a one-letter name');
  });

  test('create, restore and clone refuse the same names, before touching anything', async () => {
    const missing = path.join(dir, 'no-such-backup.tar');
    for (const n of NAMES) {
      const bad = volumeNameProblem(n) !== undefined;
      assert.equal(bad, !isVolumeName(n), n);
      const why = bad ? /(not a valid volume name|name is required)/ : /./;
      // a valid (made unique) name gets past the name check and fails at the missing backup / source instead
      const name = bad ? n : unique(n);
      await assert.rejects(
        restoreVolume(testContext(docker, SUITE), { file: missing, volumeName: name, volumeLabels: L }),
        (e: Error) => (bad ? why.test(e.message) : !/valid volume name/.test(e.message)),
        `restore "${n}"`,
      );
      await assert.rejects(
        cloneVolume(testContext(docker, SUITE), { source: uniq('cv-no-such-volume'), target: name, volumeLabels: L }),
        (e: Error) => (bad ? why.test(e.message) : !/valid volume name/.test(e.message)),
        `clone "${n}"`,
      );
      if (bad) await assert.rejects(createVolume(engine, n, L), why, `create "${n}"`);
      else {
        assert.equal(await createVolume(engine, name, L), name, `create "${n}"`);
        await docker.getVolume(name).remove();
      }
    }
  });
});
