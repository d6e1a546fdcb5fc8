// S6 as a user does it, on the seed's set-up (scripts/seed.mjs: log_home, logger01 and logger02
// --volumes-from it): right-click log_home in the Containers view → Upgrade Container to a New Image,
// Keeping Its Data…, pick the image, choose to remove the old container, read the plan in the modal
// (screenshot for the README), Upgrade; the notification says it is done, and the engine shows the new
// image on the same anonymous volume, with the data written before, logger01 and logger02 still on it.
import { execFileSync } from 'node:child_process';
import { BUSYBOX, createSeed, removeSeed } from '../../scripts/seed.mjs';
import { contextMenuCommand, viewPane, waitRow } from './lib/tree.mjs';

export const title = 'Upgrade a container to a new image from its context menu: the plan first, then the upgrade';
const LABEL = 'dev.container-volumes.test=ui-upgrade';

const docker = (...args) => execFileSync('docker', args, { encoding: 'utf8' }).trim();

export default async function ({ page, open, check, shot, say }) {
  removeSeed({ label: LABEL });
  const suffix = Math.random().toString(36).slice(2, 8);
  const image = `cv-ui-upgrade:v2-${suffix}`;
  let volume;
  let seed;
  try {
    // The new image, made offline: busybox with a CMD of its own.
    const base = docker('create', '--label', LABEL, BUSYBOX, 'true');
    docker('commit', '--change', `LABEL ${LABEL}`, '--change', 'CMD ["sh","-c","while true; do echo v2 >> /logs/log; sleep 1; done"]', base, image);
    docker('rm', base);
    seed = createSeed({ label: LABEL, bindDir: '/tmp/cv-ui-upgrade-seed' });
    const name = seed.logHome;
    volume = docker('inspect', '-f', '{{(index .Mounts 0).Name}}', name);
    say(`seed: ${name} on ${volume.slice(0, 12)} (${seed.logger01}, ${seed.logger02} --volumes-from it), new image ${image}`);
    await open();
    const icon = page.locator('.part.activitybar .action-item a.action-label[aria-label^="Container Volumes"]');
    await icon.waitFor({ timeout: 60000 });
    await icon.click();
    const containers = viewPane(page, 'containerVolumes.containers');

    await contextMenuCommand(page, containers, (r) => r.label === name, `${name} row`, 'Upgrade Container to a New Image, Keeping Its Data…');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ timeout: 30000 });
    await input.fill(image);
    await page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: image }).first().waitFor({ timeout: 15000 });
    await input.press('Enter');
    await page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'Remove the old container' }).first().waitFor({ timeout: 15000 });
    await page.waitForTimeout(300);
    await input.press('Enter');

    const modal = page.locator('.monaco-dialog-box', { hasText: `Upgrade ${name} from` });
    let shown = true;
    try {
      await modal.waitFor({ timeout: 60000 });
    } catch {
      shown = false;
    }
    const text = shown ? await modal.innerText() : '';
    check(
      'the plan is shown before anything changes, step by step',
      shown &&
        /1\. Rename .* to .*-pre-upgrade-/.test(text) &&
        /Create .* from cv-ui-upgrade/.test(text) &&
        /Stop .*-pre-upgrade-/.test(text) &&
        /check that it stays up/.test(text) &&
        /Remove .* \(its volumes stay\)/.test(text),
      text.replace(/\n/g, ' | '),
    );
    check(
      "the plan names the mounts kept and the new container's command (its own override of busybox's, kept)",
      /Mounted as before: [0-9a-f]{64}:\/logs/.test(text) && /date >> \/logs\/log/.test(text),
    );
    check('nothing changed while the plan is shown', docker('inspect', '-f', '{{.Config.Image}} {{.State.Running}}', name) === `${BUSYBOX} true`);
    await shot('upgrade-plan', { publish: true });

    await modal.getByRole('button', { name: 'Upgrade' }).click();
    const done = page.locator('.notifications-toasts .notification-list-item-message', { hasText: `${name} now runs ${image}` });
    let finished = true;
    try {
      await done.first().waitFor({ timeout: 90000 });
    } catch {
      finished = false;
    }
    check('the notification says the container now runs the new image', finished);
    const after = docker('inspect', '-f', '{{.Config.Image}} {{.State.Running}} {{(index .Mounts 0).Name}} {{.Config.Cmd}}', name);
    check(
      'the engine shows the new image, running, on the same volume, with its own command',
      after.startsWith(`${image} true ${volume} `) && after.includes('date >> /logs/log'),
      after,
    );
    const followers = [seed.logger01, seed.logger02].map((n) => docker('inspect', '-f', '{{.State.Running}} {{(index .Mounts 0).Name}}', n));
    check(
      'logger01 and logger02 still run on the same volume',
      followers.every((f) => f === `true ${volume}`),
      followers.join(', '),
    );
    const log = docker('run', '--rm', '--label', LABEL, '-v', `${volume}:/v:ro`, BUSYBOX, 'cat', '/v/log');
    check('the data written before the upgrade is still there', /\d{2}:\d{2}:\d{2}/.test(log));
    await waitRow(page, containers, (r) => r.label === name && (r.description ?? '').includes(image), `${name} row showing ${image}`, 30000).then(
      () => check('the Containers view shows the new image', true),
      (e) => check('the Containers view shows the new image', false, e.message),
    );
    await shot('upgrade-done');
  } finally {
    removeSeed({ label: LABEL });
    // Mounted by name now, the anonymous volume is not removed with the container (rm -v).
    if (volume)
      try {
        docker('volume', 'rm', volume);
      } catch {
        /* in use or gone */
      }
    try {
      docker('image', 'rm', '-f', image);
    } catch {
      /* already gone */
    }
  }
}
