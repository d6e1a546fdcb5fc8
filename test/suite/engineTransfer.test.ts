// Copy to Engine… and Move to Engine… in the real extension host, against the second real engine
// (scripts/second-engine.sh): with argument objects, from the palette's questions (the engine QuickPick
// with "Enter a host…", the name), and the move's confirmation (always asked; dismissed = nothing changes).
import * as assert from 'node:assert/strict';
import { copyToEngine } from '../../src/commands/copyToEngine';
import { moveToEngine } from '../../src/commands/moveToEngine';
import type { CopyToEngineResult } from '../../src/core/operations/copyToEngine';
import { cleanup, createVolume, labels, secondEngine, sh, testEngine, uniq } from '../support/docker';
import { listVolume } from '../support/volumeFixtures';
import { api, runCommand } from './api';
import { answering, ScriptedPrompter } from './prompter';

const SUITE = 'ext-engine-transfer';

suite('Copy / Move to Engine (two real engines)', function () {
  this.timeout(120000);
  const one = testEngine();
  const two = secondEngine();
  const L = labels(SUITE);

  async function exists(e: typeof one, name: string): Promise<boolean> {
    return e.docker
      .getVolume(name)
      .inspect()
      .then(
        () => true,
        () => false,
      );
  }

  suiteSetup(async () => {
    await cleanup(one.docker, SUITE);
    await cleanup(two.docker, SUITE);
    (await api()).resourceLabels = { helper: L, volume: L };
  });
  suiteTeardown(async () => {
    (await api()).resourceLabels = {};
    await cleanup(one.docker, SUITE);
    await cleanup(two.docker, SUITE);
  });

  test('copy with an argument object: no question asked, data and labels on the other engine', async () => {
    const hooks = await api();
    const src = await createVolume(one.docker, SUITE, uniq('ext-cp'), { 'com.example.k': 'v' });
    await sh(one.docker, SUITE, 'mkdir -p "/v/a b/ü" /v/empty && echo hi > "/v/a b/ü/f" && ln -s "a b" /v/l && chmod 600 "/v/a b/ü/f"', [`${src}:/v`]);
    await hooks.services.inventory.refresh();
    const none = new ScriptedPrompter();
    const dst = uniq('ext-cp-dst');
    const r = (await answering(hooks, none, () => runCommand(copyToEngine, { volumeName: src, to: two.endpoint.host, newName: dst }))) as CopyToEngineResult;
    assert.deepEqual(none.asked, []);
    assert.equal(r.volumeName, dst);
    assert.equal(await listVolume(two.docker, SUITE, dst), await listVolume(one.docker, SUITE, src));
    assert.equal((await two.docker.getVolume(dst).inspect()).Labels?.['com.example.k'], 'v');
  });

  test('from the palette: the engine QuickPick with "Enter a host…", then the name', async () => {
    const hooks = await api();
    const src = await createVolume(one.docker, SUITE, uniq('ext-pal'));
    await sh(one.docker, SUITE, 'echo palette > /v/x', [`${src}:/v`]);
    await hooks.services.inventory.refresh();
    const dst = uniq('ext-pal-dst');
    const p = new ScriptedPrompter()
      .on(/^Choose the engine to copy to$/, 'Enter a host…')
      .on(/^Engine address/, two.endpoint.host)
      .on(/^Name of the volume on the other engine$/, dst);
    await answering(hooks, p, () => runCommand(copyToEngine, { volumeName: src }));
    const pick = p.asked.find((q) => q.kind === 'quickPick');
    assert.ok(pick?.items.includes('Enter a host…'), JSON.stringify(p.asked));
    assert.match(await sh(two.docker, SUITE, 'cat /v/x', [`${dst}:/v`]), /palette/);
  });

  test('move: confirmed once, then the source is gone; dismissed, nothing changes anywhere', async () => {
    const hooks = await api();
    const src = await createVolume(one.docker, SUITE, uniq('ext-mv'));
    await sh(one.docker, SUITE, 'echo moving > /v/m', [`${src}:/v`]);
    await hooks.services.inventory.refresh();
    const dismiss = new ScriptedPrompter();
    await assert.rejects(Promise.resolve(answering(hooks, dismiss, () => runCommand(moveToEngine, { volumeName: src, to: two.endpoint.host }))));
    assert.equal(dismiss.asked.filter((q) => q.modal).length, 1);
    assert.equal(await exists(one, src), true);
    assert.equal(await exists(two, src), false);

    const yes = new ScriptedPrompter().on(/^Move volume/, 'Move');
    const r = (await answering(hooks, yes, () => runCommand(moveToEngine, { volumeName: src, to: two.endpoint.host }))) as CopyToEngineResult;
    assert.equal(r.sourceRemoved, true);
    assert.equal(await exists(one, src), false);
    assert.match(await sh(two.docker, SUITE, 'cat /v/m', [`${src}:/v`]), /moving/);
  });
});
