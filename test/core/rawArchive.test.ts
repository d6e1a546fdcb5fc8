// The archive GET on a socket of our own (rawArchive.ts), against the real engine and against Node's
// own HTTP server (another program's framing: chunked in tiny pieces, a Content-Length body, a body
// up to the close, errors): the bytes handed on are exactly the engine's answer, pausing loses
// nothing, errors are the engine's words, a cancel or a cut connection fails and frees the helper.
// Over TLS (the second engine's verified port) a backup takes the same path.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine, EngineError } from '../../src/core/engine/engine';
import { resolveEngine } from '../../src/core/engine/engineConfig';
import { rawArchiveGetter, rawArchivePutter, type RawGetArchive, type RawPut } from '../../src/core/engine/rawArchive';
import { putFailure } from '../../src/core/engine/volumeArchive';
import { ContentDigest } from '../../src/core/archive/contentDigest';
import { backupVolume } from '../../src/core/operations/backupVolume';
import {
  BUSYBOX,
  cleanup,
  createVolume,
  engineSocketPath,
  labels,
  secondEngine,
  secondEngineTlsDir,
  sh,
  testContext,
  testEngine,
  uniq,
  wrongCaDir,
} from '../support/docker';

const SUITE = 'raw-archive';

/**
 * Everything a GET hands on, copied (the views are of a reused buffer); `pause` decides after each view
 * whether to pause (resumed 2 ms later). A view that arrives while paused fails the test.
 */
async function collect(engine: Engine, id: string, at: string, pause: (n: number) => boolean = () => false, signal?: AbortSignal): Promise<Buffer> {
  const parts: Buffer[] = [];
  let n = 0;
  let paused = false;
  let whilePaused = 0;
  const get = getter(engine)(
    id,
    at,
    (b) => {
      if (paused) whilePaused++;
      parts.push(Buffer.from(b));
      if (!pause(n++)) return true;
      paused = true;
      setTimeout(() => {
        paused = false;
        get.resume();
      }, 2);
      return false;
    },
    signal,
  );
  await get.done;
  assert.equal(whilePaused, 0, 'views handed on while paused');
  return Buffer.concat(parts);
}

/** The engine's raw GET; fails the test when it has none. */
function getter(engine: Engine): RawGetArchive {
  const g = rawArchiveGetter(engine.docker);
  assert.ok(g, `no raw GET for ${engine.endpoint.host}`);
  return g;
}

/** Sends `body` through a raw PUT in pieces of `size` bytes from one reused buffer, waiting when told to. */
async function putAll(put: RawPut, body: Buffer, size = 100_000): Promise<void> {
  const reused = Buffer.alloc(size);
  for (let i = 0; i < body.length; i += size) {
    const n = body.copy(reused, 0, i, i + size);
    const more = put.write(reused.subarray(0, n));
    reused.fill(0xee); // the next read lands here: the PUT must have copied
    if (!more) await put.drained();
  }
  await put.end();
}

