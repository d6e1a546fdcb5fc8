// The mount graph in the real workbench, on the seed's set-up plus a duplicate path: logger03 takes
// --volumes-from dup_home and then logger02, which both have /logs: the engine mounts one of the two
// (Docker 20.10: the last, logger02's, whatever the post says) and the other is lost. Opened from logger02's context menu: the SVG is read from the webview's DOM
// (S2's nodes and edges, the loser marked), a click on a node reveals that container in the tree,
// Enter on a focused node does too, Copy as Mermaid is read back from the clipboard, the panel comes
// back after a reload, Save as SVG writes a file through VS Code's save dialog, the Compose project
// filter of the whole engine shows one project, the name filter typed and Running only show what they
// promise, zoom and pan survive an engine event (a container started and stopped), and the graph's colours, read from the DOM, are the
// theme's own CSS variables in the webview, in the light, dark and high contrast themes (each set
// in the user's settings, the window reloaded). Screenshots of the panel in all three go to the README.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUSYBOX, createSeed, removeSeed } from '../../scripts/seed.mjs';
import { contextMenuCommand, viewPane } from './lib/tree.mjs';
import { palette } from './lib/palette.mjs';
import { typePath } from './lib/dialog.mjs';

export const title = 'Mount graph: S2 and a duplicate path, reveal, Mermaid, reload, themes';
const LABEL = 'dev.container-volumes.test=ui-graph';

/** The graph's colours as the page computes them, and the theme's CSS variables they should come from. */
function themeColours(svgLocator) {
  return svgLocator.evaluate((root) => {
    const rgb = (v) => {
      const d = document.createElement('div');
      d.style.color = v;
      document.body.append(d);
      const c = getComputedStyle(d).color;
      d.remove();
      return c;
    };
    const vars = getComputedStyle(document.documentElement);
    const v = (n) => rgb(vars.getPropertyValue(n).trim());
    // a node with the keyboard focus is outlined in the focus colour: not one of those (the panel
    // restores the focus it had before a reload, and which node that was is the workbench's timing)
    const label = root.querySelector('g.node.kind-volume:not(:focus) .label');
    const volume = root.querySelector('g.node.kind-volume:not(:focus) .shape');
    const running = root.querySelector('g.node.kind-container.running .shape');
    const line = root.querySelector('g.edge.kind-mount:not(.ro) .line');
    return {
      bodyClass: document.body.className,
      vars: {
        foreground: v('--vscode-foreground'),
        background: v('--vscode-editor-background'),
        blue: v('--vscode-charts-blue'),
        passed: v('--vscode-testing-iconPassed'),
      },
      drawn: {
        background: getComputedStyle(document.body).backgroundColor,
        label: getComputedStyle(label).fill,
        volume: getComputedStyle(volume).stroke,
        running: running ? getComputedStyle(running).stroke : undefined,
        line: getComputedStyle(line).stroke,
      },
    };
  });
}

