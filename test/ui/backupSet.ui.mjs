// Several volumes in one go, in the real workbench: right-click a Compose project's group → Back Up
// Project…, choose a folder, stop the project's container once; then select two volumes (Ctrl+click)
// → Back Up… → one folder for both. Archives, records and the notifications are checked.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUSYBOX, removeSeed } from '../../scripts/seed.mjs';
import { contextMenuCommand, expand, viewPane, waitRow } from './lib/tree.mjs';
import { chooseFolder, notified } from './lib/dialog.mjs';

export const title = 'Back up a whole Compose project, and a multi-selection of volumes, into one folder';
const LABEL = 'dev.container-volumes.test=ui-backupset';

export default async function ({ page, open, check, shot, say }) {
  removeSeed({ label: LABEL });
  const suffix = Math.random().toString(36).slice(2, 7);
  const project = `uiset${suffix}`;
  const db = `${project}_db`;
  const files = `${project}_files`;
  const dirProject = mkdtempSync(join(tmpdir(), 'cv-ui-set-'));
  const dirSel = mkdtempSync(join(tmpdir(), 'cv-ui-sel-'));
  try {
    for (const [v, key] of [
      [db, 'db'],
      [files, 'files'],
    ]) {
      execFileSync(
        'docker',
        ['volume', 'create', '--label', LABEL, '--label', `com.docker.compose.project=${project}`, '--label', `com.docker.compose.volume=${key}`, v],
        { stdio: 'ignore' },
      );
    }
    execFileSync('docker', [
      'run',
      '--rm',
      '--label',
      LABEL,
      '-v',
      `${db}:/db`,
      '-v',
      `${files}:/files`,
      BUSYBOX,
      'sh',
      '-c',
      'echo rows > /db/table && mkdir /files/img && echo png > /files/img/1.png',
    ]);
    execFileSync(
      'docker',
      [
        'run',
        '-d',
        '--name',
        `${project}-app-1`,
        '--label',
        LABEL,
        '--label',
        `com.docker.compose.project=${project}`,
        '-v',
        `${db}:/var/lib/db`,
        '-v',
        `${files}:/srv/files`,
        BUSYBOX,
        'sleep',
        '3600',
      ],
      { stdio: 'ignore' },
    );
    say(`seed: project ${project} (${db}, ${files}) used by ${project}-app-1`);
    await open();
    const icon = page.locator('.part.activitybar .action-item a.action-label[aria-label^="Container Volumes"]');
    await icon.waitFor({ timeout: 60000 });
    await icon.click();
    const volumes = viewPane(page, 'containerVolumes.volumes');

    // 1. The project's group → Back Up Project… → a folder → stop once
    await contextMenuCommand(page, volumes, (r) => r.level === 2 && r.label === project, `${project} row`, 'Back Up Project…');
    await chooseFolder(page, dirProject);
    const stop = page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Stop Once, Back Up, Restart' });
    let asked = true;
    try {
      await stop.waitFor({ timeout: 30000 });
    } catch {
      asked = false;
    }
    const question = await page
      .locator('.monaco-dialog-box')
      .first()
      .innerText()
      .catch((e) => String(e));
    check('the running container of the project is named and the user is asked to stop it once', asked && /app-1/.test(question), question.slice(0, 300));
    if (asked) {
      await shot('backup-project', { publish: true });
      await stop.click();
    }
    const msg = await notified(page, 'Backed up 2 of 2 volumes');
    check('the notification says both volumes were backed up and verified', /verified/.test(msg), msg);
    const tars = existsSync(dirProject)
      ? readdirSync(dirProject)
          .filter((f) => f.endsWith('.tar'))
          .sort()
      : [];
    check(
      'one archive per volume of the project, each with its record',
      tars.length === 2 && tars[0].startsWith(db) && tars[1].startsWith(files) && tars.every((f) => existsSync(join(dirProject, `${f}.json`))),
      tars.join(', '),
    );
    const record = readdirSync(dirProject).find((f) => f.endsWith('.backup-set.json'));
    const rec = record ? JSON.parse(readFileSync(join(dirProject, record), 'utf8')) : {};
    check(
      'the project record names the project, its volumes and the container stopped once',
      rec.project === project && rec.volumes?.length === 2 && rec.stoppedContainers?.[0] === `${project}-app-1`,
      JSON.stringify({ project: rec.project, stopped: rec.stoppedContainers }),
    );
    let runningAgain = '';
    try {
      runningAgain = execFileSync('docker', ['inspect', '-f', '{{.State.Running}}', `${project}-app-1`], { encoding: 'utf8' }).trim();
    } catch {
      /* below */
    }
    check('the container runs again', runningAgain === 'true');
    await page.mouse.move(1000, 600);
    await shot('backup-project-done');

    // 2. Two volumes selected with Ctrl+click → Back Up… → one folder
    await expand(page, volumes, (r) => r.level === 2 && r.label === project, `${project} row`);
    // Rows are found again on every try: an engine event re-rendering the tree between the two clicks
    // can replace a row (and so the selection) under the mouse.
    const isDb = (r) => r.level === 3 && r.label === db;
    const isFiles = (r) => r.level === 3 && r.label === files;
    let selected = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      await (await waitRow(page, volumes, isDb, `${db} row`)).locator.click();
      await (await waitRow(page, volumes, isFiles, `${files} row`)).locator.click({ modifiers: ['Control'] });
      await page.waitForTimeout(500);
      selected = await volumes.locator('.monaco-list-row.selected .label-name').allInnerTexts();
      if (selected.includes(db) && selected.includes(files)) break;
    }
    check('both volumes are selected', selected.includes(db) && selected.includes(files), selected.join(', '));
    await contextMenuCommand(page, volumes, isFiles, `${files} row`, 'Back Up…');
    await chooseFolder(page, dirSel);
    const live = page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Back Up While Running' });
    await live.waitFor({ timeout: 30000 }).then(
      () => live.click(),
      () => undefined,
    );
    const msg2 = await notified(page, `to ${dirSel}`);
    check('the multi-selection was backed up into the one folder chosen once', /Backed up 2 of 2 volumes/.test(msg2), msg2);
    const sel = existsSync(dirSel) ? readdirSync(dirSel).filter((f) => f.endsWith('.tar')) : [];
    check('both archives are there', sel.length === 2, sel.join(', '));
  } finally {
    await page.keyboard.press('Escape').catch(() => undefined);
    removeSeed({ label: LABEL });
    rmSync(dirProject, { recursive: true, force: true });
    rmSync(dirSel, { recursive: true, force: true });
  }
}
