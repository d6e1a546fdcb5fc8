// The command palette in the real workbench.

import { exactText } from './text.mjs';

/**
 * Runs a command from the palette (F1), by its title: the first row that matches, or with `exact`
 * the row whose label is the title itself (not a longer command that also matches).
 */
export async function palette(page, title, { exact = false } = {}) {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
  const row = (exact ? rows.filter({ has: page.locator('.label-name', { hasText: exactText(title) }) }) : rows.filter({ hasText: title })).first();
  // Focus the workbench (not the webview), then the palette's key; F1 on the next try. A webview that
  // takes the focus back just after its tab was clicked closes the palette again (seen in CI): then
  // all of it again, after a pause that lets the webview settle.
  const keys = ['Control+Shift+P', 'F1', 'Control+Shift+P', 'F1'];
  for (let attempt = 0; ; attempt++) {
    try {
      await page
        .locator('.part.editor .tabs-container .tab')
        .first()
        .click({ timeout: 5000 })
        .catch(() => undefined);
      if (attempt > 0) await page.waitForTimeout(1000);
      await page.keyboard.press('Escape');
      await page.keyboard.press(keys[attempt]);
      await input.waitFor({ state: 'visible', timeout: 5000 });
      await input.fill(`>${title}`, { timeout: 5000 });
      await row.waitFor({ timeout: 15000 });
      break;
    } catch (e) {
      if (attempt === keys.length - 1) throw e;
    }
  }
  await page.waitForTimeout(300);
  if (exact) await row.click();
  else await input.press('Enter');
}
