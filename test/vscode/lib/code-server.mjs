// code-server for the tests and for `npm start`: a private run dir per run, start/stop by PID, chromium.
// A run dir (under <repo>/.test-runs/) holds HOME, XDG dirs, TMPDIR, user-data (seeded settings),
// extensions, a workspace folder and the .code-workspace file the window opens: the window is a
// WORKSPACE, not a single folder, because updateWorkspaceFolders silently does nothing in an
// extension-test window opened on a folder. Every process started carries HARNESS_RUN_ID in its
// environment, so stopAll() finds orphans too; nothing is ever killed by name.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync, readFileSync, existsSync, realpathSync, readdirSync } from 'node:fs';
import { homedir, hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const HARNESS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_ROOT = resolve(HARNESS_DIR, '../..');
export const RUNS_DIR = process.env.CV_RUNS_DIR || join(REPO_ROOT, '.test-runs');
export const CODE_SERVER_VERSION = process.env.CODE_SERVER_VERSION || '4.139.1';

/** Where install-code-server.sh put code-server (CODE_SERVER_DIR overrides). */
export function codeServerPaths() {
  const dir = process.env.CODE_SERVER_DIR || join(process.env.CV_CACHE || join(homedir(), '.cache/container-volumes'), `code-server-${CODE_SERVER_VERSION}`);
  const bin = join(dir, 'node_modules/.bin/code-server');
  if (!existsSync(bin)) throw new Error(`code-server is not installed at ${dir}: run test/vscode/install-code-server.sh`);
  const node = existsSync(join(dir, 'node')) ? realpathSync(join(dir, 'node')) : process.execPath;
  const outNode = dirname(realpathSync(bin));
  const pkg = JSON.parse(readFileSync(join(outNode, '../../package.json'), 'utf8'));
  // code-server 4.134+ passes VS Code server flags through --vscode-option (needed for the test payload)
  const hasVscodeOption = readFileSync(join(outNode, 'cli.js'), 'utf8').includes('"vscode-option"');
  return { dir, bin, node, version: pkg.version, hasVscodeOption };
}

export const DEFAULT_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden', // 4.139 opens the chat side bar otherwise
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'chat.disableAIFeatures': true,
  'files.autoSave': 'off', // code-server's web default saves after 1 s: tabs would never show unsaved changes
};

/** Writes user settings (DEFAULT_SETTINGS plus extra) into a user-data dir. */
export function seedSettings(userDataDir, extra = {}) {
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(join(userDataDir, 'User/settings.json'), JSON.stringify({ ...DEFAULT_SETTINGS, ...extra }, null, 2));
}

/** Writes a .code-workspace file with one folder; returns its path. */
export function writeWorkspaceFile(file, folder, settings = {}) {
  mkdirSync(folder, { recursive: true });
  writeFileSync(file, JSON.stringify({ folders: [{ path: folder }], settings }, null, 2));
  return file;
}

