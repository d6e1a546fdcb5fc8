// A volume folder follows what containers write (issue 17), in the real workbench: the volume added to
// the workspace and expanded in the Explorer (root and a subfolder), a container (`docker exec` into a
// labelled test container that mounts the volume) creates, changes and deletes files, and each shows
// in the Explorer within 5 s (a change shows as the file moving to the top: the Explorer sorts by
// modification time for this test); an open clean editor shows the container's new content; a dirty
// editor keeps its edits, and saving it meets VS Code's conflict instead of overwriting.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUSYBOX, removeSeed } from '../../scripts/seed.mjs';
import { exactText } from './lib/text.mjs';
import { addVolumeToWorkspace } from './lib/workbench.mjs';

export const title = 'A volume folder follows what a container creates, changes and deletes';
const LABEL = 'dev.container-volumes.test=ui-watch';
const WITHIN_MS = 5000;

export default async function ({ page, open, check, shot, say, run }) {
  removeSeed({ label: LABEL });
  const suffix = Math.random().toString(36).slice(2, 8);
  const volume = `ui_watch_${suffix}`;
  const settingsFile = join(run.userData, 'User/settings.json');
  const settingsBefore = readFileSync(settingsFile, 'utf8');
  try {
    execFileSync('docker', ['volume', 'create', '--label', LABEL, volume], { stdio: 'ignore' });
    const app = execFileSync(
      'docker',
      [
        'run',
        '-d',
        '--label',
        LABEL,
        '-v',
        `${volume}:/data`,
        BUSYBOX,
        'sh',
        '-c',
        'mkdir -p /data/sub && echo keep > /data/sub/keep.txt && echo old > /data/sub/old.txt && echo readme > /data/readme.txt && echo doomed > /data/doomed.txt && echo doc > /data/doc.txt && echo draft > /data/draft.txt && touch -d "2020-01-01 00:00:00" /data/*.txt /data/sub/*.txt && trap "exit 0" TERM; while true; do sleep 1; done',
      ],
      { encoding: 'utf8' },
    ).trim();
    const inApp = (script) => execFileSync('docker', ['exec', app, 'sh', '-c', script], { encoding: 'utf8' });
    say(`seed: volume ${volume}, container ${app.slice(0, 12)} mounts it at /data`);
    // Sorted by modification time, a changed file moves to the top of its folder: a change made visible.
    writeFileSync(settingsFile, JSON.stringify({ ...JSON.parse(settingsBefore), 'explorer.sortOrder': 'modified' }, null, 2));

    await open();
    await addVolumeToWorkspace(page, volume);
    const explorer = page.locator('#workbench\\.parts\\.sidebar .explorer-folders-view');
    const row = (name) =>
      explorer
        .locator('.monaco-list-row')
        .filter({ has: page.locator('.label-name', { hasText: exactText(name) }) })
        .first();
    /** The Explorer's rows, top to bottom: { level, name, folder }. */
    const rows = () =>
      explorer.locator('.monaco-list-rows > .monaco-list-row').evaluateAll((els) =>
        els
          .map((e) => ({
            index: Number(e.getAttribute('data-index')),
            level: Number(e.getAttribute('aria-level')),
            folder: e.hasAttribute('aria-expanded'),
            name: e.querySelector('.label-name')?.textContent?.trim() ?? '',
          }))
          .sort((a, b) => a.index - b.index),
      );
    const folderRow = explorer.locator('.monaco-list-row', { hasText: `volume ${volume}` }).first();
    await folderRow.waitFor({ timeout: 60000 });
    if ((await folderRow.getAttribute('aria-expanded')) !== 'true') await folderRow.click();
    await row('readme.txt').waitFor({ timeout: 30000 });
    await row('sub').click();
    await row('keep.txt').waitFor({ timeout: 30000 });
    await page.mouse.move(1000, 600);
    await page.waitForTimeout(4000); // the first polls take the folders' listings

    /** Runs `script` in the container, then waits until `done()` holds; returns the milliseconds it took. */
    async function timed(script, done, what) {
      inApp(script);
      const t = Date.now();
      for (;;) {
        if (await done()) return Date.now() - t;
        if (Date.now() - t > 20000) {
          check(what, false, 'not within 20 s');
          return Infinity;
        }
        await page.waitForTimeout(100);
      }
    }
    const visible = (name) => () => row(name).isVisible();
    const gone = (name) => async () => !(await row(name).isVisible());
    const within = (what, ms) => check(`${what} within 5 s`, ms <= WITHIN_MS, `${ms === Infinity ? 'never' : `${ms} ms`}`);

    // 1. created, in the root and in the subfolder
    within(
      'a file the container creates in the root shows in the Explorer',
      await timed('echo hi > /data/external.txt', visible('external.txt'), 'external.txt appears'),
    );
    within(
      'a file the container creates in a subfolder shows',
      await timed('echo hi > /data/sub/made-in-sub.txt', visible('made-in-sub.txt'), 'made-in-sub.txt appears'),
    );
    await shot('volume-watch-created');

    // 2. changed: sorted by modification time (folders first), the rewritten file becomes the first
    // file of its folder
    const firstIn = async (folder) => {
      const all = await rows();
      const i = all.findIndex((r) => r.name === folder);
      if (i < 0) return undefined;
      const kids = [];
      for (let j = i + 1; j < all.length && all[j].level > all[i].level; j++) if (all[j].level === all[i].level + 1) kids.push(all[j]);
      return kids.find((r) => !r.folder)?.name;
    };
    const rootName = `volume ${volume}`;
    const before = await firstIn(rootName);
    check('sorted by modification time, the newest file (external.txt) comes first before the change', before === 'external.txt', before);
    within(
      'a file the container rewrites in the root moves to the top (sorted by modification time)',
      await timed('sleep 1; echo "readme, longer now" > /data/readme.txt', async () => (await firstIn(rootName)) === 'readme.txt', 'readme.txt moves up'),
    );
    within(
      'a file the container rewrites in the subfolder moves to the top of it',
      await timed('sleep 1; echo "old, rewritten" > /data/sub/old.txt', async () => (await firstIn('sub')) === 'old.txt', 'old.txt moves up'),
    );

    // 3. deleted
    within('a file the container deletes in the root goes from the Explorer', await timed('rm /data/doomed.txt', gone('doomed.txt'), 'doomed.txt goes'));
    within('a file the container deletes in the subfolder goes', await timed('rm /data/sub/keep.txt', gone('keep.txt'), 'keep.txt goes'));
    await shot('volume-watch-changed');

    // 4. an open, clean editor shows the container's new content
    await row('doc.txt').dblclick();
    const lines = page.locator('.part.editor .editor-instance .view-lines').first();
    // the editor renders spaces as no-break spaces
    const editorText = async () => (await lines.innerText()).replace(/\u00a0/g, ' ');
    await lines.filter({ hasText: 'doc' }).waitFor({ timeout: 30000 });
    await page.waitForTimeout(3500); // one poll sees the open file
    within(
      'an open, clean editor shows what the container wrote',
      await timed(
        'echo "written by the container" > /data/doc.txt',
        async () => /written by the container/.test(await editorText()),
        'the clean editor reloads',
      ),
    );

    // 5. a dirty editor keeps its edits; its save meets the conflict and the container's content stays
    await row('draft.txt').dblclick();
    await lines.filter({ hasText: 'draft' }).waitFor({ timeout: 30000 });
    await page.waitForTimeout(3500);
    await lines.click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.type('my unsaved words ');
    const dirtyTab = page.locator('.tabs-container .tab.dirty', { hasText: 'draft.txt' });
    check('the draft editor is dirty', await dirtyTab.isVisible());
    inApp('echo "the container\'s draft" > /data/draft.txt');
    await page.waitForTimeout(8000); // two polls and more
    const text = await editorText();
    check(
      "a dirty editor is not overwritten by the container's change",
      /my unsaved words/.test(text) && !/container's draft/.test(text),
      JSON.stringify(text),
    );
    await page.keyboard.press('Control+S');
    const conflict = page.locator('.notifications-toasts .notification-list-item-message', { hasText: /newer/ });
    const conflicted = await conflict
      .first()
      .waitFor({ timeout: 15000 })
      .then(
        () => true,
        () => false,
      );
    check('saving it meets VS Code\'s conflict ("the content of the file is newer")', conflicted, conflicted ? await conflict.first().innerText() : '');
    check("the container's content is still in the volume", inApp('cat /data/draft.txt') === "the container's draft\n");
    await page.waitForTimeout(500);
    await shot('volume-watch-conflict');
    // leave no dirty editor behind: revert it (the volume's content comes back)
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    await page.locator('.quick-input-widget .quick-input-box input').fill('>File: Revert File');
    await page.waitForTimeout(500);
    await page.keyboard.press('Enter');
    const reverted = await lines
      .filter({ hasText: "the container's draft" })
      .waitFor({ timeout: 15000 })
      .then(
        () => true,
        () => false,
      );
    check("Revert File shows the container's content", reverted);
  } finally {
    writeFileSync(settingsFile, settingsBefore);
    await page.keyboard.press('Escape').catch(() => undefined);
    removeSeed({ label: LABEL });
  }
}
