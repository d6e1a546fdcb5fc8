// A running helper must not outlive the process that started it, however that process ends: a
// window's extension host killed, `npm start` stopped, a CLI run killed with SIGKILL. Tested with a
// real child process that starts one and is then killed; the helper must be gone on its own.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { removeHelper, startShellHelper } from '../../src/core/helpers/helperContainers';
import { BUSYBOX, cleanup, createVolume, labels, testEngine, uniq } from '../support/docker';

const SUITE = 'lifetime';

suite('helper lifetime (real engine)', function () {
  this.timeout(120000);
  const docker = testEngine().docker;
  suiteSetup(() => cleanup(docker, SUITE));
  suiteTeardown(() => cleanup(docker, SUITE));

  const state = (id: string) =>
    docker
      .getContainer(id)
      .inspect()
      .then(
        (i) => (i.State.Running ? 'running' : i.State.Status),
        () => 'gone',
      );
  async function until(what: string, check: () => Promise<boolean>, ms: number): Promise<number> {
    const t0 = Date.now();
    while (!(await check())) {
      if (Date.now() - t0 > ms) assert.fail(`timed out after ${ms} ms waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    return Date.now() - t0;
  }

  test('a helper whose owner is killed with SIGKILL removes itself, and its volume is free again', async () => {
    const vol = await createVolume(docker, SUITE, uniq('cv-life'));
    const modulePath = path.resolve(__dirname, '../../src/core/helpers/helperContainers.js');
    const enginePath = path.resolve(__dirname, '../support/docker.js');
    const script = `
      const { startShellHelper } = require(${JSON.stringify(modulePath)});
      const { testEngine } = require(${JSON.stringify(enginePath)});
      startShellHelper(testEngine().docker, ${JSON.stringify(BUSYBOX)}, {
        purpose: 'lifetime-test', labels: ${JSON.stringify(labels(SUITE))},
        mounts: [{ source: ${JSON.stringify(vol)}, target: '/v', type: 'volume' }],
      }).then((c) => console.log(c.id), (e) => { console.error(e); process.exit(1); });
      setInterval(() => undefined, 1000); // an owner that goes on living until it is killed`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const id = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`the owner exited (${code}) before starting its helper`)));
    });
    assert.equal(await state(id), 'running');
    await new Promise((r) => setTimeout(r, 3000)); // it does not end while its owner lives
    assert.equal(await state(id), 'running', 'the helper ended although its owner is alive');
    await assert.rejects(docker.getVolume(vol).remove(), /in use/, 'the helper should keep its volume in use');

    child.kill('SIGKILL');
    await until('the helper to remove itself', async () => (await state(id)) === 'gone', 30000);
    await docker.getVolume(vol).remove(); // nothing of ours holds it any more
  });

  test('exec works in a helper, and removeHelper removes it at once', async () => {
    const c = await startShellHelper(docker, BUSYBOX, { purpose: 'lifetime-test', labels: labels(SUITE) });
    const ex = await c.exec({ Cmd: ['sh', '-c', 'exit 7'], AttachStdout: true, AttachStderr: true });
    const stream = await ex.start({ hijack: true, stdin: false });
    await new Promise((r) => {
      stream.on('end', r);
      stream.on('close', r);
      stream.resume();
    });
    assert.equal((await ex.inspect()).ExitCode, 7);
    await removeHelper(c);
    assert.equal(await state(c.id), 'gone');
  });
});
