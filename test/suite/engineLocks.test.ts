// One volume, two processes (issue 18), the extension's side: the CLI (a real second process) holds
// a volume and this window sees it marked in the Volumes view, refuses or waits by the argument
// `ifBusy`; and the other way round, the CLI is refused while this window restores. Commands run
// through the extension's test hooks (api().runCommand), so the window's own identity is used.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BackupResult } from '../../src/core/operations/backupVolume';
import { LOCK_VOLUME_LABEL } from '../../src/core/engine/lockLabels';
import type { RestoreResult } from '../../src/core/operations/restoreVolume';
import { cleanup, createVolume, labels, sh, testEngine, uniq } from '../support/docker';
import { api, until } from './api';
import { answering, ScriptedPrompter } from './prompter';

const SUITE = 'engine-locks-ext';
const CLI = path.resolve(__dirname, '../../../dist/cli.js');

interface Run {
  readonly proc: ChildProcess;
  readonly done: Promise<{ code: number; stderr: string }>;
}

function cli(args: string[]): Run {
  const proc = spawn('node', [CLI, ...args, '--quiet'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number; stderr: string }>((resolve, reject) => {
    proc.on('error', reject);
    proc.on('close', (code) => resolve({ code: code ?? -1, stderr }));
  });
  return { proc, done };
}

suite('Engine locks: this window and the CLI on one volume', function () {
  this.timeout(180_000);
  const docker = testEngine().docker;
  const L = labels(SUITE);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cv-ext-locks-'));
  const made: string[] = [];

  async function locked(volume: string): Promise<boolean> {
    return (await docker.listContainers({ all: true, filters: { label: [`${LOCK_VOLUME_LABEL}=${volume}`] } })).length > 0;
  }
  async function firstLetters(volume: string): Promise<string> {
    return (await sh(docker, SUITE, 'ls -A /v | cut -c1-2 | sort | uniq -c', [`${volume}:/v`])).replace(/\s+/g, ' ').trim();
  }
  function fresh(tag: string): string {
    const v = uniq(`cvlk-${tag}`);
    made.push(v);
    return v;
  }

  suiteSetup(async () => {
    assert.ok(existsSync(CLI), 'run `npm run build` first');
    await cleanup(docker, SUITE);
    const hooks = await api();
    hooks.resourceLabels = { helper: L, volume: L };
    const { services } = hooks;
    for (const s of ['a', 'b']) {
      const v = await createVolume(docker, SUITE, uniq(`cvlk-ext-src-${s}`));
      await sh(docker, SUITE, `for i in $(seq 1 200); do echo ${s} > /v/${s}-$i; done; dd if=/dev/zero of=/v/${s}-big bs=1M count=24 2>/dev/null`, [`${v}:/v`]);
      await services.inventory.refresh(); // the command finds the volume in what the views show
      const r = (await (
        await api()
      ).runCommand('containerVolumes.backupVolume', { volumeName: v, file: path.join(dir, `${s}.tar`), format: 'tar', stopContainers: false })) as BackupResult;
      assert.equal(r.sidecar.entryCount, 202);
    }
  });
  suiteTeardown(async () => {
    for (const v of made) {
      for (const c of await docker.listContainers({ all: true, filters: { label: [`${LOCK_VOLUME_LABEL}=${v}`] } })) {
        await docker
          .getContainer(c.Id)
          .remove({ force: true })
          .catch(() => undefined);
      }
      await docker
        .getVolume(v)
        .remove({ force: true })
        .catch(() => undefined);
    }
    (await api()).resourceLabels = {};
    await cleanup(docker, SUITE);
    rmSync(dir, { recursive: true, force: true });
  });

  test('a volume the CLI is restoring is marked in the Volumes view; a replace here is refused naming the CLI; a backup here waits and gets the restored contents', async () => {
    const ext = await api();
    const v = fresh('ext-held');
    const holder = cli(['restore', path.join(dir, 'a.tar'), v]);
    await until(
      "the CLI's lock and volume",
      async () =>
        (await locked(v)) &&
        (await docker
          .getVolume(v)
          .inspect()
          .then(
            () => true,
            () => false,
          )),
      60_000,
    );
    holder.proc.kill('SIGSTOP');
    let backup: Promise<unknown> | undefined;
    try {
      await ext.services.inventory.refresh();
      const node = await until('the volume in the view', () => {
        const groups = ext.views.volumes.getChildren();
        return groups.flatMap((g) => ext.views.volumes.getChildren(g)).find((n) => n.kind === 'volume' && n.volumeName === v);
      });
      const item = ext.views.volumes.getTreeItem(node);
      assert.match(String(item.description), /busy: restore of a\.tar \(the CLI\)/);
      assert.equal((item.iconPath as vscode.ThemeIcon).id, 'lock');
      assert.match((item.tooltip as vscode.MarkdownString).value.replace(/\\/g, ''), new RegExp(`restore of a\\.tar by the CLI \\(pid ${holder.proc.pid}\\)`));

      await assert.rejects(
        answering(ext, new ScriptedPrompter().on(/^Replace the contents of volume/, 'Replace Contents'), () =>
          ext.runCommand('containerVolumes.restoreVolume', { file: path.join(dir, 'b.tar'), volumeName: v, ifBusy: 'refuse' }),
        ),
        new RegExp(`Volume "${v}" is busy: restore of a\\.tar by the CLI \\(pid ${holder.proc.pid}\\) on .+ since .+; nothing was changed\\.`),
      );
      backup = ext.runCommand('containerVolumes.backupVolume', {
        volumeName: v,
        file: path.join(dir, `${v}.tar`),
        format: 'tar',
        stopContainers: false,
        ifBusy: 'wait',
      });
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal(existsSync(path.join(dir, `${v}.tar`)), false, 'the backup waits for the CLI');
    } finally {
      holder.proc.kill('SIGCONT');
    }
    assert.equal((await holder.done).code, 0);
    const b = (await backup) as BackupResult;
    assert.equal(b.sidecar.entryCount, 202, 'the backup holds the whole restore');
    assert.equal(await firstLetters(v), '201 a-', 'the refused replace changed nothing');
  });

  test('while this window restores into a new volume, the CLI is refused naming the window, and the volume holds one source', async () => {
    const ext = await api();
    const v = fresh('ext-holds');
    const mine = Promise.resolve(
      ext.runCommand('containerVolumes.restoreVolume', { file: path.join(dir, 'a.tar'), volumeName: v, ifBusy: 'refuse' }),
    ) as Promise<RestoreResult>;
    await until("this window's lock", () => locked(v), 60_000);
    const other = await cli(['restore', path.join(dir, 'b.tar'), v]).done;
    const r = await mine;
    assert.equal(r.created, true);
    assert.equal(other.code, 1, other.stderr);
    // Either it saw this window's lock, or it came after the restore had ended and found the volume taken.
    assert.match(
      other.stderr.trim(),
      new RegExp(`^container-volumes: Volume "${v}" (is busy: restore of a\\.tar by (a )?VS Code window.* \\(pid ${process.pid}\\)|is not empty)`),
    );
    assert.equal(await firstLetters(v), '201 a-');
  });
});
