// After a window reload VS Code reads a volume folder's own files (.vscode/settings.json, tasks.json)
// before the extension has connected to the engine. The file system must wait for that first
// connection (bounded) instead of answering "Unavailable: not connected yet".
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { VolumeFileSystemProvider } from '../../src/fs/VolumeFileSystemProvider';
import { engineIdOf, volumeUri } from '../../src/fs/volumeUri';
import { EngineConnection } from '../../src/model/EngineConnection';
import type { Services } from '../../src/services';
import { cleanup, createVolume, sh, testEngine, uniq } from '../support/docker';
import { api, until } from './api';

const SUITE = 'ext-reload';

suite('a volume folder right after a reload', function () {
  this.timeout(120000);
  const docker = testEngine().docker;
  const disposables: vscode.Disposable[] = [];
  suiteSetup(() => cleanup(docker, SUITE));
  suiteTeardown(async () => {
    for (const d of disposables.splice(0)) d.dispose();
    await cleanup(docker, SUITE);
  });

  test('a read that comes before the first connection waits for it and succeeds', async () => {
    const ext = await api();
    await until('the extension connected', () => ext.services.engine.state.kind === 'ok');
    const vol = await createVolume(docker, SUITE, uniq('cv-reload'));
    await sh(docker, SUITE, 'mkdir -p /v/.vscode && echo \'{ "editor.tabSize": 7 }\' > /v/.vscode/settings.json', [`${vol}:/v`]);
    const uri = volumeUri(engineIdOf(ext.services.engine.get().endpoint), vol, { path: '/.vscode/settings.json' });

    // What a reloaded window has: a connection that has not connected yet, and a provider asked at once.
    const log = vscode.window.createOutputChannel('cv reload test', { log: true });
    const connection = new EngineConnection(log);
    const services: Services = { ...ext.services, engine: connection, log };
    const provider = new VolumeFileSystemProvider(services);
    disposables.push(log, connection, provider);
    assert.equal(connection.state.kind, 'connecting');

    const bytes = await provider.readFile(uri);
    assert.match(Buffer.from(bytes).toString('utf8'), /"editor\.tabSize": 7/);
    assert.equal(connection.state.kind, 'ok');
    await provider.closeVolume(uri); // its helper holds the volume until closed: cleanup removes the volume next
  });
});
