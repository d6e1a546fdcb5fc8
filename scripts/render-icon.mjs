#!/usr/bin/env node
// Renders media/icon.svg to media/icon.png (128x128, the package.json `icon`) in headless chromium, so the
// PNG is reproducible from its source. Run by hand after editing the SVG: node scripts/render-icon.mjs
// (`--scale N` writes a larger preview to test-results/icon@Nx.png instead, to look at the details).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const root = new URL('..', import.meta.url).pathname;
const i = process.argv.indexOf('--scale');
const scale = i > 0 ? Number(process.argv[i + 1]) : 1;
const out = scale === 1 ? join(root, 'media/icon.png') : join(root, `test-results/icon@${scale}x.png`);
const svg = readFileSync(join(root, 'media/icon.svg'), 'utf8');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu'],
});
try {
  const page = await browser.newPage({ viewport: { width: 128, height: 128 }, deviceScaleFactor: scale });
  await page.setContent(`<!DOCTYPE html><html><body style="margin:0">${svg}</body></html>`);
  await page.locator('svg').screenshot({ path: out, omitBackground: true });
} finally {
  await browser.close();
}
console.log(out);
