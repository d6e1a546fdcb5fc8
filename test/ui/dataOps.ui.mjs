// Backup and restore the way a user does them (S4 in one right-click), in the real workbench:
// right-click a volume → Back Up…, type where in the save dialog, the archive and its record appear
// and the notification says it was verified; then the Volumes view's Restore Backup… button, pick the
// archive in the open dialog, name the new volume, and the new volume holds the same file.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUSYBOX, removeSeed } from '../../scripts/seed.mjs';
import { contextMenuCommand, viewPane, waitRow } from './lib/tree.mjs';
import { typePath } from './lib/dialog.mjs';

export const title = "Back up a volume from its context menu, restore it with the Volumes view's button";
const LABEL = 'dev.container-volumes.test=ui-data';

export default async function ({ page, open, check, shot, say }) {
  removeSeed({ label: LABEL });
  const dir = mkdtempSync(join(tmpdir(), 'cv-ui-data-'));
  const suffix = Math.random().toString(36).slice(2, 8);
  const volume = `ui_data_${suffix}`;
  const restored = `ui_restored_${suffix}`;
  try {
    execFileSync('docker', ['volume', 'create', '--label', LABEL, volume], { stdio: 'ignore' });
    execFileSync('docker', [
      'run',
      '--rm',
      '--label',
      LABEL,
      '-v',
      `${volume}:/v`,
      BUSYBOX,
      'sh',
      '-c',
      'echo "the data that matters" > /v/db.txt && mkdir /v/logs && echo line > /v/logs/a.log',
    ]);
    say(`seed: volume ${volume}, backups in ${dir}`);
    await open();
    const icon = page.locator('.part.activitybar .action-item a.action-label[aria-label^="Container Volumes"]');
    await icon.waitFor({ timeout: 60000 });
    await icon.click();
    const volumes = viewPane(page, 'containerVolumes.volumes');

    // 1. Back Up… from the volume's context menu, into a folder typed in the save dialog
    const file = join(dir, `${volume}.tar`);
    await contextMenuCommand(page, volumes, (r) => r.level === 2 && r.label === volume, `${volume} row`, 'Back Up…');
    await typePath(page, file);
    const done = page.locator('.notifications-toasts .notification-list-item-message', { hasText: `Backed up ${volume}` });
    let notified = true;
    try {
      await done.first().waitFor({ timeout: 60000 });
    } catch {
      notified = false;
    }
    check(
      'the notification says the backup was made and verified',
      notified &&
        /verified/.test(
          await done
            .first()
            .innerText()
            .catch(() => ''),
        ),
    );
    check(`the archive and its record are in the chosen folder (${file})`, existsSync(file) && existsSync(`${file}.json`));
    const sidecar = existsSync(`${file}.json`) ? JSON.parse(readFileSync(`${file}.json`, 'utf8')) : {};
    check(
      "the record names the volume and holds the archive's sha256",
      sidecar.volume?.name === volume && /^[0-9a-f]{64}$/.test(sidecar.sha256 ?? ''),
      JSON.stringify(sidecar.volume),
    );
    await shot('backup-done', { publish: true });

    // 2. Restore Backup… from the Volumes view's title while the backed-up volume still has the focus:
    // VS Code hands title actions the focused element, and this button must still mean "a new volume".
    check(
      'the backed-up volume row has the focus',
      (await volumes
        .locator('.monaco-list-row.focused .label-name')
        .first()
        .innerText()
        .catch(() => '')) === volume,
    );
    const dialog = page.locator('.quick-input-widget', { hasText: 'Choose a backup to restore' });
    // The view's actions re-render on engine events (the backup just changed things): click until the dialog opens.
    for (let i = 0; i < 5 && !(await dialog.isVisible()); i++) {
      await volumes.locator('.pane-header').hover();
      await volumes.locator('.pane-header .action-label[aria-label^="Restore Backup"]').click();
      await dialog.waitFor({ timeout: 5000 }).catch(() => undefined);
    }
    await page.locator('.quick-input-widget', { hasText: 'Choose a backup to restore' }).waitFor({ timeout: 30000 });
    await typePath(page, file);
    await page.locator('.quick-input-widget', { hasText: 'Restore into a new volume' }).waitFor({ timeout: 30000 });
    const nameBox = page.locator('.quick-input-widget .quick-input-box input');
    await nameBox.fill(restored);
    await nameBox.press('Enter');
    // The final message names the volume in quotes; the progress ("Restoring into …") does not: wait for the end.
    const restoredNote = page.locator('.notifications-toasts .notification-list-item-message', { hasText: `"${restored}"` });
    let restoredShown = true;
    try {
      await restoredNote.first().waitFor({ timeout: 60000 });
    } catch {
      restoredShown = false;
    }
    check(`a notification says the backup went into the new volume ${restored}`, restoredShown);
    let contents = '';
    try {
      // inspect first: `docker run -v name:/v` would create a missing volume
      execFileSync('docker', ['volume', 'inspect', restored], { stdio: 'ignore' });
      contents = execFileSync('docker', ['run', '--rm', '--label', LABEL, '-v', `${restored}:/v:ro`, BUSYBOX, 'sh', '-c', 'cat /v/db.txt /v/logs/a.log'], {
        encoding: 'utf8',
      });
    } catch {
      /* checked below */
    }
    check('the new volume holds the same files', contents === 'the data that matters\nline\n', JSON.stringify(contents));
    let listed = true;
    try {
      await waitRow(page, volumes, (r) => r.level === 2 && r.label === restored, `${restored} row`, 30000);
    } catch {
      listed = false;
    }
    check('the Volumes view lists the new volume', listed);
    await page.mouse.move(1000, 600);
    await page.waitForTimeout(500);
    await shot('restore-done', { publish: true });
  } finally {
    await page.keyboard.press('Escape').catch(() => undefined);
    removeSeed({ label: LABEL });
    rmSync(dir, { recursive: true, force: true });
  }
}
