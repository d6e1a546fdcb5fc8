// VS Code's own file dialogs as code-server shows them: the "simple" dialog, a quick input that lists
// a folder and completes names as you type.

const INPUT = '.quick-input-widget .quick-input-box input';

/** Waits for the dialog to list its default folder (it sets its own value then), then types over it. */
async function fillDialog(page, value) {
  const input = page.locator(INPUT);
  await input.waitFor({ timeout: 30000 });
  await page.locator('.quick-input-widget .quick-input-list .monaco-list-row').first().waitFor({ timeout: 30000 });
  await page.waitForTimeout(500);
  const label = await input.getAttribute('aria-label');
  await input.fill(value);
  await page.waitForTimeout(800);
  return { input, label };
}

/**
 * Presses Enter, then waits for this dialog to go. An Enter can land while the dialog still completes a
 * name or navigates into a folder (it then stays up): Enter again after a few seconds, but only while
 * the SAME dialog (same aria-label) is up and no modal is, so it never answers the next question.
 */
async function accept(page, input, label) {
  const modal = page.locator('.monaco-dialog-box').first();
  const gone = async () =>
    (await modal.isVisible().catch(() => false)) ||
    !(await input.isVisible().catch(() => false)) ||
    (await input.getAttribute('aria-label').catch(() => null)) !== label;
  for (let press = 0; press < 3; press++) {
    await input.press('Enter');
    for (let i = 0; i < 20; i++) {
      await page.waitForTimeout(250);
      if (await gone()) return;
    }
  }
}

/** Types a file's path into an open or save dialog and accepts it. */
export async function typePath(page, path) {
  const { input, label } = await fillDialog(page, path);
  // It completes names as you type (x.tar → x.tar.json, selected): drop the completion.
  await input.press('Delete');
  await accept(page, input, label);
}

/** Types a folder into a folder dialog and accepts it. */
export async function chooseFolder(page, dir) {
  const { input, label } = await fillDialog(page, `${dir}/`);
  await accept(page, input, label);
}

/** The text of the first notification toast that contains `text`, or what the toasts said instead. */
export async function notified(page, text, timeout = 90000) {
  const n = page.locator('.notifications-toasts .notification-list-item-message', { hasText: text });
  try {
    await n.first().waitFor({ timeout });
    return await n.first().innerText();
  } catch {
    const all = await page
      .locator('.notifications-toasts')
      .allInnerTexts()
      .catch(() => []);
    return `(not found; toasts: ${JSON.stringify(all)})`;
  }
}