/** The content digest of a tar (entries, their content and metadata; independent of entry order). */
function digestOf(tar: Buffer): string {
  const d = new ContentDigest();
  d.feed(tar);
  d.finish();
  return d.digest?.sha256 ?? '';
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

suite('the archive GET on its own socket (rawArchive)', function () {
  this.timeout(120_000);
  const one = testEngine();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cv-raw-'));
  let volume: string;
  let helper: string;
  let cli: Buffer;

  suiteSetup(async () => {
    await cleanup(one.docker, SUITE);
    volume = await createVolume(one.docker, SUITE, uniq('raw'));
    // Small files, one of several MiB, a long name, a symlink: many chunks, split anywhere.
    await sh(
      one.docker,
      SUITE,
      'cd /v && mkdir -p a/b && for i in $(seq 1 400); do echo "file $i" > a/f$i; done && dd if=/dev/urandom of=a/b/big bs=1024 count=6000 2>/dev/null && ln -s a/f1 link && touch "$(printf "n%.0s" $(seq 1 150))"',
      [`${volume}:/v`],
    );
    const c = await one.docker.createContainer({ Image: BUSYBOX, Labels: labels(SUITE), HostConfig: { Binds: [`${volume}:/v`] } });
    helper = c.id;
    cli = execFileSync('docker', ['-H', one.endpoint.host, 'cp', `${helper}:/v/.`, '-'], { maxBuffer: 1 << 30 });
  });
  suiteTeardown(async () => {
    await cleanup(one.docker, SUITE);
    rmSync(dir, { recursive: true, force: true });
  });

  test('an Engine on a unix socket has the raw path (over ssh it has none); the bytes are exactly what `docker cp` gets', async () => {
    assert.ok(rawArchiveGetter(one.docker));
    // Over ssh the modem's GET stays (the connection is a child process's pipes).
    assert.equal(rawArchiveGetter(new Engine(resolveEngine({ host: 'ssh://nobody@127.0.0.1:1' })).docker), undefined);
    const got = await collect(one, helper, '/v/.');
    assert.equal(got.length, cli.length);
    assert.equal(sha(got), sha(cli));
  });

  test('pausing after every other view (resumed later) loses and reorders nothing', async () => {
    const got = await collect(one, helper, '/v/.', (n) => n % 2 === 0);
    assert.equal(sha(got), sha(cli));
  });

  test("a path that is not there: the engine's 404, as an EngineError notFound with its words", async () => {
    await assert.rejects(collect(one, helper, '/v/no-such-thing'), (e: unknown) => {
      assert.ok(e instanceof EngineError);
      assert.equal(e.kind, 'notFound');
      assert.equal(e.statusCode, 404);
      assert.match(e.message, /no-such-thing/);
      return true;
    });
    await assert.rejects(collect(one, 'no-such-container-cv', '/v/.'), (e: unknown) => e instanceof EngineError && e.kind === 'notFound');
  });

  test('cancelled mid-answer: rejects with an AbortError, and the helper can be removed at once', async () => {
    const c = await one.docker.createContainer({ Image: BUSYBOX, Labels: labels(SUITE), HostConfig: { Binds: [`${volume}:/v`] } });
    const ac = new AbortController();
    await assert.rejects(
      collect(
        one,
        c.id,
        '/v/.',
        (n) => {
          if (n === 3) ac.abort();
          return false;
        },
        ac.signal,
      ),
      { name: 'AbortError' },
    );
    await c.remove({ v: false });
  });

  test('a connection cut mid-answer (a proxy in front of the engine stops after 1 MiB): the GET fails, and a backup through it leaves no file', async () => {
    const sock = path.join(dir, 'cut.sock');
    const server = net.createServer((down) => {
      const up = net.connect(engineSocketPath());
      let n = 0;
      down.pipe(up);
      up.on('data', (b: Buffer) => {
        n += b.length;
        if (n > 1 << 20) {
          down.destroy();
          up.destroy();
        } else down.write(b);
      });
      up.on('error', () => down.destroy());
      down.on('error', () => up.destroy());
    });
    await new Promise<void>((r) => server.listen(sock, r));
    try {
      // The proxy forwards everything else in full (inspect, create, remove are small).
      const cut = new Engine(resolveEngine({ host: `unix://${sock}` }));
      assert.ok(rawArchiveGetter(cut.docker));
      await assert.rejects(collect(cut, helper, '/v/.'), (e: unknown) => e instanceof EngineError && e.kind === 'unreachable');
      const file = path.join(dir, 'cut.tar');
      await assert.rejects(backupVolume(testContext(cut.docker, SUITE), { source: { volumeName: volume }, file }));
      assert.deepEqual(
        readdirSync(dir).filter((f) => f.startsWith('cut.tar') || f.includes('.partial')),
        [],
      );
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  test('an engine at an IPv6 address (tcp://[::1]:port, a plain forwarder to the engine in front): the API and the raw GET both reach it', async () => {
    const open = new Set<net.Socket>();
    const server = net.createServer((down) => {
      const up = net.connect(engineSocketPath());
      open.add(down).add(up);
      down.pipe(up).pipe(down);
      up.on('error', () => down.destroy());
      down.on('error', () => up.destroy());
    });
    await new Promise<void>((r) => server.listen(0, '::1', r));
    try {
      const v6 = new Engine(resolveEngine({ host: `tcp://[::1]:${(server.address() as net.AddressInfo).port}` }));
      assert.ok((await v6.docker.version()).ApiVersion);
      assert.ok(rawArchiveGetter(v6.docker));
      assert.ok((await collect(v6, helper, '/v/.')).equals(cli));
    } finally {
      for (const c of open) c.destroy(); // the modem keeps its connection open a while
      await new Promise((r) => server.close(r));
    }
  });

  test("another program's HTTP framing (Node's server): tiny chunks, chunk extensions and a trailer, a Content-Length body, a body up to the close, a chunked JSON error", async () => {
    const sock = path.join(dir, 'node-http.sock');
    const body = Buffer.from(Array.from({ length: 70_000 }, (_, i) => i % 251));
    const server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const mode = url.searchParams.get('path');
      if (mode === '/chunked') {
        res.writeHead(200, { 'Content-Type': 'application/x-tar' });
        // Node writes each as its own chunk: sizes 1, 2, 3, ... bytes.
        let i = 0;
        for (let k = 1; i < body.length; k++) {
          res.write(body.subarray(i, i + k));
          i += k;
        }
        res.end();
      } else if (mode === '/length') {
        res.writeHead(200, { 'Content-Length': body.length });
        res.end(body);
      } else if (mode === '/ext') {
        // Chunk extensions and a trailer (HTTP/1.1 allows both; Node's server writes neither).
        res.socket?.end(
          `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${body.length.toString(16)};name=value\r\n${body.toString('latin1')}\r\n0\r\nX-Trailer: yes\r\n\r\n`,
          'latin1',
        );
      } else if (mode === '/close') {
        // HTTP/1.0 style: no length, no chunks, the end of the body is the close.
        res.socket?.write('HTTP/1.1 200 OK\r\nContent-Type: application/x-tar\r\n\r\n');
        res.socket?.end(body);
      } else {
        res.writeHead(500, { 'Content-Type': 'application/json' });
        res.write('{"message":"the engine ');
        res.end('says no"}');
      }
    });
    await new Promise<void>((r) => server.listen(sock, r));
    try {
      const e = new Engine(resolveEngine({ host: `unix://${sock}` }));
      for (const mode of ['/chunked', '/ext', '/length', '/close']) {
        assert.equal(sha(await collect(e, 'c', mode)), sha(body), mode);
        assert.equal(sha(await collect(e, 'c', mode, (n) => n % 3 === 1)), sha(body), `${mode}, paused`);
      }
      await assert.rejects(collect(e, 'c', '/error'), (err: unknown) => {
        assert.ok(err instanceof EngineError);
        assert.equal(err.statusCode, 500);
        assert.match(err.message, /the engine says no/);
        return true;
      });
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  test('over TCP with TLS (the second engine, verified): a backup takes the raw path and records the sha256 of what `docker cp` gets', async () => {
    const two = secondEngine();
    const tlsDir = secondEngineTlsDir();
    const overTls = new Engine(
      resolveEngine({ host: `tcp://127.0.0.1:${process.env.CV_ENGINE2_TLS_PORT || '23760'}`, env: { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: tlsDir } }),
    );
    assert.ok(rawArchiveGetter(overTls.docker));
    await cleanup(two.docker, SUITE);
    const v = await createVolume(two.docker, SUITE, uniq('raw-tls'));
    try {
      await sh(two.docker, SUITE, 'mkdir -p /v/d && dd if=/dev/urandom of=/v/d/x bs=1024 count=3000 2>/dev/null && echo hi > /v/h', [`${v}:/v`]);
      const file = path.join(dir, 'tls.tar');
      const calls = overTls.apiCalls;
      const r = await backupVolume(testContext(overTls.docker, SUITE), { source: { volumeName: v }, file });
      assert.equal(r.method, 'archive-endpoint');
      assert.ok(overTls.apiCalls > calls);
      const c = await two.docker.createContainer({ Image: BUSYBOX, Labels: labels(SUITE), HostConfig: { Binds: [`${v}:/v`] } });
      const raw = execFileSync('docker', ['-H', two.endpoint.host, 'cp', `${c.id}:/v/.`, '-'], { maxBuffer: 1 << 28 });
      const side = JSON.parse(readFileSync(`${file}.json`, 'utf8')) as { sha256: string };
      assert.equal(side.sha256, sha(readFileSync(file)));
      assert.equal(side.sha256, sha(raw));
    } finally {
      await cleanup(two.docker, SUITE);
    }
  });

  test('a CA that did not sign the server: the raw GET is refused too', async () => {
    const wrong = wrongCaDir(dir);
    const e = new Engine(
      resolveEngine({ host: `tcp://127.0.0.1:${process.env.CV_ENGINE2_TLS_PORT || '23760'}`, env: { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: wrong } }),
    );
    await assert.rejects(collect(e, 'anything', '/v/.'), (err: unknown) => err instanceof EngineError && /certificate/i.test(err.message));
  });

  /** A created (never started) helper with a fresh volume at /v, writable unless `readOnly`. */
  async function target(readOnly = false): Promise<{ id: string; volume: string }> {
    const v = await createVolume(one.docker, SUITE, uniq('raw-put'));
    const c = await one.docker.createContainer({ Image: BUSYBOX, Labels: labels(SUITE), HostConfig: { Binds: [`${v}:/v${readOnly ? ':ro' : ''}`] } });
    return { id: c.id, volume: v };
  }

  test('PUT: the volume read by `docker cp` into a fresh one, 100 KB at a time from a reused buffer: the new volume reads back the same', async () => {
    const put = rawArchivePutter(one.docker);
    assert.ok(put);
    const t = await target();
    await putAll(put(t.id, '/v'), cli);
    const back = execFileSync('docker', ['-H', one.endpoint.host, 'cp', `${t.id}:/v/.`, '-'], { maxBuffer: 1 << 30 });
    assert.equal(digestOf(back), digestOf(cli));
  });

  test("PUT: a path that is not there, and a read-only volume, fail in the engine's words (putFailure says read-only)", async () => {
    const put = rawArchivePutter(one.docker);
    assert.ok(put);
    const t = await target();
    await assert.rejects(
      putAll(put(t.id, '/v/no-such-dir'), cli),
      (e: unknown) => e instanceof EngineError && e.kind === 'notFound' && /no-such-dir/.test(e.message),
    );
    const ro = await target(true);
    await assert.rejects(putAll(put(ro.id, '/v'), cli), (e: unknown) => {
      assert.ok(e instanceof EngineError, String(e));
      assert.equal(putFailure(e).kind, 'readOnly');
      return true;
    });
  });

  test('PUT: bytes that are not a tar, 20 MB of them: the engine stops reading and its answer is the error (not the broken pipe)', async () => {
    const put = rawArchivePutter(one.docker);
    assert.ok(put);
    const t = await target();
    const junk = Buffer.alloc(20 << 20, 0x41);
    await assert.rejects(putAll(put(t.id, '/v'), junk), (e: unknown) => {
      assert.ok(e instanceof EngineError, String(e));
      assert.ok(e.statusCode !== undefined && e.statusCode >= 400, `status ${e.statusCode}: ${e.message}`);
      return true;
    });
  });

  test('PUT: cancelled mid-body: rejects with an AbortError, and the helper can be removed at once', async () => {
    const put = rawArchivePutter(one.docker);
    assert.ok(put);
    const t = await target();
    const ac = new AbortController();
    const p = put(t.id, '/v', ac.signal);
    const sending = putAll(p, cli.subarray(0, cli.length >> 1));
    setTimeout(() => ac.abort(), 5);
    await assert.rejects(sending, { name: 'AbortError' });
    await one.docker.getContainer(t.id).remove();
  });
});
