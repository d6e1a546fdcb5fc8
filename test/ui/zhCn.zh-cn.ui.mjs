// The workbench in 简体中文 (run-ui-tests.mjs --locale zh-cn registers a local language pack): the
// main flows of a user, and every visible string of ours on the way must be Chinese. Our strings are
// read from our views, our context menu, our notifications and our dialog; what may stay Latin is
// the test's own names, paths, numbers, hashes and a few words that are names (Docker, tmpfs, tar).
// VS Code's own words are exempt: the language pack translates none of them.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import tar from 'tar-stream';
import { BUSYBOX, removeSeed } from '../../scripts/seed.mjs';
import { contextMenuCommand, openContextMenu, readRows, viewPane, waitRow } from './lib/tree.mjs';
import { typePath } from './lib/dialog.mjs';
import { escapeRegExp } from './lib/text.mjs';

export const title = '简体中文: views, context menu, backup with progress, restore confirmation, a refused archive';
const LABEL = 'dev.container-volumes.test=ui-zh';
/** Latin words that are names, not English sentences of ours. */
const NAMES = new Set([
  'docker',
  'tmpfs',
  'tar',
  'gz',
  'zst',
  'sha256',
  'local',
  'busybox',
  'compose',
  'id',
  'mib',
  'kib',
  'gib',
  'nul',
  'pid',
  'utc',
  'helper',
  'mermaid',
  'svg',
]);

