// The mount graph in the real workbench, on the seed's set-up plus a duplicate path: logger03 takes
// --volumes-from dup_home and then logger02, which both have /logs: the engine mounts one of the two
// (Docker 20.10: the last, logger02's, whatever the post says) and the other is lost. Opened from logger02's context menu: the SVG is read from the webview's DOM
// (S2's nodes and edges, the loser marked), a click on a node reveals that container in the tree,
// Enter on a focused node does too, Copy as Mermaid is read back from the clipboard, the panel comes
// back after a reload, and screenshots in the dark and the light theme go to the README.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUSYBOX, createSeed, removeSeed } from '../../scripts/seed.mjs';
import { contextMenuCommand, viewPane } from './lib/tree.mjs';

export const title = 'Mount graph: S2 and a duplicate path, reveal, Mermaid, reload, themes';
const LABEL = 'dev.container-volumes.test=ui-graph';

export default async function ({ page, open, check, shot, say, run }) {
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
    const volAt = (c) => execFileSync('docker', ['inspect', '--format', '{{range .Mounts}}{{if eq .Destination "/logs"}}{{.Name}}{{end}}{{end}}', c], { encoding: 'utf8' }).trim();
    const winner = volAt(logger03) === volAt(dupHome) ? dupHome : n.logger02;
    const loserName = winner === dupHome ? n.logger02 : dupHome;
    say(`seed: ${Object.values(n).join(', ')}, ${dupHome}, ${logger03}; the engine gave ${logger03} ${winner}'s /logs`);
    await open();
    const icon = page.locator('.part.activitybar .action-item a.action-label[aria-label^="Container Volumes"]');
    await icon.waitFor({ timeout: 60000 });
    await icon.click();
    const containers = viewPane(page, 'containerVolumes.containers');

    // 1. open from logger02's context menu
    await contextMenuCommand(page, containers, (r) => r.level === 1 && r.label === n.logger02, `${n.logger02} row`, 'Show Mount Chains');
    const frame = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    const svg = frame.locator('svg.graph');
    let drawn = true;
    try { await svg.locator('g.node').first().waitFor({ timeout: 60000 }); } catch { drawn = false; }
    check('the panel draws an SVG graph', drawn);
    if (!drawn) return;
    await page.waitForTimeout(800);
    const readGraph = () => svg.evaluate((root) => ({
      nodes: [...root.querySelectorAll('g.node')].map((g) => ({ id: g.dataset.id, label: g.dataset.label, kind: g.dataset.kind, cls: g.getAttribute('class') })),
      edges: [...root.querySelectorAll('g.edge')].map((g) => ({ kind: g.dataset.kind, from: g.dataset.from, to: g.dataset.to, dest: g.dataset.destination, winner: g.dataset.winner, cls: g.getAttribute('class'), text: g.querySelector('.edge-label')?.textContent })),
    }));
    const g = await readGraph();
    const idOf = (label) => g.nodes.find((x) => x.label === label)?.id;
    const volLabel = `anonymous · ${n.logHome}:/logs`;
    for (const want of [n.logHome, n.logger01, n.logger02, logger03, dupHome, volLabel]) check(`node "${want}" is drawn`, !!idOf(want), JSON.stringify(g.nodes.map((x) => x.label)));
    check('nothing unrelated is drawn (ro_bind, the unused volume)', !idOf(n.roBind) && !idOf(n.volume));
    const has = (kind, from, to, dest) => g.edges.some((e) => e.kind === kind && e.from === idOf(from) && e.to === idOf(to) && (dest === undefined || e.dest === dest));
    check(`edge ${n.logger02} --volumes-from--> ${n.logger01}`, has('volumesFrom', n.logger02, n.logger01));
    check(`edge ${n.logger01} --volumes-from--> ${n.logHome}`, has('volumesFrom', n.logger01, n.logHome));
    check(`edge ${n.logHome} mounts the volume at /logs`, has('mount', n.logHome, volLabel, '/logs'));
    check(`${n.logger02}'s chain resolves to the same volume (inherited edge)`, has('inherited', n.logger02, volLabel, '/logs'));
    const lost = g.edges.filter((e) => e.kind === 'lost');
    check(`${logger03} lost ${loserName}'s /logs to ${winner} (the mount the engine made)`,
      lost.length === 1 && lost[0].from === idOf(logger03) && lost[0].dest === '/logs' && lost[0].winner === winner && /\bkind-lost\b/.test(lost[0].cls), JSON.stringify(lost));
    // The lost mount is marked on its edge (red, dashed, crossed out, "✗"): the volume itself is
    // still its owner's, so the node is not a loser as a whole.
    const loser = g.nodes.find((x) => x.id === lost[0]?.to);
    check('the lost edge ends at the other source\'s volume and is labelled as lost', loser?.kind === 'volume' && lost[0]?.text === '/logs ✗', JSON.stringify({ loser, text: lost[0]?.text }));
    const volNode = g.nodes.find((x) => x.label === volLabel);
    check('the shared volume stands out (class shared)', /\bshared\b/.test(volNode?.cls ?? ''), volNode?.cls);
    const controls = await svg.evaluate(() => ['vscode-checkbox', 'vscode-text-field', 'vscode-dropdown', 'vscode-button'].every((t) => !!customElements.get(t)));
    check('the toolkit\'s controls are defined in the page (bundled)', controls);
    await page.mouse.move(1300, 880);
    await shot('mount-graph-first', { publish: false }); // the run's default theme (light here); see step 6

    // 2. a click on logger01's node reveals it in the Containers view
    const selected = async () => containers.locator('.monaco-list-row.selected .label-name').allInnerTexts().catch(() => []);
    await svg.locator(`g.node[data-label="${n.logger01}"]`).click();
    let sel = [];
    for (let i = 0; i < 40 && !sel.includes(n.logger01); i++) { await page.waitForTimeout(250); sel = await selected(); }
    check(`clicking the ${n.logger01} node selects ${n.logger01} in the Containers view`, sel.includes(n.logger01), JSON.stringify(sel));

    // 3. keyboard: focus the first node, Tab to the next, Enter reveals the focused one
    await svg.locator('g.node').first().focus();
    await page.keyboard.press('Tab');
    const focused = await svg.evaluate(() => document.activeElement?.closest('g.node')?.dataset.label ?? '');
    check('Tab moves the focus to another node', !!focused, focused);
    if (focused && focused !== n.logger01 && g.nodes.find((x) => x.label === focused)?.kind === 'container') {
      await page.keyboard.press('Enter');
      sel = [];
      for (let i = 0; i < 40 && !sel.includes(focused); i++) { await page.waitForTimeout(250); sel = await selected(); }
      check(`Enter on the focused node (${focused}) reveals it in the tree`, sel.includes(focused), JSON.stringify(sel));
    } else {
      const c = svg.locator(`g.node[data-label="${n.logger02}"]`);
      await c.focus();
      await page.keyboard.press('Enter');
      sel = [];
      for (let i = 0; i < 40 && !sel.includes(n.logger02); i++) { await page.waitForTimeout(250); sel = await selected(); }
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
    check('the Mermaid text has the chain and the lost path', [n.logger02, n.logger01, n.logHome, `lost to ${winner}`, '--volumes-from'].every((s) => mermaid.includes(s)), mermaid);

    // 5. the panel comes back after a reload, with the same graph
    await page.waitForTimeout(1500); // let the workbench store its open editors (an earlier test's tab was the last it stored)
    await open();
    let back = true;
    try { await frame.locator('svg.graph g.node').first().waitFor({ timeout: 60000 }); } catch { back = false; }
    const after = back ? await readGraph() : { nodes: [], edges: [] };
    check('after a reload the panel is back with the same nodes',
      back && [n.logHome, n.logger01, n.logger02, logger03].every((l) => after.nodes.some((x) => x.label === l)), JSON.stringify(after.nodes.map((x) => x.label)));

    // 6. a screenshot for the README (the run's default theme). Switching themes by writing the
    // settings file did not take effect in this harness, so following the theme is not checked here.
    await page.mouse.move(1300, 880);
    await page.waitForTimeout(500);
    await shot('mount-graph-light', { publish: true });

    // 7. a node's menu runs the tree's command: right-click logger01 → Inspect opens its JSON
    await frame.locator(`svg.graph g.node[data-label="${n.logger01}"]`).click({ button: 'right' });
    const menu = frame.locator('.menu:not([hidden])');
    let items = [];
    try { await menu.waitFor({ timeout: 10000 }); items = await menu.locator('.menu-item').allInnerTexts(); } catch { /* checked below */ }
    check('a container node\'s menu offers Show in the Tree, Inspect and Migrate', ['Show in the Tree', 'Inspect', 'Migrate to a New Image…'].every((i) => items.includes(i)), JSON.stringify(items));
    if (items.includes('Inspect')) {
      await menu.locator('.menu-item', { hasText: 'Inspect' }).click();
      const editor = page.locator('.part.editor .view-lines');
      let opened = true;
      try { await editor.filter({ hasText: `"/${n.logger01}"` }).first().waitFor({ timeout: 30000 }); } catch { opened = false; }
      check(`Inspect from the graph opens ${n.logger01}'s engine JSON`, opened);
    }
  } finally {
    writeFileSync(settingsFile, settingsBefore);
    await page.keyboard.press('Escape').catch(() => undefined);
    removeSeed({ label: LABEL });
    rmSync(bindDir, { recursive: true, force: true });
  }
}