/** A clean run dir: private HOME/XDG/TMPDIR, user-data with settings, extensions, workspace file. */
export function makeRunDir(prefix) {
  mkdirSync(RUNS_DIR, { recursive: true });
  const stamp = `${prefix}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const dir = join(RUNS_DIR, stamp);
  for (const d of ['home', 'user-data', 'extensions', 'logs', 'tmp']) mkdirSync(join(dir, d), { recursive: true });
  seedSettings(join(dir, 'user-data'));
  writeFileSync(join(dir, 'home/config.yaml'), 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n');
  const folder = join(dir, 'workspace/folder');
  const workspaceFile = writeWorkspaceFile(join(dir, 'workspace/test.code-workspace'), folder);
  // a caller (run-ext-tests.sh) may choose the marker, so it can sweep even if this process is killed
  const runId = process.env.HARNESS_RUN_ID || `cv-${stamp}-${process.pid}`;
  const env = {
    ...process.env,
    HARNESS_RUN_ID: runId,
    HOME: join(dir, 'home'),
    XDG_CONFIG_HOME: join(dir, 'home/.config'),
    XDG_DATA_HOME: join(dir, 'home/.local/share'),
    XDG_CACHE_HOME: join(dir, 'home/.cache'),
    XDG_RUNTIME_DIR: join(dir, 'tmp'),
    TMPDIR: join(dir, 'tmp'),
    EXTENSIONS_GALLERY: process.env.EXTENSIONS_GALLERY || '{}', // offline: no marketplace lookups
  };
  for (const k of ['PASSWORD', 'HASHED_PASSWORD', 'VSCODE_IPC_HOOK_CLI', 'VSCODE_PID', 'VSCODE_CWD', 'ELECTRON_RUN_AS_NODE']) delete env[k];
  return { dir, runId, env, folder, workspaceFile, userData: join(dir, 'user-data'), extensions: join(dir, 'extensions'), logs: join(dir, 'logs') };
}

function baseArgs(o) {
  const args = ['--user-data-dir', o.userData, '--extensions-dir', o.extensions];
  if (o.dir) args.unshift('--config', join(o.dir, 'home/config.yaml'));
  return args;
}

/** `code-server --install-extension <vsix>` into the run's extensions dir (no server started). */
export function installExtension(run, vsix) {
  const { bin, node } = codeServerPaths();
  const r = spawnSync(node, [bin, ...baseArgs(run), '--install-extension', vsix, '--force'], { env: run.env, encoding: 'utf8', timeout: 180000 });
  if (r.status !== 0) throw new Error(`--install-extension failed (${r.status}): ${r.stdout}\n${r.stderr}`);
  return (r.stdout + r.stderr).trim();
}

/**
 * Registers a display language with no download: a minimal local language pack (it declares `locale`
 * and translates nothing of VS Code itself), entered in the user-data dir's languagepacks.json the
 * way the running server writes it after an install from the UI. `code-server --install-extension`
 * does not write that file (coder/code-server#4735), and without it `--locale` leaves
 * vscode.env.language at `en`, so no extension loads its bundle for the locale.
 */
export function registerLanguagePack(run, locale, label) {
  const id = `container-volumes-test.language-pack-${locale}`;
  const dir = join(run.dir, `language-pack-${locale}`);
  mkdirSync(join(dir, 'translations'), { recursive: true });
  const translations = join(dir, 'translations/main.i18n.json');
  writeFileSync(translations, JSON.stringify({ version: '1.0.0', contents: {} }));
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify(
      {
        name: `language-pack-${locale}`,
        publisher: 'container-volumes-test',
        version: '0.0.1',
        engines: { vscode: '*' },
        contributes: {
          localizations: [
            { languageId: locale, languageName: label, localizedLanguageName: label, translations: [{ id: 'vscode', path: './translations/main.i18n.json' }] },
          ],
        },
      },
      null,
      2,
    ),
  );
  const packs = {
    [locale]: {
      hash: createHash('md5').update(`${id}@0.0.1`).digest('hex'),
      extensions: [{ extensionIdentifier: { id }, version: '0.0.1' }],
      translations: { vscode: translations },
      label,
    },
  };
  writeFileSync(join(run.userData, 'languagepacks.json'), JSON.stringify(packs));
  return dir;
}

/** Settings that turn workspace trust on with no start-up question: the window opens in Restricted Mode. */
export const RESTRICTED_MODE_SETTINGS = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
};

/**
 * Starts code-server on 127.0.0.1 (port 0: the kernel picks one, read back from its log). Workspace
 * trust is off unless `workspaceTrust` (with RESTRICTED_MODE_SETTINGS seeded, the window is untrusted).
 */
export async function startCodeServer(run, { smokeTestDriver = false, timeoutMs = 90000, port = 0, open, locale, workspaceTrust = false } = {}) {
  const { bin, node, hasVscodeOption } = codeServerPaths();
  const args = [
    bin,
    ...baseArgs(run),
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--ignore-last-opened',
  ];
  // From 4.133 the URL payload (extensionDevelopmentPath/extensionTestsPath) is ignored without this option.
  if (smokeTestDriver && hasVscodeOption) args.push('--vscode-option', 'enable-smoke-test-driver');
  if (locale) args.push('--locale', locale);
  args.push(open ?? run.workspaceFile);
  const logPath = join(run.logs, 'code-server.log');
  const proc = spawn(node, args, { env: run.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const onData = (b) => {
    log += b.toString();
    try {
      writeFileSync(logPath, log);
    } catch {
      /* run dir gone */
    }
  };
  proc.stdout.on('data', onData);
  proc.stderr.on('data', onData);
  const actualPort = await new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`code-server did not start within ${timeoutMs} ms:\n${log}`)), timeoutMs);
    const check = () => {
      const m = log.match(/HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)\//);
      if (m) {
        clearTimeout(timer);
        proc.off('exit', onExit);
        res(Number(m[1]));
      }
    };
    const onExit = (code) => {
      clearTimeout(timer);
      rej(new Error(`code-server exited (${code}) during startup:\n${log}`));
    };
    proc.stdout.on('data', check);
    proc.stderr.on('data', check);
    proc.on('exit', onExit);
  });
  return { base: `http://127.0.0.1:${actualPort}`, port: actualPort, pid: proc.pid, proc, getLog: () => log };
}

