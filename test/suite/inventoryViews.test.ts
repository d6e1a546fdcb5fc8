// The seed's set-up in the real extension host on the real engine: what the two views show
// (S1, S2, S3, S7), the commands of the foundation, and the engine going away and coming back.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Engine, HELPER_LABEL } from '../../src/core/engine/engine';
import { resolveEngine } from '../../src/core/engine/engineConfig';
import { inventoryKey } from '../../src/core/engine/inventory';
import type { EngineConnection } from '../../src/model/EngineConnection';
import { EngineRoots } from '../../src/model/EngineRoots';
import type { TestHooks } from '../../src/testHooks';
import { ContainersTreeProvider } from '../../src/tree/ContainersTreeProvider';
import type { AnyNode, ContainerNode, MountNode, VolumeGroupNode, VolumeNode } from '../../src/tree/nodes';
import { BUSYBOX, cleanup, createSeed, createVolume, engineSocketPath, labels, runContainer, sh, testEngine, uniq, type SeedNames } from '../support/docker';
import { api, until } from './api';
import { answering, ScriptedPrompter } from './prompter';

const SUITE = 'ext-views';

suite('Containers and Volumes views (seed set-up)', function () {
  this.timeout(120000);
  const docker = testEngine().docker;
  let n: SeedNames;
  const hostDir = mkdtempSync(path.join(os.tmpdir(), 'cv-bind-'));
  let ext: TestHooks;

  const items = async <T extends AnyNode>(provider: vscode.TreeDataProvider<T>, parent?: T) => {
    const kids = (await provider.getChildren(parent)) ?? [];
    return Promise.all(kids.map(async (node) => ({ node, item: await provider.getTreeItem(node) })));
  };
  const label = (i: vscode.TreeItem) => (typeof i.label === 'string' ? i.label : (i.label?.label ?? ''));
  const containerRow = async (name: string) => {
    const rows = await items(ext.views.containers);
    const row = rows.find((r) => label(r.item) === name);
    assert.ok(row, `${name} is in the Containers view: ${rows.map((r) => label(r.item)).join(', ')}`);
    return row as { node: ContainerNode; item: vscode.TreeItem };
  };
  const mountRows = async (name: string) =>
    items(ext.views.containers, (await containerRow(name)).node) as Promise<{ node: MountNode; item: vscode.TreeItem }[]>;
  const group = async (g: 'inuse' | 'unused') => {
    const rows = await items(ext.views.volumes);
    const row = rows.find((r) => r.node.kind === 'group' && r.node.group === g);
    assert.ok(row, `group ${g} shown`);
    return row as { node: VolumeGroupNode; item: vscode.TreeItem };
  };
  const volumesIn = async (g: 'inuse' | 'unused') =>
    (await items(ext.views.volumes, (await group(g)).node)).filter((r) => r.node.kind === 'volume') as { node: VolumeNode; item: vscode.TreeItem }[];

  suiteSetup(async () => {
    ext = await api();
    ext.resourceLabels = { volume: { 'dev.container-volumes.test': SUITE } };
    await cleanup(docker, SUITE);
    n = await createSeed(docker, SUITE, hostDir);
    await vscode.commands.executeCommand('containerVolumes.refresh');
  });
  suiteTeardown(async () => {
    ext.resourceLabels = {};
    await cleanup(docker, SUITE);
    rmSync(hostDir, { recursive: true, force: true });
  });

  test('S1: log_home shows its anonymous volume by owner and path, not only its hash', async () => {
    const [m] = await mountRows(n.logHome);
    assert.equal(label(m.item), '/logs');
    assert.equal(m.item.description, `anonymous · ${n.logHome}:/logs`);
    assert.match(String(m.item.contextValue), /^mount\+volume\+readwrite\+anonymous$/);
    const inUse = await volumesIn('inuse');
    const v = inUse.find((r) => r.node.volumeName === m.node.volumeName);
    assert.ok(v, 'the anonymous volume is in use');
    assert.equal(label(v.item), `anonymous · ${n.logHome}:/logs`);
  });

  test('S2: logger02 says its mount comes from logger01, and all three share the one volume', async () => {
    const [own] = await mountRows(n.logHome);
    const [m1] = await mountRows(n.logger01);
    const [m2] = await mountRows(n.logger02);
    assert.equal(m2.item.description, `from ${n.logger01} · anonymous · ${n.logHome}:/logs`);
    assert.equal(m1.item.description, `from ${n.logHome} · anonymous · ${n.logHome}:/logs`);
    assert.equal(m1.node.volumeName, own.node.volumeName);
    assert.equal(m2.node.volumeName, own.node.volumeName);
    const v = (await volumesIn('inuse')).find((r) => r.node.volumeName === own.node.volumeName)!;
    const users = await items(ext.views.volumes, v.node);
    assert.deepEqual(users.map((u) => label(u.item)).sort(), [n.logHome, n.logger01, n.logger02].sort());
  });

  test('S3: the bind mount shows its host path and read-only', async () => {
    const [m] = await mountRows(n.bind);
    assert.equal(m.item.description, `read-only · ${hostDir}`);
    assert.match(String(m.item.contextValue), /^mount\+bind\+readonly/);
    assert.equal(await vscode.commands.executeCommand('containerVolumes.copyHostPath', m.node), hostDir);
    assert.equal(await vscode.env.clipboard.readText(), hostDir);
  });

  test("S3 on an engine of another machine: the bind mount's hover says its folder is there, not here", async () => {
    const [m] = await mountRows(n.bind);
    // The hover's text as shown: Markdown escapes (`build\\-host`) removed.
    const hover = (item: vscode.TreeItem) =>
      (item.tooltip instanceof vscode.MarkdownString ? item.tooltip.value : String(item.tooltip ?? '')).replace(/\\(.)/g, '$1');
    assert.doesNotMatch(hover(m.item), /not on this machine/, "the local engine's bind mount has no such line");
    // The same inventory under an engine reached over ssh (never contacted: only its address is read).
    const remote = new Engine(resolveEngine({ host: 'ssh://someone@build-host.example:2222' }));
    assert.equal(remote.local, false);
    const connection = {
      connected: true,
      get: () => remote,
      state: { kind: 'ok', endpoint: remote.endpoint },
      onDidChangeState: () => ({ dispose: () => undefined }),
    } as unknown as EngineConnection;
    const warnings: string[] = []; // a plain log: an output channel made and disposed at once upsets the extension host
    const roots = new EngineRoots(connection, { warn: (m: string) => warnings.push(m) });
    const provider = new ContainersTreeProvider(ext.services.inventory, { roots, connection });
    try {
      const item = provider.getTreeItem(m.node);
      assert.match(
        hover(item),
        /This folder is on the engine host ssh:\/\/someone@build-host\.example:2222, not on this machine: it cannot be opened or browsed here\./,
      );
    } finally {
      provider.dispose();
      roots.dispose();
    }
    assert.deepEqual(warnings, []);
  });

  test('a named volume with no container is under Unused, with its size once known', async () => {
    const row = await until('the named volume with a size', async () => {
      const r = (await volumesIn('unused')).find((x) => x.node.volumeName === n.named);
      return r && r.item.description ? r : undefined;
    });
    assert.equal(label(row.item), n.named);
    assert.equal(row.item.contextValue, 'volume+unused+named');
    assert.match(String(row.item.description), /^\d+(\.\d)? (B|KiB)$/);
  });

  test('volume sizes are loaded once and kept across refreshes; a new volume or Refresh loads them again', async () => {
    const model = ext.services.inventory as typeof ext.services.inventory & { sizeLoadCount: number };
    await ext.services.inventory.sizes();
    const loads = model.sizeLoadCount;
    for (let i = 0; i < 3; i++) {
      await ext.services.inventory.refresh(); // what an engine event burst or the resync does
      await ext.services.inventory.sizes();
    }
    assert.equal(model.sizeLoadCount, loads, 'no system/df for refreshes that brought nothing new');
    const fresh = await createVolume(docker, SUITE, uniq('cv-sized'));
    await ext.services.inventory.refresh();
    const sizes = await ext.services.inventory.sizes();
    assert.equal(model.sizeLoadCount, loads + 1, 'a volume the sizes did not cover loads them again');
    assert.ok(sizes.has(fresh));
    await vscode.commands.executeCommand('containerVolumes.refresh');
    await ext.services.inventory.sizes();
    assert.equal(model.sizeLoadCount, loads + 2, 'the Refresh command loads them again');
    await docker.getVolume(fresh).remove();
  });

  test('a reload that finds what the views show changes nothing (our helpers come and go unseen); a real change and Refresh reach the views', async () => {
    await ext.services.inventory.refresh();
    // For each change published: whether it brought something new (other suites' leftovers may change
    // the engine meanwhile: those are real changes and allowed).
    const news: boolean[] = [];
    let last = inventoryKey(ext.services.inventory.current!);
    let redrawn = 0;
    const subs = [
      ext.services.inventory.onDidChange((inv) => {
        const key = inv ? inventoryKey(inv) : '';
        news.push(key !== last);
        last = key;
      }),
      ext.views.containers.onDidChangeTreeData(() => redrawn++),
    ];
    try {
      // A helper of ours (left out of the inventory) created, started and removed: the engine sends
      // events for it; the loads they cause, and two of our own, find the same containers and volumes.
      const helper = await docker.createContainer({ Image: BUSYBOX, Cmd: ['sleep', '30'], Labels: { ...labels(SUITE), [HELPER_LABEL]: 'test' } });
      await helper.start();
      await ext.services.inventory.refresh();
      await helper.remove({ force: true });
      await ext.services.inventory.refresh();
      assert.deepEqual(
        news.filter((x) => !x),
        [],
        'no change published for a load that found the same',
      );
      assert.equal(redrawn, news.length, 'the Containers view fetched its rows only for real changes (a context menu open on one keeps its row)');
      const made = uniq('cv-seen');
      const id = await runContainer(docker, SUITE, { name: made, start: false });
      await ext.services.inventory.refresh();
      assert.ok(news.length >= 1 && news.every(Boolean), `a new container is published: ${JSON.stringify(news)}`);
      assert.ok(
        (await items(ext.views.containers)).some((r) => label(r.item) === made),
        'and the view shows it',
      );
      const before = news.length;
      await vscode.commands.executeCommand('containerVolumes.refresh');
      assert.ok(news.length > before, 'Refresh publishes even when nothing changed (the sizes are loaded again)');
      await docker.getContainer(id).remove({ force: true });
    } finally {
      for (const d of subs) d.dispose();
    }
  });

  test('volumes of a Compose project are grouped under the project, the others are not', async () => {
    const project = `cvproj-${process.pid}`;
    const compose = { 'com.docker.compose.project': project, 'com.docker.compose.volume': 'data' };
    const a = await createVolume(docker, SUITE, uniq('cv-proj-a'), compose);
    const b = await createVolume(docker, SUITE, uniq('cv-proj-b'), compose);
    await vscode.commands.executeCommand('containerVolumes.refresh');
    const unused = await items(ext.views.volumes, (await group('unused')).node);
    const projectRow = unused.find((r) => r.node.kind === 'group' && r.node.project === project);
    assert.ok(projectRow, `a ${project} group under Unused: ${unused.map((r) => label(r.item)).join(', ')}`);
    assert.equal(label(projectRow.item), project);
    const inProject = (await items(ext.views.volumes, projectRow.node)).map((r) => (r.node as VolumeNode).volumeName).sort();
    assert.deepEqual(inProject, [a, b].sort());
    const loose = unused.filter((r) => r.node.kind === 'volume').map((r) => (r.node as VolumeNode).volumeName);
    assert.ok(!loose.includes(a) && !loose.includes(b), 'not listed outside their project as well');
    assert.ok(loose.includes(n.named), "a volume of no project stays at the group's top level");
    for (const v of [a, b]) await docker.getVolume(v).remove();
  });

  test('item ids stay the same across refreshes (expansion is kept)', async () => {
    const before = (await mountRows(n.logger02)).map((r) => r.item.id);
    await vscode.commands.executeCommand('containerVolumes.refresh');
    const after = (await mountRows(n.logger02)).map((r) => r.item.id);
    assert.deepEqual(after, before);
    assert.ok(before[0]?.includes('/logs'));
  });

  test('create, copy, inspect and remove a volume through the commands', async () => {
    const name = uniq('made');
    assert.equal(await ext.runCommand('containerVolumes.createVolume', { name }), name);
    assert.ok(
      (await volumesIn('unused')).some((r) => r.node.volumeName === name),
      'the new volume shows as unused',
    );
    await assert.rejects(ext.runCommand('containerVolumes.createVolume', { name }), /already exists/);
    await assert.rejects(ext.runCommand('containerVolumes.createVolume', { name: '-bad name' }), /not a valid volume name/);
    assert.equal(await vscode.commands.executeCommand('containerVolumes.copyName', { volumeName: name }), name);
    const json = await vscode.commands.executeCommand<string>('containerVolumes.inspect', { volumeName: name });
    assert.equal((JSON.parse(json) as { Name: string }).Name, name);
    const mp = await vscode.commands.executeCommand<string>('containerVolumes.copyMountpoint', { volumeName: name });
    assert.equal(mp, (JSON.parse(json) as { Mountpoint: string }).Mountpoint);
    const confirm = new ScriptedPrompter().on(/^Remove volume/, 'Remove Volume');
    assert.equal(await answering(ext, confirm, () => ext.runCommand('containerVolumes.removeVolume', { volumeName: name })), name);
    assert.deepEqual(
      confirm.asked.map((q) => [q.kind, q.modal]),
      [['warning', true]],
      'one modal confirmation',
    );
    assert.ok(!(await volumesIn('unused')).some((r) => r.node.volumeName === name), 'gone from the view');
    await assert.rejects(docker.getVolume(name).inspect(), /no such volume/i);
  });

  test('each Copy item copies what its title says: a container row its name, a volume mount row its volume', async () => {
    const row = await containerRow(n.logHome);
    assert.equal(await ext.runCommand('containerVolumes.copyContainerName', row.node), n.logHome);
    assert.equal(await vscode.env.clipboard.readText(), n.logHome);
    const [m] = await mountRows(n.logHome);
    assert.ok(m.node.volumeName);
    assert.equal(await ext.runCommand('containerVolumes.copyName', m.node), m.node.volumeName);
    assert.equal(await vscode.env.clipboard.readText(), m.node.volumeName);
  });

  test('Remove Unused Volumes removes exactly the unused ones it listed, and never one in use', async () => {
    const a = uniq('prune-a');
    const b = uniq('prune-b');
    await createVolume(docker, SUITE, a);
    await createVolume(docker, SUITE, b);
    const busy = uniq('prune-busy');
    await createVolume(docker, SUITE, busy);
    await runContainer(docker, SUITE, { binds: [`${busy}:/data`] });
    const confirm = new ScriptedPrompter().on(/^Remove all \d+ unused volumes\?/, /^Remove \d+ Volumes$/);
    const res = (await answering(ext, confirm, () => ext.runCommand('containerVolumes.pruneVolumes', { label: `dev.container-volumes.test=${SUITE}` }))) as {
      removed: string[];
      failed: unknown[];
    };
    assert.ok(res.removed.includes(a) && res.removed.includes(b), `removed ${res.removed.join(', ')}`);
    assert.ok(!res.removed.includes(busy));
    assert.deepEqual(res.failed, []);
    await docker.getVolume(busy).inspect();
    await assert.rejects(docker.getVolume(a).inspect(), /no such volume/i);
  });

  test('a volume in use cannot be removed, and nothing changes', async () => {
    const [own] = await mountRows(n.logHome);
    await assert.rejects(ext.runCommand('containerVolumes.removeVolume', { volumeName: own.node.volumeName }), /is used by/);
    await docker.getVolume(own.node.volumeName!).inspect();
  });

  test('engine events update the views by themselves (no refresh command)', async () => {
    await vscode.commands.executeCommand('containerVolumes.volumes.focus');
    const name = uniq('evented');
    await createVolume(docker, SUITE, name);
    await until('the new volume appears through an engine event', async () => (await volumesIn('unused')).some((r) => r.node.volumeName === name), 15000);
    // A prune sends no `destroy` event, only `prune`: the view must still drop the volume.
    await docker.pruneVolumes({ filters: { label: [`dev.container-volumes.test=${SUITE}`] } });
    await until('the pruned volume disappears', async () => !(await volumesIn('unused')).some((r) => r.node.volumeName === name), 15000);
    const c = uniq('evented-c');
    await runContainer(docker, SUITE, { name: c, volumes: ['/data'] });
    await until(
      'a new container appears, and its volume is in use',
      async () => {
        const rows = await items(ext.views.containers);
        return rows.some((r) => label(r.item) === c) && (await volumesIn('inuse')).some((r) => label(r.item) === `anonymous · ${c}:/data`);
      },
      15000,
    );
  });

  test('S7: remove every container of the volume: it is listed as unused, with its size, and still readable', async () => {
    const [own] = await mountRows(n.logHome);
    const vol = own.node.volumeName!;
    for (const c of [n.logger02, n.logger01, n.logHome]) await docker.getContainer(c).remove({ force: true });
    const row = await until('the orphaned volume under Unused with a size', async () => {
      await vscode.commands.executeCommand('containerVolumes.refresh');
      const r = (await volumesIn('unused')).find((x) => x.node.volumeName === vol);
      return r && r.item.description ? r : undefined;
    });
    // The engine forgot who owned it; the extension did not (and keeps it across reloads, in globalState).
    assert.equal(label(row.item), `anonymous · was ${n.logHome}:/logs`);
    assert.match(String(row.item.description), /B$/);
    const host = ext.services.engine.get().endpoint.host;
    const remembered = ext.services.context.globalState.get<Record<string, { containerName: string }>>(`formerOwners:${host}`, {});
    assert.equal(remembered[vol]?.containerName, n.logHome);
    const lines = await sh(docker, SUITE, 'wc -l < /v/log', [`${vol}:/v:ro`]);
    assert.ok(Number(lines.trim()) > 0);
    await docker.getVolume(vol).remove();
  });
});

