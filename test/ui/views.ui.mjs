// The two views in the real workbench, on the blog post's set-up (seed scenarios S1-S3, S7):
// the activity-bar icon opens them; Containers lists log_home, logger01, logger02 and their mounts
// (the anonymous volume by owner and path, the volumes-from chain); Volumes groups them into In use
// and Unused; a volume's context menu offers Copy Volume Name, and choosing it copies the name.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSeed, removeSeed } from '../../scripts/seed.mjs';
import { childrenOf, expand, readRows, viewPane, waitRow } from './lib/tree.mjs';

export const title = 'Containers and Volumes views on the seed set-up';
const LABEL = 'dev.container-volumes.test=ui';

export default async function ({ page, open, check, shot, say }) {
  removeSeed({ label: LABEL });
  const bindDir = mkdtempSync(join(tmpdir(), 'cv-ui-bind-'));
  try {
    const n = createSeed({ label: LABEL, bindDir, volume: 'old_logs' });
    say(`seed: ${Object.values(n).join(', ')} (bind ${bindDir})`);
    await open();

    // the activity-bar icon (its label sits on the <a class="action-label">)
    const icon = page.locator('.part.activitybar .action-item a.action-label[aria-label^="Container Volumes"]');
    await icon.waitFor({ timeout: 60000 });
    await icon.click();
    const sidebar = page.locator('#workbench\\.parts\\.sidebar');
    const opened = await sidebar
      .locator('.composite.title h2', { hasText: 'Container Volumes' })
      .waitFor({ timeout: 30000 })
      .then(
        () => true,
        () => false,
      );
    check('the activity-bar icon "Container Volumes" opens its view container', opened);
    // a wider side bar, so the screenshots show whole labels
    const sb = await sidebar.boundingBox();
    if (sb) {
      await page.mouse.move(sb.x + sb.width + 1, sb.y + sb.height / 2);
      await page.mouse.down();
      await page.mouse.move(620, sb.y + sb.height / 2, { steps: 5 });
      await page.mouse.up();
    }

    const containers = viewPane(page, 'containerVolumes.containers');
    const volumes = viewPane(page, 'containerVolumes.volumes');
    check('the Containers view is titled "Containers"', (await containers.locator('.pane-header h3.title').innerText()).trim() === 'Containers');
    check('the Volumes view is titled "Volumes"', (await volumes.locator('.pane-header h3.title').innerText()).trim() === 'Volumes');

    // Containers: the three of the chain (and the bind-mount one) at the top level
    const top = (name) => (r) => r.level === 1 && r.label === name;
    await waitRow(page, containers, top(n.logHome), `${n.logHome} in the Containers view`);
    let rows = await readRows(page, containers);
    const names = rows.filter((r) => r.level === 1).map((r) => r.label);
    for (const c of [n.logHome, n.logger01, n.logger02, n.roBind]) check(`Containers lists ${c}`, names.includes(c), JSON.stringify(names));

    // their mounts
    for (const c of [n.logHome, n.logger02, n.roBind]) await expand(page, containers, top(c), `${c} row`);
    rows = await readRows(page, containers);
    const mountsOf = (c) => {
      const row = rows.find(top(c));
      return row ? childrenOf(rows, row.index) : [];
    };
    const text = (r) => `${r.label} ${r.description}`.trim();
    const own = mountsOf(n.logHome).map(text);
    check(
      `${n.logHome}'s anonymous volume is shown by its container and path`,
      own.some((t) => t.includes(`${n.logHome}:/logs`) || (t.includes(n.logHome) && t.includes('/logs'))),
      JSON.stringify(own),
    );
    const chained = mountsOf(n.logger02).map(text);
    check(
      `${n.logger02}'s mount says it comes from ${n.logger01}`,
      chained.some((t) => t.includes('/logs') && t.includes(`from ${n.logger01}`)),
      JSON.stringify(chained),
    );
    const bind = mountsOf(n.roBind).map(text);
    check(
      `${n.roBind}'s bind mount shows /logs read-only`,
      bind.some((t) => t.includes('/logs') && /read-only/.test(t)),
      JSON.stringify(bind),
    );

    // Volumes: In use / Unused groups; the named volume with no container under Unused
    await waitRow(page, volumes, (r) => r.level === 2 && r.label === n.volume, `${n.volume} in the Volumes view`);
    const vrows = await readRows(page, volumes);
    const groups = vrows.filter((r) => r.level === 1);
    const groupNames = groups.map((r) => r.label);
    check('Volumes has the top-level groups "In use" and "Unused"', groupNames.includes('In use') && groupNames.includes('Unused'), JSON.stringify(groupNames));
    const under = (g) => {
      const row = groups.find((r) => r.label === g);
      return row ? childrenOf(vrows, row.index).map((r) => r.label) : [];
    };
    check(`${n.volume} (no container) is under Unused`, under('Unused').includes(n.volume), JSON.stringify(under('Unused')));
    check(`${n.volume} is not under In use`, !under('In use').includes(n.volume));
    check(
      `log_home's anonymous volume is under In use, named by ${n.logHome}:/logs`,
      under('In use').some((l) => l.includes(`${n.logHome}:/logs`)),
      JSON.stringify(under('In use')),
    );
    // A clean picture: no editor left open by an earlier test, the two search views folded so the
    // Containers and Volumes views have the height, and the mounts of every container shown.
    await page.keyboard.press('Escape');
    const palette = page.locator('.quick-input-widget .quick-input-box input');
    for (const key of ['Control+Shift+P', 'F1', 'Control+Shift+P']) {
      await page
        .locator('#workbench\\.parts\\.sidebar .composite.title h2')
        .first()
        .click({ timeout: 5000 })
        .catch(() => undefined);
      await page.keyboard.press('Escape');
      await page.keyboard.press(key);
      if (
        await palette.waitFor({ state: 'visible', timeout: 5000 }).then(
          () => true,
          () => false,
        )
      )
        break;
    }
    await palette.fill('>View: Close All Editors');
    await page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'Close All Editors' }).first().waitFor({ timeout: 15000 });
    await palette.press('Enter');
    for (const id of ['containerVolumes.searchResults', 'containerVolumes.diskUsage']) {
      const header = viewPane(page, id).locator('.pane-header');
      if ((await header.getAttribute('aria-expanded').catch(() => null)) === 'true') await header.click();
    }
    await expand(page, containers, top(n.logger01), `${n.logger01} row`);
    await page.mouse.move(1000, 300); // no hover tooltip over the rows
    await page.keyboard.press('Escape');
    await page.waitForTimeout(800);
    const editorsLeft = await page.locator('.part.editor .tabs-container .tab').count();
    check('the picture has no editor open (nothing left from an earlier test)', editorsLeft === 0, String(editorsLeft));
    await shot('views', { publish: true });

    // right-click the unused volume: the context menu offers Copy Volume Name, and it copies the name
    const { locator: volRow } = await waitRow(page, volumes, (r) => r.level === 2 && r.label === n.volume, `${n.volume} row`);
    await volRow.click({ button: 'right' });
    const menu = page.locator('.context-view .monaco-menu');
    await menu.waitFor({ timeout: 15000 });
    const items = (await menu.locator('.action-item .action-label').allInnerTexts()).map((s) => s.trim()).filter(Boolean);
    check(`the context menu of ${n.volume} contains "Copy Volume Name"`, items.includes('Copy Volume Name'), JSON.stringify(items));
    await page.waitForTimeout(400); // the menu fades in
    await shot('context-menu', { publish: true });
    if (items.includes('Copy Volume Name')) {
      await page.evaluate(() => navigator.clipboard.writeText('(nothing copied yet)'));
      await menu.getByRole('menuitem', { name: 'Copy Volume Name' }).click();
      let copied = '';
      for (let i = 0; i < 120 && copied !== n.volume; i++) {
        // the extension host can be slow on a busy machine
        await page.waitForTimeout(250);
        copied = await page.evaluate(() => navigator.clipboard.readText()).catch((e) => `(clipboard unreadable: ${e})`);
      }
      check('choosing "Copy Volume Name" puts the name on the clipboard', copied === n.volume, JSON.stringify(copied));
    }
  } finally {
    await page.keyboard.press('Escape').catch(() => undefined);
    removeSeed({ label: LABEL });
    rmSync(bindDir, { recursive: true, force: true });
  }
}
