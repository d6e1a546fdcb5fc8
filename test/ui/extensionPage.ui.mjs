// The extension's page in the Extensions view, as someone who installed the .vsix sees it: the icon in
// the list and on the page, the Changelog tab, and the README with its pictures loaded.
// VS Code renders that README in a webview that loads images over https only (CSP `img-src https:
// data:`; its sanitizer drops relative and data: sources), never from the installed folder. So the
// package names the pictures by an https address (scripts/package.mjs --images-url, or package.json's
// repository). This test packages the extension with --images-url https://readme-images.invalid/…
// (a name that never resolves), answers the browser's requests for it from the checkout's files (as
// the public host would serve them), installs that package in place of the runner's, and checks every
// picture the README names shows (naturalWidth > 0 in the details webview's inner frame). The runner's
// own package is put back at the end.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, installExtension } from '../vscode/lib/code-server.mjs';

export const title = "The extension's page: icon, changelog, and the README's pictures";
const IMAGES_URL = 'https://readme-images.invalid/container-volumes';

/** The images the README names by a relative path (e.g. media/screenshots/views.png), in order. */
function readmeImages() {
  const md = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  return [...md.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((src) => !/^[a-z]+:/i.test(src));
}

/** Opens the Extensions view, finds Container Volumes among the installed ones and opens its page. */
async function openExtensionPage(page) {
  await page.locator('.part.activitybar .action-item a.action-label[aria-label^="Extensions"]').first().click();
  const viewlet = page.locator('.extensions-viewlet');
  await viewlet.waitFor({ timeout: 30000 });
  const search = viewlet.locator('.suggest-input-container .monaco-editor').first();
  await search.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('@installed Container Volumes');
  const row = viewlet.locator('.monaco-list-row', { has: page.locator('.extension-list-item .name', { hasText: /^Container Volumes$/ }) }).first();
  await row.waitFor({ timeout: 60000 });
  // The row is drawn before its icon is set and loaded: wait for that (a missing icon still fails below).
  const img = row.locator('img.icon');
  await page
    .waitForFunction((i) => i.complete && i.naturalWidth > 0 && !i.classList.contains('hide'), await img.elementHandle(), { timeout: 30000 })
    .catch(() => undefined);
  const listIcon = await img
    .evaluate((img) => ({ src: img.src, width: img.naturalWidth, hidden: img.classList.contains('hide') }))
    .catch((e) => ({ error: String(e) }));
  await row.click();
  const editor = page.locator('.extension-editor');
  await editor.locator('.header .name', { hasText: 'Container Volumes' }).waitFor({ timeout: 30000 });
  return { editor, listIcon };
}

/** The README webview's inner document (webview iframe → #active-frame): its images, once all are settled. */
async function readmeFrameImages(page, timeoutMs = 60000) {
  const deadline = Date.now() + timeoutMs;
  let last = [];
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      const found = await frame
        .evaluate(() => {
          if (!document.body || !document.body.innerText.includes('See and safely manage the data in your Docker volumes')) return undefined;
          return [...document.images]
            .filter((img) => !img.closest('#scroll-to-top'))
            .map((img) => ({ src: img.getAttribute('src') ?? '', alt: img.alt, complete: img.complete, width: img.naturalWidth, height: img.naturalHeight }));
        })
        .catch(() => undefined);
      if (found) {
        last = found;
        if (found.length > 0 && found.every((i) => i.complete)) return found;
      }
    }
    await page.waitForTimeout(500);
  }
  return last;
}

export default async function ({ page, open, check, shot, say, run }) {
  const images = readmeImages();
  check(
    'the README names pictures by relative paths, and the files exist',
    images.length > 0 && images.every((src) => existsSync(join(REPO_ROOT, src))),
    JSON.stringify(images),
  );
  const served = [];
  const route = async (r) => {
    const rel = decodeURIComponent(new URL(r.request().url()).pathname).replace(/^\/container-volumes\//, '');
    const file = join(REPO_ROOT, rel);
    if (rel.includes('..') || !existsSync(file)) return r.fulfill({ status: 404, body: 'not found' });
    served.push(rel);
    return r.fulfill({ status: 200, contentType: 'image/png', body: readFileSync(file) });
  };
  const original = join(REPO_ROOT, 'container-volumes.vsix');
  const variant = join(run.dir, 'container-volumes-readme-images.vsix');
  try {
    // 1. the runner's package: its icon and changelog
    await open();
    let { editor, listIcon } = await openExtensionPage(page);
    check(
      "the Extensions list shows the extension's own icon",
      !listIcon.hidden && listIcon.width > 0 && /media\/icon\.png/.test(decodeURIComponent(listIcon.src ?? '')),
      JSON.stringify(listIcon),
    );
    const headerIcon = editor.locator('.header .icon-container img.icon');
    await page.waitForFunction((img) => img.complete && img.naturalWidth > 0, await headerIcon.elementHandle(), { timeout: 30000 }).catch(() => undefined);
    const icon = await headerIcon.evaluate((img) => ({ src: img.src, width: img.naturalWidth, height: img.naturalHeight }));
    check(
      "the extension's page shows its 128×128 icon (media/icon.png)",
      icon.width === 128 && icon.height === 128 && /media\/icon\.png/.test(decodeURIComponent(icon.src)),
      JSON.stringify(icon),
    );
    const tabs = (await editor.locator('.navbar .action-label').allTextContents()).map((s) => s.trim()); // shown upper-case by CSS
    check('the page has a Changelog tab (CHANGELOG.md is in the package)', tabs.includes('Changelog'), JSON.stringify(tabs));
    // What the runner's package shows of the pictures. Without an https address for them (package.json has
    // no repository yet, so `npm run package` kept the relative links and said so) VS Code drops their
    // sources: what the README's Install section says. With one, they load from there, as the checks
    // below show for a package built with --images-url.
    const before = await readmeFrameImages(page);
    say(
      `the runner's package: ${before.filter((i) => i.width > 0).length} of ${before.length} README pictures shown, sources ${JSON.stringify(before.map((i) => i.src))}`,
    );
    if (!JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).repository) {
      check(
        'a package without an https address for the pictures shows the README without them (sources dropped)',
        before.length === images.length && before.every((i) => i.src === '' && i.width === 0),
        JSON.stringify(before),
      );
    }

    // 2. the same extension packaged with an https home for the README's pictures
    say(`packaging with --images-url ${IMAGES_URL}`);
    execFileSync('node', [join(REPO_ROOT, 'scripts/package.mjs'), '--no-build', '--images-url', IMAGES_URL, '--out', variant], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await page.context().route(`${IMAGES_URL}/**`, route);
    installExtension(run, variant);
    await open();
    ({ editor } = await openExtensionPage(page));
    const shown = await readmeFrameImages(page);
    say(`README images in the details webview: ${JSON.stringify(shown.map((i) => [i.src, i.width]))}`);
    for (const src of images) {
      const img = shown.find((i) => i.src === `${IMAGES_URL}/${src}`);
      check(`the README's ${src} shows on the extension's page`, img && img.complete && img.width > 0, JSON.stringify(img ?? shown.map((i) => i.src)));
    }
    check(
      'every picture was fetched from its https address',
      images.every((src) => served.includes(src)),
      JSON.stringify(served),
    );
    await page.mouse.move(5, 300);
    await shot('extension-page');
  } finally {
    await page
      .context()
      .unroute(`${IMAGES_URL}/**`, route)
      .catch(() => undefined);
    // the runner's package back, for the tests after this one
    if (existsSync(original)) installExtension(run, original);
    await page.keyboard.press('Escape').catch(() => undefined);
  }
}