export default async function ({ page, open, check, shot, say, run }) {
  removeSeed({ label: LABEL });
  const dir = mkdtempSync(join(tmpdir(), 'cv-ui-zh-'));
  const machineSettings = join(run.userData, 'Machine', 'settings.json');
  mkdirSync(dirname(machineSettings), { recursive: true });
  const suffix = Math.random().toString(36).slice(2, 8);
  const volume = `ui_zh_${suffix}`;
  const container = `ui_zh_c_${suffix}`;
  const seen = [];
  /** Our text with the test's own values taken out: what is left must hold no English word. */
  const english = (text) =>
    text
      .replace(/ui_zh[\w.-]*/g, ' ')
      .replace(/--[a-z-]+/g, ' ')
      .replace(/[\w./-]+:[\w.-]+/g, ' ')
      .replace(/\/[^\s“”：，（）]*/g, ' ')
      .replace(/[0-9a-f]{12,}/g, ' ')
      .replace(/[\w.-]+\.(tar|json)\b/g, ' ')
      .replace(new RegExp(escapeRegExp(BUSYBOX), 'g'), ' ')
      .match(/[A-Za-z]{2,}/g)
      ?.filter((w) => !NAMES.has(w.toLowerCase())) ?? [];
  const ours = (where, text) => {
    seen.push(`${where}: ${text}`);
    const words = english(text);
    check(`${where} is Chinese: "${text.slice(0, 80)}"`, words.length === 0, words.length ? `English: ${words.join(' ')}` : '');
  };
  const notifications = async () =>
    page
      .locator('.notifications-toasts .notification-list-item-message')
      .allInnerTexts()
      .catch(() => []);
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
      'echo "数据" > /v/db.txt && mkdir /v/logs && echo line > /v/logs/a.log',
    ]);
    execFileSync('docker', ['create', '--label', LABEL, '--name', container, '-v', `${volume}:/data`, '--tmpfs', '/cache', BUSYBOX, 'sleep', '600'], {
      stdio: 'ignore',
    });
    await open();

    // 1. The view container and the views: names and descriptions of ours, in Chinese
    const icon = page.locator('.part.activitybar .action-item a.action-label[aria-label^="容器数据卷"]');
    check(
      'the activity bar names the extension in Chinese (package.nls.zh-cn.json)',
      await icon.waitFor({ timeout: 60000 }).then(
        () => true,
        () => false,
      ),
    );
    await icon.click();
    const containers = viewPane(page, 'containerVolumes.containers');
    const volumes = viewPane(page, 'containerVolumes.volumes');
    await waitRow(page, volumes, (r) => r.label === volume, `${volume} row`);
    for (const h of await page.locator('#workbench\\.parts\\.sidebar .pane-header h3.title').allInnerTexts()) ours('view title', h);
    await waitRow(page, containers, (r) => r.label === container, `${container} row`);
    for (const [name, pane] of [
      ['Containers', containers],
      ['Volumes', volumes],
    ]) {
      for (const r of await readRows(page, pane)) if (r.description) ours(`${name} row ${r.label}`, r.description);
    }
    const row = (await readRows(page, containers)).find((r) => r.label === container);
    check('a stopped container\'s state is translated (not the engine\'s "created")', /已创建/.test(row?.description ?? ''), row?.description);
    await shot('zh-cn-views', { publish: true });

    // 2. The volume's context menu: every item of ours
    const menu = await openContextMenu(page, volumes, (r) => r.level === 2 && r.label === volume, `${volume} row`);
    const items = (await menu.locator('.action-label').allInnerTexts()).map((s) => s.trim()).filter(Boolean);
    check('the context menu has our items', items.includes('备份…'), JSON.stringify(items));
    for (const item of items.filter((i) => !/^(Copy|Cut|Paste)/.test(i))) ours('menu item', item);
    await shot('zh-cn-menu', { publish: true });
    await page.keyboard.press('Escape');

    // 3. Back up from the menu: the progress and the final notification
    const file = join(dir, `${volume}.tar`);
    const volumeRow = (r) => r.level === 2 && r.label === volume;
    await contextMenuCommand(page, volumes, volumeRow, `${volume} row`, '备份…');
    await typePath(page, file);
    const progressTexts = new Set();
    const done = page.locator('.notifications-toasts .notification-list-item-message', { hasText: `已将 ${volume} 备份到` });
    for (let i = 0; i < 600 && !(await done.count()); i++) {
      for (const n of await notifications()) progressTexts.add(n);
      await page.waitForTimeout(100);
    }
    check("the backup's notification says it was made and checked, in Chinese", (await done.count()) > 0 && /已校验/.test(await done.first().innerText()));
    for (const n of progressTexts) ours('backup progress', n);
    for (const n of await notifications()) ours('notification', n);
    check('the archive was written', existsSync(file));
    await shot('zh-cn-backup', { publish: true });

    // 4. Restore into the same (non-empty) volume: the confirmation, then cancel
    await contextMenuCommand(page, volumes, volumeRow, `${volume} row`, '将备份恢复到此数据卷…');
    await typePath(page, file);
    const dialog = page.locator('.monaco-dialog-box');
    check(
      "a modal asks before replacing the volume's contents",
      await dialog.waitFor({ timeout: 60000 }).then(
        () => true,
        () => false,
      ),
    );
    ours(
      'confirmation',
      await dialog
        .locator('.dialog-message-text')
        .innerText()
        .catch(() => ''),
    );
    ours(
      'confirmation detail',
      await dialog
        .locator('.dialog-message-detail')
        .innerText()
        .catch(() => ''),
    );
    const buttons = await dialog.locator('.dialog-buttons .monaco-button').allInnerTexts();
    check(
      'its button is ours, in Chinese',
      buttons.some((b) => b.includes('替换内容')),
      JSON.stringify(buttons),
    );
    await shot('zh-cn-restore-confirm', { publish: true });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden', timeout: 10000 }).catch(() => undefined);

    // 5. A refused archive (an entry climbs out with ".."): one clear error, in Chinese
    const evil = join(dir, 'evil.tar');
    const pack = tar.pack();
    pack.entry({ name: 'ok.txt' }, 'fine');
    pack.entry({ name: '../x' }, 'escape');
    pack.finalize();
    const chunks = [];
    for await (const c of pack) chunks.push(c);
    writeFileSync(evil, Buffer.concat(chunks));
    // The view's actions re-render on engine events (the restore just changed things): click until the dialog opens.
    const chooser = page.locator('.quick-input-widget', { hasText: '选择要恢复的备份' });
    for (let i = 0; i < 5 && !(await chooser.isVisible()); i++) {
      await volumes.locator('.pane-header').hover();
      await volumes.locator('.pane-header .action-label[aria-label^="恢复备份"]').click();
      await chooser.waitFor({ timeout: 5000 }).catch(() => undefined);
    }
    await typePath(page, evil);
    const refused = page.locator('.notifications-toasts .notification-list-item-message', { hasText: '不安全的归档' });
    check(
      'the refused archive is one error in Chinese',
      await refused
        .first()
        .waitFor({ timeout: 60000 })
        .then(
          () => true,
          () => false,
        ),
    );
    for (const n of await notifications()) ours('notification', n);
    await shot('zh-cn-refused', { publish: true });

    // 6. The mount-chain panel of the container: its labels, legend and buttons
    await page.keyboard.press('Escape');
    await contextMenuCommand(page, containers, (r) => r.level === 1 && r.label === container, `${container} row`, '显示挂载链');
    const frame = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    const drawn = await frame
      .locator('svg.graph g.node')
      .first()
      .waitFor({ timeout: 60000 })
      .then(
        () => true,
        () => false,
      );
    check('the mount-chain panel draws the graph', drawn);
    if (drawn) {
      await page.waitForTimeout(1000);
      const texts = await frame.locator('body').evaluate((b) => {
        const out = [];
        for (const el of b.querySelectorAll('svg.graph text, .legend *, vscode-button, button, [aria-label], [title], label, p')) {
          for (const s of [el.children.length ? '' : el.textContent, el.getAttribute('aria-label'), el.getAttribute('title')])
            if (s && s.trim()) out.push(s.trim());
        }
        return [...new Set(out)];
      });
      check('the panel shows strings of ours', texts.length > 5, String(texts.length));
      for (const t of texts) ours('mount graph', t);
      const tab = await page
        .locator('.tabs-container .tab.active .label-name')
        .innerText()
        .catch(() => '');
      ours('mount graph tab', tab);
      await shot('zh-cn-mount-graph', { publish: true });
    }

    // 7. The welcome view with no engine: the settings point at a socket that does not exist. dockerHost
    // is machine-scoped: in code-server (a remote window) it is read from the server machine's settings,
    // as a user of a remote window sets it; a workspace may not set it.
    writeFileSync(machineSettings, JSON.stringify({ 'containerVolumes.dockerHost': 'unix:///nonexistent/docker.sock' }));
    await open();
    await icon.click().catch(() => undefined);
    const welcome = containers.locator('.welcome-view-content');
    check(
      'with no engine, the Containers view shows its welcome text',
      await welcome.waitFor({ timeout: 60000 }).then(
        () => true,
        () => false,
      ),
    );
    // The view may first show its empty-engine text: the failed connection is known a moment later.
    let text = '';
    for (let i = 0; i < 60 && !/没有可用的 Docker 引擎/.test(text); i++) {
      await page.waitForTimeout(500);
      text = await welcome.innerText({ timeout: 1000 }).catch(() => '');
    }
    check('the welcome text is the no-engine one', /没有可用的 Docker 引擎/.test(text), text);
    for (const line of text.split('\n').filter((l) => l.trim())) ours('welcome view', line.replace(/containerVolumes\.\w+/g, ''));
    await shot('zh-cn-welcome-engine-down', { publish: true });
    writeFileSync(join(dir, 'seen.txt'), seen.join('\n'));
    say(`${seen.length} strings of ours read`);
    check('strings of ours were read on the way (the check is not empty)', seen.length >= 10, String(seen.length));
  } finally {
    rmSync(machineSettings, { force: true });
    execFileSync('docker', ['rm', '-f', container], { stdio: 'ignore' });
    removeSeed({ label: LABEL });
    rmSync(dir, { recursive: true, force: true });
  }
}
