// Commands run on rows of another engine (the views with several engines) act on THAT engine, through its
// own connection, while the current engine stays current and nothing of it changes: back up, restore,
// clone, inspect (volume and container), go to a file inside the volume (its `docker-volume:` folder),
// find in it, remove, and copy to the current engine. Two real engines: the run's (DOCKER_HOST) and the
// second one (scripts/second-engine.sh), named by a docker context made by the docker CLI.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BackupResult } from '../../src/core/operations/backupVolume';
import { normaliseHost } from '../../src/core/engine/engineConfig';
import { engineIdOf } from '../../src/fs/volumeUri';
import type { EngineRootNode } from '../../src/model/EngineRoots';
import type { ContainersViewNode, VolumesViewNode } from '../../src/tree/nodes';
import { cleanup, createVolume, labels, runContainer, secondEngine, secondEngineHost, sh, testEngine, uniq } from '../support/docker';
import { api, until } from './api';
import { answering, ScriptedPrompter } from './prompter';

const SUITE = 'ext-other-rows';
const CONTEXT = 'cv-ext-other-rows';

suite('Rows of another engine: commands act on that engine, the current one untouched', function () {
  this.timeout(180000);
  const one = testEngine();
  const two = secondEngine();
  const L = labels(SUITE);
  const cfg = () => vscode.workspace.getConfiguration('containerVolumes');
  const envHost = normaliseHost(process.env.DOCKER_HOST?.trim() || 'unix:///var/run/docker.sock');
  const secondHost = normaliseHost(secondEngineHost());
  const configDir = process.env.DOCKER_CONFIG || path.join(os.homedir(), '.docker');
  const dockerCli = (...args: string[]) =>
    execFileSync('docker', args, { env: { ...process.env, DOCKER_CONFIG: configDir }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const removeContext = () => {
    try {
      dockerCli('context', 'rm', '--force', CONTEXT);
    } catch {
      // not there
    }
  };
  let tmp = '';

  /** What the current engine holds: volume names with their labels, and container ids with their state. */
  async function snapshotOne(): Promise<string> {
    const vols = ((await one.docker.listVolumes()).Volumes ?? []).map((v) => `${v.Name} ${JSON.stringify(v.Labels ?? {})}`).sort();
    const cons = (await one.docker.listContainers({ all: true })).map((c) => `${c.Id} ${c.State}`).sort();
    return JSON.stringify({ vols, cons });
  }

  async function secondRoot(): Promise<EngineRootNode> {
    const hooks = await api();
    const root = hooks.views.volumes.getChildren().find((n): n is EngineRootNode => n.kind === 'engine' && n.engine.host === secondHost);
    assert.ok(root, 'the second engine has a root');
    assert.equal(root.current, false);
    return root;
  }

  /** The row of `name` under the second engine's root in the Volumes view (loaded again until it shows). */
  async function otherVolumeRow(name: string): Promise<VolumesViewNode & { kind: 'volume' }> {
    const hooks = await api();
    const find = (nodes: VolumesViewNode[]): (VolumesViewNode & { kind: 'volume' }) | undefined => {
      for (const n of nodes) {
        if (n.kind === 'volume' && n.volumeName === name) return n;
        const sub = n.kind === 'group' ? find(hooks.views.volumes.getChildren(n)) : undefined;
        if (sub) return sub;
      }
      return undefined;
    };
    let row: (VolumesViewNode & { kind: 'volume' }) | undefined;
    await until(
      `${name} under the second engine's root`,
      async () => {
        row = find(hooks.views.volumes.getChildren(await secondRoot()));
        if (!row) await hooks.services.engineRoots.load(secondHost);
        return !!row;
      },
      30000,
    );
    assert.equal(row!.engineHost, secondHost);
    return row!;
  }

  /** A file's text inside a volume (the helper's tty says \r\n). */
  const cat = async (e: typeof one, vol: string, file: string) => (await sh(e.docker, SUITE, `cat ${file}`, [`${vol}:/v`])).replace(/\r\n/g, '\n');
  const exists = (e: typeof one, name: string) =>
    e.docker
      .getVolume(name)
      .inspect()
      .then(
        () => true,
        () => false,
      );

  suiteSetup(async () => {
    await cleanup(one.docker, SUITE);
    await cleanup(two.docker, SUITE);
    removeContext();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cv-other-rows-'));
    (await api()).resourceLabels = { helper: L, volume: L, container: L };
    dockerCli('context', 'create', CONTEXT, '--docker', `host=${secondHost}`);
    await vscode.commands.executeCommand('containerVolumes.volumes.focus');
    await vscode.commands.executeCommand('containerVolumes.refresh');
    const hooks = await api();
    await until('the engine roots', () => hooks.views.volumes.getChildren().some((n) => n.kind === 'engine'));
  });
  suiteTeardown(async () => {
    (await api()).resourceLabels = {};
    removeContext();
    await vscode.commands.executeCommand('containerVolumes.refresh');
    await cleanup(one.docker, SUITE);
    await cleanup(two.docker, SUITE);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('back up, restore into a row, clone, inspect, remove: on the second engine; the first unchanged and still current', async () => {
    const hooks = await api();
    const src = await createVolume(two.docker, SUITE, uniq('ext-or-src'), { 'com.example.where': 'two' });
    await sh(two.docker, SUITE, 'mkdir -p /v/d && echo "on two" > /v/d/f && echo x > /v/top', [`${src}:/v`]);
    const into = await createVolume(two.docker, SUITE, uniq('ext-or-into'));
    await hooks.services.engineRoots.load(secondHost);
    const before = await snapshotOne();
    assert.equal(await exists(one, src), false, 'the volume is on the second engine only');

    // Back Up… on the row: the archive holds the second engine's files.
    const file = path.join(tmp, `${src}.tar`);
    const b = (await hooks.runCommand('containerVolumes.backupVolume', {
      ...(await otherVolumeRow(src)),
      file,
      format: 'tar',
      stopContainers: false,
    })) as BackupResult;
    assert.equal(b.sidecar.volume.name, src);
    assert.equal(b.sidecar.volume.labels['com.example.where'], 'two', "the second engine's volume, its labels");
    const listed = execFileSync('tar', ['-tf', file], { encoding: 'utf8' })
      .split('\n')
      .map((l) => l.replace(/^\.\//, '').replace(/\/$/, ''));
    assert.ok(listed.includes('d/f') && listed.includes('top'), listed.join(','));

    // Restore Backup… on another row of that engine: restored there.
    await hooks.runCommand('containerVolumes.restoreVolume', { ...(await otherVolumeRow(into)), file });
    assert.equal(await cat(two, into, '/v/d/f'), 'on two\n');

    // Clone… on the row: the clone is on the second engine, with the data.
    const cloned = uniq('ext-or-clone');
    await hooks.runCommand('containerVolumes.cloneVolume', { ...(await otherVolumeRow(src)), newName: cloned });
    assert.equal(await cat(two, cloned, '/v/d/f'), 'on two\n');
    assert.equal(await exists(one, cloned), false);
    await otherVolumeRow(cloned); // the second engine's root shows the clone (its inventory was reloaded)

    // Inspect on the row: the second engine's JSON (the volume does not exist on the first).
    const json = JSON.parse(String(await hooks.runCommand('containerVolumes.inspect', await otherVolumeRow(src)))) as {
      Name: string;
      Labels: Record<string, string>;
    };
    assert.equal(json.Name, src);
    assert.equal(json.Labels['com.example.where'], 'two');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');

    // Remove… on the row: asked once, removed from the second engine.
    const confirm = new ScriptedPrompter().on(/Remove/, /^Remove/);
    const clonedRow = await otherVolumeRow(cloned);
    await answering(hooks, confirm, () => hooks.runCommand('containerVolumes.removeVolume', clonedRow));
    assert.equal(confirm.asked.length, 1, JSON.stringify(confirm.asked));
    assert.equal(await exists(two, cloned), false);

    // The current engine: still current, nothing created, changed or removed there, no setting written.
    assert.equal(hooks.services.engine.state.kind === 'ok' && hooks.services.engine.state.endpoint.host, envHost);
    assert.equal(cfg().get('dockerHost'), '');
    assert.equal(cfg().get('dockerContext'), '');
    assert.equal(await snapshotOne(), before, 'the first engine is unchanged');
    assert.ok(!hooks.services.inventory.current?.volumes.some((v) => v.name === src || v.name === into), "the current inventory is the first engine's");
  });

  test("a file inside another engine's volume: Go to File opens it from that engine's docker-volume: folder; Find in Volume searches there", async () => {
    const hooks = await api();
    const vol = await createVolume(two.docker, SUITE, uniq('ext-or-files'));
    await sh(two.docker, SUITE, 'mkdir -p /v/conf && echo "port=4242 on two" > /v/conf/other-engine.conf', [`${vol}:/v`]);
    await hooks.services.engineRoots.load(secondHost);
    const before = await snapshotOne();
    const uri = vscode.Uri.parse(String(await hooks.runCommand('containerVolumes.goToFileInVolume', { ...(await otherVolumeRow(vol)), query: 'othereng' })));
    assert.equal(uri.authority, engineIdOf({ host: secondHost }), "the second engine's folder");
    assert.equal(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)), 'port=4242 on two\n');
    const found = (await hooks.runCommand('containerVolumes.findInVolume', { ...(await otherVolumeRow(vol)), query: '4242' })) as {
      files: number;
      matches: number;
    };
    assert.equal(found.matches, 1);
    // Written through the folder: lands on the second engine.
    await vscode.workspace.fs.writeFile(uri.with({ path: `/${vol}/conf/written.txt` }), new TextEncoder().encode('from vscode\n'));
    assert.equal(await cat(two, vol, '/v/conf/written.txt'), 'from vscode\n');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    assert.equal(await snapshotOne(), before, 'the first engine is unchanged');
  });

  test("a container row of the other engine: Inspect shows its JSON; its volume mount's Back Up… backs up there", async () => {
    const hooks = await api();
    const vol = await createVolume(two.docker, SUITE, uniq('ext-or-mnt'));
    await sh(two.docker, SUITE, 'echo mounted > /v/m', [`${vol}:/v`]);
    const name = uniq('ext-or-c');
    const id = await runContainer(two.docker, SUITE, { name, binds: [`${vol}:/data`] });
    await hooks.services.engineRoots.load(secondHost);
    const before = await snapshotOne();
    const containersRoot = hooks.views.containers.getChildren().find((n): n is EngineRootNode => n.kind === 'engine' && n.engine.host === secondHost);
    assert.ok(containersRoot);
    let container: ContainersViewNode | undefined;
    await until(
      `${name} under the second engine's root`,
      () => (container = hooks.views.containers.getChildren(containersRoot).find((n) => n.kind === 'container' && n.containerId === id)) !== undefined,
    );
    const json = JSON.parse(String(await hooks.runCommand('containerVolumes.inspect', container))) as { Id: string; Name: string };
    assert.equal(json.Id, id);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    const mount = hooks.views.containers.getChildren(container).find((n) => n.kind === 'mount' && n.mount.destination === '/data');
    assert.ok(mount && mount.kind === 'mount' && mount.engineHost === secondHost);
    const file = path.join(tmp, `${vol}-mount.tar`);
    await hooks.runCommand('containerVolumes.backupVolume', { ...mount, file, format: 'tar', stopContainers: false });
    assert.ok(
      execFileSync('tar', ['-tf', file], { encoding: 'utf8' })
        .split('\n')
        .some((l) => /(^|\/)m$/.test(l)),
    );
    assert.equal(await snapshotOne(), before, 'the first engine is unchanged');
  });

  test("menus that need the engine's host follow the row's engine: its rows say whether it is on this machine", async () => {
    const hooks = await api();
    const vol = await createVolume(two.docker, SUITE, uniq('ext-or-menu'));
    await hooks.services.engineRoots.load(secondHost);
    const row = await otherVolumeRow(vol);
    const value = String(hooks.views.volumes.getTreeItem(row).contextValue);
    assert.equal(value, 'volume+unused+named+other+local', 'the second engine (a unix socket) is on this machine');
    const pkg = vscode.extensions.getExtension('container-volumes.container-volumes')!.packageJSON as {
      contributes: { menus: { 'view/item/context': { command: string; when: string }[] } };
    };
    const when = pkg.contributes.menus['view/item/context'].find((m) => m.command === 'containerVolumes.copyMountpoint')!.when;
    // The when clause as VS Code reads it: || of && of `viewItem =~ /re/` and the engineLocal key.
    const shown = (viewItem: string, engineLocal: boolean) =>
      when.split('||').some((alt) =>
        alt.split('&&').every((term) => {
          const t = term.trim();
          const m = /^viewItem =~ \/(.*)\/$/.exec(t);
          if (m) return new RegExp(m[1]).test(viewItem);
          assert.equal(t, 'containerVolumes.engineLocal');
          return engineLocal;
        }),
      );
    assert.equal(shown(value, false), true, 'an engine on this machine: shown even when the current one is remote');
    assert.equal(shown('volume+unused+named+other+remote', true), false, "a remote engine's row: hidden even when the current one is local");
    assert.equal(shown('volume+unused+named', true), true, "the current engine's rows: as before");
    assert.equal(shown('volume+unused+named', false), false);
    // And the command itself on the row gives that engine's mountpoint.
    const copied = await hooks.runCommand('containerVolumes.copyMountpoint', row);
    assert.equal(copied, (await two.docker.getVolume(vol).inspect()).Mountpoint);
  });

  test('rows of two engines selected at once: one clear error, nothing done on either', async () => {
    const hooks = await api();
    const there = await createVolume(two.docker, SUITE, uniq('ext-or-mix-two'));
    const here = await createVolume(one.docker, SUITE, uniq('ext-or-mix-one'));
    await hooks.services.inventory.refresh();
    await hooks.services.engineRoots.load(secondHost);
    const otherRow = await otherVolumeRow(there);
    const v = hooks.services.inventory.current!.volumes.find((x) => x.name === here)!;
    const hereRow = { kind: 'volume' as const, volume: v, volumeName: here };
    const none = new ScriptedPrompter();
    // As VS Code calls a command on a multiple selection: the clicked row, then all selected rows.
    await assert.rejects(
      () => answering(hooks, none, () => hooks.runCommand('containerVolumes.removeVolume', otherRow, [otherRow, hereRow])),
      /different engines/,
    );
    await assert.rejects(
      () => answering(hooks, none, () => hooks.runCommand('containerVolumes.removeVolume', hereRow, [hereRow, otherRow])),
      /different engines/,
    );
    assert.deepEqual(none.asked, [], 'refused before any question');
    assert.equal(await exists(two, there), true);
    assert.equal(await exists(one, here), true);
  });

  test("Copy to Engine… on the other engine's row copies to the current engine (the source left as it was)", async () => {
    const hooks = await api();
    const src = await createVolume(two.docker, SUITE, uniq('ext-or-cp'));
    await sh(two.docker, SUITE, 'echo copied > /v/c', [`${src}:/v`]);
    await hooks.services.engineRoots.load(secondHost);
    const dst = uniq('ext-or-cp-dst');
    await hooks.runCommand('containerVolumes.copyToEngine', { ...(await otherVolumeRow(src)), to: envHost, newName: dst });
    assert.equal(await cat(one, dst, '/v/c'), 'copied\n');
    assert.equal(await exists(two, src), true);
    assert.equal(await exists(two, dst), false, 'not copied onto its own engine');
  });
});
