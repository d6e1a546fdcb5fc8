// The mount graph built from what the REAL engine reports: the seed's S2 chain, a duplicate path
// between two --volumes-from sources (who won is read from the engine, not assumed), :ro and its
// inheritance, a removed source, binds, tmpfs, shared and unused volumes; then the neighbourhood,
// the filters, the diff the panel sends, the Mermaid text and the layout.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InventoryLoader } from '../../src/core/engine/inventory';
import {
  applyPatch,
  buildMountGraph,
  diffGraphs,
  isEmptyPatch,
  nodeIds,
  selectView,
  toMermaid,
  type GraphEdge,
  type GraphFilter,
  type MountGraph,
} from '../../src/core/engine/mountGraph';
import type { Container, Inventory } from '../../src/core/engine/types';
import { GraphLayout } from '../../src/webview/graphLayout';
import { cleanup, createSeed, createVolume, labels, runContainer, testEngine, uniq, type SeedNames } from '../support/docker';

const SUITE = 'mount-graph';

suite('mount graph from the real engine', function () {
  this.timeout(120000);
  const engine = testEngine();
  const docker = engine.docker;
  const hostDir = mkdtempSync(path.join(os.tmpdir(), 'cv-graph-bind-'));
  let n: SeedNames;
  const x = {
    srcA: uniq('dup_a'),
    srcB: uniq('dup_b'),
    dup: uniq('dup_user'),
    shadow: uniq('own_wins'),
    ownVol: uniq('own_vol'),
    anonLoses: uniq('anon_loses'),
    ro: uniq('ro_reader'),
    roChild: uniq('ro_child'),
    gone: uniq('gone_src'),
    orphan: uniq('orphan'),
    tmp: uniq('tmpfs_user'),
    binder: uniq('bind_user'),
    shared: uniq('shared_vol'),
    sharer1: uniq('sharer1'),
    sharer2: uniq('sharer2'),
  };
  let inv: Inventory;
  let g: MountGraph;
  const c = (name: string): Container => {
    const found = inv.containers.find((k) => k.name === name);
    assert.ok(found, `${name} listed`);
    return found;
  };
  const cid = (name: string) => nodeIds.container(c(name).id);
  const edgesFrom = (name: string, kind?: GraphEdge['kind']) => g.edges.filter((e) => e.from === cid(name) && (!kind || e.kind === kind));
  const volOf = (name: string, dest: string) => c(name).mounts.find((m) => m.destination === dest)?.volumeName ?? '';

  suiteSetup(async () => {
    await cleanup(docker, SUITE);
    n = await createSeed(docker, SUITE, hostDir);
    // duplicate path: two sources both with /data; the user takes --volumes-from both, in this order
    await runContainer(docker, SUITE, { name: x.srcA, volumes: ['/data'], start: false });
    await runContainer(docker, SUITE, { name: x.srcB, volumes: ['/data', '/extra'], start: false });
    await runContainer(docker, SUITE, { name: x.dup, volumesFrom: [x.srcA, x.srcB], start: false });
    // its own named volume at /data beats the source; a bare -v /data does not (the engine skips it)
    await createVolume(docker, SUITE, x.ownVol);
    await runContainer(docker, SUITE, { name: x.shadow, binds: [`${x.ownVol}:/data`], volumesFrom: [x.srcA], start: false });
    await runContainer(docker, SUITE, { name: x.anonLoses, volumes: ['/data'], volumesFrom: [x.srcA], start: false });
    // :ro, and a follower of the :ro container with no mode of its own
    await runContainer(docker, SUITE, { name: x.ro, volumesFrom: [`${n.logger01}:ro`] });
    await runContainer(docker, SUITE, { name: x.roChild, volumesFrom: [x.ro] });
    // a source removed after its follower was created
    await runContainer(docker, SUITE, { name: x.gone, volumes: ['/cache'], start: false });
    await runContainer(docker, SUITE, { name: x.orphan, volumesFrom: [x.gone], start: false });
    await docker.getContainer(x.gone).remove();
    // tmpfs, a bind shared with the seed's ro_bind, a named volume two containers share
    // --mount type=tmpfs (the engine lists it in Mounts; the older --tmpfs form it does not list)
    const t = await docker.createContainer({
      name: x.tmp,
      Image: 'container-volumes/busybox:test',
      Cmd: ['sleep', '3600'],
      Labels: labels(SUITE),
      HostConfig: { Mounts: [{ Type: 'tmpfs', Target: '/scratch', Source: '' }] },
    });
    assert.ok(t.id);
    await runContainer(docker, SUITE, { name: x.binder, binds: [`${hostDir}:/in`], start: false });
    await createVolume(docker, SUITE, x.shared);
    await runContainer(docker, SUITE, { name: x.sharer1, binds: [`${x.shared}:/s`], start: false });
    await runContainer(docker, SUITE, { name: x.sharer2, binds: [`${x.shared}:/s:ro`], start: false });
    inv = await new InventoryLoader(engine).load();
    g = buildMountGraph(inv);
  });
  suiteTeardown(async () => {
    await cleanup(docker, SUITE);
    rmSync(hostDir, { recursive: true, force: true });
  });

  test('S2: logger02 -> logger01 -> log_home -> the one anonymous volume, each resolving to it', () => {
    const vol = volOf(n.logHome, '/logs');
    assert.match(vol, /^[0-9a-f]{64}$/);
    const v = g.nodes.find((k) => k.id === nodeIds.volume(vol));
    assert.equal(v?.label, `anonymous · ${n.logHome}:/logs`);
    assert.equal(v?.anonymous, true);
    assert.equal(v?.shared, true);
    assert.deepEqual(
      edgesFrom(n.logger02, 'volumesFrom').map((e) => e.to),
      [cid(n.logger01)],
    );
    assert.deepEqual(
      edgesFrom(n.logger01, 'volumesFrom').map((e) => e.to),
      [cid(n.logHome)],
    );
    assert.deepEqual(
      edgesFrom(n.logHome, 'mount').map((e) => [e.to, e.destination]),
      [[v?.id, '/logs']],
    );
    for (const follower of [n.logger01, n.logger02]) {
      const [e] = edgesFrom(follower, 'inherited');
      assert.equal(e.to, v?.id, `${follower} resolves to the volume`);
      assert.equal(e.destination, '/logs');
    }
    assert.equal(edgesFrom(n.logger02, 'inherited')[0].via, n.logger01);
    const running = g.nodes.find((k) => k.id === cid(n.logger02));
    assert.equal(running?.running, true);
  });

  test('duplicate path: the source whose volume the engine mounted wins, the other is marked lost', () => {
    const got = volOf(x.dup, '/data');
    const a = volOf(x.srcA, '/data');
    const b = volOf(x.srcB, '/data');
    assert.ok(got === a || got === b, 'the engine mounted one of the two');
    const [winner, loser, winnerName] = got === a ? [a, b, x.srcA] : [b, a, x.srcB];
    const inherited = edgesFrom(x.dup, 'inherited').filter((e) => e.destination === '/data');
    assert.deepEqual(
      inherited.map((e) => [e.to, e.via]),
      [[nodeIds.volume(winner), winnerName]],
    );
    const lost = edgesFrom(x.dup, 'lost');
    assert.deepEqual(
      lost.map((e) => [e.to, e.destination, e.winner]),
      [[nodeIds.volume(loser), '/data', winnerName]],
    );
    // B's /extra has no rival: it simply comes along
    assert.ok(edgesFrom(x.dup, 'inherited').some((e) => e.destination === '/extra' && e.via === x.srcB));
    // The post says "the first one wins"; Docker 20.10 here mounts the LAST source's volume (its
    // daemon copies each source's mounts in order, each overwriting the path). The graph shows
    // whichever the engine did; this line records which that was, and fails if the engine changes.
    assert.equal(winnerName, x.srcB, `this engine mounted ${winnerName}'s /data`);
  });

  test("a container's own named volume beats a --volumes-from source at the same path; a bare -v /data does not", () => {
    const [lost] = edgesFrom(x.shadow, 'lost');
    assert.ok(lost, "the source's /data is drawn as lost");
    assert.equal(lost.to, nodeIds.volume(volOf(x.srcA, '/data')));
    assert.equal(lost.winner, x.shadow);
    assert.deepEqual(
      edgesFrom(x.shadow, 'mount').map((e) => [e.to, e.destination]),
      [[nodeIds.volume(x.ownVol), '/data']],
    );
    assert.deepEqual(edgesFrom(x.anonLoses, 'lost'), []);
    assert.deepEqual(
      edgesFrom(x.anonLoses, 'inherited').map((e) => [e.to, e.via]),
      [[nodeIds.volume(volOf(x.srcA, '/data')), x.srcA]],
    );
  });

  test(':ro on --volumes-from makes the mounts read-only, and a follower with no mode inherits it', () => {
    const [from] = edgesFrom(x.ro, 'volumesFrom');
    assert.equal(from.mode, 'ro');
    assert.equal(from.readOnly, true);
    assert.equal(edgesFrom(x.ro, 'inherited')[0].readOnly, true);
    const [childFrom] = edgesFrom(x.roChild, 'volumesFrom');
    assert.equal(childFrom.mode, 'default');
    assert.equal(edgesFrom(x.roChild, 'inherited')[0].readOnly, true, 'read-only came along the chain');
    assert.equal(edgesFrom(n.logger02, 'inherited')[0].readOnly, false);
  });

  test('a removed --volumes-from source is a node of its own, and the mount it gave stays', () => {
    const [e] = edgesFrom(x.orphan, 'volumesFrom');
    assert.equal(e.missing, true);
    assert.equal(e.to, nodeIds.gone(x.gone));
    assert.equal(g.nodes.find((k) => k.id === e.to)?.kind, 'gone');
    const [m] = edgesFrom(x.orphan, 'mount');
    assert.equal(m.destination, '/cache', 'with its source gone, the engine cannot say where it came from: it counts as own');
  });

  test('binds are host-path nodes (shared ones marked), tmpfs one node per mount, unused volumes flagged', () => {
    const bind = g.nodes.find((k) => k.id === nodeIds.bind(hostDir));
    assert.equal(bind?.kind, 'bind');
    assert.equal(bind?.users, 2);
    assert.equal(bind?.shared, true);
    const ro = edgesFrom(n.bind, 'mount')[0];
    assert.equal(ro.readOnly, true);
    assert.equal(ro.to, bind?.id);
    const tm = edgesFrom(x.tmp, 'mount')[0];
    assert.equal(g.nodes.find((k) => k.id === tm.to)?.kind, 'tmpfs');
    assert.equal(tm.destination, '/scratch');
    const shared = g.nodes.find((k) => k.id === nodeIds.volume(x.shared));
    assert.equal(shared?.users, 2);
    assert.equal(shared?.shared, true);
    assert.equal(edgesFrom(x.sharer2, 'mount')[0].readOnly, true);
    const unused = g.nodes.find((k) => k.id === nodeIds.volume(n.named));
    assert.equal(unused?.unused, true);
    assert.equal(unused?.users, 0);
  });

  test('the neighbourhood of logger02 is the chain, its volume and the :ro readers, nothing else', () => {
    const view = selectView(g, { whole: false, focus: { kind: 'container', containerId: c(n.logger02).id } });
    const names = new Set(view.nodes.map((k) => k.label));
    for (const want of [n.logHome, n.logger01, n.logger02, x.ro, x.roChild, `anonymous · ${n.logHome}:/logs`]) assert.ok(names.has(want), want);
    for (const not of [n.bind, x.dup, x.sharer1, n.named]) assert.ok(!names.has(not), not);
    assert.ok(view.edges.every((e) => names.has(g.nodes.find((k) => k.id === e.from)?.label ?? '')));
    const fromVolume = selectView(g, { whole: false, focus: { kind: 'volume', volumeName: volOf(n.logHome, '/logs') } });
    assert.deepEqual(new Set(fromVolume.nodes.map((k) => k.id)), new Set(view.nodes.map((k) => k.id)));
    // a host path is shown but not walked through: ro_bind's neighbourhood has the bind and its other user only
    const fromBind = selectView(g, { whole: false, focus: { kind: 'mount', containerId: c(n.bind).id, destination: '/logs' } });
    assert.deepEqual(new Set(fromBind.nodes.map((k) => k.label)), new Set([n.bind, hostDir, x.binder]));
  });

  test('filters: by name (with neighbours), running only, and the whole engine', () => {
    const whole = selectView(g, { whole: true });
    assert.equal(whole.nodes.length, g.nodes.length);
    const byName = selectView(g, { whole: true, filter: { text: x.shared.toUpperCase() } });
    assert.deepEqual(new Set(byName.nodes.map((k) => k.label)), new Set([x.shared, x.sharer1, x.sharer2]));
    const running = selectView(g, { whole: true, filter: { runningOnly: true } });
    const labelsShown = new Set(running.nodes.map((k) => k.label));
    assert.ok(labelsShown.has(n.logger02) && !labelsShown.has(x.dup) && !labelsShown.has(x.sharer1));
    assert.ok(!labelsShown.has(x.shared), 'a volume only stopped containers use goes with them');
    assert.ok(labelsShown.has(n.named), 'an unused volume stays');
  });

  test('Mermaid: every node and edge, names quoted, the loser crossed out', () => {
    const view = selectView(g, { whole: false, focus: { kind: 'container', containerId: c(x.dup).id } });
    const text = toMermaid(view);
    assert.match(text, /^flowchart LR\n/);
    assert.ok(text.includes(`["${x.dup}"]:::stopped`), text);
    assert.ok(text.includes(`==>|"--volumes-from"|`));
    assert.ok(/--x\|"\/data lost to [^"]+"\|/.test(text), text);
    assert.ok(/-\.->\|"\/data via [^"]+"\|/.test(text), text);
    assert.equal(text.split('\n').filter((l) => /^ {2}n\d+ /.test(l) && /(-->|-\.->|==>|--x)/.test(l)).length, view.edges.length);
  });
});

