// Finding things inside a volume, in the real workbench, on the seed's log volume (log_home's
// anonymous volume, with an archived log added): Go to File in Volume… from the volume's context
// menu, a fuzzy query typed, the file opened; Find in Volume… for a line, the result clicked and the
// editor at that line; Show Disk Usage lists the volume's folders, and its archive folder's Open as
// Folder makes that folder a folder of the workspace in the Explorer, with the archived log in it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUSYBOX, createSeed, removeSeed } from '../../scripts/seed.mjs';
import { contextMenuCommand, readRows, viewPane, waitRow } from './lib/tree.mjs';

export const title = 'Go to File, Find in Volume and Show Disk Usage on the log volume';
const LABEL = 'dev.container-volumes.test=ui-find';
const ARCHIVED = 'app-2026-11-30.log';

export default async function ({ page, open, check, shot, say }) {
  removeSeed({ label: LABEL });
  const bindDir = mkdtempSync(join(tmpdir(), 'cv-ui-find-'));
  try {
    const n = createSeed({ label: LABEL, bindDir, volume: 'find_other' });
    // Last night's log, with the error on line 7, next to the live log the seed writes.
    execFileSync('docker', [
      'run',
      '--rm',
      '--label',
      LABEL,
      '--volumes-from',
      n.logHome,
      BUSYBOX,
      'sh',
      '-c',
      `mkdir -p /logs/archive && i=1; while [ $i -le 12 ]; do if [ $i = 7 ]; then echo "02:14:07 ERROR disk full on /var/lib/db"; else echo "02:14:0$i INFO request $i served"; fi; i=$((i+1)); done > /logs/archive/${ARCHIVED}`,
    ]);
    say(`seed: ${Object.values(n).join(', ')}`);
    await open();
    const icon = page.locator('.part.activitybar .action-item a.action-label[aria-label^="Container Volumes"]');
    await icon.waitFor({ timeout: 60000 });
    await icon.click();
    const volumes = viewPane(page, 'containerVolumes.volumes');
    const logVolume = `anonymous · ${n.logHome}:/logs`;
    const isLogVolume = (r) => r.level === 2 && r.label === logVolume;

    // 1. Go to File in Volume…: a fuzzy query ("app30" is not a substring of the name) picks the archived log
    await contextMenuCommand(page, volumes, isLogVolume, `${logVolume} row`, 'Go to File in Volume…');
    const quickInput = page.locator('.quick-input-widget');
    await quickInput.locator('input').first().waitFor({ timeout: 30000 });
    await page.keyboard.type('app30', { delay: 60 });
    const pick = quickInput.locator('.monaco-list-row', { hasText: ARCHIVED }).first();
    let listed = true;
    try {
      await pick.waitFor({ timeout: 30000 });
    } catch {
      listed = false;
    }
    check(`Go to File lists ${ARCHIVED} for the query "app30"`, listed);
    const firstRow = listed ? (await quickInput.locator('.monaco-list-row').first().innerText()).split('\n')[0] : '';
    check('… as the best match', firstRow.trim().startsWith(ARCHIVED), JSON.stringify(firstRow));
    const qpTitle = await quickInput
      .locator('.quick-input-title')
      .innerText()
      .catch(() => '');
    check('the quick pick names the volume by its owner, not its hash', qpTitle.includes(logVolume), JSON.stringify(qpTitle));
    await page.waitForTimeout(400);
    await shot('go-to-file-in-volume', { publish: true });
    await page.keyboard.press('Enter');
    const tab = page.locator('.part.editor .tab', { hasText: ARCHIVED }).first();
    const editorText = page.locator('.part.editor .view-lines');
    let opened = true;
    try {
      await tab.waitFor({ timeout: 30000 });
      await editorText.filter({ hasText: 'INFO request 1 served' }).first().waitFor({ timeout: 30000 });
    } catch {
      opened = false;
    }
    check('Enter opens the file from the volume in an editor', opened);

    // 2. Find in Volume…: the line, clicked, opens the editor at line 7
    await contextMenuCommand(page, volumes, isLogVolume, `${logVolume} row`, 'Find in Volume…');
    await quickInput.locator('input').first().waitFor({ timeout: 30000 });
    await page.keyboard.type('disk full', { delay: 40 });
    await page.keyboard.press('Enter');
    const results = viewPane(page, 'containerVolumes.searchResults');
    let found;
    try {
      found = await waitRow(page, results, (r) => r.level === 2 && r.label.includes('ERROR disk full'), 'the matching line', 60000);
    } catch {
      found = undefined;
    }
    const rows = await readRows(page, results).catch(() => []);
    say(`search results: ${JSON.stringify(rows.map((r) => [r.level, r.label, r.description]))}`);
    check(
      'Search Results shows the file and its matching line',
      !!found && rows.some((r) => r.level === 1 && r.label === ARCHIVED),
      JSON.stringify(rows.map((r) => r.label)),
    );
    check('… with its line number', found?.row.description === '7', JSON.stringify(found?.row));
    if (found) {
      await found.locator.click();
      const selection = page.locator('#status\\.editor\\.selection');
      let atLine = '';
      try {
        await editorText.filter({ hasText: 'ERROR disk full' }).first().waitFor({ timeout: 30000 });
        await selection.filter({ hasText: /Ln 7,/ }).waitFor({ timeout: 15000 });
        atLine = await selection.innerText();
      } catch {
        atLine = await selection.innerText().catch(() => '');
      }
      check(
        'clicking the line opens the editor at line 7 with "disk full" selected (the cursor at its end)',
        /Ln 7, Col 25 \(9 selected\)/.test(atLine),
        JSON.stringify(atLine),
      );
    }
    await page.mouse.move(1000, 600);
    await page.waitForTimeout(600);
    await shot('find-in-volume', { publish: true });

    // 3. Show Disk Usage: the archive folder is listed with its entries
    await contextMenuCommand(page, volumes, isLogVolume, `${logVolume} row`, 'Show Disk Usage');
    const usage = viewPane(page, 'containerVolumes.diskUsage');
    let archive;
    try {
      archive = await waitRow(page, usage, (r) => r.level === 1 && r.label === 'archive', 'the archive folder', 60000);
    } catch {
      archive = undefined;
    }
    check('Disk Usage lists the archive folder with one entry', !!archive && /(^|\D)1 entry\b/.test(archive.row.description), JSON.stringify(archive?.row));
    await page.waitForTimeout(500);
    await shot('disk-usage', { publish: true });

    // 4. Open as Folder on the archive folder: a folder of the workspace of its own, in the Explorer
    if (archive) {
      await contextMenuCommand(page, usage, (r) => r.level === 1 && r.label === 'archive', 'the archive row', 'Open as Folder');
      const explorer = page.locator('.explorer-folders-view');
      const rootName = `${logVolume} · /archive`;
      const root = explorer.locator('.monaco-list-row[aria-level="1"]', { has: page.locator('.label-name', { hasText: rootName }) }).first();
      let shown = true;
      try {
        await root.waitFor({ timeout: 30000 });
      } catch {
        shown = false;
      }
      check(
        `the Explorer shows the folder "${rootName}"`,
        shown,
        JSON.stringify(
          await explorer
            .locator('.monaco-list-row[aria-level="1"] .label-name')
            .allInnerTexts()
            .catch(() => []),
        ),
      );
      if (shown) {
        if ((await root.getAttribute('aria-expanded')) !== 'true') await root.click();
        const file = explorer.locator('.monaco-list-row[aria-level="2"] .label-name', { hasText: ARCHIVED }).first();
        let inside = true;
        try {
          await file.waitFor({ timeout: 30000 });
        } catch {
          inside = false;
        }
        check(`the folder lists ${ARCHIVED} (read from the volume)`, inside);
        await shot('disk-usage-open-as-folder', { publish: false });
        // take it out of the workspace again, for the tests after this one
        await root.click({ button: 'right' });
        const menu = page.locator('.context-view .monaco-menu');
        await menu.getByRole('menuitem', { name: 'Remove Folder from Workspace' }).click({ timeout: 10000 });
        await root.waitFor({ state: 'detached', timeout: 15000 }).catch(() => undefined);
      }
    }
  } finally {
    await page.keyboard.press('Escape').catch(() => undefined);
    removeSeed({ label: LABEL });
    rmSync(bindDir, { recursive: true, force: true });
  }
}