export default async function ({ page, open, reload, check, shot, say, run }) {
  removeSeed({ label: LABEL });
  const bindDir = mkdtempSync(join(tmpdir(), 'cv-ui-graph-'));
  const settingsFile = join(run.userData, 'User/settings.json');
  const settingsBefore = readFileSync(settingsFile, 'utf8');
  try {
    const n = createSeed({ label: LABEL, bindDir, volume: 'graph_unused' });
    const suffix = n.logger02.slice('logger02'.length);
    const dupHome = `dup_home${suffix}`;
    const logger03 = `logger03${suffix}`;
    const idle = ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done'];
    execFileSync('docker', ['create', '--name', dupHome, '--label', LABEL, '-v', '/logs', BUSYBOX, ...idle]);
    execFileSync('docker', ['create', '--name', logger03, '--label', LABEL, '--volumes-from', dupHome, '--volumes-from', n.logger02, BUSYBOX, ...idle]);
    // A Compose project of its own (the labels Compose puts on its containers and volumes), apart from S2.
    const project = `cvshop${suffix.replace(/[^a-z0-9]/gi, '')}`.toLowerCase();
    const shopVol = `${project}_data`;
    execFileSync('docker', ['volume', 'create', '--label', LABEL, '--label', `com.docker.compose.project=${project}`, shopVol]);
    for (const svc of ['web', 'db']) {
      execFileSync('docker', [
        'create',
        '--name',
        `${project}-${svc}-1`,
        '--label',
        LABEL,
        '--label',
        `com.docker.compose.project=${project}`,
        '--label',
        `com.docker.compose.service=${svc}`,
        '-v',
        `${shopVol}:/srv/${svc}`,
        BUSYBOX,
        ...idle,
      ]);
    }
    const volAt = (c) =>
      execFileSync('docker', ['inspect', '--format', '{{range .Mounts}}{{if eq .Destination "/logs"}}{{.Name}}{{end}}{{end}}', c], { encoding: 'utf8' }).trim();
    const winner = volAt(logger03) === volAt(dupHome) ? dupHome : n.logger02;
    const loserName = winner === dupHome ? n.logger02 : dupHome;
    say(`seed: ${Object.values(n).join(', ')}, ${dupHome}, ${logger03}; the engine gave ${logger03} ${winner}'s /logs`);
    await open();
    // Earlier tests' editors closed: after a reload the workbench shows one of its restored editors,
    // and a file of a volume since removed ("could not be opened") once hid the restored panel.
    await palette(page, 'View: Close All Editors', { exact: true });
    const icon = page.locator('.part.activitybar .action-item a.action-label[aria-label^="Container Volumes"]');
    await icon.waitFor({ timeout: 60000 });
    await icon.click();
    const containers = viewPane(page, 'containerVolumes.containers');

    // 1. open from logger02's context menu
    await contextMenuCommand(page, containers, (r) => r.level === 1 && r.label === n.logger02, `${n.logger02} row`, 'Show Mount Chains');
    const frame = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    const svg = frame.locator('svg.graph');
    /** The panel's tab, restored after a reload, brought to the front if another editor is (a hidden webview draws nothing). */
    const showPanel = async () => {
      const tab = page.locator('.part.editor .tabs-container .tab', { hasText: 'Mount Graph' }).first();
      if (
        !(await tab.waitFor({ timeout: 60000 }).then(
          () => true,
          () => false,
        ))
      )
        return;
      if ((await tab.getAttribute('aria-selected')) !== 'true') await tab.click();
    };
    let drawn = true;
    try {
      await svg.locator('g.node').first().waitFor({ timeout: 60000 });
    } catch {
      drawn = false;
    }
    check('the panel draws an SVG graph', drawn);
    if (!drawn) return;
    await page.waitForTimeout(800);
    const readGraph = () =>
      svg.evaluate((root) => ({
        nodes: [...root.querySelectorAll('g.node')].map((g) => ({
          id: g.dataset.id,
          label: g.dataset.label,
          kind: g.dataset.kind,
          cls: g.getAttribute('class'),
        })),
        edges: [...root.querySelectorAll('g.edge')].map((g) => ({
          kind: g.dataset.kind,
          from: g.dataset.from,
          to: g.dataset.to,
          dest: g.dataset.destination,
          winner: g.dataset.winner,
          cls: g.getAttribute('class'),
          text: g.querySelector('.edge-label')?.textContent,
        })),
      }));
    const g = await readGraph();
    const idOf = (label) => g.nodes.find((x) => x.label === label)?.id;
    const volLabel = `anonymous · ${n.logHome}:/logs`;
    for (const want of [n.logHome, n.logger01, n.logger02, logger03, dupHome, volLabel])
      check(`node "${want}" is drawn`, !!idOf(want), JSON.stringify(g.nodes.map((x) => x.label)));
    check('nothing unrelated is drawn (ro_bind, the unused volume)', !idOf(n.roBind) && !idOf(n.volume));
    const has = (kind, from, to, dest) =>
      g.edges.some((e) => e.kind === kind && e.from === idOf(from) && e.to === idOf(to) && (dest === undefined || e.dest === dest));
    check(`edge ${n.logger02} --volumes-from--> ${n.logger01}`, has('volumesFrom', n.logger02, n.logger01));
    check(`edge ${n.logger01} --volumes-from--> ${n.logHome}`, has('volumesFrom', n.logger01, n.logHome));
    check(`edge ${n.logHome} mounts the volume at /logs`, has('mount', n.logHome, volLabel, '/logs'));
    check(`${n.logger02}'s chain resolves to the same volume (inherited edge)`, has('inherited', n.logger02, volLabel, '/logs'));
    const lost = g.edges.filter((e) => e.kind === 'lost');
    check(
      `${logger03} lost ${loserName}'s /logs to ${winner} (the mount the engine made)`,
      lost.length === 1 && lost[0].from === idOf(logger03) && lost[0].dest === '/logs' && lost[0].winner === winner && /\bkind-lost\b/.test(lost[0].cls),
      JSON.stringify(lost),
    );
    // The lost mount is marked on its edge (red, dashed, crossed out, "✗"): the volume itself is
    // still its owner's, so the node is not a loser as a whole.
    const loser = g.nodes.find((x) => x.id === lost[0]?.to);
    check(
      "the lost edge ends at the other source's volume and is labelled as lost",
      loser?.kind === 'volume' && lost[0]?.text === '/logs ✗',
      JSON.stringify({ loser, text: lost[0]?.text }),
    );
    const volNode = g.nodes.find((x) => x.label === volLabel);
    check('the shared volume stands out (class shared)', /\bshared\b/.test(volNode?.cls ?? ''), volNode?.cls);
    const controls = await svg.evaluate(() =>
      ['vscode-checkbox', 'vscode-text-field', 'vscode-dropdown', 'vscode-button'].every((t) => !!customElements.get(t)),
    );
    check("the toolkit's controls are defined in the page (bundled)", controls);
    await page.mouse.move(1300, 880);
    await shot('mount-graph-first', { publish: false }); // the run's default theme (light here); see step 6

    // 2. a click on logger01's node reveals it in the Containers view
    const selected = async () =>
      containers
        .locator('.monaco-list-row.selected .label-name')
        .allInnerTexts()
        .catch(() => []);
    await svg.locator(`g.node[data-label="${n.logger01}"]`).click();
    let sel = [];
    for (let i = 0; i < 40 && !sel.includes(n.logger01); i++) {
      await page.waitForTimeout(250);
      sel = await selected();
    }
    check(`clicking the ${n.logger01} node selects ${n.logger01} in the Containers view`, sel.includes(n.logger01), JSON.stringify(sel));

    // 3. keyboard: focus the first node, Tab to the next, Enter reveals the focused one
    await svg.locator('g.node').first().focus();
    await page.keyboard.press('Tab');
    const focused = await svg.evaluate(() => document.activeElement?.closest('g.node')?.dataset.label ?? '');
    check('Tab moves the focus to another node', !!focused, focused);
    if (focused && focused !== n.logger01 && g.nodes.find((x) => x.label === focused)?.kind === 'container') {
      await page.keyboard.press('Enter');
      sel = [];
      for (let i = 0; i < 40 && !sel.includes(focused); i++) {
        await page.waitForTimeout(250);
        sel = await selected();
      }
      check(`Enter on the focused node (${focused}) reveals it in the tree`, sel.includes(focused), JSON.stringify(sel));
    } else {
      const c = svg.locator(`g.node[data-label="${n.logger02}"]`);
      await c.focus();
      await page.keyboard.press('Enter');
      sel = [];
      for (let i = 0; i < 40 && !sel.includes(n.logger02); i++) {
        await page.waitForTimeout(250);
        sel = await selected();
      }
      check(`Enter on the focused node (${n.logger02}) reveals it in the tree`, sel.includes(n.logger02), JSON.stringify(sel));
    }

    // 4. Copy as Mermaid, read back from the clipboard
    await page.evaluate(() => navigator.clipboard.writeText('(nothing copied yet)'));
    await frame.locator('vscode-button', { hasText: 'Copy as Mermaid' }).click();
    let mermaid = '';
    for (let i = 0; i < 60 && !mermaid.startsWith('flowchart'); i++) {
      await page.waitForTimeout(250);
      mermaid = await page.evaluate(() => navigator.clipboard.readText()).catch(() => '');
    }
    check('Copy as Mermaid puts a flowchart on the clipboard', mermaid.startsWith('flowchart LR'), mermaid.slice(0, 80));
    check(
      'the Mermaid text has the chain and the lost path',
      [n.logger02, n.logger01, n.logHome, `lost to ${winner}`, '--volumes-from'].every((s) => mermaid.includes(s)),
      mermaid,
    );

    // 5. the panel comes back after a reload (Developer: Reload Window, which stores the open editors
    // first; a bare navigation brought back whatever the workbench had last stored on its own timer,
    // and once that was before the panel was opened), with the same graph
    await reload();
    await showPanel();
    let back = true;
    try {
      await frame.locator('svg.graph g.node').first().waitFor({ timeout: 60000 });
    } catch {
      back = false;
    }
    const after = back ? await readGraph() : { nodes: [], edges: [] };
    check(
      'after a reload the panel is back with the same nodes',
      back && [n.logHome, n.logger01, n.logger02, logger03].every((l) => after.nodes.some((x) => x.label === l)),
      JSON.stringify(after.nodes.map((x) => x.label)),
    );

    // 6. a screenshot for the README: the side bar hidden and the window short, so the graph fills
    // the picture; only the panel is taken
    // The title bar's layout button toggles the side bar (the palette can miss its key while a
    // webview has the focus); the palette is the fallback.
    const toggleSideBar = async () => {
      const button = page.locator('.titlebar-container .action-item a[aria-label^="Toggle Primary Side Bar"]').first();
      if (await button.isVisible().catch(() => false)) await button.click();
      else await palette(page, 'View: Toggle Primary Side Bar Visibility');
    };
    const panelShot = async (name, publish) => {
      await toggleSideBar();
      await page.setViewportSize({ width: 1400, height: 600 });
      await page.waitForTimeout(800);
      await frame.locator('vscode-button', { hasText: 'Fit' }).first().click();
      await page.mouse.move(1399, 599);
      await page.waitForTimeout(500);
      const box = await page.locator('iframe.webview.ready').boundingBox();
      await shot(name, { publish, clip: box ?? undefined });
      await page.setViewportSize({ width: 1400, height: 900 });
      await toggleSideBar();
      await page.waitForTimeout(500);
    };
    await panelShot('mount-graph-light', true);

    // 6d. the theme: the colours drawn are the theme's own variables
    const lightColours = await themeColours(svg);
    const followsTheme = (c) =>
      c.drawn.label === c.vars.foreground &&
      c.drawn.background === c.vars.background &&
      c.drawn.volume === c.vars.blue &&
      c.drawn.line === c.vars.foreground &&
      (c.drawn.running === undefined || c.drawn.running === c.vars.passed);
    check(
      "light: the graph is drawn in the theme's colours (foreground, editor background, charts blue, passed)",
      lightColours.bodyClass.includes('vscode-light') && followsTheme(lightColours),
      JSON.stringify(lightColours),
    );

    // 6e. dark and high contrast: the theme written into the user's settings and the window
    // reloaded (the workbench reads it as it starts; a settings file changed under a running
    // workbench was not picked up); the panel comes back through its serializer, is drawn in that
    // theme's colours, and is photographed for the README. Before any filter is changed: the page's
    // state reaches the workbench's storage only now and then, and a reload brings back the last stored.
    const inTheme = async (theme, bodyClass, name, publish) => {
      writeFileSync(settingsFile, JSON.stringify({ ...JSON.parse(settingsBefore), 'workbench.colorTheme': theme }, null, 2));
      await open();
      await showPanel();
      let shown = true;
      try {
        await svg.locator(`g.node[data-label="${n.logger02}"]`).waitFor({ timeout: 60000 });
      } catch {
        shown = false;
      }
      let colours = { bodyClass: '' };
      for (let i = 0; shown && i < 60; i++) {
        colours = await themeColours(svg).catch(() => colours);
        if (colours.bodyClass.includes(bodyClass)) break;
        await page.waitForTimeout(250);
      }
      check(
        `${theme}: the panel is back with ${n.logger02}'s graph and the page is in that theme (${bodyClass})`,
        shown && colours.bodyClass.includes(bodyClass),
        colours.bodyClass,
      );
      check(
        `${theme}: the graph is drawn in the theme's colours`,
        shown && followsTheme(colours) && colours.vars.foreground !== lightColours.vars.foreground,
        JSON.stringify(colours),
      );
      if (shown) await panelShot(name, publish);
      return colours;
    };
    const dark = await inTheme('Default Dark Modern', 'vscode-dark', 'mount-graph-dark', true);
    const hc = await inTheme('Default High Contrast', 'vscode-high-contrast', 'mount-graph-high-contrast', true);
    check(
      'dark and high contrast differ from each other and from light (the theme really changed)',
      new Set([lightColours.vars.background, dark.vars?.background, hc.vars?.background]).size === 3,
      JSON.stringify([lightColours.vars.background, dark.vars?.background, hc.vars?.background]),
    );
    writeFileSync(settingsFile, settingsBefore);
    await open();
    await svg.locator('g.node').first().waitFor({ timeout: 60000 });
    for (let i = 0; i < 60 && !(await themeColours(svg).catch(() => ({ bodyClass: '' }))).bodyClass.includes('vscode-light'); i++)
      await page.waitForTimeout(250);

    // 6b. Save as SVG… through VS Code's save dialog: a standalone SVG of what is shown, the theme's
    // colours written in (no classes, no CSS variables), every node's name in it
    const svgFile = join(bindDir, 'exported graph.svg');
    await frame.locator('vscode-button', { hasText: 'Save as SVG' }).click();
    await typePath(page, svgFile);
    for (let i = 0; i < 40 && !existsSync(svgFile); i++) await page.waitForTimeout(250);
    const exported = existsSync(svgFile) ? readFileSync(svgFile, 'utf8') : '';
    check('Save as SVG writes the file chosen in the save dialog', exported.startsWith('<svg'), exported.slice(0, 80));
    check(
      'the saved SVG names every node shown',
      [n.logHome, n.logger01, n.logger02, logger03, dupHome].every((l) => exported.includes(`>${l}<`)),
      exported.length,
    );
    check(
      'the saved SVG stands alone: colours written in, no classes or CSS variables',
      /fill="rgb\(/.test(exported) && !/class="|var\(--/.test(exported) && /xmlns="http:\/\/www\.w3\.org\/2000\/svg"/.test(exported),
    );
    const statusText = await frame
      .locator('.status')
      .innerText()
      .catch(() => '');
    check('the panel says it saved the file', /saved/i.test(statusText), statusText);

    // 6c. the Compose filter on the whole engine: only the project's containers and its volume
    const labelsNow = async () => (await readGraph()).nodes.map((x) => x.label).sort();
    const waitLabels = async (ok) => {
      let l = [];
      for (let i = 0; i < 60; i++) {
        l = await labelsNow();
        if (ok(l)) return l;
        await page.waitForTimeout(250);
      }
      return l;
    };
    // A toolkit checkbox set to a state: clicked, and clicked again only if the click did not
    // register (a dropdown closing can take it); the state read from the element each time.
    const setCheckbox = async (text, want) => {
      const box = frame.locator('vscode-checkbox', { hasText: text });
      const state = async () => (await box.getAttribute('aria-checked').catch(() => null)) === 'true';
      for (let i = 0; i < 3 && (await state()) !== want; i++) {
        await frame
          .locator('vscode-dropdown[open]')
          .waitFor({ state: 'detached', timeout: 5000 })
          .catch(() => undefined);
        await box.click();
        for (let j = 0; j < 20 && (await state()) !== want; j++) await page.waitForTimeout(100);
      }
      return (await state()) === want;
    };
    check('Whole engine is checked', await setCheckbox('Whole engine', true));
    const whole = await waitLabels((l) => l.includes(`${project}-web-1`) && l.includes(n.roBind));
    check(
      "Whole engine shows the Compose project's containers and the rest of the engine",
      whole.includes(`${project}-web-1`) && whole.includes(n.roBind),
      JSON.stringify(whole),
    );
    const projects = frame.locator('vscode-dropdown');
    await projects.click();
    await frame.locator('vscode-option', { hasText: project }).click();
    const shop = [`${project}-db-1`, `${project}-web-1`, shopVol].sort();
    const filtered = await waitLabels((l) => JSON.stringify(l) === JSON.stringify(shop));
    check(
      `the project filter (${project}) shows its two containers and its volume, nothing else`,
      JSON.stringify(filtered) === JSON.stringify(shop),
      JSON.stringify(filtered),
    );
    await projects.click();
    await frame.locator('vscode-option', { hasText: 'All projects' }).click();
    check('Whole engine is unchecked', await setCheckbox('Whole engine', false));
    const againNear = await waitLabels((l) => !l.includes(`${project}-web-1`) && l.includes(n.logger02));
    check(
      "back to all projects and logger02's neighbourhood",
      !againNear.includes(`${project}-web-1`) && againNear.includes(n.logger02),
      JSON.stringify(againNear),
    );

    // 8. the name filter, typed: only the nodes whose name matches, and their neighbours (as the
    // filter promises), are drawn; cleared, the neighbourhood is back
    const near = await readGraph();
    const nearLabels = near.nodes.map((x) => x.label).sort();
    const matchIds = new Set(near.nodes.filter((x) => x.label.toLowerCase().includes(n.logger01.toLowerCase())).map((x) => x.id));
    const expectIds = new Set(matchIds);
    for (const e of near.edges) {
      if (matchIds.has(e.from)) expectIds.add(e.to);
      if (matchIds.has(e.to)) expectIds.add(e.from);
    }
    const expectFiltered = near.nodes
      .filter((x) => expectIds.has(x.id))
      .map((x) => x.label)
      .sort();
    check(
      `the filter's expectation is a real narrowing (${expectFiltered.length} of ${nearLabels.length} nodes)`,
      matchIds.size === 1 && expectFiltered.length < nearLabels.length && !expectFiltered.includes(logger03),
      JSON.stringify(expectFiltered),
    );
    await frame.locator('vscode-text-field.filter input').click();
    await page.keyboard.type(n.logger01, { delay: 30 });
    const typed = await waitLabels((l) => JSON.stringify(l) === JSON.stringify(expectFiltered));
    check(
      `typing "${n.logger01}" in the filter draws only it and its neighbours`,
      JSON.stringify(typed) === JSON.stringify(expectFiltered),
      JSON.stringify(typed),
    );
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    const cleared = await waitLabels((l) => JSON.stringify(l) === JSON.stringify(nearLabels));
    check('the filter cleared: the whole neighbourhood is drawn again', JSON.stringify(cleared) === JSON.stringify(nearLabels), JSON.stringify(cleared));

    // 9. Running only: the stopped containers (dup_home and logger03 were only created) and what only
    // they used go; the running chain stays
    const stoppedBefore = near.nodes
      .filter((x) => x.kind === 'container' && /\bstopped\b/.test(x.cls))
      .map((x) => x.label)
      .sort();
    check(
      'the neighbourhood has stopped containers to hide',
      JSON.stringify(stoppedBefore) === JSON.stringify([dupHome, logger03].sort()),
      JSON.stringify(stoppedBefore),
    );
    check('Running only is checked', await setCheckbox('Running only', true));
    const runningOnly = await waitLabels((l) => !l.includes(logger03) && !l.includes(dupHome) && l.includes(n.logger02));
    const afterRunning = await readGraph();
    check(
      'Running only: the stopped containers are gone, the running chain stays, no stopped container is drawn',
      !runningOnly.includes(logger03) &&
        !runningOnly.includes(dupHome) &&
        [n.logHome, n.logger01, n.logger02, volLabel].every((l) => runningOnly.includes(l)) &&
        afterRunning.nodes.every((x) => x.kind !== 'container' || /\brunning\b/.test(x.cls)),
      JSON.stringify(afterRunning.nodes.map((x) => [x.label, x.cls])),
    );

    // 10. zoom and pan survive an engine event: pan by dragging the background, zoom in with the
    // page's + button and the wheel, then start logger03 (a labelled container): with Running only
    // on it appears in the graph, and the view's transform is still the one the user made
    const viewportT = async () => {
      const v = (await svg.locator('g.viewport').getAttribute('transform')) ?? '';
      const m = /translate\(([-\d.e]+),([-\d.e]+)\) scale\(([-\d.e]+)\)/.exec(v);
      return { text: v, x: Number(m?.[1] ?? NaN), y: Number(m?.[2] ?? NaN), k: Number(m?.[3] ?? NaN) };
    };
    const t0 = await viewportT();
    const box = await svg.boundingBox();
    if (box) {
      // the fitted view leaves at least 20 px free at its edges: the drag starts on the background
      await page.mouse.move(box.x + 8, box.y + 8);
      await page.mouse.down();
      await page.mouse.move(box.x + 68, box.y + 48, { steps: 6 });
      await page.mouse.up();
    }
    const t1 = await viewportT();
    check(
      'dragging the background pans the graph by the drag',
      Math.abs(t1.x - t0.x - 60) < 2 && Math.abs(t1.y - t0.y - 40) < 2 && t1.k === t0.k,
      JSON.stringify([t0.text, t1.text]),
    );
    await frame.locator('vscode-button[aria-label="Zoom in"]').click();
    let t2 = await viewportT();
    for (let i = 0; i < 20 && !(t2.k > t1.k); i++) {
      await page.waitForTimeout(100);
      t2 = await viewportT();
    }
    check("the page's + button zooms in (×1.25)", Math.abs(t2.k / t1.k - 1.25) < 0.01, JSON.stringify([t1.text, t2.text]));
    if (box) {
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.wheel(0, -200);
    }
    let t3 = await viewportT();
    for (let i = 0; i < 20 && !(t3.k > t2.k); i++) {
      await page.waitForTimeout(100);
      t3 = await viewportT();
    }
    check('the wheel zooms in further', t3.k > t2.k * 1.1, JSON.stringify([t2.text, t3.text]));
    const patchesBefore = Number((await svg.getAttribute('data-patches')) ?? '0');
    execFileSync('docker', ['start', logger03]);
    const started = await waitLabels((l) => l.includes(logger03));
    const startedNode = (await readGraph()).nodes.find((x) => x.label === logger03);
    check(
      `${logger03} started (an engine event): it appears, drawn as running`,
      started.includes(logger03) && /\brunning\b/.test(startedNode?.cls ?? ''),
      JSON.stringify(startedNode),
    );
    const t4 = await viewportT();
    const patchesAfter = Number((await svg.getAttribute('data-patches')) ?? '0');
    check(
      'the zoom and pan are kept across the engine event (the same transform), and it came as a patch',
      t4.text === t3.text && patchesAfter > patchesBefore,
      JSON.stringify({ before: t3.text, after: t4.text, patchesBefore, patchesAfter }),
    );
    await page.mouse.move(1300, 880);
    await shot('mount-graph-zoomed-live', { publish: false });
    execFileSync('docker', ['stop', '-t', '2', logger03]);
    const stoppedAgain = await waitLabels((l) => !l.includes(logger03));
    const t5 = await viewportT();
    check(
      `${logger03} stopped again: gone under Running only, the transform still kept`,
      !stoppedAgain.includes(logger03) && t5.text === t3.text,
      JSON.stringify({ labels: stoppedAgain, t: t5.text }),
    );
    check('Running only is unchecked', await setCheckbox('Running only', false));
    const allAgain = await waitLabels((l) => JSON.stringify(l) === JSON.stringify(nearLabels));
    check('Running only off: the whole neighbourhood is back', JSON.stringify(allAgain) === JSON.stringify(nearLabels), JSON.stringify(allAgain));

    // 7. a node's menu runs the tree's command: right-click logger01 → Inspect opens its JSON
    await frame.locator(`svg.graph g.node[data-label="${n.logger01}"]`).click({ button: 'right' });
    const menu = frame.locator('.menu:not([hidden])');
    let items = [];
    try {
      await menu.waitFor({ timeout: 10000 });
      items = await menu.locator('.menu-item').allInnerTexts();
    } catch {
      /* checked below */
    }
    check(
      "a container node's menu offers Show in the Tree, Inspect and Migrate",
      ['Show in the Tree', 'Inspect', 'Migrate to a New Image…'].every((i) => items.includes(i)),
      JSON.stringify(items),
    );
    if (items.includes('Inspect')) {
      await menu.locator('.menu-item', { hasText: 'Inspect' }).click();
      const editor = page.locator('.part.editor .view-lines');
      let opened = true;
      try {
        await editor
          .filter({ hasText: `"/${n.logger01}"` })
          .first()
          .waitFor({ timeout: 30000 });
      } catch {
        opened = false;
      }
      check(`Inspect from the graph opens ${n.logger01}'s engine JSON`, opened);
    }
  } finally {
    writeFileSync(settingsFile, settingsBefore);
    await page.keyboard.press('Escape').catch(() => undefined);
    removeSeed({ label: LABEL });
    rmSync(bindDir, { recursive: true, force: true });
  }
}
