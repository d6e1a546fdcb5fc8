// The workbench in 简体中文, the texts a user reads only on the way: the hovers of tree rows (a
// container's state and status, a mount's type, a volume's facts), our input boxes and quick picks
// (titles, prompts, placeholders, validation messages), a progress title and the Disk Usage view.
// Every one must be Chinese, with the same check as zhCn.zh-cn.ui.mjs: what may stay Latin is the
// test's own names, paths, numbers, hashes and a few words that are names (Docker, tmpfs, tar).
import { execFileSync } from 'node:child_process';
import { BUSYBOX, removeSeed } from '../../scripts/seed.mjs';
import { contextMenuCommand, expand, readRows, viewPane, waitRow } from './lib/tree.mjs';
import { escapeRegExp } from './lib/text.mjs';

export const title = '简体中文: hovers of containers, mounts and volumes; input boxes, quick picks, validation, progress';
const LABEL = 'dev.container-volumes.test=ui-zh-prompts';
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
  'b',
  'mib',
  'kib',
  'gib',
  'nul',
  'pid',
  'utc',
  'helper',
  'posix',
]);

export default async function ({ page, open, check, shot, say }) {
  removeSeed({ label: LABEL });
  const suffix = Math.random().toString(36).slice(2, 8);
  const volume = `ui_zhp_${suffix}`;
  const container = `ui_zhp_c_${suffix}`;
  const seen = [];
  /** Our text with the test's own values taken out: what is left must hold no English word. */
  const english = (text) =>
    text
      .replace(/ui_zhp[\w.-]*/g, ' ')
      .replace(/ui-zh-prompts/g, ' ')
      .replace(/--[a-z-]+/g, ' ')
      .replace(new RegExp(escapeRegExp(BUSYBOX), 'g'), ' ')
      .replace(/[\w-]+(\.[\w-]+)+/g, ' ')
      .replace(/[\w./-]+:[\w.-]+/g, ' ')
      .replace(/\/[^\s“”：，（）、]*/g, ' ')
      .replace(/[0-9a-f]{12,}/g, ' ')
      .replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/g, ' ')
      .match(/[A-Za-z]{2,}/g)
      ?.filter((w) => !NAMES.has(w.toLowerCase())) ?? [];
  const ours = (where, text) => {
    seen.push(`${where}: ${text}`);
    const words = english(text);
    check(
      `${where} is Chinese: "${text.replace(/\s+/g, ' ').slice(0, 90)}"`,
      text.trim() && words.length === 0,
      words.length ? `English: ${words.join(' ')}` : text.trim() ? '' : 'empty',
    );
  };
  const hover = page.locator('.workbench-hover, .monaco-hover').filter({ visible: true });
  /**
   * Hovers the row `pred` finds in `pane` and returns its hover's text (else the last hover seen, or '').
   * A tree re-render (an engine event) dismisses a hover or swaps the row under the mouse, so the row is
   * found again and hovered again until a hover naming `expect` shows (at most four tries).
   */
  const hoverText = async (pane, pred, what, expect) => {
    // Only a hover that names the row counts: the activity bar's own hover ("容器数据卷", its icon was
    // just clicked) can stay up or come back while the row is hovered, and was read instead in CI.
    const ofRow = hover.filter({ hasText: expect }).first();
    let text = '';
    for (let attempt = 0; attempt < 4; attempt++) {
      const box = page.viewportSize();
      await page.mouse.move(Math.round((box?.width ?? 1200) * 0.6), Math.round((box?.height ?? 800) * 0.6)); // the editor area: nothing there hovers
      await page.keyboard.press('Escape'); // a hover shown for the keyboard focus goes with Escape, not with the mouse
      await hover
        .first()
        .waitFor({ state: 'hidden', timeout: 3000 })
        .catch(() => undefined);
      const { locator } = await waitRow(page, pane, pred, what);
      await locator.locator('.label-name').hover();
      if (
        !(await ofRow.waitFor({ timeout: 8000 }).then(
          () => true,
          () => false,
        ))
      ) {
        text = (
          await hover
            .first()
            .innerText()
            .catch(() => '')
        ).trim();
        continue;
      }
      await page.waitForTimeout(300);
      text = (await ofRow.innerText().catch(() => '')).trim();
      if (text.includes(expect)) return text;
    }
    return text;
  };

  const quickInput = page.locator('.quick-input-widget');
  /** Title, prompt/message and placeholder of the open quick input. */
  // VS Code appends its own "(Press 'Enter' to confirm or 'Escape' to cancel)" to a prompt: its words, not ours.
  const readQuickInput = async () => ({
    title: (
      await quickInput
        .locator('.quick-input-title')
        .innerText()
        .catch(() => '')
    ).trim(),
    message: (
      await quickInput
        .locator('.quick-input-message')
        .innerText()
        .catch(() => '')
    )
      .replace(/\s*\(Press 'Enter' to confirm or 'Escape' to cancel\)\s*$/, '')
      .trim(),
    placeholder:
      (await quickInput
        .locator('.quick-input-box input')
        .getAttribute('placeholder')
        .catch(() => '')) ?? '',
  });
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
      'mkdir /v/logs && echo line > /v/logs/a.log && echo 数据 > /v/db.txt',
    ]);
    // --mount, not --tmpfs: the engine lists only the former among a container's mounts.
    execFileSync(
      'docker',
      ['run', '-d', '--label', LABEL, '--name', container, '-v', `${volume}:/logs`, '--mount', 'type=tmpfs,destination=/cache', BUSYBOX, 'sleep', '600'],
      { stdio: 'ignore' },
    );
    await open();
    const icon = page.locator('.part.activitybar .action-item a.action-label[aria-label^="容器数据卷"]');
    await icon.waitFor({ timeout: 60000 });
    await icon.click();
    const containers = viewPane(page, 'containerVolumes.containers');
    const volumes = viewPane(page, 'containerVolumes.volumes');

    // 1. Hovers: a running container (state and the engine's status line), its volume mount and its
    // tmpfs mount (type), the volume (driver, mount point, creation time, labels)
    const isContainer = (r) => r.level === 1 && r.label === container;
    await waitRow(page, containers, isContainer, `${container} row`);
    const ctip = await hoverText(containers, isContainer, `${container} row`, container);
    check('a container row has a hover', ctip.includes(container), ctip);
    check('its state and the engine\'s status line are said in Chinese ("运行中（已运行 …）")', /运行中（已运行 /.test(ctip), ctip);
    ours('container hover', ctip);
    await shot('zh-cn-hover-container', { publish: true });
    await expand(page, containers, (r) => r.level === 1 && r.label === container, `${container} row`);
    const mtip = await hoverText(containers, (r) => r.level === 2 && r.label === '/logs', '/logs mount row', '/logs');
    check('the mount\'s hover names its type in Chinese ("/logs（数据卷）")', /\/logs（数据卷）/.test(mtip), mtip);
    ours('mount hover', mtip);
    const ttip = await hoverText(containers, (r) => r.level === 2 && r.label === '/cache', '/cache mount row', '/cache');
    check("a tmpfs mount's hover says so in Chinese", /\/cache（tmpfs（内存中））/.test(ttip), ttip);
    ours('tmpfs mount hover', ttip);
    for (const r of await readRows(page, containers)) if (r.description && r.label.includes('ui_zhp')) ours(`container row ${r.label}`, r.description);
    const vtip = await hoverText(volumes, (r) => r.level === 2 && r.label === volume, `${volume} row`, volume);
    check("the volume's hover shows its facts with Chinese labels (驱动：local)", /驱动：local/.test(vtip), vtip);
    ours('volume hover', vtip);
    await shot('zh-cn-hover-volume', { publish: true });
    await page.mouse.move(0, 0);

    // 2. Create Volume's input box: title and prompt, then an invalid name's validation message
    await volumes.locator('.pane-header').hover();
    await volumes.locator('.pane-header .action-label[aria-label^="创建数据卷"]').click();
    await quickInput.locator('.quick-input-box input').waitFor({ timeout: 30000 });
    const create = await readQuickInput();
    check('Create Volume asks with a Chinese title', create.title.length > 0, JSON.stringify(create));
    for (const [k, v] of Object.entries(create)) if (v) ours(`Create Volume ${k}`, v);
    await quickInput.locator('.quick-input-box input').fill('-bad name');
    const invalid = quickInput.locator('.quick-input-message');
    await page
      .waitForFunction(
        () =>
          /[\u3400-\u9fff]/.test(document.querySelector('.quick-input-widget .quick-input-message')?.textContent ?? '') &&
          document
            .querySelector('.quick-input-widget .quick-input-box')
            ?.classList.toString()
            .match(/error|invalid/) !== null,
        undefined,
        { timeout: 10000 },
      )
      .catch(() => undefined);
    const validation = (await invalid.innerText().catch(() => '')).trim();
    check('an invalid name gets the volume-name rule as its validation message, in Chinese', /^请使用至少两个字母/.test(validation), validation);
    ours('Create Volume validation', validation);
    await shot('zh-cn-create-volume-invalid', { publish: true });
    await page.keyboard.press('Escape');
    await quickInput.waitFor({ state: 'hidden', timeout: 10000 }).catch(() => undefined);

    // 3. Find in Volume…: the search box's title, placeholder and prompt, and the message for an empty search
    await contextMenuCommand(page, volumes, (r) => r.level === 2 && r.label === volume, `${volume} row`, '在数据卷中查找…');
    await quickInput.locator('.quick-input-box input').waitFor({ timeout: 30000 });
    await page.waitForTimeout(500);
    const find = await readQuickInput();
    check('Find in Volume asks with a Chinese title', /查找/.test(find.title), JSON.stringify(find));
    for (const [k, v] of Object.entries(find)) if (v) ours(`Find in Volume ${k}`, v);
    for (const b of await quickInput
      .locator('.quick-input-title .action-label, .quick-input-header .action-label')
      .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') || e.getAttribute('title') || ''))) {
      if (b.trim()) ours('Find in Volume button', b);
    }
    await quickInput.locator('.quick-input-box input').fill('');
    await quickInput.locator('.quick-input-box input').press('Enter');
    await page.waitForTimeout(800);
    const empty = (
      await quickInput
        .locator('.quick-input-message')
        .innerText()
        .catch(() => '')
    ).trim();
    check('an empty search is refused with a Chinese message', /输入/.test(empty), empty);
    ours('Find in Volume validation', empty);
    await shot('zh-cn-find-box');
    await page.keyboard.press('Escape');
    await quickInput.waitFor({ state: 'hidden', timeout: 10000 }).catch(() => undefined);

    // 4. A quick pick of ours (Show Disk Usage from its view's title bar: choose a volume), then the
    // measuring progress and the Disk Usage view's rows and message
    const usage = viewPane(page, 'containerVolumes.diskUsage');
    const usageHeader = usage.locator('.pane-header');
    await usageHeader.waitFor({ timeout: 30000 });
    if ((await usageHeader.getAttribute('aria-expanded')) !== 'true') await usageHeader.click();
    await usageHeader.hover();
    await usage.locator('.pane-header .action-label[aria-label^="显示磁盘占用"]').click();
    await quickInput.locator('.quick-input-list .monaco-list-row').first().waitFor({ timeout: 30000 });
    await page.waitForTimeout(500);
    const pick = await readQuickInput();
    check('the volume quick pick has a Chinese placeholder', /选择/.test(pick.placeholder), JSON.stringify(pick));
    for (const [k, v] of Object.entries(pick)) if (v) ours(`volume quick pick ${k}`, v);
    await quickInput.locator('.quick-input-box input').fill(volume);
    await page.waitForTimeout(500);
    const item = quickInput.locator('.quick-input-list .monaco-list-row').first();
    for (const s of await item.locator('.label-description, .quick-input-list-label-meta, .monaco-icon-label-container .label-description').allInnerTexts())
      if (s.trim()) ours('volume quick pick item', s);
    await shot('zh-cn-quick-pick');
    await quickInput.locator('.quick-input-box input').press('Enter');
    const progress = new Set();
    const rowsShown = async () => (await readRows(page, usage)).length > 0;
    for (let i = 0; i < 100 && !(await usage.locator('.monaco-list-row').count()); i++) {
      for (const n of await page
        .locator('.notifications-toasts .notification-list-item-message')
        .allInnerTexts()
        .catch(() => []))
        progress.add(n);
      await page.waitForTimeout(100);
    }
    check("the Disk Usage view shows the volume's folders", await rowsShown());
    for (const n of progress) ours('disk usage progress', n);
    for (const r of await readRows(page, usage)) if (r.description) ours(`disk usage row ${r.label}`, r.description);
    const message = (
      await usage
        .locator('.message, .tree-explorer-viewlet-tree-view-message, .pane-body .message')
        .first()
        .innerText()
        .catch(() => '')
    ).trim();
    if (message) ours('disk usage message', message);
    await shot('zh-cn-disk-usage', { publish: true });

    say(`${seen.length} strings of ours read`);
    check('strings of ours were read on the way (the check is not empty)', seen.length >= 12, String(seen.length));
  } finally {
    execFileSync('docker', ['rm', '-f', container], { stdio: 'ignore' });
    removeSeed({ label: LABEL });
  }
}
