// The docker-volume: file system follows what containers write (issue 17), in the real extension
// host: the events the provider fires when another container creates, changes and deletes entries in
// a folder and a subfolder, one event for one change among 10,000 entries, one exec per poll, an open
// clean document that takes the new content and a dirty one that keeps its edits and meets VS Code's
// save conflict; and copy / move between two volumes.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { HELPER_LABEL } from '../../src/core/engine/engine';
import type { PollReport, VolumeFileSystemProvider } from '../../src/fs/VolumeFileSystemProvider';
import { engineIdOf, volumeUri } from '../../src/fs/volumeUri';
import { cleanup, createVolume, sh, testEngine, uniq } from '../support/docker';
import { api, until } from './api';

const SUITE = 'ext-fswatch';
const KIND: Record<number, string> = {
  [vscode.FileChangeType.Created]: 'created',
  [vscode.FileChangeType.Changed]: 'changed',
  [vscode.FileChangeType.Deleted]: 'deleted',
};

suite('docker-volume file system follows containers', function () {
  this.timeout(180000);
  const docker = testEngine().docker;
  let provider: VolumeFileSystemProvider;
  let vol: string;
  let vol2: string;
  let root: vscode.Uri;
  let root2: vscode.Uri;
  const at = (p: string, r = root) => r.with({ path: r.path + p });
  const inVolume = async (script: string, v = vol) => (await sh(docker, SUITE, script, [`${v}:/v`])).replace(/\r/g, '');
  const text = (s: string) => Buffer.from(s, 'utf8');

  /** Records the provider's batches that concern this suite's volumes, as "kind /path" strings. */
  function record() {
    const batches: string[][] = [];
    const prefixes = [root.toString() + '/', root2.toString() + '/'];
    const sub = provider.onDidChangeFile((b) => {
      const mine = b.filter((e) => prefixes.some((p) => e.uri.toString().startsWith(p)) || e.uri.toString() === root.toString());
      if (mine.length) batches.push(mine.map((e) => `${KIND[e.type]} ${e.uri.path.slice(root.path.length) || '/'}`));
    });
    return {
      batches,
      all: () => ([] as string[]).concat(...batches).sort(),
      dispose: () => {
        sub.dispose();
      },
    };
  }

  /** Resolves with the reports of the next `n` polls. */
  function polls(n: number, timeoutMs = 30000): Promise<PollReport[]> {
    return new Promise((resolve, reject) => {
      const got: PollReport[] = [];
      const timer = setTimeout(() => {
        sub.dispose();
        reject(new Error(`only ${got.length} of ${n} polls in ${timeoutMs} ms (is the window focused? ${vscode.window.state.focused})`));
      }, timeoutMs);
      const sub = provider.onDidPoll((r) => {
        got.push(r);
        if (got.length >= n) {
          clearTimeout(timer);
          sub.dispose();
          resolve(got);
        }
      });
    });
  }

  suiteSetup(async () => {
    await cleanup(docker, SUITE);
    const ext = await api();
    await until('the engine connection', () => ext.services.engine.state.kind === 'ok');
    provider = ext.volumeFileSystem;
    vol = await createVolume(docker, SUITE, uniq('cv-watch'));
    vol2 = await createVolume(docker, SUITE, uniq('cv-watch2'));
    await inVolume('mkdir -p /v/sub && echo a > /v/a.txt && echo b > /v/b.txt && echo keep > /v/sub/keep.txt && echo doc > /v/doc.txt');
    const id = engineIdOf(ext.services.engine.get().endpoint);
    root = volumeUri(id, vol);
    root2 = volumeUri(id, vol2);
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const helpers = await docker.listContainers({ all: true, filters: { label: [HELPER_LABEL] } });
    const ours = helpers.filter((h) => (h.Mounts ?? []).some((m) => m.Name === vol || m.Name === vol2));
    await Promise.all(
      ours.map((h) =>
        docker
          .getContainer(h.Id)
          .remove({ force: true })
          .catch(() => undefined),
      ),
    );
    await cleanup(docker, SUITE);
  });

  test('the window has focus, so the provider polls', async () => {
    assert.ok(vscode.window.state.focused, 'the test window is focused');
    await vscode.workspace.fs.readDirectory(root);
    const [r] = await polls(1);
    assert.ok(r.folders >= 1, JSON.stringify(r));
  });

  test('a container creates, changes and deletes in the root and a subfolder: one event per entry, one batch per poll', async () => {
    await vscode.workspace.fs.readDirectory(root);
    await vscode.workspace.fs.readDirectory(at('/sub'));
    await polls(2); // the first poll after a listing takes the whole listing once: no change, no event
    const rec = record();
    const batchesPerPoll: number[] = [];
    const counter = provider.onDidPoll(() => batchesPerPoll.push(rec.batches.length));
    try {
      await inVolume(
        'echo new > /v/new.txt && echo a-longer > /v/a.txt && rm /v/b.txt && echo n > /v/sub/n.txt && echo keep-longer > /v/sub/keep.txt && mkdir /v/sub/d',
      );
      const expected = ['changed /a.txt', 'changed /sub/keep.txt', 'created /new.txt', 'created /sub/d', 'created /sub/n.txt', 'deleted /b.txt'];
      await until(`events ${expected.join(', ')}`, () => expected.every((e) => rec.all().includes(e)), 15000);
      await polls(2);
      assert.deepEqual(rec.all(), expected, 'exactly these events, once each');
      // one poll, one batch: the batch count never grows by more than one from one poll to the next
      batchesPerPoll.forEach((n, i) => assert.ok(n - (batchesPerPoll[i - 1] ?? 0) <= 1, `batches per poll: ${batchesPerPoll.join(',')}`));

      rec.batches.length = 0;
      await inVolume('rm -r /v/sub');
      await until('the deleted subfolder', () => rec.all().includes('deleted /sub'), 15000);
      await polls(2);
      assert.deepEqual(rec.all(), ['deleted /sub']);
    } finally {
      rec.dispose();
      counter.dispose();
    }
  });

  test('one change in a folder of 10,000 entries is one event; one exec per poll for every watched path of the volume', async () => {
    await inVolume('mkdir -p /v/many/sub && cd /v/many && i=0; while [ $i -lt 10000 ]; do printf "%64s" > f$i; i=$((i+1)); done');
    const listed = await vscode.workspace.fs.readDirectory(at('/many'));
    assert.equal(listed.length, 10001);
    await vscode.workspace.fs.readDirectory(at('/many/sub'));
    await vscode.workspace.fs.readDirectory(root);
    await polls(2);
    const rec = record();
    try {
      await inVolume('echo changed > /v/many/f5000');
      await until('the change of f5000', () => rec.all().length > 0, 15000);
      const after = await polls(2);
      assert.deepEqual(rec.batches, [['changed /many/f5000']]);
      for (const r of after) assert.equal(r.execs, r.volumes, `one exec per volume per poll: ${JSON.stringify(r)}`);
      assert.ok(after[0].folders >= 3, JSON.stringify(after[0]));
    } finally {
      rec.dispose();
    }
  });

  test('an open clean document shows what a container wrote; a dirty one keeps its edits and its save meets the conflict', async () => {
    const uri = at('/doc.txt');
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc);
    assert.equal(doc.getText(), 'doc\n');
    await polls(1);
    await inVolume('echo from-container > /v/doc.txt');
    await until("the clean document to take the container's content", () => doc.getText() === 'from-container\n', 15000);
    assert.equal(doc.isDirty, false);

    assert.ok(await editor.edit((b) => b.insert(new vscode.Position(0, 0), 'mine\n')));
    assert.ok(doc.isDirty);
    const rec = record();
    try {
      await inVolume('echo theirs > /v/doc.txt');
      await until('the change event for doc.txt', () => rec.all().includes('changed /doc.txt'), 15000);
      await polls(2);
      assert.equal(doc.getText(), 'mine\nfrom-container\n', 'the dirty document keeps its edits');
      assert.ok(doc.isDirty);
      const saved = await doc.save();
      assert.equal(saved, false, 'the save meets the conflict instead of overwriting');
      assert.equal(await inVolume('cat /v/doc.txt'), 'theirs\n', "the container's content is still in the volume");
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await until("the reverted document to show the volume's content", () => doc.getText() === 'theirs\n' && !doc.isDirty, 10000);
    } finally {
      rec.dispose();
      if (doc.isDirty) await vscode.commands.executeCommand('workbench.action.files.revert');
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    }
  });

  test('copy and move between two volumes (files and folders), refused into a read-only one', async () => {
    await vscode.workspace.fs.createDirectory(at('/tree/in'));
    await vscode.workspace.fs.writeFile(at('/tree/x.txt'), text('x'));
    await vscode.workspace.fs.writeFile(at('/tree/in/y.txt'), text('y'));
    await vscode.workspace.fs.copy(at('/tree'), at('/tree', root2));
    assert.equal(await inVolume('find /v/tree | sort; cat /v/tree/x.txt /v/tree/in/y.txt', vol2), '/v/tree\n/v/tree/in\n/v/tree/in/y.txt\n/v/tree/x.txt\nxy');
    await assert.rejects(Promise.resolve(vscode.workspace.fs.copy(at('/tree/x.txt'), at('/tree/x.txt', root2))), /exists/i);
    await vscode.workspace.fs.writeFile(at('/tree/x.txt'), text('x2'));
    await vscode.workspace.fs.copy(at('/tree/x.txt'), at('/tree/x.txt', root2), { overwrite: true });
    await vscode.workspace.fs.rename(at('/tree/in'), at('/moved', root2));
    assert.equal(await inVolume('cat /v/tree/x.txt /v/moved/y.txt; ls -1 /v/tree', vol2), 'x2yin\nx.txt\n');
    assert.equal(await inVolume('ls -1 /v/tree'), 'x.txt\n', 'the move removed the source');
    const ro = volumeUri(root2.authority, vol2, { readOnly: true });
    await assert.rejects(Promise.resolve(vscode.workspace.fs.copy(at('/tree/x.txt'), at('/ro.txt', ro))), /read-only|permission/i);
    assert.equal(await inVolume('ls -1 /v', vol2), 'moved\ntree\n');
  });
});
