// What the README promises about volume folders, in the real workbench: the docker-volume:// folder
// and an editor of one of its files survive a reload of the window; drag and drop moves a file from a
// local folder into the volume folder and one from the volume folder into the local folder; Open in New
// Window opens a window on the volume, whose Explorer lists its files.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUSYBOX, removeSeed } from '../../scripts/seed.mjs';
import { contextMenuCommand, viewPane } from './lib/tree.mjs';
import { exactText } from './lib/text.mjs';
import { addVolumeToWorkspace, ourIcon } from './lib/workbench.mjs';

export const title = 'A volume folder survives a reload, takes drag and drop, and opens in a new window';
const LABEL = 'dev.container-volumes.test=ui-window';
const RESULTS = join(dirname(fileURLToPath(import.meta.url)), '../../test-results');

export default async function ({ page, open, check, shot, say, run }) {
  removeSeed({ label: LABEL });
  const suffix = Math.random().toString(36).slice(2, 8);
  const volume = `ui_window_${suffix}`;
  const localFile = join(run.folder, `from-local-${suffix}.txt`);
  const localTarget = join(run.folder, `to-local-${suffix}.txt`);
  const inVolume = (script) =>
    execFileSync('docker', ['run', '--rm', '--label', LABEL, '-v', `${volume}:/v`, BUSYBOX, 'sh', '-c', script], { encoding: 'utf8' });
  let popup;
  try {
    execFileSync('docker', ['volume', 'create', '--label', LABEL, volume], { stdio: 'ignore' });
    inVolume(
      `mkdir /v/notes && echo "hello from the volume" > /v/hello-${suffix}.txt && echo n > /v/notes/n.txt && echo "going to the local folder" > /v/to-local-${suffix}.txt`,
    );
    mkdirSync(run.folder, { recursive: true });
    writeFileSync(localFile, 'made on this machine\n');
    say(`seed: volume ${volume}, local file ${localFile}`);

    await open();
    await addVolumeToWorkspace(page, volume);
    const icon = ourIcon(page);
    const volumes = viewPane(page, 'containerVolumes.volumes');
    const explorerIcon = page.locator('.part.activitybar .action-item a.action-label[aria-label^="Explorer"]').first();
    const explorer = page.locator('#workbench\\.parts\\.sidebar .explorer-folders-view');
    const row = (name) =>
      explorer
        .locator('.monaco-list-row')
        .filter({ has: page.locator('.label-name', { hasText: exactText(name) }) })
        .first();
    const expand = async (name) => {
      const r = row(name);
      await r.waitFor({ timeout: 60000 });
      if ((await r.getAttribute('aria-expanded')) !== 'true') await r.click();
    };
    await expand(`volume ${volume}`);
    // a name of its own: earlier tests leave other volume folders (with their own hello.txt) in the Explorer
    await row(`hello-${suffix}.txt`).dblclick();
    const lines = page.locator('.part.editor .editor-instance .view-lines').first();
    await lines.filter({ hasText: 'hello from the volume' }).waitFor({ timeout: 30000 });

    // 1. a reload: the workspace reopens the docker-volume:// folder and the editor of its file
    await page.waitForTimeout(1500); // let the workbench store its state
    await open();
    await explorerIcon.waitFor({ timeout: 60000 });
    const folderBack = await row(`volume ${volume}`)
      .waitFor({ timeout: 60000 })
      .then(
        () => true,
        () => false,
      );
    check('after a reload the volume folder is still in the workspace', folderBack);
    // (Whether the editor of the file comes back too is the workbench's own state; not checked here.)
    if (!(await explorer.isVisible())) await explorerIcon.click();
    await expand(`volume ${volume}`);
    check(
      'after a reload the volume folder lists its files',
      await row('notes')
        .waitFor({ timeout: 30000 })
        .then(
          () => true,
          () => false,
        ),
    );

    // 2. drag and drop, local folder → volume folder and back (a move: VS Code asks first)
    await expand('folder');
    // The Explorer re-renders as files come and go: the pointer is put on the row, the row under it
    // read back, and only then is the button pressed (a stale position once dragged hello-….txt).
    const labelAt = (x, y) =>
      page.evaluate(([px, py]) => document.elementFromPoint(px, py)?.closest('.monaco-list-row')?.querySelector('.label-name')?.textContent ?? '', [x, y]);
    const dragRow = async (name, target) => {
      for (let attempt = 1; ; attempt++) {
        const src = row(name);
        await src.waitFor({ timeout: 30000 });
        await src.scrollIntoViewIfNeeded();
        const a = await src.boundingBox();
        const b = await row(target).boundingBox();
        if (a && b) {
          const [ax, ay, bx, by] = [a.x + Math.min(60, a.width / 3), a.y + a.height / 2, b.x + Math.min(60, b.width / 3), b.y + b.height / 2];
          await page.mouse.move(ax, ay);
          if ((await labelAt(ax, ay)) === name && (await labelAt(bx, by)) === target) {
            await page.mouse.down();
            await page.mouse.move((ax + bx) / 2, (ay + by) / 2, { steps: 5 });
            await page.mouse.move(bx, by, { steps: 5 });
            await page.mouse.up();
            return;
          }
        }
        if (attempt === 10) throw new Error(`could not put the pointer on ${name} (and ${target}) in 10 attempts`);
        await page.waitForTimeout(500);
      }
    };
    const confirmMove = async () => {
      const move = page.locator('.monaco-dialog-box .monaco-button', { hasText: /^Move$/ });
      if (
        await move.waitFor({ timeout: 30000 }).then(
          () => true,
          () => false,
        )
      )
        await move.click();
    };
    await dragRow(`from-local-${suffix}.txt`, `volume ${volume}`);
    await confirmMove();
    let moved = '';
    for (let i = 0; i < 120 && !moved; i++) {
      await page.waitForTimeout(500);
      try {
        moved = inVolume(`cat /v/from-local-${suffix}.txt 2>/dev/null || true`);
      } catch {
        /* not yet */
      }
    }
    check('a file dragged from the local folder onto the volume folder is in the volume', moved === 'made on this machine\n', JSON.stringify(moved));
    // A move is a copy then a delete: the source goes a moment after the copy shows (a slow machine).
    for (let i = 0; i < 40 && existsSync(localFile); i++) await page.waitForTimeout(500);
    check('... and no longer in the local folder (moved)', !existsSync(localFile));
    // The Explorer shows the moved file in the volume before the next drag (its rows have moved).
    await row(`from-local-${suffix}.txt`)
      .waitFor({ timeout: 30000 })
      .catch(() => undefined);
    await dragRow(`to-local-${suffix}.txt`, 'folder');
    await confirmMove();
    // A move through the volume's file system is a copy then a delete: allow for a slow machine.
    for (let i = 0; i < 120 && !existsSync(localTarget); i++) await page.waitForTimeout(500);
    for (let i = 0; i < 40 && inVolume(`ls /v/to-local-${suffix}.txt 2>/dev/null || echo gone`).trim() !== 'gone'; i++) await page.waitForTimeout(500);
    check(
      'a file dragged from the volume folder onto the local folder is in the local folder',
      existsSync(localTarget) && readFileSync(localTarget, 'utf8') === 'going to the local folder\n',
    );
    check('... and no longer in the volume (moved)', inVolume(`ls /v/to-local-${suffix}.txt 2>/dev/null || echo gone`).trim() === 'gone');
    await page.mouse.move(1000, 600);
    await page.waitForTimeout(800);
    await shot('volume-window-dnd');

    // 3. Open in New Window: a new window on the volume, its Explorer lists the volume's files
    await icon.click();
    const opened = page.context().waitForEvent('page', { timeout: 60000 });
    await contextMenuCommand(page, volumes, (r) => r.level === 2 && r.label === volume, `${volume} row`, 'Open in New Window');
    popup = await opened.catch(() => undefined);
    check('Open in New Window opens a window', !!popup);
    if (popup) {
      await popup.waitForLoadState('domcontentloaded');
      const url = decodeURIComponent(popup.url());
      check('the new window is opened on the volume (docker-volume:// folder)', url.includes(`folder=docker-volume://`) && url.includes(`/${volume}`), url);
      const inPopup = popup.locator('#workbench\\.parts\\.sidebar .explorer-folders-view .label-name', { hasText: new RegExp(`^hello-${suffix}\\.txt$`) });
      const listed = await inPopup
        .first()
        .waitFor({ timeout: 90000 })
        .then(
          () => true,
          () => false,
        );
      check("the new window's Explorer lists the volume's files", listed);
      await popup.waitForTimeout(1000);
      mkdirSync(RESULTS, { recursive: true });
      await popup.screenshot({ path: join(RESULTS, 'volume-new-window.png') });
      say(`screenshot ${join(RESULTS, 'volume-new-window.png')}`);
    }
  } finally {
    await popup?.close().catch(() => undefined);
    await page.keyboard.press('Escape').catch(() => undefined);
    removeSeed({ label: LABEL });
  }
}
