// The mount-graph panel in the real extension host, its page running in the real webview: opened
// from logger02 it sends S2's neighbourhood; engine events arrive as patches, not the whole model;
// every malformed message from the page is rejected and changes nothing; the CSP and the resource
// roots are as tight as they should be.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TestHooks } from '../../src/testHooks';
import type { MountGraph } from '../../src/core/engine/mountGraph';
import { MountGraphPanel } from '../../src/webview/MountGraphPanel';
import { cleanup, createSeed, runContainer, testEngine, uniq, type SeedNames } from '../support/docker';
import { api, until } from './api';

const SUITE = 'ext-mount-graph';

suite('mount graph panel', function () {
  this.timeout(120000);
  const docker = testEngine().docker;
  const hostDir = mkdtempSync(path.join(os.tmpdir(), 'cv-graph-'));
  let ext: TestHooks;
  let n: SeedNames;
  let panel: MountGraphPanel;
  const idOf = (name: string) => {
    const c = ext.services.inventory.current?.containers.find((x) => x.name === name);
    assert.ok(c, `${name} in the inventory`);
    return c.id;
  };
  const fullGraph = (): MountGraph => {
    const m = panel.lastMessage;
    assert.equal(m?.type, 'full');
    return m.type === 'full' ? m.graph : { nodes: [], edges: [] };
  };

  suiteSetup(async () => {
    ext = await api();
    await cleanup(docker, SUITE);
    n = await createSeed(docker, SUITE, hostDir);
    await ext.services.inventory.refresh();
    panel = await vscode.commands.executeCommand<MountGraphPanel>('containerVolumes.showMountChains', { containerId: idOf(n.logger02) });
    // The page posts 'ready' once its script runs in the webview; the host answers with the full view.
    await until('the page loaded and got the full view', () => panel.sent.full > 0 && panel.lastMessage?.type === 'full', 60000);
  });
  suiteTeardown(async () => {
    MountGraphPanel.open?.dispose();
    await cleanup(docker, SUITE);
    rmSync(hostDir, { recursive: true, force: true });
  });

  test('opened from logger02: the S2 chain, its volume, nothing unrelated', () => {
    const g = fullGraph();
    const label = (id: string) => g.nodes.find((x) => x.id === id)?.label;
    const names = g.nodes.map((x) => x.label).sort();
    assert.deepEqual(names, [n.logHome, n.logger01, n.logger02, `anonymous · ${n.logHome}:/logs`].sort());
    const chain = g.edges
      .filter((e) => e.kind === 'volumesFrom')
      .map((e) => `${label(e.from)} -> ${label(e.to)}`)
      .sort();
    assert.deepEqual(chain, [`${n.logger01} -> ${n.logHome}`, `${n.logger02} -> ${n.logger01}`]);
    const toVolume = g.edges
      .filter((e) => e.kind === 'mount' || e.kind === 'inherited')
      .map((e) => `${label(e.from)} ${e.destination}`)
      .sort();
    assert.deepEqual(toVolume, [`${n.logHome} /logs`, `${n.logger01} /logs`, `${n.logger02} /logs`]);
    const m = panel.lastMessage;
    assert.ok(m?.type === 'full' && m.focusIds.includes(`c:${idOf(n.logger02)}`));
  });

  test('an engine event reaches the page as a patch with only what changed', async () => {
    const fullBefore = panel.sent.full;
    const patchesBefore = panel.sent.patch;
    const name = uniq('logger03');
    await runContainer(docker, SUITE, { name, volumesFrom: [n.logger02], start: false }); // one event, one patch
    const m = await until(
      'a patch for the new container',
      () => {
        const last = panel.lastMessage;
        return panel.sent.patch > patchesBefore && last?.type === 'patch' && last.patch.putNodes.some((x) => x.label === name) ? last : undefined;
      },
      30000,
    );
    assert.equal(panel.sent.full, fullBefore, 'no full view was sent again');
    assert.ok(m.type === 'patch');
    // the new container, the volume (one more user) and two edges: nothing else
    assert.deepEqual(m.patch.putNodes.map((x) => x.kind).sort(), ['container', 'volume']);
    assert.deepEqual(m.patch.putEdges.map((e) => e.kind).sort(), ['inherited', 'volumesFrom']);
    assert.deepEqual([m.patch.removeNodes, m.patch.removeEdges], [[], []]);
  });

  test("a node's actions run the tree's own commands on that node (Inspect a container, Inspect a volume)", async () => {
    const g = panel.view;
    assert.ok(g);
    const container = g.nodes.find((x) => x.label === n.logger01);
    const volume = g.nodes.find((x) => x.kind === 'volume');
    assert.ok(container && volume?.volumeName);
    const shown = (kind: string, needle: string) =>
      until(
        `an editor showing ${needle}`,
        () => {
          const doc = vscode.window.activeTextEditor?.document;
          return doc?.uri.scheme === 'container-volumes-inspect' && doc.uri.path.startsWith(`/${kind}/`) && doc.getText().includes(needle) ? doc : undefined;
        },
        20000,
      );
    assert.equal(panel.receive({ type: 'action', action: 'inspect', nodeId: container.id }), true);
    const cdoc = await shown('container', `"Name": "/${n.logger01}"`);
    assert.match(cdoc.uri.path, /^\/container\//);
    assert.equal(panel.receive({ type: 'action', action: 'inspect', nodeId: volume.id }), true);
    const vdoc = await shown('volume', `"Name": "${volume.volumeName}"`);
    assert.match(vdoc.uri.path, /^\/volume\//);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const fullBefore = MountGraphPanel.open?.sent.full ?? 0;
    panel = await vscode.commands.executeCommand<MountGraphPanel>('containerVolumes.showMountChains', { containerId: idOf(n.logger02) });
    // shown again, its page reloads and says 'ready': a new full view
    await until(
      'the panel is shown again with a new full view',
      () => panel.lastMessage?.type === 'full' && panel.sent.full > (panel === MountGraphPanel.open && fullBefore ? fullBefore : 0),
      60000,
    );
  });

  test('every malformed message from the page is rejected and changes nothing', async () => {
    const bad: unknown[] = [
      null,
      42,
      'ready',
      [],
      {},
      { type: 'nope' },
      { type: '__proto__' },
      { type: 'ready', extra: 1 },
      { type: 'action', action: 'rm', nodeId: `c:${idOf(n.logger02)}` },
      { type: 'action', action: 'reveal', nodeId: 7 },
      { type: 'action', action: 'reveal', nodeId: 'logger02' },
      { type: 'action', action: 'reveal', nodeId: `c:${'f'.repeat(700)}` },
      { type: 'action', action: 'backup' },
      { type: 'settings', settings: { whole: 'yes', filter: {} } },
      { type: 'settings', settings: { whole: true, filter: { text: 'x'.repeat(201) } } },
      { type: 'settings', settings: { whole: true, filter: { text: 'a', evil: true } } },
      { type: 'settings', settings: { whole: true, filter: { runningOnly: 'true' } } },
      { type: 'settings', settings: { whole: true, filter: { project: 'p'.repeat(300) } } },
      { type: 'saveSvg', svg: '<script>alert(1)</script>' },
      { type: 'saveSvg', svg: `<svg>${'x'.repeat(21 * 1024 * 1024)}` },
      { type: 'copyMermaid', text: 'mine' },
    ];
    const before = { rejected: panel.rejected, full: panel.sent.full, patch: panel.sent.patch, last: panel.lastMessage };
    for (const m of bad) assert.equal(panel.receive(m), false, `rejected: ${JSON.stringify(m)?.slice(0, 80)}`);
    assert.equal(panel.rejected, before.rejected + bad.length);
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual({ full: panel.sent.full, patch: panel.sent.patch }, { full: before.full, patch: before.patch });
    assert.equal(panel.lastMessage, before.last, 'nothing was sent to the page');
    // well-formed ones are accepted: an id the inventory does not know runs nothing; a filter is a patch
    assert.equal(panel.receive({ type: 'action', action: 'inspect', nodeId: `c:${'0'.repeat(64)}` }), true);
    assert.equal(panel.receive({ type: 'settings', settings: { whole: false, filter: { text: n.logHome } } }), true);
    await until('the filter came back as a patch', () => panel.sent.patch > before.patch);
    assert.equal(panel.receive({ type: 'settings', settings: { whole: false, filter: {} } }), true);
  });

  test('CSP: default-src none, scripts by a fresh crypto nonce only, no connections; resources only from dist/webview', async () => {
    const html = panel.html;
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
    const rules = new Map(
      csp
        .split(';')
        .map((r) => r.trim().split(/\s+/))
        .map(([k, ...v]) => [k, v]),
    );
    assert.deepEqual(rules.get('default-src'), ["'none'"]);
    assert.deepEqual(rules.get('connect-src'), ["'none'"]);
    const nonce = /^'nonce-([A-Za-z0-9+/=]+)'$/.exec(rules.get('script-src')?.[0] ?? '')?.[1] ?? '';
    assert.equal(Buffer.from(nonce, 'base64').length, 16, '128-bit nonce');
    assert.equal(rules.get('script-src')?.length, 1, 'nothing but the nonce may run');
    assert.ok(!/unsafe-(inline|eval)/.test(csp), csp);
    const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]);
    assert.ok(scripts.length > 0 && scripts.every((s) => s.includes(`nonce="${nonce}"`)), 'every script carries the nonce');
    const roots = (panel.webviewOptions.localResourceRoots ?? []).map((u) => u.path);
    assert.deepEqual(roots, [vscode.Uri.joinPath(ext.services.context.extensionUri, 'dist', 'webview').path]);
    // a new panel gets a new nonce
    panel.dispose();
    panel = await vscode.commands.executeCommand<MountGraphPanel>('containerVolumes.showMountChains', { containerId: idOf(n.logger02) });
    const again = /'nonce-([^']+)'/.exec(panel.html)?.[1];
    assert.ok(again && again !== nonce);
  });
});
