// A socket the user may not open must become a "permission" error that names the docker group.
// The tests run as root, which opens any socket, so the client runs in a child process as nobody.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { buildSync } from 'esbuild';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

suite('engine errors', () => {
  test('a permission-denied socket is reported as such, naming the docker group', async function () {
    if (process.getuid?.() !== 0) this.skip(); // as a normal user, the root-owned socket itself is the test
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cv-perm-'));
    chmodSync(dir, 0o755);
    const sock = path.join(dir, 'docker.sock');
    const server = net.createServer((c) => c.destroy());
    await new Promise<void>((r) => server.listen(sock, r));
    chmodSync(sock, 0o660);
    try {
      // nobody cannot read a checkout under /root (mode 700): give the child a self-contained bundle of the
      // engine module in the world-readable temp folder, and that folder as its working directory.
      const engineJs = path.join(dir, 'engine.js');
      buildSync({
        entryPoints: [path.resolve(__dirname, '../../../src/core/engine/engine.ts')],
        bundle: true,
        platform: 'node',
        format: 'cjs',
        outfile: engineJs,
        logLevel: 'error',
        external: ['cpu-features', './crypto/build/Release/sshcrypto.node'],
      });
      chmodSync(engineJs, 0o644);
      const script = `
        const { Engine } = require(${JSON.stringify(engineJs)});
        new Engine({ host: 'unix://${sock}', source: 'explicit' }).ping()
          .then(() => console.log('ok'), (e) => console.log(JSON.stringify({ kind: e.kind, message: e.message })));`;
      const out = await new Promise<string>((resolve, reject) =>
        execFile(process.execPath, ['-e', script], { uid: 65534, gid: 65534, cwd: dir }, (err, stdout, stderr) =>
          err ? reject(new Error(stderr || err.message)) : resolve(stdout),
        ),
      );
      const res = JSON.parse(out) as { kind: string; message: string };
      assert.equal(res.kind, 'permission');
      assert.match(res.message, /"docker" group/);
    } finally {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a socket nobody listens on is "unreachable"', async () => {
    const { Engine } = await import('../../src/core/engine/engine');
    const e = new Engine({ host: `unix://${path.join(os.tmpdir(), 'cv-none.sock')}`, source: 'explicit' });
    await assert.rejects(e.ping(), (err: { kind?: string }) => err.kind === 'unreachable');
  });
});
