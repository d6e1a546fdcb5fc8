// Engines side by side in the real workbench: docker contexts made by the docker CLI in this run's own
// DOCKER_CONFIG (the run's private HOME) name the second real engine and a dead socket, beside the
// run's engine (DOCKER_HOST). The Volumes view shows one root per engine; expanding the second shows
// its volume; the dead one says unreachable, with an inline Retry; the status bar names the current
// engine, and clicking it offers the engines and switches (there and back).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { palette } from './lib/palette.mjs';
import { forgetEngineChoice } from './lib/workbench.mjs';
import { childrenOf, expand, findRow, readRows, viewPane, waitRow } from './lib/tree.mjs';

export const title = 'Several engines: one root each, a dead one with Retry, the status bar switcher';
const LABEL = 'dev.container-volumes.test=ui-engines';
const SECOND = 'cv-ui-second';
const DEAD = 'cv-ui-dead';

export default async function ({ page, open, check, shot, say, run }) {
  const secondHost =
    process.env.CV_SECOND_DOCKER_HOST?.trim() ||
    execFileSync('bash', ['scripts/second-engine.sh'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  const envHost = process.env.DOCKER_HOST?.trim() || 'unix:///var/run/docker.sock';
  // Its root's name: the address when DOCKER_HOST names it, else "default" (the default socket, as in CI).
  const envRoot = process.env.DOCKER_HOST?.trim() ? envHost : 'default';
  const dockerConfig = run.env.DOCKER_CONFIG || join(run.env.HOME, '.docker');
  const cli = (...args) =>
    execFileSync('docker', args, { env: { ...process.env, DOCKER_CONFIG: dockerConfig }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  const removeContexts = () => {
    for (const c of [SECOND, DEAD]) {
      try {
        cli('context', 'rm', '--force', c);
      } catch {
        /* not there */
      }
    }
  };
  const volumeName = `cv-ui-eng-${process.pid}`;
  const hereName = `cv-ui-eng-here-${process.pid}`;
  const STATUS = '#workbench\\.parts\\.statusbar .statusbar-item[id$="containerVolumes.engine"]';
  const statusItem = page.locator(STATUS);

  removeContexts();
  execFileSync('docker', ['-H', secondHost, 'volume', 'create', '--label', LABEL, volumeName], { stdio: 'ignore' });
  execFileSync('docker', ['-H', envHost, 'volume', 'create', '--label', LABEL, hereName], { stdio: 'ignore' });
  try {
    cli('context', 'create', SECOND, '--docker', `host=${secondHost}`, '--description', 'the second test engine');
    cli('context', 'create', DEAD, '--docker', `host=unix://${join(run.dir, 'no-engine-here.sock')}`);
    say(`contexts in ${dockerConfig}: ${cli('context', 'ls', '--format', '{{.Name}}={{.DockerEndpoint}}').split('\n').join(', ')}`);
    await open();
    const icon = page.locator('.part.activitybar .action-item a.action-label[aria-label^="Container Volumes"]');
    await icon.waitFor({ timeout: 60000 });
    const volumes = viewPane(page, 'containerVolumes.volumes');
    if (!(await volumes.isVisible())) await icon.click();

    // One root per engine: the run's engine (current, expanded), then the contexts by name.
    const root = (name) => (r) => r.level === 1 && r.label === name;
    await waitRow(page, volumes, root(envRoot), "the current engine's root");
    await waitRow(page, volumes, root(SECOND), `the ${SECOND} root`);
    await waitRow(page, volumes, root(DEAD), `the ${DEAD} root`);
    const current = (await findRow(page, volumes, root(envRoot)))?.row;
    check(
      "the current engine's root is expanded and says it is current",
      current?.expanded === 'true' && /current/.test(current.description),
      JSON.stringify(current),
    );
    const secondRow = (await findRow(page, volumes, root(SECOND)))?.row;
    check("another engine's root starts collapsed", secondRow?.expanded === 'false', JSON.stringify(secondRow));

    // Expanding the second root loads that engine: its volume shows under it.
    await expand(page, volumes, root(SECOND), `the ${SECOND} root`);
    const inSecond = await waitRow(page, volumes, (r) => r.level === 3 && r.label === volumeName, `${volumeName} under ${SECOND}`, 30000).then(
      () => true,
      () => false,
    );
    check(`expanding ${SECOND} shows its volume ${volumeName}`, inSecond);

    // The dead engine: expanded, it says unreachable and why; Retry is an inline action; the others are not held up.
    await expand(page, volumes, root(DEAD), `the ${DEAD} root`);
    const dead = await waitRow(page, volumes, (r) => root(DEAD)(r) && /unreachable/.test(r.description), `${DEAD} unreachable`, 30000).then(
      (f) => f.row,
      () => undefined,
    );
    check(
      `${DEAD}'s root says unreachable, with the reason`,
      !!dead && /no-engine-here\.sock|ENOENT|No Docker engine/.test(dead.description),
      JSON.stringify(dead),
    );
    let retried = false;
    for (let i = 0; i < 4 && !retried; i++) {
      const found = await findRow(page, volumes, root(DEAD));
      if (!found) continue;
      await found.locator.hover();
      const retry = found.locator.locator('.actions .action-label[aria-label="Retry"]');
      retried = await retry.click({ timeout: 3000 }).then(
        () => true,
        () => false,
      );
    }
    check(`${DEAD}'s root has an inline Retry, and it runs`, retried);
    const again = await waitRow(page, volumes, (r) => root(DEAD)(r) && /unreachable/.test(r.description), `${DEAD} unreachable after Retry`, 30000).then(
      () => true,
      () => false,
    );
    check('after Retry the dead engine still says unreachable', again);
    const rows = await readRows(page, volumes);
    const currentRoot = rows.find(root(envRoot));
    const under = (r) =>
      r
        ? childrenOf(rows, r.index)
            .flatMap((g) => [g, ...childrenOf(rows, g.index)])
            .map((x) => x.label)
        : [];
    check(
      `the current engine's root holds its rows (${hereName}), not the other's`,
      under(currentRoot).includes(hereName) && !under(currentRoot).includes(volumeName),
      JSON.stringify(under(currentRoot)),
    );
    check(
      `${SECOND}'s root holds its own volume only`,
      under(rows.find(root(SECOND))).includes(volumeName) && !under(rows.find(root(SECOND))).includes(hereName),
    );
    await page.mouse.move(5, 400);
    await shot('engines-roots', { publish: true });

    // The status bar: the current engine; clicking it offers the known engines, with address and source.
    await statusItem.waitFor({ timeout: 30000 });
    check('the status bar names the current engine', (await statusItem.innerText()).includes(envHost), await statusItem.innerText());
    const pickAndWait = async (label) => {
      const quick = page.locator('.quick-input-widget').filter({ has: page.locator('input[placeholder^="Choose the engine"]') });
      for (let i = 0; i < 3; i++) {
        await statusItem.click();
        if (
          await quick.waitFor({ timeout: 10000 }).then(
            () => true,
            () => false,
          )
        )
          break;
      }
      const row = quick.locator('.monaco-list-row', { hasText: label }).first();
      await row.waitFor({ timeout: 10000 });
      return { quick, row };
    };
    const { quick, row } = await pickAndWait(SECOND);
    const offered = await quick.locator('.monaco-list-row').allInnerTexts();
    check(
      'the switcher offers the three engines with address and source',
      [envHost, SECOND, DEAD].every((n) => offered.some((t) => t.includes(n))) &&
        offered.some((t) => t.includes(SECOND) && t.includes(secondHost) && t.includes('docker context')),
      JSON.stringify(offered),
    );
    await shot('engines-switcher', { publish: true });
    await row.click();
    const switched = await page
      .waitForFunction((sel) => document.querySelector(sel)?.textContent?.includes('cv-ui-second'), STATUS, { timeout: 30000 })
      .then(
        () => true,
        () => false,
      );
    check(`after choosing ${SECOND} the status bar names it`, switched, await statusItem.innerText());
    const nowCurrent = await waitRow(page, volumes, (r) => root(SECOND)(r) && /current/.test(r.description), `${SECOND} current`, 30000).then(
      () => true,
      () => false,
    );
    check(`${SECOND}'s root is now the current one`, nowCurrent);
    await page.mouse.move(5, 400);
    await shot('engines-switched');

    // And back to the run's engine.
    const back = await pickAndWait(envHost);
    await back.row.click();
    const backOk = await page
      .waitForFunction(([sel, h]) => document.querySelector(sel)?.textContent?.includes(h), [STATUS, envHost], { timeout: 30000 })
      .then(
        () => true,
        () => false,
      );
    check("switching back: the status bar names the run's engine again", backOk, await statusItem.innerText());
  } finally {
    removeContexts();
    // A failure half-way must not leave the engine switched for the files after this one.
    forgetEngineChoice(run);
    // The views one engine's again (the contexts are read again at Refresh).
    await page.keyboard.press('Escape').catch(() => undefined);
    await palette(page, 'Container Volumes: Refresh').catch(() => undefined);
    const single = await waitRow(
      page,
      viewPane(page, 'containerVolumes.volumes'),
      (r) => r.level === 1 && r.label === 'Unused',
      'the single-engine rows again',
      30000,
    ).then(
      () => true,
      () => false,
    );
    check("with the contexts gone the Volumes view is one engine's again (its groups at the top)", single);
    try {
      execFileSync('docker', ['-H', secondHost, 'volume', 'rm', volumeName], { stdio: 'ignore' });
    } catch {
      /* gone */
    }
    try {
      execFileSync('docker', ['-H', envHost, 'volume', 'rm', hereName], { stdio: 'ignore' });
    } catch {
      /* gone */
    }
  }
}
