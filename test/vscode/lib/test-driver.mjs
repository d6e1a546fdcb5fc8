#!/usr/bin/env node
// Runs the extension's mocha suite inside code-server's real (remote, Node) extension host.
// Starts code-server with --vscode-option enable-smoke-test-driver in a private run dir, opens the
// workbench in headless chromium on the run's .code-workspace file with a URL payload
// (extensionDevelopmentPath + extensionTestsPath, as vscode-remote:// URIs whose authority is the
// page's host:port), forwards the extension host's console (window.codeAutomationLog) and exits with
// the code the workbench hands to window.codeAutomationExit when the suite's run() settles.
// The server log's "Extension Host Process exited with code: 0" says nothing about the tests.
//
// With --untrusted, workspace trust is on and the window opens in Restricted Mode (test/untrusted).
// Usage: node test-driver.mjs [--ext DIR] [--tests PATH] [--untrusted] [--timeout-ms N] [--keep] [--verbose]
// Exit: the suite's (0 passed, 1 failures), 2 harness error, 124 timeout, 130/143 interrupted.
import { format } from 'node:util';
import { mkdirSync, writeFileSync, appendFileSync, rmSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  REPO_ROOT,
  RESTRICTED_MODE_SETTINGS,
  codeServerPaths,
  makeRunDir,
  seedSettings,
  startCodeServer,
  workbenchUrl,
  launchBrowser,
  stopAll,
} from './code-server.mjs';

const argv = process.argv.slice(2);
const opt = (name, def) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : def;
};
const flag = (name) => argv.includes(`--${name}`);
const ext = resolve(opt('ext', REPO_ROOT));
const tests = resolve(ext, opt('tests', 'out/test/suite/index')).replace(/\.js$/, '');
const timeoutMs = Number(opt('timeout-ms', '600000'));
const keep = flag('keep');
const untrusted = flag('untrusted');
const verbose = flag('verbose') || process.env.HARNESS_VERBOSE === '1';
const say = (m) => console.error(`[ext-host] ${m}`);

// Workbench chatter that reaches codeAutomationLog along with the extension host's console:
// always in logs/workbench-console.log, on stdout only with --verbose.
const WORKBENCH_NOISE = [
  /^Resolving connection token/,
  /^Resolved connection token/,
  /^Creating a socket/,
  /^Updating additional builtin extensions cache/,
  /^\[Service Worker\]/,
  /^ChatSessionStore/,
  /^Started local extension host/,
  /^Extension host \(.*\) is unresponsive/,
  /^\[Extension Host\] /,
  /^Settings Sync/,
  /^Ignoring the error while validating workspace folder/,
  /getaddrinfo (ENOTFOUND|EAI_AGAIN)/,
  /^Error while fetching/,
  /ERR_NAME_NOT_RESOLVED/,
  /^Ignoring fetching additional builtin extensions/,
  /^\[reconnection-grace-time\]/,
  /^Creation of workbench contribution/,
  /^Timed out waiting for authentication provider/,
  /static\/out\/vs\/code\/browser\/workbench\/workbench\.js/,
  /^\[AgentHost/,
  /^\[AccountPolicyGate\]/,
  /^\[ChatModelSelection\]/,
  /^\[Chat/,
];

if (!existsSync(`${tests}.js`)) {
  say(`test runner not found: ${tests}.js (npm run compile)`);
  process.exit(2);
}
const t0 = Date.now();
const run = makeRunDir(untrusted ? 'ext-untrusted' : 'ext');
if (untrusted) seedSettings(run.userData, RESTRICTED_MODE_SETTINGS);
const wlog = (line) => appendFileSync(join(run.logs, 'workbench-console.log'), line + '\n');
let server;
let context;
let settled = false;
let resolveDone;
const done = new Promise((r) => {
  resolveDone = r;
});
const finish = (code, why) => {
  if (settled) return;
  settled = true;
  if (why) say(why);
  resolveDone(code);
};
const timer = setTimeout(() => finish(124, `TIMEOUT: the suite did not finish within ${timeoutMs} ms`), timeoutMs);
process.on('SIGTERM', () => finish(143, 'SIGTERM received'));
process.on('SIGINT', () => finish(130, 'SIGINT received'));

let exitCode = 2;
try {
  const cs = codeServerPaths();
  server = await startCodeServer(run, { smokeTestDriver: true, workspaceTrust: untrusted });
  say(`code-server ${cs.version} pid ${server.pid} on ${server.base} (run dir ${run.dir})`);
  const authority = new URL(server.base).host; // must equal the page's host:port
  const payload = [
    ['extensionDevelopmentPath', `vscode-remote://${authority}${ext}`],
    ['extensionTestsPath', `vscode-remote://${authority}${tests}`],
    ['skipWelcome', 'true'],
    ['skipReleaseNotes', 'true'],
  ];
  context = await launchBrowser(run, { viewport: { width: 1280, height: 800 } });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const text = format(...(Array.isArray(args) ? args : [args])); // printf-style arguments
    wlog(`[${type}] ${text}`);
    if (!WORKBENCH_NOISE.some((re) => re.test(text)) || verbose) {
      const out = type === 'error' || type === 'warn' || type === 'warning' ? process.stderr : process.stdout;
      out.write(text + '\n');
    }
  });
  await page.exposeFunction('codeAutomationExit', (code, logs) => {
    for (const l of logs ?? []) {
      try {
        const p = join(run.logs, 'browser', l.relativePath);
        mkdirSync(dirname(p), { recursive: true });
        writeFileSync(p, l.contents);
      } catch {
        /* best effort */
      }
    }
    finish(code, null);
  });
  page.on('console', (m) => wlog(`[page.console.${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => wlog(`[pageerror] ${e.stack || e}`));
  page.on('crash', () => finish(2, 'browser page crashed'));
  page.on('close', () => finish(2, 'browser page closed before the tests finished'));

  const resp = await page.goto(workbenchUrl(server, run, payload), { waitUntil: 'domcontentloaded' });
  if (!resp || !resp.ok()) finish(2, `workbench page load failed: HTTP ${resp?.status()}`);
  else say(`workbench loaded in ${Date.now() - t0} ms on ${run.workspaceFile}; the extension host runs the suite`);
  exitCode = await done;
  if (exitCode === 124 || exitCode === 2) {
    try {
      await page.screenshot({ path: join(run.logs, 'failure.png') });
      say(`screenshot: ${join(run.logs, 'failure.png')}`);
    } catch {
      /* ignore */
    }
  }
} catch (err) {
  say(`ERROR: ${err?.stack || err}`);
  exitCode = 2;
} finally {
  clearTimeout(timer);
  try {
    await Promise.race([context?.close(), new Promise((r) => setTimeout(r, 5000))]);
  } catch {
    /* ignore */
  }
  const st = await stopAll(run, [server?.pid]);
  say(`stopped ${st.killed} process(es) by PID${st.forced ? ` (${st.forced} needed SIGKILL)` : ''}`);
  if (exitCode === 0 && !keep) rmSync(run.dir, { recursive: true, force: true });
  else say(`run dir kept: ${run.dir} (logs: ${run.logs})`);
  say(`exit code ${exitCode} after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
process.exit(exitCode);
