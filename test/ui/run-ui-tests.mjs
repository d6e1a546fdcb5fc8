#!/usr/bin/env node
// UI tests: drive the REAL VS Code workbench (code-server) in headless Debian chromium.
// Installs the packaged container-volumes.vsix (`npm run package`, rebuilt here when older than the
// build) with `code-server --install-extension` into a private run dir under .test-runs/, starts
// code-server on 127.0.0.1 (free port), and runs every test/ui/*.ui.mjs in order. Each file exports
// `title` and a default async function(t) that gets { page, open, check, shot, say, run, server }.
// Screenshots go to test-results/ (and, with shot(name, { publish: true }), to media/screenshots/);
// shot(name, { clip: { x, y, width, height } }) takes that part of the page only.
// Processes are stopped by PID. Prints one closing line "N passed, N failed".
// Usage: node test/ui/run-ui-tests.mjs [--only SUBSTRING] [--timeout SEC] [--keep] [--no-package] [--locale zh-cn]
// --locale zh-cn: the workbench in 简体中文 (a registered local language pack), running the *.zh-cn.ui.mjs
// files only; without it those are left out.
// Exit: 0 all passed, 1 a check failed or a test file errored, 2 set-up error, 124 timeout.
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { palette } from './lib/palette.mjs';
import {
  REPO_ROOT,
  codeServerPaths,
  installExtension,
  launchBrowser,
  makeRunDir,
  registerLanguagePack,
  removeHelpersOf,
  startCodeServer,
  stopAll,
  workbenchUrl,
} from '../vscode/lib/code-server.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const opt = (n, d) => {
  const i = argv.indexOf(`--${n}`);
  return i >= 0 ? argv[i + 1] : d;
};
const only = opt('only');
const timeoutSec = Number(opt('timeout', '1500')); // a watchdog for a hung workbench, not a speed target
const keep = argv.includes('--keep');
const locale = opt('locale');
const RESULTS = join(REPO_ROOT, 'test-results');
const PUBLISHED = join(REPO_ROOT, 'media/screenshots');
const VSIX = join(REPO_ROOT, 'container-volumes.vsix');

const t0 = Date.now();
const say = (m) => console.log(`[ui ${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}`);
const results = [];
const check = (name, ok, detail = '') => {
  results.push({ name, ok: !!ok });
  console.log(`  ${ok ? 'PASS' : 'FAIL'}  ${name}${detail ? ` - ${detail}` : ''}`);
  return !!ok;
};

let run;
let server;
let context;
let page;
let exiting = false;
async function shutdown(code) {
  if (exiting) return;
  exiting = true;
  clearTimeout(watchdog);
  try {
    await Promise.race([context?.close(), new Promise((r) => setTimeout(r, 5000))]);
  } catch {
    /* ignore */
  }
  if (run) {
    const st = await stopAll(run, [server?.pid]);
    say(`stopped ${st.killed} process(es) by PID${st.forced ? ` (${st.forced} needed SIGKILL)` : ''}`);
    const helpers = removeHelpersOf(st.pids);
    if (helpers.length) say(`removed the helper(s) the stopped extension host left: ${helpers.join(', ')}`);
    // the tests' seeds that those helpers kept in use
    const vols = spawnSync(
      'docker',
      ['volume', 'ls', '--filter', 'label=dev.container-volumes.test', '--format', '{{.Name}} {{.Label "dev.container-volumes.test"}}'],
      { encoding: 'utf8' },
    ).stdout;
    const seeds = vols
      .split('\n')
      .map((l) => l.split(' '))
      .filter(([name, value]) => name && value?.startsWith('ui-'))
      .map(([name]) => name);
    if (seeds.length) spawnSync('docker', ['volume', 'rm', ...seeds], { stdio: 'ignore' });
    if (code === 0 && !keep) rmSync(run.dir, { recursive: true, force: true });
    else say(`run dir kept: ${run.dir}`);
  }
  console.log(`${results.filter((r) => r.ok).length} passed, ${results.filter((r) => !r.ok).length} failed`);
  process.exit(code);
}
const watchdog = setTimeout(async () => {
  console.error(`[ui] TIMEOUT after ${timeoutSec}s`);
  try {
    await page?.screenshot({ path: join(RESULTS, 'ui-timeout.png') });
  } catch {
    /* ignore */
  }
  results.push({ name: 'finished in time', ok: false });
  await shutdown(124);
}, timeoutSec * 1000);
process.on('SIGINT', () => {
  void shutdown(130);
});
process.on('SIGTERM', () => {
  void shutdown(143);
});

