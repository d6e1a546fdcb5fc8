// Several engines in the real extension host: the status bar item of the current engine, Switch Engine…
// (argument object and QuickPick; the choice persisted in the settings), and the views' one root per
// engine when docker contexts (made by the docker CLI in this run's private DOCKER_CONFIG) name the
// second real engine and a dead one; a command on a row of another engine acts on that engine.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { normaliseHost } from '../../src/core/engine/engineConfig';
import type { EngineRootNode } from '../../src/model/EngineRoots';
import type { VolumesViewNode } from '../../src/tree/nodes';
import { cleanup, createVolume, secondEngine, secondEngineHost, testEngine, uniq } from '../support/docker';
import { api, until } from './api';
import { answering, ScriptedPrompter } from './prompter';

const SUITE = 'ext-engines';
const SECOND = 'cv-ext-second';
const DEAD = 'cv-ext-dead';

suite('Engines side by side (status bar, Switch Engine…, one root per engine)', function () {
  this.timeout(120000);
  const one = testEngine();
  const two = secondEngine();
  const cfg = () => vscode.workspace.getConfiguration('containerVolumes');
  // The run's engine: DOCKER_HOST when set (a developer's private engine), else the default socket (CI),
  // which the engine list names "default" and the status bar says comes from the default engine.
  const fromEnv = !!process.env.DOCKER_HOST?.trim();
  const envHost = normaliseHost(process.env.DOCKER_HOST?.trim() || 'unix:///var/run/docker.sock');
  const envName = fromEnv ? envHost : 'default';
  const configDir = process.env.DOCKER_CONFIG || path.join(os.homedir(), '.docker');
  const dockerCli = (...args: string[]) =>
    execFileSync('docker', args, { env: { ...process.env, DOCKER_CONFIG: configDir }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const removeContexts = () => {
    for (const c of [SECOND, DEAD]) {
      try {
        dockerCli('context', 'rm', '--force', c);
      } catch {
        // not there
      }
    }
  };
  const onHost = async (host: string) => {
    const hooks = await api();
    await until(`connected to ${host}`, () => hooks.services.engine.state.kind === 'ok' && hooks.services.engine.state.endpoint.host === host);
  };

  suiteSetup(async () => {
    await cleanup(one.docker, SUITE);
    await cleanup(two.docker, SUITE);
    removeContexts();
    await vscode.commands.executeCommand('containerVolumes.volumes.focus');
    await onHost(envHost);
  });
  suiteTeardown(async () => {
    removeContexts();
    await cfg().update('dockerHost', undefined, vscode.ConfigurationTarget.Global);
    await cfg().update('dockerContext', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('containerVolumes.refresh');
    await onHost(envHost);
    await cleanup(one.docker, SUITE);
    await cleanup(two.docker, SUITE);
  });

  test('the status bar names the current engine, where it came from and its state', async () => {
    const hooks = await api();
    assert.equal(hooks.statusBar.text, `$(server) ${envHost}`);
    assert.match(hooks.statusBar.tooltip, fromEnv ? /From: DOCKER_HOST/ : /From: default engine/);
    assert.match(hooks.statusBar.tooltip, /State: connected/);
    assert.ok(hooks.statusBar.tooltip.includes(`Address: ${envHost}`), hooks.statusBar.tooltip);
    const pkg = vscode.extensions.getExtension('container-volumes.container-volumes')!.packageJSON as { contributes: { commands: { command: string }[] } };
    assert.ok(
      pkg.contributes.commands.some((c) => c.command === 'containerVolumes.switchEngine'),
      'Switch Engine… is a palette command',
    );
  });

  test("Switch Engine… with an argument object: the setting holds the choice, the views and status bar follow; back to the environment's engine clears it", async () => {
    const hooks = await api();
    const secondHost = normaliseHost(secondEngineHost());
    const there = await createVolume(two.docker, SUITE, uniq('ext-eng-two'));
    const state = (await hooks.runCommand('containerVolumes.switchEngine', { to: secondHost })) as { kind: string };
    assert.equal(state.kind, 'ok');
    assert.equal(cfg().get('dockerHost'), secondHost, 'persisted as the dockerHost setting');
    assert.equal(hooks.statusBar.text, `$(server) ${secondHost}`);
    assert.match(hooks.statusBar.tooltip, /From: setting/);
    await until("the second engine's volume in the Volumes view", () => hooks.services.inventory.current?.volumes.some((v) => v.name === there));
    assert.ok(
      hooks.views.volumes.getChildren().every((n) => n.kind === 'group'),
      "the setting replaces the environment's engine: one engine, no roots",
    );

    await hooks.runCommand('containerVolumes.switchEngine', { to: envHost });
    await onHost(envHost);
    assert.equal(cfg().get('dockerHost'), '', "the environment's engine needs no setting");
    assert.equal(hooks.statusBar.text, `$(server) ${envHost}`);
  });

  test('Switch Engine… to an unknown context is one clear error and changes no setting', async () => {
    const hooks = await api();
    await assert.rejects(() => hooks.runCommand('containerVolumes.switchEngine', { to: 'cv-no-such-context' }), /cv-no-such-context/);
    assert.equal(cfg().get('dockerHost'), '');
    assert.equal(cfg().get('dockerContext'), '');
    assert.equal(hooks.services.engine.state.kind, 'ok');
  });

  test('with docker contexts: one root per engine, the other loaded when expanded, a dead one unreachable with Retry; Switch Engine… from the QuickPick', async () => {
    const hooks = await api();
    const secondHost = normaliseHost(secondEngineHost());
    const there = await createVolume(two.docker, SUITE, uniq('ext-eng-ctx'));
    const toRemove = await createVolume(two.docker, SUITE, uniq('ext-eng-rm'));
    const here = await createVolume(one.docker, SUITE, uniq('ext-eng-here'));
    dockerCli('context', 'create', SECOND, '--docker', `host=${secondHost}`);
    dockerCli('context', 'create', DEAD, '--docker', `host=unix://${path.join(os.tmpdir(), 'cv-no-engine-here.sock')}`);
    await vscode.commands.executeCommand('containerVolumes.refresh');
    const roots = hooks.views.volumes.getChildren() as EngineRootNode[];
    assert.deepEqual(
      roots.map((r) => [r.kind, r.engine.name, r.current]),
      [
        ['engine', envName, true],
        ['engine', DEAD, false],
        ['engine', SECOND, false],
      ],
    );
    assert.deepEqual(
      (hooks.views.containers.getChildren() as EngineRootNode[]).map((r) => r.engine.name),
      [envName, DEAD, SECOND],
      'the Containers view too',
    );
    const item = (r: EngineRootNode) => hooks.views.volumes.getTreeItem(r);
    assert.equal(item(roots[0]).collapsibleState, vscode.TreeItemCollapsibleState.Expanded);
    assert.equal(item(roots[2]).collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    assert.equal(item(roots[2]).contextValue, 'engine+other+idle', 'nothing loaded before the root is expanded');

    // The current engine's rows are today's rows, under its root.
    const names = (nodes: VolumesViewNode[]): string[] =>
      nodes.flatMap((n) => (n.kind === 'group' ? names(hooks.views.volumes.getChildren(n)) : n.kind === 'volume' ? [n.volumeName] : []));
    await until("this engine's volume under the current root", () => names(hooks.views.volumes.getChildren(roots[0])).includes(here));

    // Expanding the second root loads it; the dead one says why, at once, and blocks nothing.
    hooks.views.volumes.getChildren(roots[1]);
    hooks.views.volumes.getChildren(roots[2]);
    await until("the second engine's volumes", () => names(hooks.views.volumes.getChildren(roots[2])).includes(there), 20000);
    assert.ok(!names(hooks.views.volumes.getChildren(roots[2])).includes(here), 'the other engine shows its own volumes');
    await until('the dead engine unreachable', () => item(roots[1]).contextValue === 'engine+other+unreachable');
    assert.match(String(item(roots[1]).description), /unreachable/);
    assert.match(String(item(roots[1]).description), /cv-no-engine-here\.sock|ENOENT|No Docker engine/);
    await hooks.runCommand('containerVolumes.retryEngine', roots[1]);
    assert.equal(item(roots[1]).contextValue, 'engine+other+unreachable', 'Retry tries again; still dead');
    const pkg = vscode.extensions.getExtension('container-volumes.container-volumes')!.packageJSON as {
      contributes: { menus: { 'view/item/context': { command: string; when: string; group: string }[] } };
    };
    const retry = pkg.contributes.menus['view/item/context'].find((m) => m.command === 'containerVolumes.retryEngine' && m.group.startsWith('inline'));
    assert.ok(retry && new RegExp(/=~ \/(.*)\/$/.exec(retry.when)![1]).test('engine+other+unreachable'), 'Retry is an inline action of an unreachable root');

    // A row of the other engine: a command acts on that engine (asked as on the current one), not on this one.
    const otherVolume = (function find(nodes: VolumesViewNode[]): VolumesViewNode | undefined {
      for (const n of nodes) {
        if (n.kind === 'volume' && n.volumeName === toRemove) return n;
        const sub = n.kind === 'group' ? find(hooks.views.volumes.getChildren(n)) : undefined;
        if (sub) return sub;
      }
      return undefined;
    })(hooks.views.volumes.getChildren(roots[2]));
    assert.ok(otherVolume && 'engineHost' in otherVolume && otherVolume.engineHost === secondHost);
    const mirror = await createVolume(one.docker, SUITE, toRemove); // the same name on this engine: must stay
    const confirm = new ScriptedPrompter().on(/Remove/, /^Remove/);
    await answering(hooks, confirm, () => hooks.runCommand('containerVolumes.removeVolume', otherVolume));
    assert.equal(confirm.asked.length, 1, 'asked once, as on the current engine');
    assert.equal(
      await two.docker
        .getVolume(toRemove)
        .inspect()
        .then(
          () => true,
          () => false,
        ),
      false,
      'removed from the second engine',
    );
    await one.docker.getVolume(mirror).inspect(); // this engine's volume of the same name is untouched
    assert.equal(hooks.services.engine.state.kind === 'ok' && hooks.services.engine.state.endpoint.host, envHost, 'the current engine is not switched');

    // Switch Engine… from the QuickPick: the second engine's context.
    const prompter = new ScriptedPrompter().on(/Choose the engine/, SECOND);
    const state = (await answering(hooks, prompter, () => hooks.runCommand('containerVolumes.switchEngine'))) as { kind: string };
    assert.equal(state.kind, 'ok');
    const asked = prompter.asked.find((q) => q.kind === 'quickPick');
    assert.ok(asked && asked.items.includes(SECOND) && asked.items.includes(DEAD) && asked.items.includes(`$(check) ${envName}`), JSON.stringify(asked?.items));
    assert.equal(cfg().get('dockerContext'), SECOND, 'a context is persisted as the dockerContext setting');
    assert.equal(cfg().get('dockerHost'), '');
    assert.equal(hooks.statusBar.text, `$(server) ${SECOND}`);
    assert.match(hooks.statusBar.tooltip, new RegExp(`From: docker context ${SECOND}`));
    await until(
      "the second engine's root is the current one",
      () => (hooks.views.volumes.getChildren() as EngineRootNode[]).find((r) => r.current)?.engine.name === SECOND,
    );
    await until('its volumes are the current inventory', () => hooks.services.inventory.current?.volumes.some((v) => v.name === there));

    await hooks.runCommand('containerVolumes.switchEngine', { to: envHost });
    await onHost(envHost);
    assert.equal(cfg().get('dockerContext'), '');

    // The contexts gone: the views are one engine's again, as before.
    removeContexts();
    await vscode.commands.executeCommand('containerVolumes.refresh');
    await until('no engine roots', () => hooks.views.volumes.getChildren().every((n) => n.kind === 'group'));
  });
});