/** The workbench URL that opens the run's .code-workspace file (plus an optional payload). */
export function workbenchUrl(server, run, payload) {
  let url = `${server.base}/?workspace=${encodeURIComponent(run.workspaceFile)}`;
  if (payload) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return url;
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Headless Debian chromium with a profile inside the run dir. */
export async function launchBrowser(run, { viewport = { width: 1400, height: 900 } } = {}) {
  const { chromium } = await import('playwright-core');
  return chromium.launchPersistentContext(join(run.dir, 'chrome-profile'), {
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    env: run.env, // chromium writes into $HOME otherwise
    viewport,
    args: CHROMIUM_ARGS,
  });
}

function descendants(pid) {
  let out = [];
  let kids = [];
  try {
    kids = execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    /* none */
  }
  for (const k of kids) out = out.concat(descendants(k), [k]);
  return out;
}
function ancestors() {
  // this process and its parents: they may carry the marker too, and must survive
  const out = new Set();
  for (let pid = process.pid; pid > 1 && !out.has(pid);) {
    out.add(pid);
    try {
      pid = Number(
        readFileSync(`/proc/${pid}/stat`, 'utf8')
          .replace(/^.*\) /s, '')
          .split(' ')[1],
      );
    } catch {
      break;
    }
  }
  return out;
}
function markedPids(runId) {
  const pids = [];
  const mine = ancestors();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || mine.has(Number(name))) continue;
    try {
      if (readFileSync(`/proc/${name}/environ`, 'latin1').split('\0').includes(`HARNESS_RUN_ID=${runId}`)) pids.push(Number(name));
    } catch {
      /* gone or not ours */
    }
  }
  return pids;
}
function alive(pid) {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Kills the given process trees and every process carrying this run's marker, by PID: TERM, then KILL. */
export async function stopAll(run, rootPids = []) {
  const set = new Set();
  for (const r of rootPids)
    if (r && alive(r)) {
      descendants(r).forEach((p) => set.add(p));
      set.add(r);
    }
  markedPids(run.runId).forEach((p) => set.add(p));
  const pids = [...set];
  for (const p of pids) {
    try {
      process.kill(p, 'SIGTERM');
    } catch {
      /* gone */
    }
  }
  for (let i = 0; i < 25 && pids.some(alive); i++) await new Promise((r) => setTimeout(r, 200));
  const left = [...new Set([...pids.filter(alive), ...markedPids(run.runId)])];
  for (const p of left) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  return { killed: pids.length, forced: left.length, pids };
}

/**
 * Removes the helper containers the extension started from these (now stopped) processes: killed,
 * the extension host had no chance to remove them, and they carry its owner label, not a test label.
 * Returns their names. The extension itself would sweep them at its next start.
 */
export function removeHelpersOf(pids) {
  const owners = new Set(pids.map((p) => `${hostname()}:${p}`));
  const out = spawnSync(
    'docker',
    ['ps', '-a', '--filter', 'label=dev.container-volumes.helper', '--format', '{{.ID}} {{.Names}} {{.Label "dev.container-volumes.owner"}}'],
    { encoding: 'utf8' },
  );
  const doomed = (out.stdout || '')
    .split('\n')
    .map((l) => l.split(' '))
    .filter(([id, , owner]) => id && owners.has(owner));
  if (doomed.length) spawnSync('docker', ['rm', '-f', '-v', ...doomed.map(([id]) => id)], { stdio: 'ignore' });
  return doomed.map(([, name]) => name);
}
