// S6 through the command, as a user runs it from the palette (inputs given as an argument object).
import * as assert from 'node:assert/strict';
import { TEST_LABEL } from '../../src/core/engine/engine';
import type { UpgradeResult } from '../../src/core/operations/migrations/upgradeImage';
import { cleanup, runContainer, sh, testEngine, uniq } from '../support/docker';
import { api } from './api';
import { answering, ScriptedPrompter } from './prompter';

const SUITE = 'ext-migrate';

suite('Migrate Container command (S6)', function () {
  this.timeout(120000);
  const docker = testEngine().docker;
  const image = `cv-ext-migrate:${process.pid}`;

  suiteSetup(async () => {
    await cleanup(docker, SUITE);
    const id = await runContainer(docker, SUITE, { cmd: ['true'], start: false });
    await docker.getContainer(id).commit({
      repo: image.split(':')[0],
      tag: image.split(':')[1],
      changes: [`LABEL ${TEST_LABEL}=${SUITE}`, 'CMD ["sh","-c","while true; do echo v2 >> /logs/log; sleep 1; done"]'],
    } as Record<string, unknown>);
  });
  suiteTeardown(async () => {
    await cleanup(docker, SUITE);
    await docker
      .getImage(image)
      .remove({ force: true })
      .catch(() => undefined);
  });

  test('log_home moves to the new image with its anonymous volume and its data', async () => {
    const ext = await api();
    const name = uniq('log_home');
    await runContainer(docker, SUITE, { name, volumes: ['/logs'], cmd: ['sh', '-c', 'while true; do date >> /logs/log; sleep 1; done'] });
    await new Promise((r) => setTimeout(r, 1200));
    const vol = (await docker.getContainer(name).inspect()).Mounts[0].Name!;
    await ext.services.inventory.refresh();
    // No argument confirms: the plan is a modal through the Prompter. Dismissed, nothing changes.
    const id = (await docker.getContainer(name).inspect()).Id;
    const dismissing = new ScriptedPrompter();
    await assert.rejects(
      answering(ext, dismissing, () =>
        ext.runCommand('containerVolumes.migrateContainer', {
          containerName: name,
          image,
          keepOld: false,
          confirmed: true,
          stopTimeoutSeconds: 1,
          settleMs: 1000,
        }),
      ),
    );
    assert.ok(
      dismissing.asked.some((q) => q.kind === 'warning' && q.modal && /^Upgrade /.test(q.message)),
      JSON.stringify(dismissing.asked),
    );
    assert.equal((await docker.getContainer(name).inspect()).Id, id, 'the same container: nothing changed');
    const confirm = new ScriptedPrompter().on(/^Upgrade /, 'Upgrade');
    const res = (await answering(ext, confirm, () =>
      ext.runCommand('containerVolumes.migrateContainer', { containerName: name, image, keepOld: false, stopTimeoutSeconds: 1, settleMs: 1000 }),
    )) as UpgradeResult;
    assert.match(confirm.asked.find((q) => q.modal)?.message ?? '', new RegExp(`^Upgrade ${name} from .* to ${image.replace(/[.]/g, '\\.')}$`));
    assert.equal(res.name, name);
    const c = ext.services.inventory.current?.containers.find((x) => x.name === name);
    assert.equal(c?.image, image, 'the view shows the new image');
    assert.equal(c?.mounts[0].volumeName, vol);
    const log = await sh(docker, SUITE, 'cat /v/log', [`${vol}:/v:ro`]);
    assert.match(log, /\d{2}:\d{2}:\d{2}/, 'the dates written before are still there');
  });
});
