// Reading VS Code tree views from the workbench DOM. Lists are virtualised (only visible rows exist),
// so reads scroll through the whole list; a row is addressed by its data-index.

/** The sidebar pane of a contributed view, found by its id (the header icon carries `view-<id with dashes>`). */
export function viewPane(page, viewId) {
  const iconClass = `view-${viewId.replace(/\./g, '-')}`;
  return page.locator('#workbench\\.parts\\.sidebar .pane').filter({ has: page.locator(`.pane-header .icon.${iconClass}`) });
}

// Rows of the list itself: the sticky-scroll container above it holds clones of parent rows.
const ROW = '.monaco-list-rows > .monaco-list-row';

async function visibleRows(pane) {
  return pane.locator(ROW).evaluateAll((els) =>
    els.map((e) => ({
      index: Number(e.getAttribute('data-index')),
      level: Number(e.getAttribute('aria-level')),
      expanded: e.getAttribute('aria-expanded'),
      label: e.querySelector('.label-name')?.textContent?.trim() ?? '',
      description: e.querySelector('.label-description')?.textContent?.trim() ?? '',
      ariaLabel: e.getAttribute('aria-label') ?? '',
      focused: e.classList.contains('focused'),
    })),
  );
}

async function wheel(page, pane, dy) {
  const box = await pane.locator('.monaco-list').boundingBox();
  if (!box) return;
  await page.mouse.move(box.x + box.width / 2, box.y + Math.min(box.height / 2, 40));
  await page.mouse.wheel(0, dy);
  await page.waitForTimeout(120);
}

/**
 * Scrolls to the top: big wheel deltas are clamped, so wheel until the first row (index 0) renders,
 * then a little more: a first row only partly shown leaves the sticky-scroll header over the next rows.
 */
async function toTop(page, pane) {
  for (let i = 0; i < 100; i++) {
    const rows = await visibleRows(pane);
    if (rows.length === 0) return;
    if (rows.some((r) => r.index === 0)) break;
    await wheel(page, pane, -1000);
  }
  for (let i = 0; i < 2; i++) await wheel(page, pane, -1000);
}

/** Every row of the view's tree, top to bottom: { index, level, expanded, label, description, ariaLabel, focused }. */
export async function readRows(page, pane) {
  await toTop(page, pane);
  const rows = new Map();
  for (let stale = 0, i = 0; stale < 2 && i < 200; i++) {
    const before = rows.size;
    for (const r of await visibleRows(pane)) rows.set(r.index, r);
    stale = rows.size === before ? stale + 1 : 0;
    await wheel(page, pane, 300);
  }
  await toTop(page, pane);
  return [...rows.values()].sort((a, b) => a.index - b.index);
}

/** Scrolls until a row matching `pred` is rendered; returns { row, locator } or undefined. */
export async function findRow(page, pane, pred) {
  await toTop(page, pane);
  let lastMax = -1;
  for (let i = 0; i < 200; i++) {
    const rows = await visibleRows(pane);
    const row = rows.find(pred);
    if (row) {
      const locator = pane.locator(`${ROW}[data-index="${row.index}"]`);
      await locator.scrollIntoViewIfNeeded();
      return { row, locator };
    }
    const max = Math.max(-1, ...rows.map((r) => r.index));
    if (max === lastMax) return undefined;
    lastMax = max;
    await wheel(page, pane, 300);
  }
  return undefined;
}

/** Polls findRow until the row appears (the view loads asynchronously). */
export async function waitRow(page, pane, pred, what, timeoutMs = 60000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const found = await findRow(page, pane, pred);
    if (found) return found;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await page.waitForTimeout(500);
  }
}

/** Expands a row (click on its twistie) until it says so: the tree may re-render between reads. */
export async function expand(page, pane, pred, what, timeoutMs = 45000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const { row, locator } = await waitRow(page, pane, pred, what, Math.max(1000, end - Date.now()));
    if (row.expanded !== 'false') return row;
    if (Date.now() > end) throw new Error(`${what} did not expand`);
    await locator
      .locator('.monaco-tl-twistie')
      .click({ timeout: 5000 })
      .catch(() => undefined);
    await page.waitForTimeout(700);
  }
}

/** The rows directly under the row at `index` in a flat read (deeper levels skipped). */
export function childrenOf(rows, index) {
  const i = rows.findIndex((r) => r.index === index);
  if (i < 0) return [];
  const level = rows[i].level;
  const out = [];
  for (let j = i + 1; j < rows.length && rows[j].level > level; j++) if (rows[j].level === level + 1) out.push(rows[j]);
  return out;
}

/**
 * Right-clicks the row `find` picks (see waitRow) and returns its open context menu. The views
 * re-render on engine events: a right-click can land on a row being replaced, or on the sticky header
 * above it; the menu is taken only when the row it opened on (the focused one) is the row we meant.
 * Up to four tries, with Escape in between.
 */
export async function openContextMenu(page, pane, find, what) {
  const menu = page.locator('.context-view .monaco-menu');
  for (let attempt = 1; ; attempt++) {
    try {
      const { locator } = await waitRow(page, pane, find, what);
      await locator.click({ button: 'right', timeout: 5000 });
      await menu.waitFor({ timeout: 5000 });
      const clicked = (await visibleRows(pane)).find((r) => r.focused);
      if (!clicked || !find(clicked)) throw new Error(`the menu opened on ${clicked ? `"${clicked.label}"` : 'no row'}, not on ${what}`);
      return menu;
    } catch (e) {
      if (attempt === 4) throw e;
      await page.keyboard.press('Escape');
      await page.waitForTimeout(1000);
    }
  }
}

/**
 * Opens the context menu of the row `find` picks (openContextMenu) and chooses `item`. A menu opened
 * on a row being replaced can ignore the click on its item and stay open: the menu must close after
 * the click (a sign the command ran); otherwise Escape and try again, up to four times.
 */
export async function contextMenuCommand(page, pane, find, what, item) {
  for (let attempt = 1; ; attempt++) {
    try {
      const menu = await openContextMenu(page, pane, find, what);
      // A click right after the menu opened can be swallowed: hover, let it settle, then click (and
      // Enter on the highlighted item if the menu is still there).
      const entry = menu.getByRole('menuitem', { name: item });
      await entry.hover({ timeout: 5000 });
      await page.waitForTimeout(300);
      await entry.click({ timeout: 5000 });
      if (
        !(await menu.waitFor({ state: 'hidden', timeout: 1500 }).then(
          () => true,
          () => false,
        ))
      )
        await page.keyboard.press('Enter');
      await menu.waitFor({ state: 'hidden', timeout: 3000 });
      return;
    } catch (e) {
      if (attempt === 4) throw e;
      await page.keyboard.press('Escape');
      await page.waitForTimeout(1000);
    }
  }
}
