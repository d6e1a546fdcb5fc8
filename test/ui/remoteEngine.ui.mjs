// A volume of another engine, reached over tcp + TLS, backed up from its row in the real workbench.
// The second engine (scripts/second-engine.sh) listens on a loopback port with --tlsverify and
// certificates made there by openssl; the docker CLI makes a context for it with those TLS files (in
// this run's own DOCKER_CONFIG), beside the run's engine (DOCKER_HOST), which stays the current one.
// Right-click the volume under the TLS engine's root → Back Up…, type where in the save dialog: the
// archive holds that engine's file, its record names that volume with its labels, the status bar still
// names the run's engine, and the run's engine has no volume of that name.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { typePath } from './lib/dialog.mjs';
import { palette } from './lib/palette.mjs';
import { contextMenuCommand, expand, findRow, viewPane, waitRow } from './lib/tree.mjs';
import { forgetEngineChoice } from './lib/workbench.mjs';

export const title = 'Back Up… on a volume of another engine reached over tcp + TLS, the current engine unchanged';
const LABEL = 'dev.container-volumes.test=ui-remote';
const CONTEXT = 'cv-ui-tls';
const BUSYBOX = 'container-volumes/busybox:test';

export default async function ({ page, open, check, shot, say, run }) {
  const secondSocket =
    process.env.CV_SECOND_DOCKER_HOST?.trim() ||
    execFileSync('bash', ['scripts/second-engine.sh'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  // The TLS port and client files second-engine.sh made beside its socket (as test/core/tlsEngine.test.ts finds them).
  const tlsDir = join(dirname(secondSocket.replace(/^unix:\/\//, '')), 'tls', 'client');
  const tlsHost = `tcp://127.0.0.1:${process.env.CV_ENGINE2_TLS_PORT || '23760'}`;
  const envHost = process.env.DOCKER_HOST?.trim() || 'unix:///var/run/docker.sock';
  const dockerConfig = run.env.DOCKER_CONFIG || join(run.env.HOME, '.docker');
  const cli = (...args) =>
    execFileSync('docker', args, { env: { ...process.env, DOCKER_CONFIG: dockerConfig }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  const removeContext = () => {
    try {
      cli('context', 'rm', '--force', CONTEXT);
    } catch {
      /* not there */
    }
  };
  const suffix = Math.random().toString(36).slice(2, 8);
  const volume = `ui_remote_${suffix}`;
  const dir = mkdtempSync(join(tmpdir(), 'cv-ui-remote-'));
  const STATUS = '#workbench\\.parts\\.statusbar .statusbar-item[id$="containerVolumes.engine"]';
  const onFirst = () => {
    try {
      execFileSync('docker', ['-H', envHost, 'volume', 'inspect', volume], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  };
  const firstVolumes = () => execFileSync('docker', ['-H', envHost, 'volume', 'ls', '-q'], { encoding: 'utf8' }).split('\n').filter(Boolean).sort().join(',');

  removeContext();
  execFileSync('docker', ['-H', secondSocket, 'volume', 'create', '--label', LABEL, '--label', 'com.example.where=tls-engine', volume], { stdio: 'ignore' });
  execFileSync(
    'docker',
    [
      '-H',
      secondSocket,
      'run',
      '--rm',
      '--label',
      LABEL,
      '-v',
      `${volume}:/v`,
      BUSYBOX,
      'sh',
      '-c',
      'echo "only on the TLS engine" > /v/remote.txt && mkdir /v/sub && echo deep > /v/sub/d.txt',
    ],
    { stdio: 'ignore' },
  );
  try {
    // What another program makes: the docker CLI's own context, with the TLS files copied into its store.
    cli(
      'context',
      'create',
      CONTEXT,
      '--description',
      'the second engine over tcp + TLS',
      '--docker',
      `host=${tlsHost},ca=${join(tlsDir, 'ca.pem')},cert=${join(tlsDir, 'cert.pem')},key=${join(tlsDir, 'key.pem')}`,
    );
    check('the docker CLI reaches the engine through the context (TLS verified)', cli('--context', CONTEXT, 'volume', 'ls', '-q').split('\n').includes(volume));
    const before = firstVolumes();
    await open();
    const icon = page.locator('.part.activitybar .action-item a.action-label[aria-label^="Container Volumes"]');
    await icon.waitFor({ timeout: 60000 });
    const volumes = viewPane(page, 'containerVolumes.volumes');
    if (!(await volumes.isVisible())) await icon.click();

    // The TLS engine's root, expanded: its volume under it (in the Unused group).
    const root = (r) => r.level === 1 && r.label === CONTEXT;
    await waitRow(page, volumes, root, `the ${CONTEXT} root`);
    await expand(page, volumes, root, `the ${CONTEXT} root`);
    const row = (r) => r.level === 3 && r.label === volume;
    const shown = await waitRow(page, volumes, row, `${volume} under ${CONTEXT}`, 45000).then(
      () => true,
      () => false,
    );
    check(`expanding ${CONTEXT} shows its volume ${volume}`, shown);

    // Back Up… on that row: the save dialog, then the notification; nothing asks to switch engines.
    const file = join(dir, `${volume}.tar`);
    await contextMenuCommand(page, volumes, row, `${volume} under ${CONTEXT}`, 'Back Up…');
    await typePath(page, file);
    const done = page.locator('.notifications-toasts .notification-list-item-message', { hasText: `Backed up ${volume}` });
    const notified = await done
      .first()
      .waitFor({ timeout: 90000 })
      .then(
        () => true,
        () => false,
      );
    const toasts = await page
      .locator('.notifications-toasts')
      .allInnerTexts()
      .catch(() => []);
    check(
      'the notification says the backup was made and verified',
      notified &&
        /verified/.test(
          await done
            .first()
            .innerText()
            .catch(() => ''),
        ),
      JSON.stringify(toasts),
    );
    check('no notification says "switch to it first"', !toasts.some((t) => /switch to it first/.test(t)), JSON.stringify(toasts));
    const raw = existsSync(file) ? execFileSync('tar', ['-tf', file], { encoding: 'utf8' }).split('\n').filter(Boolean) : [];
    const listing = raw.map((l) => l.replace(/^\.\//, ''));
    check(`the archive holds the TLS engine's files (${file})`, listing.includes('remote.txt') && listing.includes('sub/d.txt'), listing.join(','));
    const entry = raw.find((l) => l.replace(/^\.\//, '') === 'remote.txt');
    const text = entry ? execFileSync('tar', ['-xOf', file, entry], { encoding: 'utf8' }) : '';
    check("its remote.txt is the TLS engine's text", text === 'only on the TLS engine\n', JSON.stringify(text));
    const sidecar = existsSync(`${file}.json`) ? JSON.parse(readFileSync(`${file}.json`, 'utf8')) : {};
    check(
      'the record names that volume and its labels',
      sidecar.volume?.name === volume && sidecar.volume?.labels?.['com.example.where'] === 'tls-engine',
      JSON.stringify(sidecar.volume),
    );

    // The run's engine: still the current one, and nothing made there.
    const status = await page
      .locator(STATUS)
      .innerText()
      .catch(() => '');
    check("the status bar still names the run's engine", status.includes(envHost), status);
    const current = await waitRow(page, volumes, (r) => r.level === 1 && /current/.test(r.description), 'the current root', 10000).then(
      (f) => f.row,
      () => undefined,
    );
    check("the current root is still the run's engine", !!current && current.label !== CONTEXT, JSON.stringify(current));
    check("the run's engine has no volume of that name, and its volumes are as before", !onFirst() && firstVolumes() === before);
    await page.mouse.move(800, 300); // off the tree: its hover would cover the rows
    await page
      .locator('.monaco-hover')
      .first()
      .waitFor({ state: 'hidden', timeout: 5000 })
      .catch(() => undefined);
    await shot('remote-engine-backup', { publish: true });
  } finally {
    removeContext();
    forgetEngineChoice(run);
    await page.keyboard.press('Escape').catch(() => undefined);
    await palette(page, 'Container Volumes: Refresh').catch(() => undefined);
    const pane = viewPane(page, 'containerVolumes.volumes');
    const gone = await waitRow(page, pane, (r) => r.level === 1 && r.label === CONTEXT, 'the TLS root', 2000).then(
      async () => {
        for (let i = 0; i < 60; i++) {
          await page.waitForTimeout(500);
          if (!(await findRow(page, pane, (r) => r.label === CONTEXT))) return true;
        }
        return false;
      },
      () => true,
    );
    check('with the context gone its root is gone from the Volumes view', gone);
    try {
      execFileSync('docker', ['-H', secondSocket, 'volume', 'rm', volume], { stdio: 'ignore' });
    } catch {
      /* gone */
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