suite('engine going away and coming back', function () {
  this.timeout(120000);
  let ext: TestHooks;
  let server: net.Server | undefined;
  const sockets = new Set<net.Socket>();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cv-proxy-'));
  const sock = path.join(dir, 'docker.sock');
  const cfg = () => vscode.workspace.getConfiguration('containerVolumes');

  // A socket that forwards to the real engine: closing it is, for the extension, the engine stopping.
  const startProxy = () =>
    new Promise<void>((resolve) => {
      server = net.createServer((client) => {
        const upstream = net.connect(engineSocketPath());
        sockets.add(client);
        sockets.add(upstream);
        client.pipe(upstream).pipe(client);
        const drop = () => {
          client.destroy();
          upstream.destroy();
          sockets.delete(client);
          sockets.delete(upstream);
        };
        client.on('error', drop);
        upstream.on('error', drop);
        client.on('close', drop);
        upstream.on('close', drop);
      });
      rmSync(sock, { force: true });
      server.listen(sock, resolve);
    });
  const stopProxy = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      sockets.clear();
      if (!server) return resolve();
      server.close(() => resolve());
      server = undefined;
    });

  suiteSetup(async () => {
    ext = await api();
    await startProxy();
    await vscode.commands.executeCommand('containerVolumes.containers.focus');
    await cfg().update('dockerHost', `unix://${sock}`, vscode.ConfigurationTarget.Global);
    await until('connected through the proxy', () => ext.services.engine.state.kind === 'ok' && ext.services.engine.state.endpoint.host === `unix://${sock}`);
  });
  suiteTeardown(async () => {
    await cfg().update('dockerHost', undefined, vscode.ConfigurationTarget.Global);
    await stopProxy();
    await until('back on the default engine', () => ext.services.engine.state.kind === 'ok');
    rmSync(dir, { recursive: true, force: true });
  });

  test('the views say the engine is gone, and recover by themselves when it returns', async () => {
    await until('inventory loaded', () => ext.services.inventory.current);
    await stopProxy();
    await vscode.commands.executeCommand('containerVolumes.refresh');
    await until('state unreachable', () => ext.services.engine.state.kind === 'unreachable');
    assert.equal(ext.services.inventory.current, undefined, 'no stale data is shown');
    assert.deepEqual(ext.views.containers.getChildren(), [], 'the tree is empty so the welcome view shows');
    const state = ext.services.engine.state;
    assert.ok('message' in state && state.message.includes(sock), `the message names the address: ${'message' in state ? state.message : ''}`);
    await startProxy();
    // No command: the refresh manager retries with backoff while the view is visible.
    await until('reconnected without help', () => ext.services.engine.state.kind === 'ok', 60000);
    await until('inventory reloaded', () => ext.services.inventory.current);
  });

  test("the welcome view's Retry (the Refresh command) reconnects at once when the engine is back", async () => {
    const pkg = vscode.extensions.getExtension('container-volumes.container-volumes')!.packageJSON as {
      contributes: { viewsWelcome: { contents: string; when: string }[] };
    };
    const unreachable = pkg.contributes.viewsWelcome.find((w) => w.when === 'containerVolumes.engineState == unreachable');
    assert.match(unreachable?.contents ?? '', /command:containerVolumes\.refresh/, 'the welcome view links Retry to the Refresh command');
    await until('inventory loaded', () => ext.services.inventory.current);
    await stopProxy();
    await vscode.commands.executeCommand('containerVolumes.refresh');
    await until('state unreachable', () => ext.services.engine.state.kind === 'unreachable');
    // Let the background retries back off past the next few seconds, then bring the engine back.
    await new Promise((r) => setTimeout(r, 5000));
    await startProxy();
    const t0 = Date.now();
    assert.equal(await vscode.commands.executeCommand('containerVolumes.refresh'), true, 'Retry reports the views are loaded');
    assert.equal(ext.services.engine.state.kind, 'ok');
    assert.ok(ext.services.inventory.current, 'the views have data again');
    assert.ok(Date.now() - t0 < 5000, 'at once, not at the next backoff');
  });

  test('a nonsense engine address is one clear message, and no crash', async () => {
    await cfg().update('dockerHost', 'not a host', vscode.ConfigurationTarget.Global);
    await until('state config', () => ext.services.engine.state.kind === 'config');
    const state = ext.services.engine.state;
    assert.ok('message' in state && /not an engine address/.test(state.message));
    await cfg().update('dockerHost', `unix://${sock}`, vscode.ConfigurationTarget.Global);
    await until('connected again', () => ext.services.engine.state.kind === 'ok');
  });

  test('choosing another engine: "connecting" at once, a silent engine is given up, and the last choice wins over an attempt still under way', async () => {
    // A socket that accepts and never answers: an engine that hangs.
    const silentSock = path.join(dir, 'silent.sock');
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(silentSock, resolve));
    const seen: string[] = [];
    const sub = ext.services.engine.onDidChangeState((st) => seen.push(`${st.kind} ${'endpoint' in st ? (st.endpoint?.host ?? '') : ''}`));
    try {
      await until('inventory loaded', () => ext.services.inventory.current);
      await cfg().update('dockerHost', `unix://${silentSock}`, vscode.ConfigurationTarget.Global);
      await until('connecting at once', () => ext.services.engine.state.kind === 'connecting', 5000);
      assert.equal(ext.services.inventory.current, undefined, "the old engine's data is not shown as the new one's");
      // Changed again while the silent engine is still being tried: the new choice is tried at once.
      await cfg().update('dockerHost', `unix://${sock}`, vscode.ConfigurationTarget.Global);
      await until(
        'connected to the last choice',
        () => ext.services.engine.state.kind === 'ok' && ext.services.engine.state.endpoint.host === `unix://${sock}`,
        8000,
      );
      // The attempt on the silent engine ends (its ping is bounded) and does not override the choice.
      await new Promise((r) => setTimeout(r, 11_000));
      const st = ext.services.engine.state;
      assert.ok(st.kind === 'ok' && st.endpoint.host === `unix://${sock}`, `still on the last choice: ${seen.join(', ')}`);
      assert.ok(!seen.some((x) => x.startsWith('unreachable')), `the silent engine's late failure was not applied: ${seen.join(', ')}`);
      // Alone, the silent engine is given up after its bounded ping: the views say it does not answer.
      await cfg().update('dockerHost', `unix://${silentSock}`, vscode.ConfigurationTarget.Global);
      await until('a silent engine counts as unreachable', () => ext.services.engine.state.kind === 'unreachable', 20_000);
    } finally {
      sub.dispose();
      silent.close();
      await cfg().update('dockerHost', `unix://${sock}`, vscode.ConfigurationTarget.Global);
      await until('connected again', () => ext.services.engine.state.kind === 'ok');
    }
  });
});
