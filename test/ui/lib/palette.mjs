// The command palette in the real workbench.

/**
 * Runs a command from the palette (F1), by its title: the first row that matches, or with `exact`
 * the row whose label is the title itself (not a longer command that also matches).
 */
export async function palette(page, title, { exact = false } = {}) {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  // Focus the workbench (not the webview), then the palette's key; F1 as a second try.
  for (const key of ['Control+Shift+P', 'F1', 'Control+Shift+P']) {
    await page.locator('.part.editor .tabs-container .tab').first().click({ timeout: 5000 }).catch(() => undefined);
    await page.keyboard.press('Escape');
    await page.keyboard.press(key);
    if (await input.waitFor({ state: 'visible', timeout: 5000 }).then(() => true, () => false)) break;
  }
  await input.fill(`>${title}`);
  const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
  if (exact) {
    const exactLabel = new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    const row = rows.filter({ has: page.locator('.label-name', { hasText: exactLabel }) }).first();
    await row.waitFor({ timeout: 15000 });
    await page.waitForTimeout(300);
    await row.click();
    return;
  }
  await rows.filter({ hasText: title }).first().waitFor({ timeout: 15000 });
  await page.waitForTimeout(300);
  await input.press('Enter');
}