const newer = (a, b) => existsSync(a) && (!existsSync(b) || statSync(a).mtimeMs > statSync(b).mtimeMs);
let code = 2;
try {
  mkdirSync(RESULTS, { recursive: true });
  // A file named *.<locale>.ui.mjs runs only in that locale's run; the others only in the English run.
  const localised = (f) => /\.[a-z]{2}-[a-z]{2}\.ui\.mjs$/.test(f);
  const files = readdirSync(HERE)
    .filter((f) => f.endsWith('.ui.mjs') && (locale ? f.endsWith(`.${locale}.ui.mjs`) : !localised(f)) && (!only || f.includes(only)))
    .sort();
  if (files.length === 0) throw new Error(`no *.ui.mjs test files in ${HERE}${only ? ` matching ${only}` : ''}`);
  if (
    !argv.includes('--no-package') &&
    (!existsSync(VSIX) || newer(join(REPO_ROOT, 'dist/extension.js'), VSIX) || newer(join(REPO_ROOT, 'package.json'), VSIX))
  ) {
    say('packaging the extension (npm run package)');
    execFileSync('npm', ['run', '-s', 'package'], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const cs = codeServerPaths();
  run = makeRunDir(locale ? `ui-${locale}` : 'ui');
  if (locale) say(`display language ${locale}: language pack registered in ${registerLanguagePack(run, locale, locale === 'zh-cn' ? '中文(简体)' : locale)}`);
  say(`code-server ${cs.version}; installing ${basename(VSIX)} into ${run.extensions}`);
  installExtension(run, VSIX);
  server = await startCodeServer(run, { locale });
  say(`code-server pid ${server.pid} on ${server.base}`);
  context = await launchBrowser(run, { viewport: { width: 1400, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.base });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => appendFileSync(join(run.logs, 'pageerrors.log'), `${e.stack || e}\n`));
  page.on('console', (m) => appendFileSync(join(run.logs, 'console.log'), `[${m.type()}] ${m.text()}\n`));

  /** Loads (or reloads) the workbench on the run's workspace and waits for the activity bar. */
  const open = async () => {
    await page.goto(workbenchUrl(server, run), { waitUntil: 'domcontentloaded' });
    await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60000 });
  };
  /**
   * Reloads the window as a user does (Developer: Reload Window): the workbench stores its state
   * (open editors, webview panels and their state) before the page goes, unlike a navigation, which
   * keeps only what the workbench last stored on its own timer.
   */
  const reload = async () => {
    for (let attempt = 1; ; attempt++) {
      const loaded = page.waitForEvent('load', { timeout: 30000 });
      await palette(page, 'Developer: Reload Window', { exact: true });
      // (a palette closed by a webview that took the focus back swallows the choice: once more)
      if (
        await loaded.then(
          () => true,
          () => false,
        )
      )
        break;
      if (attempt === 2) throw new Error('Developer: Reload Window did not reload the page');
    }
    await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60000 });
  };
  const shot = async (name, { publish = false, clip } = {}) => {
    const p = join(RESULTS, `${name}.png`);
    await page.screenshot({ path: p, ...(clip ? { clip } : {}) });
    say(`screenshot ${p}`);
    if (publish) {
      mkdirSync(PUBLISHED, { recursive: true });
      copyFileSync(p, join(PUBLISHED, `${name}.png`));
    }
  };

  code = 0;
  for (const f of files) {
    const mod = await import(pathToFileURL(join(HERE, f)).href);
    say(`${f}: ${mod.title ?? f}`);
    try {
      await mod.default({ page, open, reload, check, shot, say, run, server });
    } catch (err) {
      console.error(`[ui] ${f}: ERROR ${err?.stack || err}`);
      check(`${f} ran to the end`, false, String(err?.message ?? err).split('\n')[0]);
      try {
        await page.screenshot({ path: join(RESULTS, `${f.replace(/\.ui\.mjs$/, '')}-failure.png`) });
      } catch {
        /* ignore */
      }
    }
  }
  if (results.length === 0) check('at least one check ran', false);
  code = results.every((r) => r.ok) ? 0 : 1;
} catch (err) {
  console.error(`[ui] ERROR: ${err?.stack || err}`);
  results.push({ name: 'set-up', ok: false });
  code = 2;
}
await shutdown(code);
