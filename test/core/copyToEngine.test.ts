// Copy and move of a volume between two real engines (the test engine and scripts/second-engine.sh):
// the core and the CLI, data compared file by file by busybox on each engine (names with spaces and
// Unicode, symlinks, hard links, empty folders, FIFOs, modes with setuid/sticky, owners, mtimes).
import * as assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { copyTestHooks, copyVolumeToEngine } from '../../src/core/operations/copyToEngine';
import { Engine, HELPER_LABEL, TEST_LABEL } from '../../src/core/engine/engine';
import { resolveEngine } from '../../src/core/engine/engineConfig';
import { CancelledError, OperationRefusedError } from '../../src/core/operations/operationErrors';
import { CLI, runCli } from '../support/cli';
import { BUSYBOX, cleanup, contextOf, createVolume, labels, runContainer, secondEngine, sh, testEngine, uniq } from '../support/docker';
import { fillVolume, listVolume } from '../support/volumeFixtures';
import { refusingProxy } from '../support/refusingProxy';

const SUITE = 'copy-to-engine';
const ENGLISH = { LANG: 'C.UTF-8', LC_ALL: '', LC_MESSAGES: '', LANGUAGE: '' };

suite('copy and move a volume to another engine (two real engines)', function () {
  this.timeout(180_000);
  const one = testEngine();
  const two = secondEngine();
  const helperLabels = labels(SUITE);

  async function volumesNamed(e: typeof one, name: string): Promise<string[]> {
    const { Volumes } = await e.docker.listVolumes({ filters: { name: [name] } });
    return (Volumes ?? []).map((v) => v.Name).filter((n) => n === name);
  }

  async function helpersLeft(e: typeof one): Promise<number> {
    return (await e.docker.listContainers({ all: true, filters: { label: [HELPER_LABEL, `${TEST_LABEL}=${SUITE}`] } })).length;
  }

  suiteSetup(async () => {
    await cleanup(one.docker, SUITE);
    await cleanup(two.docker, SUITE);
  });
  suiteTeardown(async () => {
    await cleanup(one.docker, SUITE);
    await cleanup(two.docker, SUITE);
  });

  test('core: every kind of entry arrives on the other engine as it was, driver and labels kept, verified on both sides', async () => {
    const src = uniq('cp-src');
    await createVolume(one.docker, SUITE, src, { 'com.example.team': 'data ü' });
    await fillVolume(one.docker, SUITE, src);
    const before = await listVolume(one.docker, SUITE, src);
    const seen: number[] = [];
    const r = await copyVolumeToEngine(
      contextOf(one, { helperImage: BUSYBOX, helperLabels }),
      { source: src, to: two },
      {
        progress: (e) => {
          if (e.total && e.done !== undefined) seen.push(e.done / e.total);
        },
      },
    );
    assert.equal(r.volumeName, src);
    assert.equal(r.sourceRemoved, false);
    assert.equal(r.verifiedBy, 'target-listing', 'checked on the target, not read back');
    assert.deepEqual(r.warnings, []);
    assert.match(r.sha256, /^[0-9a-f]{64}$/);
    assert.equal(await listVolume(two.docker, SUITE, src), before);
    assert.equal(await listVolume(one.docker, SUITE, src), before, 'the source is untouched');
    const v = await two.docker.getVolume(src).inspect();
    assert.equal(v.Driver, 'local');
    assert.equal(v.Labels?.['com.example.team'], 'data ü');
    assert.equal(v.Labels?.[TEST_LABEL], SUITE);
    assert.ok(seen.length > 0 && seen.every((x) => x >= 0 && x <= 1), `progress in % (${seen.join(',')})`);
    assert.equal((await helpersLeft(one)) + (await helpersLeft(two)), 0, 'no helper left on either engine');
  });

  test('core: an existing non-empty target is refused with one clear error and nothing changes', async () => {
    const src = uniq('cp-src2');
    await createVolume(one.docker, SUITE, src);
    await sh(one.docker, SUITE, 'echo new > /v/x', [`${src}:/v`]);
    const dst = uniq('cp-busy');
    await createVolume(two.docker, SUITE, dst);
    await sh(two.docker, SUITE, 'echo keep > /v/mine', [`${dst}:/v`]);
    const before = await listVolume(two.docker, SUITE, dst);
    await assert.rejects(copyVolumeToEngine(contextOf(one, { helperLabels }), { source: src, target: dst, to: two }), (e: unknown) => {
      assert.ok(e instanceof OperationRefusedError);
      assert.match(e.message, new RegExp(`"${dst}" already exists on the target engine and is not empty`));
      return true;
    });
    assert.equal(await listVolume(two.docker, SUITE, dst), before);
    // an existing EMPTY target is filled
    const empty = uniq('cp-empty');
    await createVolume(two.docker, SUITE, empty);
    await copyVolumeToEngine(contextOf(one, { helperLabels }), { source: src, target: empty, to: two });
    assert.equal(await listVolume(two.docker, SUITE, empty), await listVolume(one.docker, SUITE, src));
  });

  test('core: the same engine under another address (a symlink to its socket) is refused before anything is created', async () => {
    const src = uniq('cp-alias');
    await createVolume(one.docker, SUITE, src);
    const socket = one.endpoint.host.replace(/^unix:\/\//, '');
    assert.ok(one.endpoint.host.startsWith('unix://'), `the test engine is on a unix socket (${one.endpoint.host})`);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cv-alias-'));
    try {
      symlinkSync(socket, path.join(dir, 'alias.sock'));
      const alias = new Engine(resolveEngine({ host: `unix://${path.join(dir, 'alias.sock')}` }));
      await assert.rejects(copyVolumeToEngine(contextOf(one, { helperLabels }), { source: src, target: `${src}-2`, to: alias }), (e: unknown) => {
        assert.ok(e instanceof OperationRefusedError);
        assert.match(e.message, /are two addresses of the same engine \(ID [0-9A-Za-z:]+\): use Clone/);
        return true;
      });
      assert.deepEqual(await volumesNamed(one, `${src}-2`), [], 'no volume created');
      assert.equal(await helpersLeft(one), 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('core: cancelled mid-copy, the target engine has no volume and the source is untouched', async () => {
    const src = uniq('cp-big');
    await createVolume(one.docker, SUITE, src);
    await sh(one.docker, SUITE, 'cd /v && dd if=/dev/urandom of=a bs=1M count=8 2>/dev/null && for i in 1 2 3 4; do cat a a a a a a a a > b$i; done', [
      `${src}:/v`,
    ]);
    const before = await listVolume(one.docker, SUITE, src);
    const ac = new AbortController();
    await assert.rejects(
      copyVolumeToEngine(
        contextOf(one, { helperLabels }),
        { source: src, sizeHint: 1, to: two },
        {
          signal: ac.signal,
          progress: (e) => {
            if ((e.done ?? 0) > 0) ac.abort();
          },
        },
      ),
      CancelledError,
    );
    assert.deepEqual(await volumesNamed(two, src), [], 'no half volume on the target');
    assert.equal(await listVolume(one.docker, SUITE, src), before);
    assert.equal((await helpersLeft(one)) + (await helpersLeft(two)), 0);
  });

  test('core: cancelled mid-copy into an existing empty target: the target is there again, empty, with its labels; the source is untouched', async () => {
    const src = uniq('cp-big2');
    await createVolume(one.docker, SUITE, src);
    await sh(one.docker, SUITE, 'cd /v && dd if=/dev/urandom of=a bs=1M count=8 2>/dev/null && for i in 1 2 3 4; do cat a a a a a a a a > b$i; done', [
      `${src}:/v`,
    ]);
    const before = await listVolume(one.docker, SUITE, src);
    const dst = uniq('cp-was-empty');
    await createVolume(two.docker, SUITE, dst, { 'com.example.team': 'kept' });
    const ac = new AbortController();
    let sent = 0;
    await assert.rejects(
      copyVolumeToEngine(
        contextOf(one, { helperLabels }),
        { source: src, target: dst, sizeHint: 1, to: two },
        {
          signal: ac.signal,
          progress: (e) => {
            sent = Math.max(sent, e.done ?? 0);
            if (sent > 0) ac.abort();
          },
        },
      ),
      CancelledError,
    );
    assert.ok(sent > 0, 'the data was flowing when it was cancelled');
    assert.deepEqual(await volumesNamed(two, dst), [dst], 'the target is still there');
    assert.equal((await two.docker.getVolume(dst).inspect()).Labels?.['com.example.team'], 'kept');
    assert.equal((await sh(two.docker, SUITE, 'ls -A /v', [`${dst}:/v`])).trim(), '', 'and empty');
    assert.equal(await listVolume(one.docker, SUITE, src), before);
    assert.equal((await helpersLeft(one)) + (await helpersLeft(two)), 0);
  });

  /** Names no line-based listing survives, and every kind of entry the listing must describe as tar does. */
  const HOSTILE = [
    'set -e',
    'cd /v',
    'printf "a\\n" > "$(printf "new\\nline")"',
    'printf b > "$(printf "tab\\there")"',
    'printf c > "$(printf "bad\\377byte")"',
    'printf d > -leading-dash',
    'printf e > "  spaces  "',
    ': > empty',
    'mkdir "dir with\\nnewline" "$(printf "dir\\nnl")"',
    'printf f > "$(printf "dir\\nnl")/inner"',
    'ln -s "$(printf "target\\nwith newline")" "$(printf "sym\\nlink")"',
    'ln -s -- -dash sym-dash',
    'printf g > h1 && ln h1 h2 && ln h1 "$(printf "dir\\nnl")/h3"',
    'mknod chr c 1 3 && mknod blk b 7 200 && chown 3:4 chr',
    'dd if=/dev/urandom of=big1 bs=1M count=2 2>/dev/null && cp big1 big2 && printf x >> big2 && ln big2 "big link"',
    'mkdir many && i=0; while [ $i -lt 450 ]; do echo $i > many/f$i; i=$((i+1)); done',
    'chmod 4755 h1 && chmod 2711 "  spaces  " && chmod 1777 many',
    'chown 1000:1000 -leading-dash && chown -h 7:8 sym-dash',
    'touch -d "2001-02-03 04:05:06" empty "$(printf "dir\\nnl")"',
  ].join('\n');

  test('core: hostile names (newlines, non-UTF-8, leading dashes), devices, hard links, empty files, many files: checked by a listing on the target', async () => {
    const src = uniq('cp-hostile');
    await createVolume(one.docker, SUITE, src);
    await fillVolume(one.docker, SUITE, src, HOSTILE);
    const before = await listVolume(one.docker, SUITE, src);
    const r = await copyVolumeToEngine(contextOf(one, { helperImage: BUSYBOX, helperLabels }), { source: src, to: two });
    assert.equal(r.verifiedBy, 'target-listing');
    assert.equal(r.entries, 470);
    assert.equal(await listVolume(two.docker, SUITE, src), before);
    // an empty volume too
    const empty = uniq('cp-empty-src');
    await createVolume(one.docker, SUITE, empty);
    const e = await copyVolumeToEngine(contextOf(one, { helperLabels }), { source: empty, to: two });
    assert.equal(e.verifiedBy, 'target-listing');
    assert.deepEqual([e.entries, e.contentBytes], [0, 0]);
    assert.equal((await helpersLeft(one)) + (await helpersLeft(two)), 0);
  });

  test('core: 6,000 entries (past where busybox xargs reading a file split names): the listing on the target agrees', async () => {
    const src = uniq('cp-many');
    await createVolume(one.docker, SUITE, src);
    await sh(one.docker, SUITE, 'mkdir -p "/v/a dir/sub" && cd "/v/a dir/sub" && i=0; while [ $i -lt 6000 ]; do echo $i > "file $i"; i=$((i+1)); done', [
      `${src}:/v`,
    ]);
    const r = await copyVolumeToEngine(contextOf(one, { helperImage: BUSYBOX, helperLabels }), { source: src, to: two });
    assert.equal(r.verifiedBy, 'target-listing');
    assert.equal(r.entries, 6002);
  });

  test('core: cancelled while the target is being checked: the target is removed, the check helper too', async () => {
    const src = uniq('cp-cancel-check');
    await createVolume(one.docker, SUITE, src);
    // Files of 1 MiB: hashed by the listing after the upload (the bigger ones are hashed while it runs).
    await sh(one.docker, SUITE, 'cd /v && dd if=/dev/urandom of=a bs=1M count=1 2>/dev/null && i=0; while [ $i -lt 96 ]; do cat a > b$i; i=$((i+1)); done', [
      `${src}:/v`,
    ]);
    const ac = new AbortController();
    let checking = false;
    await assert.rejects(
      copyVolumeToEngine(
        contextOf(one, { helperImage: BUSYBOX, helperLabels }),
        { source: src, to: two },
        {
          signal: ac.signal,
          progress: (e) => {
            if (String(e.message).startsWith('Verifying')) {
              checking = true;
              ac.abort();
            }
          },
        },
      ),
      CancelledError,
    );
    assert.ok(checking, 'it was cancelled during the check');
    assert.deepEqual(await volumesNamed(two, src), [], 'the target is removed');
    assert.equal((await helpersLeft(one)) + (await helpersLeft(two)), 0, 'no helper left (the check helper included)');
  });

  /** Damage done to the target after it is written and before it is checked: each must be caught. */
  const DAMAGE: [string, string][] = [
    // Its time put back: only the content differs.
    ['one byte of one file', 'cp -p /v/many/f7 /tmp/r && printf 8 | dd of=/v/many/f7 bs=1 count=1 conv=notrunc 2>/dev/null && touch -r /tmp/r /v/many/f7'],
    ['the owner of one file', 'chown 1001 /v/h1'],
    ['the mtime of one file', 'touch -d "2011-01-01 00:00:00" "/v/  spaces  "'],
    ['the mode of one folder', 'chmod 700 /v/many'],
    ['one file removed', 'rm "/v/many/f7"'],
    ['one file added', 'echo extra > /v/many/added'],
    ['a symlink pointing elsewhere', 'rm /v/sym-dash && ln -s elsewhere /v/sym-dash && chown -h 7:8 /v/sym-dash'],
    ['a hard link broken into two files', 'cp -p /v/h2 /v/h2.tmp && mv /v/h2.tmp /v/h2'],
  ];

  for (const [what, damage] of DAMAGE) {
    test(`core: ${what} on the target after the upload is caught by the listing (copy.mismatch), and the target is undone`, async () => {
      const src = uniq('cp-damage');
      await createVolume(one.docker, SUITE, src);
      await fillVolume(one.docker, SUITE, src, HOSTILE);
      let damaged = false;
      copyTestHooks.beforeCheck = async (docker, volume) => {
        await sh(docker, SUITE, `set -e\n${damage}`, [`${volume}:/v`]);
        damaged = true;
      };
      try {
        await assert.rejects(copyVolumeToEngine(contextOf(one, { helperImage: BUSYBOX, helperLabels }), { source: src, to: two }), (e: unknown) => {
          assert.ok(e instanceof Error);
          assert.match(e.message, /differs from the source .*: it was removed/);
          return true;
        });
      } finally {
        copyTestHooks.beforeCheck = undefined;
      }
      assert.ok(damaged);
      assert.deepEqual(await volumesNamed(two, src), [], 'the target is removed');
      assert.equal((await helpersLeft(one)) + (await helpersLeft(two)), 0);
    });
  }

  test('core: a byte changed on its way to the target (after it was hashed here), inside a big file hashed while the upload runs: caught, and the target is undone', async () => {
    const src = uniq('cp-transit');
    await createVolume(one.docker, SUITE, src);
    // One file of 4 MiB: the stream's offset 300,000 is inside its content (two headers before it).
    await sh(one.docker, SUITE, 'cd /v && dd if=/dev/urandom of=big bs=1M count=4 2>/dev/null && echo small > small', [`${src}:/v`]);
    let at = 0;
    let flipped = false;
    copyTestHooks.inTransit = (piece) => {
      const i = 300_000 - at;
      if (i >= 0 && i < piece.length) {
        piece[i] ^= 0xff;
        flipped = true;
      }
      at += piece.length;
    };
    try {
      await assert.rejects(
        copyVolumeToEngine(contextOf(one, { helperImage: BUSYBOX, helperLabels }), { source: src, to: two }),
        /differs from the source .*: it was removed/,
      );
    } finally {
      copyTestHooks.inTransit = undefined;
    }
    assert.ok(flipped, 'the byte was changed');
    assert.deepEqual(await volumesNamed(two, src), [], 'the target is removed');
    assert.equal((await helpersLeft(one)) + (await helpersLeft(two)), 0);
    // Unchanged, the same copy goes through and is checked on the target.
    const r = await copyVolumeToEngine(contextOf(one, { helperImage: BUSYBOX, helperLabels }), { source: src, to: two });
    assert.equal(r.verifiedBy, 'target-listing');
    assert.equal(await listVolume(two.docker, SUITE, src), await listVolume(one.docker, SUITE, src));
  });

  test('core: a check image without a writable /tmp hashes the large files in one job: the copy is still checked, and a changed byte caught', async () => {
    // The two hashing jobs write to files in /tmp; where it is not a folder, one job does it all (and
    // the big files are not hashed during the upload: that needs a mark in /tmp).
    const image = 'container-volumes/busybox-notmp:test';
    const maker = two.docker.getContainer(await runContainer(two.docker, SUITE, { cmd: ['sh', '-c', 'rm -rf /tmp && : > /tmp'] }));
    assert.equal(((await maker.wait()) as { StatusCode: number }).StatusCode, 0);
    await maker.commit({ repo: image.split(':')[0], tag: 'test' });
    try {
      const ctx = contextOf(one, { helperImage: image, helperLabels });
      const src = uniq('cp-notmp');
      await createVolume(one.docker, SUITE, src);
      await fillVolume(one.docker, SUITE, src, HOSTILE);
      const r = await copyVolumeToEngine(ctx, { source: src, to: two });
      assert.equal(r.verifiedBy, 'target-listing');
      assert.equal(await listVolume(two.docker, SUITE, src), await listVolume(one.docker, SUITE, src));
      copyTestHooks.beforeCheck = (docker, volume) =>
        sh(docker, SUITE, 'printf X | dd of=/v/big1 bs=1 seek=1000 count=1 conv=notrunc 2>/dev/null', [`${volume}:/v`]).then(() => undefined);
      try {
        await assert.rejects(copyVolumeToEngine(ctx, { source: src, target: `${src}-2`, to: two }), /differs from the source/);
      } finally {
        copyTestHooks.beforeCheck = undefined;
      }
      assert.deepEqual(await volumesNamed(two, `${src}-2`), []);
    } finally {
      await maker.remove({ force: true });
      await two.docker
        .getImage(image)
        .remove({ force: true })
        .catch(() => undefined);
    }
  });

  test('core: with no helper image on the target (its image list empty), the copy is read back instead, and damage is still caught', async () => {
    const proxy = await refusingProxy(() => false, undefined, {
      upstream: two.endpoint.host.replace(/^unix:\/\//, ''),
      answer: (method, url) => (method === 'GET' && /^(\/v[\d.]+)?\/images\/json/.test(url) ? [] : undefined),
    });
    try {
      const src = uniq('cp-readback');
      await createVolume(one.docker, SUITE, src);
      await sh(one.docker, SUITE, 'cd /v && mkdir d && echo a > d/a && echo b > b && ln b c && chown 5:6 b', [`${src}:/v`]);
      const ok = await copyVolumeToEngine(contextOf(one, { helperLabels }), { source: src, to: proxy.engine });
      assert.equal(ok.verifiedBy, 'read-back');
      assert.equal(await listVolume(two.docker, SUITE, src), await listVolume(one.docker, SUITE, src));
      // the two checks agree on the digest
      const listed = await copyVolumeToEngine(contextOf(one, { helperLabels }), { source: src, target: `${src}-2`, to: two });
      assert.equal(listed.verifiedBy, 'target-listing');
      assert.deepEqual([listed.entries, listed.contentBytes, listed.sha256], [ok.entries, ok.contentBytes, ok.sha256]);
      copyTestHooks.beforeCheck = (docker, volume) => sh(docker, SUITE, 'chown 9 /v/d/a', [`${volume}:/v`]).then(() => undefined);
      try {
        await assert.rejects(
          copyVolumeToEngine(contextOf(one, { helperLabels }), { source: src, target: `${src}-3`, to: proxy.engine }),
          /differs from the source/,
        );
      } finally {
        copyTestHooks.beforeCheck = undefined;
      }
      assert.deepEqual(await volumesNamed(two, `${src}-3`), []);
    } finally {
      await proxy.close();
    }
  });

  test('CLI: copy --to <address> --name, then the same again is refused (exit 1, one line, target unchanged)', async () => {
    const src = uniq('cli-src');
    await createVolume(one.docker, SUITE, src);
    await fillVolume(one.docker, SUITE, src);
    const dst = uniq('cli-dst');
    const r = await runCli(['copy', src, '--to', two.endpoint.host, '--name', dst, '--helper-image', BUSYBOX], { ...process.env, ...ENGLISH });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(
      r.stdout,
      new RegExp(
        `copied ${src} to ${dst} on ${two.endpoint.host.replace(/[/.]/g, '\\$&')} \\(\\d+ entries, \\d+ bytes, verified on both engines: sha256 [0-9a-f]{64}\\)`,
      ),
    );
    const copy = await listVolume(two.docker, SUITE, dst);
    assert.equal(copy, await listVolume(one.docker, SUITE, src));
    const again = await runCli(['copy', src, '--to', two.endpoint.host, '--name', dst], { ...process.env, ...ENGLISH });
    assert.equal(again.code, 1);
    assert.equal(again.stderr.trim().split('\n').length, 1, again.stderr);
    assert.match(again.stderr, /already exists on the target engine and is not empty/);
    assert.equal(await listVolume(two.docker, SUITE, dst), copy);
  });

  test('CLI: --to a docker context name, from the context store', async () => {
    const src = uniq('ctx-src');
    await createVolume(one.docker, SUITE, src);
    await sh(one.docker, SUITE, 'mkdir -p "/v/a b/ü" && echo x > "/v/a b/ü/f g" && ln -s "a b" /v/l', [`${src}:/v`]);
    const cfg = mkdtempSync(path.join(os.tmpdir(), 'cv-ctx-'));
    try {
      const name = 'cv-second';
      const meta = path.join(cfg, 'contexts', 'meta', createHash('sha256').update(name).digest('hex'));
      mkdirSync(meta, { recursive: true });
      writeFileSync(
        path.join(meta, 'meta.json'),
        JSON.stringify({ Name: name, Metadata: {}, Endpoints: { docker: { Host: two.endpoint.host, SkipTLSVerify: false } } }),
      );
      const r = await runCli(['copy', src, '--to', name], { ...process.env, ...ENGLISH, DOCKER_CONFIG: cfg });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(await listVolume(two.docker, SUITE, src), await listVolume(one.docker, SUITE, src));
    } finally {
      rmSync(cfg, { recursive: true, force: true });
    }
  });

  test('CLI: --move is refused while a container (even a stopped one) uses the source, and says which; nothing is copied', async () => {
    const src = uniq('mv-used');
    await createVolume(one.docker, SUITE, src);
    await sh(one.docker, SUITE, 'echo data > /v/f', [`${src}:/v`]);
    const user = uniq('mv-user');
    await runContainer(one.docker, SUITE, { name: user, binds: [`${src}:/data`], start: false });
    const r = await runCli(['copy', src, '--to', two.endpoint.host, '--move'], { ...process.env, ...ENGLISH });
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`"${src}" is used by ${user}`));
    assert.deepEqual(await volumesNamed(two, src), []);
    assert.deepEqual(await volumesNamed(one, src), [src]);
  });

  test('CLI: --move of an unused volume: verified copy on the target, then the source is removed', async () => {
    const src = uniq('mv-free');
    await createVolume(one.docker, SUITE, src);
    await fillVolume(one.docker, SUITE, src);
    const before = await listVolume(one.docker, SUITE, src);
    const r = await runCli(['copy', src, '--to', two.endpoint.host, '--move', '--helper-image', BUSYBOX], { ...process.env, ...ENGLISH });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^moved .* the source was removed\n$/);
    assert.equal(await listVolume(two.docker, SUITE, src), before);
    assert.deepEqual(await volumesNamed(one, src), []);
  });

  test('CLI: Ctrl-C mid-copy leaves no volume on the target and the source untouched', async () => {
    const src = uniq('int-big');
    await createVolume(one.docker, SUITE, src);
    await sh(one.docker, SUITE, 'cd /v && dd if=/dev/urandom of=a bs=1M count=8 2>/dev/null && for i in 1 2 3 4 5 6; do cat a a a a a a a a > b$i; done', [
      `${src}:/v`,
    ]);
    const before = await listVolume(one.docker, SUITE, src);
    const p = spawn(process.execPath, [CLI, 'copy', src, '--to', two.endpoint.host], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...ENGLISH },
    });
    let stderr = '';
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const closed = new Promise<number>((resolve) => p.on('close', (c) => resolve(c ?? -1)));
    // Interrupt once the target volume exists (the data is flowing then).
    for (let i = 0; i < 200 && (await volumesNamed(two, src)).length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    assert.deepEqual(await volumesNamed(two, src), [src], 'the copy had started');
    await new Promise((r) => setTimeout(r, 150));
    p.kill('SIGINT');
    const code = await closed;
    assert.notEqual(code, 0, stderr);
    assert.match(stderr, /cancel/i);
    assert.deepEqual(await volumesNamed(two, src), [], 'no half volume on the target');
    assert.equal(await listVolume(one.docker, SUITE, src), before);
  });

  test('the source engine killed mid-copy: a clear error, no half volume on the target, the source intact once its engine is back', async () => {
    const src = uniq('kill-src');
    await createVolume(two.docker, SUITE, src);
    await sh(
      two.docker,
      SUITE,
      'cd /v && dd if=/dev/urandom of=a bs=1M count=8 2>/dev/null && for i in 1 2 3 4 5 6; do cat a a a a a a a a > b$i; done && mkdir "x y" && echo ü > "x y/z"',
      [`${src}:/v`],
    );
    const before = await listVolume(two.docker, SUITE, src);
    const pidFile = path.join(path.dirname(two.endpoint.host.slice('unix://'.length)), 'docker.pid');
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    assert.ok(pid > 1, 'the second engine is one this run started (scripts/second-engine.sh)');
    let killed = false;
    await assert.rejects(
      copyVolumeToEngine(
        contextOf(two, { helperLabels }),
        { source: src, sizeHint: 1, to: one },
        {
          progress: (e) => {
            if (!killed && (e.done ?? 0) > 0) {
              killed = true;
              process.kill(pid, 'SIGKILL');
            }
          },
        },
      ),
      (e: unknown) => {
        assert.ok(e instanceof Error);
        assert.doesNotMatch(e.message, /^\s*$/);
        return true;
      },
    );
    assert.ok(killed, 'the engine was killed while the data was flowing');
    assert.deepEqual(await volumesNamed(one, src), [], 'no half volume on the target');
    // gone (or a zombie nobody reaps) before the script starts it again
    const gone = () => {
      try {
        return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
      } catch {
        return true;
      }
    };
    for (let i = 0; i < 100 && !gone(); i++) await new Promise((r) => setTimeout(r, 100));
    // the engine that was killed, also when it is a private one (its folder remembers its bridge and port)
    execFileSync('bash', [path.resolve(__dirname, '../../../scripts/second-engine.sh')], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, CV_ENGINE2_DIR: path.dirname(pidFile) },
    });
    assert.equal(await listVolume(two.docker, SUITE, src), before, 'the source is intact');
  });
});
