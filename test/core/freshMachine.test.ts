// The README's set-up as a new user meets it: no caches, run through npm, another apt busy at boot.
// These run the real installers (slow: code-server is installed from the npm registry every time),
// so a cache on the developer's or CI's machine can never hide an installer that fails for everyone.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';

const REPO = path.resolve(__dirname, '../../..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net
      .createServer()
      .listen(0, '127.0.0.1', () => {
        const { port } = s.address() as net.AddressInfo;
        s.close(() => resolve(port));
      })
      .on('error', reject);
  });
}

function stopGroup(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      resolve();
    }
    setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, 10000).unref();
  });
}

suite("a fresh machine (the README's commands, no caches)", function () {
  this.timeout(25 * 60_000);

  test('`npm start` with an empty HOME installs code-server from an empty cache and serves the workbench, printing one line: the address', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'cv-fresh-home-'));
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, CV_DEV_DATA: path.join(home, 'dev'), CV_USE_CODE_SERVER: '1', PORT: String(port) };
    for (const k of ['CV_CACHE', 'CODE_SERVER_DIR', 'XDG_DATA_HOME', 'XDG_CACHE_HOME']) delete env[k];
    // What `npm test` hands every child: the outer npm's identity (Node 20), which broke the nested install.
    env.npm_config_user_agent = `npm/11 node/${process.version} linux x64`;
    const child = spawn('npm', ['start', '--', '--no-browser'], { cwd: REPO, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: string[] = [];
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-20000);
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).on('line', (l) => {
          stdout.push(l);
          const m = /open (http:\/\/127\.0\.0\.1:\d+\/)/.exec(l);
          if (m) resolve(m[1]);
        });
        child.once('exit', (code) => reject(new Error(`npm start exited (${code}) before serving:\n${stderr}`)));
      });
      assert.equal(url, `http://127.0.0.1:${port}/`);
      const page = await fetch(url);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /workbench/i, "the address serves VS Code's workbench");
      assert.ok(
        existsSync(path.join(home, '.cache/container-volumes/code-server-4.139.1/.complete')),
        "code-server was installed into the new HOME's empty cache",
      );
      // npm start's own banners ("> container-volumes@… start") aside, the one line a user reads is the address.
      assert.deepEqual(
        stdout.filter((l) => l.trim() && !/^> /.test(l)),
        [`Container Volumes is ready in VS Code: open ${url} (Ctrl-C stops it)`],
      );
      assert.doesNotMatch(stdout.join('\n'), /npm warn|%2F/i);
    } finally {
      await stopGroup(child);
      rmSync(home, { recursive: true, force: true });
    }
  });

  test('the Debian package install waits, with a message, while another apt/dpkg holds its lock', async function () {
    if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get') || !existsSync('/usr/bin/python3')) this.skip();
    const pkg = 'sl'; // tiny, and nothing of ours needs it: installed here, removed after
    if (spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' }).stdout.includes('install ok installed')) this.skip(); // a user's own: leave it
    // Hold dpkg's frontend lock the way apt does (fcntl), as unattended-upgrades does at boot.
    const holder = spawn(
      'python3',
      ['-c', 'import fcntl,sys,time\nf=open("/var/lib/dpkg/lock-frontend","w")\nfcntl.lockf(f,fcntl.LOCK_EX)\nprint("locked",flush=True)\ntime.sleep(12)'],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve) => createInterface({ input: holder.stdout }).once('line', () => resolve()));
    const t0 = Date.now();
    try {
      const res = await new Promise<{ code: number | null; err: string }>((resolve) => {
        const p = spawn('bash', [path.join(REPO, 'scripts/apt.sh'), pkg], { stdio: ['ignore', 'ignore', 'pipe'] });
        let err = '';
        p.stderr.on('data', (d: Buffer) => (err += d.toString()));
        p.on('exit', (code) => resolve({ code, err }));
      });
      assert.equal(res.code, 0, res.err);
      assert.match(res.err, /waiting for another apt\/dpkg to finish/);
      assert.ok(Date.now() - t0 >= 8000, 'it waited for the lock instead of failing');
      assert.match(spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' }).stdout, /install ok installed/);
    } finally {
      holder.kill();
      spawnSync('apt-get', ['purge', '-y', '-qq', pkg], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    }
  });
});