suite('mount graph: diff, Mermaid escaping, layout (pure)', () => {
  const container = (id: string, name: string, mounts: Container['mounts'], extra: Partial<Container> = {}): Container => ({
    id,
    name,
    image: 'img',
    state: 'running',
    status: '',
    created: 0,
    labels: {},
    mounts,
    volumesFrom: [],
    ...extra,
  });
  const inventory = (containers: Container[]): Inventory => {
    const names = [...new Set(containers.flatMap((k) => k.mounts.map((m) => m.volumeName ?? '')).filter(Boolean))];
    return {
      takenAt: 0,
      containers,
      volumes: names.map((name) => ({
        name,
        driver: 'local',
        labels: {},
        mountpoint: `/v/${name}`,
        scope: 'local',
        anonymous: false,
        users: containers.flatMap((k) =>
          k.mounts
            .filter((m) => m.volumeName === name)
            .map((m) => ({ containerId: k.id, containerName: k.name, containerState: k.state, destination: m.destination, readOnly: m.readOnly })),
        ),
      })),
    };
  };
  const vm = (volumeName: string, destination: string) => ({ type: 'volume' as const, volumeName, source: '', destination, readOnly: false, anonymous: false });

  test('filters never hide the item the view was opened on; the whole engine they filter entirely', () => {
    const web = container('a'.repeat(64), 'web', [vm('data', '/d')], { state: 'exited', composeProject: 'shop' });
    const db = container('b'.repeat(64), 'db', [vm('data', '/d2')], { composeProject: 'shop' });
    const other = container('c'.repeat(64), 'cache', [vm('tmp', '/t')], { composeProject: 'blog' });
    const g = buildMountGraph(inventory([web, db, other]));
    const webId = nodeIds.container(web.id);
    const labels = (v: { nodes: readonly { label: string }[] }) => v.nodes.map((k) => k.label).sort();
    const near = (filter: GraphFilter) => selectView(g, { whole: false, focus: { kind: 'container', containerId: web.id }, filter });
    // Opened on the stopped web with an earlier item's filters still set: web is shown, not "nothing".
    for (const filter of [{ runningOnly: true }, { project: 'blog' }, { text: 'cache' }] as GraphFilter[]) {
      assert.ok(
        near(filter).nodes.some((k) => k.id === webId),
        JSON.stringify(filter),
      );
    }
    // The filters still apply around it: running only drops nothing web needs to be seen with, the
    // project filter keeps only web (its own project's nodes in its neighbourhood are none but itself).
    assert.deepEqual(labels(near({ project: 'blog' })), ['web']);
    assert.deepEqual(labels(near({ runningOnly: true })), ['data', 'db', 'web']);
    assert.deepEqual(labels(near({})), ['data', 'db', 'web']);
    // The whole engine has no item to keep: running only hides the stopped web.
    assert.ok(!selectView(g, { whole: true, filter: { runningOnly: true } }).nodes.some((k) => k.id === webId));
    assert.deepEqual(labels(selectView(g, { whole: true, filter: { project: 'blog' } })), ['cache', 'tmp']);
  });

  test('an engine event sends only what changed, and applying it gives the new view', () => {
    const a = buildMountGraph(inventory([container('a'.repeat(64), 'web', [vm('data', '/d')]), container('b'.repeat(64), 'db', [vm('pg', '/p')])]));
    const b = buildMountGraph(
      inventory([container('a'.repeat(64), 'web', [vm('data', '/d')], { state: 'exited' }), container('b'.repeat(64), 'db', [vm('pg', '/p')])]),
    );
    const patch = diffGraphs(a, b);
    assert.deepEqual(
      patch.putNodes.map((k) => k.label),
      ['web'],
    );
    assert.deepEqual([patch.removeNodes, patch.putEdges, patch.removeEdges], [[], [], []]);
    assert.deepEqual(applyPatch(a, patch), { nodes: b.nodes, edges: b.edges });
    assert.ok(isEmptyPatch(diffGraphs(b, b)));
    const c = buildMountGraph(inventory([container('b'.repeat(64), 'db', [vm('pg', '/p')])]));
    const gone = diffGraphs(b, c);
    assert.deepEqual([...gone.removeNodes].sort(), [nodeIds.container('a'.repeat(64)), nodeIds.volume('data')].sort());
    assert.equal(gone.removeEdges.length, 1);
  });

  test('Mermaid escapes names: quotes, brackets, pipes and newlines cannot break out of a label', () => {
    const evil = 'x"]; click n0 call alert(1) %%|<b>\n';
    const text = toMermaid(buildMountGraph(inventory([container('c'.repeat(64), evil, [vm('v|"', '/a"b')])])));
    for (const line of text.split('\n').slice(1)) {
      if (!line.trim()) continue;
      const outside = line.replace(/"[^"]*"/g, '""');
      assert.ok(!/click|alert|<b>/.test(outside), `nothing escapes the quotes: ${line}`);
    }
    assert.ok(text.includes('#34;'), text);
  });

  test('layout: every node and edge placed, chains left to right, unchanged parts not laid out again', () => {
    const inv = inventory([
      container('a'.repeat(64), 'owner', [vm('v', '/d')]),
      container('b'.repeat(64), 'follower', [{ ...vm('v', '/d'), viaContainer: 'owner' }], {
        volumesFrom: [{ ref: 'owner', mode: 'default', resolvedId: 'a'.repeat(64) }],
      }),
      container('c'.repeat(64), 'alone', [vm('w', '/w')]),
    ]);
    const graph = buildMountGraph(inv);
    const layout = new GraphLayout();
    const pos = layout.layout(graph);
    for (const k of graph.nodes) assert.ok(pos.nodes.has(k.id), k.id);
    for (const e of graph.edges) assert.ok((pos.edges.get(e.id)?.points.length ?? 0) >= 2, e.id);
    const xOf = (id: string) => pos.nodes.get(id)?.x ?? NaN;
    assert.ok(xOf(nodeIds.container('b'.repeat(64))) < xOf(nodeIds.container('a'.repeat(64))), 'follower left of owner');
    assert.ok(xOf(nodeIds.container('a'.repeat(64))) < xOf(nodeIds.volume('v')), 'owner left of its volume');
    assert.equal(layout.lastComputed, 2);
    const stopped = buildMountGraph(inventory([...inv.containers.slice(0, 2), container('c'.repeat(64), 'alone', [vm('w', '/w')], { state: 'exited' })]));
    const again = layout.layout(stopped);
    assert.equal(layout.lastComputed, 0, 'a container that stopped moves nothing');
    assert.deepEqual(again.nodes.get(nodeIds.container('c'.repeat(64))), pos.nodes.get(nodeIds.container('c'.repeat(64))));
    const mounted = buildMountGraph(inventory([...inv.containers.slice(0, 2), container('c'.repeat(64), 'alone', [vm('w', '/w'), vm('x', '/x')])]));
    layout.layout(mounted);
    assert.equal(layout.lastComputed, 1, 'a new mount re-lays only its own part');
  });

  test("the page's stylesheet has no colour of its own: every colour is a theme variable (fallbacks too)", () => {
    const css = readFileSync(path.resolve(__dirname, '../../../media/webview/mountGraph.css'), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
    const literals =
      css.match(/#[0-9a-f]{3,8}\b|\b(?:rgba?|hsla?|hwb|lab|lch|color)\(|:\s*(?:black|white|red|green|blue|gray|grey|yellow|orange|purple)\b/gi) ?? [];
    assert.deepEqual(literals, []);
    assert.ok((css.match(/var\(--vscode-/g) ?? []).length > 30, 'the colours are VS Code variables');
  });

  test('layout: a part too big is cut at its hubs (a host path most containers bind), parts of one shape share a layout', () => {
    const hex = (i: number) => i.toString(16).padStart(64, '0');
    const bind = { type: 'bind' as const, source: '/etc/localtime', destination: '/etc/localtime', readOnly: true, anonymous: false };
    // 12 containers, each with its own volume, and all binding /etc/localtime: one part of 25 nodes
    const cs = Array.from({ length: 12 }, (_, i) => container(hex(i + 1), `app-${i}`, [vm(`data-${i}`, '/data'), bind]));
    const graph = buildMountGraph(inventory(cs));
    const whole = new GraphLayout().layout(graph);
    const small = new GraphLayout(undefined, undefined, undefined, 10);
    const pos = small.layout(graph);
    assert.equal(small.lastHubs, 1, 'one hub cut out');
    assert.equal(small.lastComputed, 1, 'twelve parts of one shape (a container and its volume): one layout');
    assert.ok(small.lastBiggest <= 10);
    for (const k of graph.nodes) assert.ok(pos.nodes.has(k.id), k.id);
    for (const e of graph.edges) assert.ok((pos.edges.get(e.id)?.points.length ?? 0) >= 2, e.id);
    const hub = pos.nodes.get(nodeIds.bind('/etc/localtime'));
    assert.ok(hub);
    for (const [id, b] of pos.nodes) if (id !== nodeIds.bind('/etc/localtime')) assert.ok(b.x + b.width < hub.x, `${id} left of the hub column`);
    const boxes = [...pos.nodes.values()];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, b] = [boxes[i], boxes[j]];
        assert.ok(a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y, 'no two boxes overlap');
      }
    }
    // the same graph under the default limit is one part, laid out whole by dagre, hub and all
    assert.ok((whole.nodes.get(nodeIds.bind('/etc/localtime'))?.x ?? 0) > 0);
    // an app that stops moves nothing; one that gets a second volume re-lays only its part
    const again = small.layout(buildMountGraph(inventory([...cs.slice(1), container(hex(1), 'app-0', [vm('data-0', '/data'), bind], { state: 'exited' })])));
    assert.equal(small.lastComputed, 0);
    assert.deepEqual(again.nodes.get(nodeIds.container(hex(1))), pos.nodes.get(nodeIds.container(hex(1))));
    small.layout(buildMountGraph(inventory([...cs.slice(1), container(hex(1), 'app-0', [vm('data-0', '/data'), vm('more', '/more'), bind])])));
    assert.equal(small.lastComputed, 1, 'only the changed part');
  });

  const noOverlap = (pos: { nodes: ReadonlyMap<string, { x: number; y: number; width: number; height: number }> }) => {
    const boxes = [...pos.nodes.values()];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, b] = [boxes[i], boxes[j]];
        assert.ok(
          a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y,
          `no two boxes overlap: ${JSON.stringify([a, b])}`,
        );
      }
    }
  };

  test('layout in steps: parts placed a few at a time give the same picture as all at once', () => {
    const hex = (i: number) => i.toString(16).padStart(64, '0');
    // 30 containers in pairs sharing a volume (15 parts), and 5 unused volumes
    const cs = Array.from({ length: 30 }, (_, i) =>
      container(hex(i + 1), `app-${i}`, [vm(`pair-${Math.floor(i / 2)}`, '/data'), vm(`own-${i}`, `/own${i % 3}`)]),
    );
    const inv = inventory(cs);
    const graph = buildMountGraph({
      ...inv,
      volumes: [
        ...inv.volumes,
        ...Array.from({ length: 5 }, (_, i) => ({
          name: `idle-${i}`,
          driver: 'local',
          labels: {},
          mountpoint: '',
          scope: 'local',
          anonymous: false,
          users: [],
        })),
      ],
    });
    const all = new GraphLayout().layout(graph);
    const run = new GraphLayout().start(graph);
    let steps = 0;
    while (!run.step(0)) {
      steps++;
      assert.ok(run.positions.nodes.size < graph.nodes.length, 'not all placed before the last step');
    }
    assert.ok(steps >= 3, `placed in steps (${steps})`);
    assert.deepEqual([...run.positions.nodes.entries()].sort(), [...all.nodes.entries()].sort());
    assert.deepEqual([...run.positions.edges.entries()].sort(), [...all.edges.entries()].sort());
    assert.equal(run.positions.nodes.size, graph.nodes.length);
    noOverlap(all);
  });

  test('layout: twins are stacked (a container with its own volume, twelve times over, all on one shared volume): dagre lays out three nodes, each box and edge put back in place', () => {
    const hex = (i: number) => i.toString(16).padStart(64, '0');
    const cs = Array.from({ length: 12 }, (_, i) =>
      container(hex(i + 1), `app-${String(i).padStart(2, '0')}`, [vm(`own-${String(i).padStart(2, '0')}`, '/own'), vm('shared', '/shared')]),
    );
    const graph = buildMountGraph(inventory(cs));
    const layout = new GraphLayout();
    const pos = layout.layout(graph);
    assert.equal(graph.nodes.length, 25);
    assert.equal(layout.lastDagreNodes, 3, 'the containers, their own volumes, the shared volume');
    noOverlap(pos);
    for (const e of graph.edges) assert.ok((pos.edges.get(e.id)?.points.length ?? 0) >= 2, e.id);
    const shared = pos.nodes.get(nodeIds.volume('shared'));
    assert.ok(shared);
    for (let i = 0; i < 12; i++) {
      const c = pos.nodes.get(nodeIds.container(hex(i + 1)));
      const own = pos.nodes.get(nodeIds.volume(`own-${String(i).padStart(2, '0')}`));
      assert.ok(c && own);
      assert.equal(c.x, pos.nodes.get(nodeIds.container(hex(1)))?.x, 'the containers in one column');
      if (i) assert.equal(c.y - (pos.nodes.get(nodeIds.container(hex(i)))?.y ?? NaN), 62, 'one below the other, in order');
      assert.equal(
        own.y - c.y,
        (pos.nodes.get(nodeIds.volume('own-00'))?.y ?? NaN) - (pos.nodes.get(nodeIds.container(hex(1)))?.y ?? NaN),
        'the own volumes in the same order',
      );
      assert.ok(c.x + c.width < own.x && c.x + c.width < shared.x, 'its volumes right of it');
      for (const e of graph.edges.filter((x) => x.from === nodeIds.container(hex(i + 1)))) {
        const [start, end] = [pos.edges.get(e.id)?.points[0], pos.edges.get(e.id)?.points.at(-1)];
        const to = pos.nodes.get(e.to);
        assert.ok(
          start && Math.abs(start.x - (c.x + c.width)) < 0.01 && start.y >= c.y && start.y <= c.y + c.height,
          `${e.id} leaves from the box's right side: ${JSON.stringify(start)}`,
        );
        assert.ok(
          end && to && end.x >= to.x - 0.01 && end.x <= to.x + to.width + 0.01 && end.y >= to.y - 0.01 && end.y <= to.y + to.height + 0.01,
          `${e.id} ends on its volume's box`,
        );
      }
    }
  });

  test('an engine event that adds a container is placed beside what it mounts, without a layout; one that widens a box is not', () => {
    const hex = (i: number) => i.toString(16).padStart(64, '0');
    const cs = Array.from({ length: 8 }, (_, i) => container(hex(i + 1), `app-${i}`, [vm(`shared-${i % 2}`, '/data'), vm(`own-${i}`, '/own')]));
    const before = buildMountGraph(inventory(cs));
    const layout = new GraphLayout();
    const pos = layout.layout(before);
    // a new container mounting shared-1 and a new volume of its own
    const after = buildMountGraph(inventory([...cs, container(hex(99), 'newcomer', [vm('shared-1', '/data'), vm('fresh', '/fresh')])]));
    const patch = diffGraphs(before, after);
    const placed = layout.place(pos, before, after, patch);
    assert.ok(placed, 'placed without a layout');
    for (const n of after.nodes) assert.ok(placed.nodes.has(n.id), n.id);
    for (const e of after.edges) assert.ok((placed.edges.get(e.id)?.points.length ?? 0) >= 2, e.id);
    for (const [id, b] of pos.nodes) assert.deepEqual(placed.nodes.get(id), b, `${id} did not move`);
    noOverlap(placed);
    const at = (id: string) => placed.nodes.get(id) as { x: number; width: number };
    assert.ok(
      at(nodeIds.container(hex(99))).x + at(nodeIds.container(hex(99))).width < at(nodeIds.volume('shared-1')).x,
      'the new container left of the volume it mounts',
    );
    assert.ok(at(nodeIds.volume('fresh')).x > at(nodeIds.container(hex(99))).x, 'its own new volume right of it');
    assert.ok(placed.width >= pos.width && placed.height >= pos.height);
    // removed again: its nodes and edges go, nothing else moves
    const back = layout.place(placed, after, before, diffGraphs(after, before));
    assert.ok(back);
    assert.deepEqual([...back.nodes.keys()].sort(), [...pos.nodes.keys()].sort());
    for (const [id, b] of pos.nodes) assert.deepEqual(back.nodes.get(id), b);
    // a container renamed to a much longer name: its box widens, so its part is laid out again
    const renamed = buildMountGraph(inventory([...cs.slice(1), container(hex(1), `app-0-${'x'.repeat(40)}`, [vm('shared-0', '/data'), vm('own-0', '/own')])]));
    assert.equal(layout.place(pos, before, renamed, diffGraphs(before, renamed)), undefined);
    // a new edge between nodes already placed (a container gets another existing volume): laid out again
    const joined = buildMountGraph(
      inventory([...cs.slice(1), container(hex(1), 'app-0', [vm('shared-0', '/data'), vm('own-0', '/own'), vm('own-1', '/more')])]),
    );
    assert.equal(layout.place(pos, before, joined, diffGraphs(before, joined)), undefined);
  });
});
