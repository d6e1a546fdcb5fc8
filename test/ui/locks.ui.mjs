// One volume, two processes (issue 18) as a user sees it: the command-line tool restores into a
// volume (its process held still once it holds the volume), the Volumes view marks that volume as
// busy with the holder, and Back Up… on it asks Wait or Cancel in a modal; Cancel changes nothing.
// When the tool is done, the mark goes.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUSYBOX, removeSeed } from '../../scripts/seed.mjs';
import { contextMenuCommand, viewPane, waitRow, findRow } from './lib/tree.mjs';
import { typePath } from './lib/dialog.mjs';

export const title = 'A volume the CLI is restoring is marked busy in the Volumes view; Back Up… on it asks Wait or Cancel';
const LABEL = 'dev.container-volumes.test=ui-lock';
const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '../../dist/cli.js');

const docker = (...args) => execFileSync('docker', args, { encoding: 'utf8' }).trim();
const exists = (...args) => {
  try {
    execFileSync('docker', args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

export default async function ({ page, open, check, shot, say }) {
  removeSeed({ label: LABEL });
  const dir = mkdtempSync(join(tmpdir(), 'cv-ui-lock-'));
  const suffix = Math.random().toString(36).slice(2, 8);
  const source = `ui_lock_src_${suffix}`;
  const volume = `ui_locked_${suffix}`;
  let holder;
  try {
    docker('volume', 'create', '--label', LABEL, source);
    docker(
      'run',
      '--rm',
      '--label',
      LABEL,
      '-v',
      `${source}:/v`,
      BUSYBOX,
      'sh',
      '-c',
      'for i in $(seq 1 200); do echo x > /v/f-$i; done; dd if=/dev/zero of=/v/big bs=1M count=32 2>/dev/null',
    );
    const archive = join(dir, 'shop.tar');
    execFileSync(process.execPath, [CLI, 'backup', source, archive, '--quiet'], { stdio: 'ignore' });
    await open();
    const icon = page.locator('.part.activitybar .action-item a.action-label[aria-label^="Container Volumes"]');
    await icon.waitFor({ timeout: 60000 });
    await icon.click();
    const volumes = viewPane(page, 'containerVolumes.volumes');
    await waitRow(page, volumes, (r) => r.level === 2 && r.label === source, `${source} row`);

    // The CLI restores into a new volume; once it holds the volume, its process is held still.
    holder = spawn(process.execPath, [CLI, 'restore', archive, volume, '--quiet'], { stdio: 'ignore' });
    const end = Date.now() + 60000;
    while (!(exists('container', 'inspect', `cv-lock-${volume}`) && exists('volume', 'inspect', volume)) && Date.now() < end)
      await new Promise((r) => setTimeout(r, 20));
    holder.kill('SIGSTOP');
    say(`the CLI (pid ${holder.pid}) holds ${volume}`);

    let busyRow;
    try {
      busyRow = await waitRow(
        page,
        volumes,
        (r) => r.level === 2 && r.label === volume && /busy/.test(r.description ?? ''),
        `${volume} row marked busy`,
        30000,
      );
    } catch {
      busyRow = undefined;
    }
    check(
      'the Volumes view marks the volume the CLI is restoring as busy, naming the operation and the CLI',
      /busy: restore of shop\.tar \(the CLI\)/.test(busyRow?.row.description ?? ''),
      busyRow?.row.description,
    );
    await page.mouse.move(1000, 600);
    await shot('volume-busy');

    // Back Up… on it: the modal names the holder and offers Wait; Cancel changes nothing.
    const file = join(dir, `${volume}.tar`);
    await contextMenuCommand(page, volumes, (r) => r.level === 2 && r.label === volume, `${volume} row`, 'Back Up…');
    await typePath(page, file);
    const modal = page.locator('.monaco-dialog-box', { hasText: `Volume "${volume}" is busy.` });
    let shown = true;
    try {
      await modal.waitFor({ timeout: 60000 });
    } catch {
      shown = false;
    }
    const text = shown ? await modal.innerText() : '';
    check(
      'a modal says the volume is busy, which operation of which program holds it and since when, and offers Wait',
      shown &&
        new RegExp(`restore of shop\\.tar by the CLI \\(pid ${holder.pid}\\) on .+ since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC`).test(text) &&
        /Wait/.test(text),
      text,
    );
    await shot('busy-modal');
    if (shown) await modal.locator('.dialog-buttons a.monaco-button', { hasText: 'Cancel' }).click();
    await page.waitForTimeout(1500);
    check('Cancel wrote no backup', !existsSync(file) && !existsSync(`${file}.json`));

    holder.kill('SIGCONT');
    const code = await new Promise((r) => (holder.exitCode !== null ? r(holder.exitCode) : holder.on('close', r)));
    check('the CLI then finishes its restore', code === 0, String(code));
    let cleared = false;
    for (let i = 0; i < 40 && !cleared; i++) {
      const found = await findRow(page, volumes, (r) => r.level === 2 && r.label === volume);
      cleared = !!found && !/busy/.test(found.row.description ?? '');
      if (!cleared) await page.waitForTimeout(500);
    }
    check('the busy mark goes when the CLI is done', cleared);
    await shot('volume-free');
  } finally {
    if (holder && holder.exitCode === null) {
      holder.kill('SIGCONT');
      holder.kill('SIGTERM');
    }
    await page.keyboard.press('Escape').catch(() => undefined);
    removeSeed({ label: LABEL });
    for (const id of (() => {
      try {
        return docker('ps', '-aq', '--filter', `label=dev.container-volumes.lock.volume=${volume}`).split('\n').filter(Boolean);
      } catch {
        return [];
      }
    })()) {
      try {
        docker('rm', '-f', id);
      } catch {
        /* gone */
      }
    }
    try {
      docker('volume', 'rm', '-f', volume);
    } catch {
      /* not made */
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
