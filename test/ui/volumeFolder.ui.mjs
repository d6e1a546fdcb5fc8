// A volume opened as a folder in the Explorer (issue: open a volume as a workspace folder), and the
// mount-chain panel (S2), in the real workbench: right-click the volume → Add to Workspace, the
// Explorer lists its files; right-click log_home's volume → Show Mount Chains, the panel draws
// logger02 → logger01 → log_home → the volume (as a graph).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUSYBOX, createSeed, removeSeed } from '../../scripts/seed.mjs';
import { contextMenuCommand, viewPane } from './lib/tree.mjs';
import { exactText } from './lib/text.mjs';

export const title = 'A volume as a workspace folder, and the mount-chain panel';
const LABEL = 'dev.container-volumes.test=ui-folder';

export default async function ({ page, open, check, shot, say }) {
  removeSeed({ label: LABEL });
  const bindDir = mkdtempSync(join(tmpdir(), 'cv-ui-folder-'));
  try {
    const n = createSeed({ label: LABEL, bindDir, volume: 'app_config' });
    execFileSync('docker', [
      'run',
      '--rm',
      '--label',
      LABEL,
      '-v',
      `${n.volume}:/v`,
      BUSYBOX,
      'sh',
      '-c',
      'mkdir -p /v/conf && echo "listen 8080" > /v/conf/server.conf && echo hello > /v/hello.txt',
    ]);
    say(`seed: ${Object.values(n).join(', ')}`);
    await open();
    const icon = page.locator('.part.activitybar .action-item a.action-label[aria-label^="Container Volumes"]');
    await icon.waitFor({ timeout: 60000 });
    await icon.click();
    const volumes = viewPane(page, 'containerVolumes.volumes');

    // 1. Add to Workspace: the Explorer shows the volume's files
    await contextMenuCommand(page, volumes, (r) => r.level === 2 && r.label === n.volume, `${n.volume} row`, 'Add to Workspace');
    await page.locator('.part.activitybar .action-item a.action-label[aria-label^="Explorer"]').first().click();
    const explorer = page.locator('#workbench\\.parts\\.sidebar .explorer-folders-view');
    // a row by its exact name ("conf" must not match "volume app_config")
    const row = (name) =>
      explorer
        .locator('.monaco-list-row')
        .filter({ has: page.locator('.label-name', { hasText: exactText(name) }) })
        .first();
    const folderRow = explorer.locator('.monaco-list-row', { hasText: n.volume }).first();
    let ok = true;
    try {
      await folderRow.waitFor({ timeout: 60000 });
    } catch {
      ok = false;
    }
    check(`the Explorer shows the volume ${n.volume} as a folder`, ok);
    if (ok) {
      if ((await folderRow.getAttribute('aria-expanded')) !== 'true') await folderRow.click();
      const file = row('hello.txt');
      const conf = row('conf');
      let listed = true;
      try {
        await file.waitFor({ timeout: 30000 });
        await conf.waitFor({ timeout: 5000 });
      } catch {
        listed = false;
      }
      check('its files (hello.txt) and folders (conf) are listed', listed);
      if (listed) {
        await conf.click();
        const serverConf = row('server.conf');
        await serverConf.waitFor({ timeout: 30000 });
        await serverConf.dblclick();
        const editorText = page.locator('.part.editor .view-lines');
        let shown = true;
        try {
          await editorText.filter({ hasText: 'listen 8080' }).first().waitFor({ timeout: 30000 });
        } catch {
          shown = false;
        }
        check('opening conf/server.conf shows its content from the volume', shown);
      }
    }
    await page.mouse.move(1000, 600);
    await page.waitForTimeout(800);
    await shot('volume-folder', { publish: true });

    // 2. The mount-chain panel for log_home's anonymous volume
    await icon.click();
    const chainLabel = `anonymous · ${n.logHome}:/logs`;
    // The view re-renders on engine events (the folder's helper container just started).
    await contextMenuCommand(page, volumes, (r) => r.level === 2 && r.label === chainLabel, `${chainLabel} row`, 'Show Mount Chains');
    const frame = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    const svg = frame.locator('svg.graph');
    let drawn = { nodes: [], chain: [] };
    try {
      await svg.locator('g.node').first().waitFor({ timeout: 30000 });
      await page.waitForTimeout(500);
      drawn = await svg.evaluate((root) => {
        const label = (id) => root.querySelector(`g.node[data-id="${CSS.escape(id)}"]`)?.dataset.label;
        return {
          nodes: [...root.querySelectorAll('g.node')].map((g) => g.dataset.label),
          chain: [...root.querySelectorAll('g.edge[data-kind="volumesFrom"]')].map((g) => `${label(g.dataset.from)} → ${label(g.dataset.to)}`).sort(),
        };
      });
    } catch {
      /* checked below */
    }
    check(
      'the mount graph shows logger02 → logger01 → log_home → the volume',
      [n.logger02, n.logger01, n.logHome, chainLabel].every((l) => drawn.nodes.includes(l)) &&
        JSON.stringify(drawn.chain) === JSON.stringify([`${n.logger01} → ${n.logHome}`, `${n.logger02} → ${n.logger01}`]),
      JSON.stringify(drawn),
    );
    await page.waitForTimeout(500);
    await shot('mount-chains', { publish: true });
  } finally {
    await page.keyboard.press('Escape').catch(() => undefined);
    removeSeed({ label: LABEL });
    rmSync(bindDir, { recursive: true, force: true });
  }
}
