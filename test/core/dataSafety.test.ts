import * as assert from 'node:assert/strict';
import Dockerode from 'dockerode';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { backupVolume } from '../../src/core/operations/backupVolume';
import { cloneVolume } from '../../src/core/operations/cloneVolume';
import { HELPER_LABEL, HELPER_OWNER_LABEL, TEST_LABEL } from '../../src/core/engine/engine';
import { EMPTY_IMAGE, ensureEmptyImage, sweepHelpers } from '../../src/core/helpers/helperContainers';
import { restoreVolume } from '../../src/core/operations/restoreVolume';
import { inspectArchive, verifyBackup } from '../../src/core/archive/verifyBackup';
import { volumeKey, withVolumeLocks } from '../../src/core/operations/volumeLocks';
import { WorkHelpers } from '../../src/core/helpers/workHelpers';
import { BUSYBOX, cleanup, createVolume, engineSocketPath, labels, runContainer, sh, testContext, testEngine, uniq } from '../support/docker';
import { MALICIOUS, writeTar } from '../support/archives';
import type { Message } from '../../src/core/message';
import { listVolume, liveHelpers } from '../support/volumeFixtures';
import { containerEvents, removedAndStarted } from '../support/engineEvents';

const SUITE = 'data';

suite('data operations: safety, cancel, failures, locks', function () {
  this.timeout(180_000);
  const docker = testEngine().docker;
  const L = labels(SUITE);
  let dir: string;
  let small: string;
  let smallList: string;
  let smallTar: string;

  suiteSetup(async () => {
    await cleanup(docker, SUITE);
    dir = mkdtempSync(path.join(os.tmpdir(), 'cv-safety-'));
    small = await createVolume(docker, SUITE, uniq('cv-small'));
    await sh(docker, SUITE, 'mkdir -p /v/a && echo one > /v/a/1 && echo two > /v/2 && ln -s a/1 /v/l', [`${small}:/v`]);
    smallList = await listVolume(docker, SUITE, small);
    smallTar = path.join(dir, 'small.tar');
    await backupVolume(testContext(docker, SUITE), { source: { volumeName: small }, file: smallTar });
  });
  suiteTeardown(async () => {
    await cleanup(docker, SUITE);
    rmSync(dir, { recursive: true, force: true });
  });

  async function volumeExists(name: string): Promise<boolean> {
    return docker
      .getVolume(name)
      .inspect()
      .then(
        () => true,
        () => false,
      );
  }

  for (const [what, entries] of Object.entries(MALICIOUS)) {
    test(`restore refuses ${what} before touching anything`, async () => {
      const file = path.join(dir, `evil-${what.replace(/\W+/g, '-')}.tar`);
      await writeTar(file, entries);
      const fresh = uniq('cv-evil-new');
      await assert.rejects(restoreVolume(testContext(docker, SUITE), { file, volumeName: fresh, volumeLabels: L }), /Unsafe archive/);
      assert.equal(await volumeExists(fresh), false, 'no volume created');
      // an existing volume, even with replace: unchanged, and no safety backup taken
      const before = readdirSync(dir).length;
      await assert.rejects(restoreVolume(testContext(docker, SUITE, { helperImage: BUSYBOX }), { file, volumeName: small, replace: true }), /Unsafe archive/);
      assert.equal(await listVolume(docker, SUITE, small), smallList);
      assert.equal(readdirSync(dir).length, before);
      assert.match((await inspectArchive(file)).problems.join(' '), /Unsafe archive/);
    });
  }

  test('restore into a non-empty volume without replace is refused and changes nothing', async () => {
    const other = await createVolume(docker, SUITE, uniq('cv-nonempty'));
    await sh(docker, SUITE, 'echo keep > /v/keep', [`${other}:/v`]);
    const before = await listVolume(docker, SUITE, other);
    await assert.rejects(restoreVolume(testContext(docker, SUITE), { file: smallTar, volumeName: other }), /not empty: nothing was restored/);
    assert.equal(await listVolume(docker, SUITE, other), before);
    // an existing but empty volume is fine without replace
    const empty = await createVolume(docker, SUITE, uniq('cv-empty'));
    const r = await restoreVolume(testContext(docker, SUITE), { file: smallTar, volumeName: empty });
    assert.equal(r.created, false);
    assert.equal(await listVolume(docker, SUITE, empty), smallList);
  });

  test("replace takes a verified safety backup and leaves exactly the archive's contents (no merge)", async () => {
    const target = await createVolume(docker, SUITE, uniq('cv-replace'));
    await sh(docker, SUITE, 'echo old > /v/old-only && mkdir /v/a && echo OLD > /v/a/1 && echo old2 > /v/a/extra', [`${target}:/v`]);
    const old = await listVolume(docker, SUITE, target);
    await runContainer(docker, SUITE, { binds: [`${target}:/data`], start: false }); // a user: removing the volume is impossible
    const safety = path.join(dir, 'safety.tar');
    const r = await restoreVolume(testContext(docker, SUITE, { helperImage: BUSYBOX }), {
      file: smallTar,
      volumeName: target,
      replace: true,
      safetyBackupFile: safety,
    });
    assert.equal(r.safetyBackup, safety);
    assert.equal(await listVolume(docker, SUITE, target), smallList);
    await verifyBackup(safety);
    const back = uniq('cv-safety-back');
    await restoreVolume(testContext(docker, SUITE), { file: safety, volumeName: back, volumeLabels: L });
    assert.equal(await listVolume(docker, SUITE, back), old);
  });

  test('replace of a volume in use, with no helper image to empty it, is refused before the safety backup', async () => {
    const target = await createVolume(docker, SUITE, uniq('cv-replace-noimg'));
    await sh(docker, SUITE, 'echo old > /v/old', [`${target}:/v`]);
    const old = await listVolume(docker, SUITE, target);
    await runContainer(docker, SUITE, { binds: [`${target}:/data`], start: false });
    const before = readdirSync(dir).length;
    await assert.rejects(restoreVolume(testContext(docker, SUITE), { file: smallTar, volumeName: target, replace: true }), /helper image with a shell/);
    assert.equal(await listVolume(docker, SUITE, target), old);
    assert.equal(readdirSync(dir).length, before);
  });

  test('verify finds a corrupted byte (sidecar sha256), a corrupted header, and truncation', async () => {
    const good = readFileSync(smallTar);
    const flipped = Buffer.from(good);
    flipped[512 * 3 + 1] ^= 0xff; // inside the data/headers after the first entries
    const bad = path.join(dir, 'flipped.tar');
    writeFileSync(bad, flipped);
    writeFileSync(`${bad}.json`, readFileSync(`${smallTar}.json`));
    await assert.rejects(verifyBackup(bad), /sha256|corrupted/);

    // a restore of it is refused too, on both paths, and leaves no volume behind
    const content = Buffer.from(good);
    content[content.length - 1024 - 512 - 5] ^= 0xff; // the last file's contents: only the sha256 can tell
    writeFileSync(bad, content);
    for (const fastPath of [undefined, { localEngine: true, workHelpers: new WorkHelpers(docker, { images: () => Promise.resolve([BUSYBOX]), labels: L }) }]) {
      const fresh = uniq('cv-flipped');
      try {
        await assert.rejects(restoreVolume(testContext(docker, SUITE, { fastPath }), { file: bad, volumeName: fresh, volumeLabels: L }), /sha256/);
      } finally {
        await fastPath?.workHelpers.dispose();
      }
      assert.equal(await volumeExists(fresh), false);
    }

    const header = Buffer.from(good);
    header[10] ^= 0x55; // the first header's name: its checksum no longer matches
    const badHeader = path.join(dir, 'header.tar');
    writeFileSync(badHeader, header);
    await assert.rejects(verifyBackup(badHeader), /corrupted/);

    // Cut inside the second zero block, every entry is whole: a lone zero block ends an archive, as
    // for GNU tar (issue 11), and nothing is missing.
    const lone = path.join(dir, 'lone-zero.tar');
    writeFileSync(lone, good.subarray(0, good.length - 300));
    await verifyBackup(lone);
    for (const cut of [good.length - 1024, 700, good.length - 1024 + 100]) {
      const t = path.join(dir, `trunc-${cut}.tar`);
      writeFileSync(t, good.subarray(0, cut));
      await assert.rejects(verifyBackup(t), /truncated/, `cut at ${cut}`);
      // and restore refuses it before creating anything
      const fresh = uniq('cv-trunc');
      await assert.rejects(restoreVolume(testContext(docker, SUITE), { file: t, volumeName: fresh }), /truncated/);
      assert.equal(await volumeExists(fresh), false);
    }

    const gz = path.join(dir, 'small.tar.gz');
    await backupVolume(testContext(docker, SUITE), { source: { volumeName: small }, file: gz });
    await verifyBackup(gz);
    truncateSync(gz, readFileSync(gz).length - 10);
    await assert.rejects(verifyBackup(gz), /truncated|corrupted|sha256/);
  });

  test('a plain .tar with zeros after its end (record padding) restores over the API with its sha256 taken over the whole file', async () => {
    // The restore hashes the bytes it streams and reads only what follows the end marker afterwards:
    // the padding is hashed (the record matches), and a byte changed there is found.
    const padded = Buffer.concat([readFileSync(smallTar), Buffer.alloc(3 << 20)]); // past the first 1 MiB read
    const file = path.join(dir, 'padded.tar');
    writeFileSync(file, padded);
    const record = JSON.parse(readFileSync(`${smallTar}.json`, 'utf8')) as Record<string, unknown>;
    const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    writeFileSync(`${file}.json`, JSON.stringify({ ...record, archiveBytes: padded.length, sha256: sha256(padded) }));
    const fresh = uniq('cv-padded');
    const r = await restoreVolume(testContext(docker, SUITE), { file, volumeName: fresh, volumeLabels: L });
    assert.equal(r.method, 'archive-endpoint');
    assert.equal(await listVolume(docker, SUITE, fresh), smallList);

    const changed = Buffer.from(padded);
    changed[changed.length - 100] = 0x41; // past the end marker: no header or count can tell
    writeFileSync(file, changed);
    const other = uniq('cv-padded');
    await assert.rejects(restoreVolume(testContext(docker, SUITE), { file, volumeName: other, volumeLabels: L }), /sha256/);
    assert.equal(await volumeExists(other), false);
  });

  suite('cancel and failure with a bigger volume', () => {
    let big: string;
    let userId: string;

    suiteSetup(async () => {
      big = await createVolume(docker, SUITE, uniq('cv-big'));
      await sh(docker, SUITE, 'for i in 1 2 3 4 5 6; do dd if=/dev/urandom of=/v/f$i bs=1M count=40 2>/dev/null; done', [`${big}:/v`]);
      userId = await runContainer(docker, SUITE, { binds: [`${big}:/data`], cmd: ['sh', '-c', 'trap "exit 0" TERM; while :; do sleep 1; done'] });
    });

    async function assertClean(file: string): Promise<void> {
      assert.equal(existsSync(file), false, 'no final file');
      assert.equal(existsSync(`${file}.json`), false, 'no sidecar');
      assert.deepEqual(
        readdirSync(path.dirname(file)).filter((f) => f.includes('.partial-')),
        [],
        'no temporary file',
      );
      assert.deepEqual(await liveHelpers(docker, TEST_LABEL, SUITE), [], 'no helper');
      const st = await docker.getContainer(userId).inspect();
      assert.equal(st.State.Running, true, "the volume's container runs");
      assert.match(await sh(docker, SUITE, 'ls /data', [], [userId]), /f1/);
    }

    const points: [string, (p: { message?: Message; done?: number }) => boolean][] = [
      ['while containers are being stopped', (p) => /Stopping/.test(String(p.message ?? ''))],
      ['while the archive streams', (p) => (p.done ?? 0) > 0 && p.message === undefined],
    ];
    for (const [when, trigger] of points) {
      test(`cancel ${when}: no final file, no helper, containers running`, async () => {
        const file = path.join(dir, `cancel-${when.replace(/\W+/g, '-')}.tar`);
        const ac = new AbortController();
        let fired = false;
        const since = Date.now();
        const p = backupVolume(
          testContext(docker, SUITE),
          { source: { volumeName: big }, file, stopContainers: true },
          {
            signal: ac.signal,
            progress: (e) => {
              if (!fired && trigger(e)) {
                fired = true;
                ac.abort();
              }
            },
          },
        );
        await assert.rejects(p, /cancelled/);
        assert.ok(fired, 'the cancel point was reached');
        await assertClean(file);
        // The helper reading the volume (made once the containers are stopped) is gone before they start again.
        const order = removedAndStarted(await containerEvents(docker, SUITE, since), 'backup', userId);
        assert.deepEqual(order, order.length === 2 ? ['backup removed', 'started'] : ['started'], 'no helper removed after the restart');
        if (when.includes('streams')) assert.equal(order.length, 2, 'the helper was there');
      });
    }

    test('cancel of a restore while it streams, and of a clone: the new volume is removed, no helper left', async () => {
      const file = path.join(dir, 'big-for-restore.tar');
      await backupVolume(testContext(docker, SUITE), { source: { volumeName: big }, file });
      const abortOnData = () => {
        const ac = new AbortController();
        let streaming = false;
        return {
          ac,
          progress: (p: { message?: Message; done?: number }) => {
            if (/^(Restoring|Copying)/.test(String(p.message ?? ''))) streaming = true;
            if (streaming && (p.done ?? 0) > 0 && !ac.signal.aborted) ac.abort();
          },
        };
      };
      const r = abortOnData();
      const target = uniq('cv-cancel-restore');
      await assert.rejects(
        restoreVolume(testContext(docker, SUITE), { file, volumeName: target, volumeLabels: L }, { signal: r.ac.signal, progress: r.progress }),
        /cancelled/,
      );
      assert.ok(r.ac.signal.aborted);
      assert.equal(await volumeExists(target), false);
      const c = abortOnData();
      const clone = uniq('cv-cancel-clone');
      await assert.rejects(
        cloneVolume(testContext(docker, SUITE), { source: big, target: clone, volumeLabels: L }, { signal: c.ac.signal, progress: c.progress }),
        /cancelled/,
      );
      assert.ok(c.ac.signal.aborted);
      assert.equal(await volumeExists(clone), false);
      await assertClean(path.join(dir, 'nothing.tar'));
    });

    test('fast paths: cancel mid-backup kills tar in the work helper; cancel of a restore and a clone removes the new volume', async () => {
      const helpers = new WorkHelpers(docker, { images: () => Promise.resolve([BUSYBOX]), labels: L });
      const fastPath = { localEngine: true, workHelpers: helpers };
      const tarsIn = async () => {
        const names = await liveHelpers(docker, TEST_LABEL, SUITE);
        const tops = await Promise.all(names.map((n) => docker.getContainer(n.replace(/^\//, '')).top()));
        return tops.flatMap((t) => ((t as { Processes?: string[][] }).Processes ?? []).map((p) => p.join(' '))).filter((p) => / (tar|cp) /.test(` ${p} `));
      };
      try {
        const file = path.join(dir, 'cancel-fast.tar');
        const ac = new AbortController();
        const p = backupVolume(
          testContext(docker, SUITE, { fastPath }),
          { source: { volumeName: big }, file, stopContainers: true },
          {
            signal: ac.signal,
            progress: (e) => {
              if ((e.done ?? 0) > 0 && !ac.signal.aborted) ac.abort();
            },
          },
        );
        await assert.rejects(p, /cancelled/);
        assert.ok(ac.signal.aborted);
        assert.equal(existsSync(file), false, 'no final file');
        assert.deepEqual(
          readdirSync(dir).filter((f) => f.includes('.partial-')),
          [],
          'no temporary file',
        );
        // cancel returns once the process tree in the helper is gone: no waiting here
        assert.deepEqual(await tarsIn(), [], 'tar was killed');
        assert.equal((await docker.getContainer(userId).inspect()).State.Running, true, 'the stopped container runs again');

        const archive = path.join(dir, 'big-for-fast-restore.tar');
        await backupVolume(testContext(docker, SUITE, { fastPath }), { source: { volumeName: big }, file: archive });
        const target = uniq('cv-cancel-fast-restore');
        const r = new AbortController();
        await assert.rejects(
          restoreVolume(
            testContext(docker, SUITE, { fastPath }),
            { file: archive, volumeName: target, volumeLabels: L },
            {
              signal: r.signal,
              // tar reports its position only twice a second: cancel shortly after it starts
              progress: (e) => {
                if (String(e.message ?? '').startsWith('Restoring') && !r.signal.aborted) setTimeout(() => r.abort(), 50);
              },
            },
          ),
          /cancelled/,
        );
        assert.ok(r.signal.aborted);
        assert.equal(await volumeExists(target), false);
        const clone = uniq('cv-cancel-fast-clone');
        const c = new AbortController();
        await assert.rejects(
          cloneVolume(
            testContext(docker, SUITE, { fastPath }),
            { source: big, target: clone, volumeLabels: L },
            {
              signal: c.signal,
              progress: (e) => {
                if (String(e.message ?? '').startsWith('Copying') && !c.signal.aborted) setTimeout(() => c.abort(), 20);
              },
            },
          ),
          /cancelled/,
        );
        assert.equal(await volumeExists(clone), false);
        assert.deepEqual(await tarsIn(), [], 'nothing left running in the helpers');
      } finally {
        await helpers.dispose();
      }
      assert.deepEqual(await liveHelpers(docker, TEST_LABEL, SUITE), [], 'no helper');
    });

    test('an already cancelled signal does nothing at all', async () => {
      const file = path.join(dir, 'pre-cancelled.tar');
      await assert.rejects(
        backupVolume(testContext(docker, SUITE), { source: { volumeName: big }, file }, { signal: AbortSignal.abort() }),
        (e: Error) => e.name === 'AbortError',
      );
      await assertClean(file);
    });

    test('the engine connection dying mid-backup: a clear error, no final file, stopped containers started again', async () => {
      const sock = path.join(dir, 'proxy.sock');
      let cut = false;
      const server = net.createServer((client) => {
        const up = net.connect(engineSocketPath());
        let n = 0;
        client.pipe(up);
        up.on('data', (d: Buffer) => {
          n += d.length;
          if (!cut && n > 20 * 1024 * 1024) {
            cut = true; // one big response (the archive) dies half-way
            up.destroy();
            client.destroy();
            return;
          }
          client.write(d);
        });
        up.on('error', () => client.destroy());
        client.on('error', () => up.destroy());
      });
      await new Promise<void>((r) => server.listen(sock, r));
      try {
        const flaky = new Dockerode({ socketPath: sock });
        const file = path.join(dir, 'engine-died.tar');
        await assert.rejects(backupVolume(testContext(flaky, SUITE), { source: { volumeName: big }, file, stopContainers: true }), (e: Error) => {
          assert.match(e.message, /connection to the Docker engine broke during the backup|truncated/);
          return true;
        });
        assert.ok(cut);
        await assertClean(file);
      } finally {
        server.close();
      }
    });

    // The fast path's tar records a file's size in its header and copies exactly that many bytes, so a
    // file that grows meanwhile gives a complete archive holding a prefix of it. (Through the archive
    // endpoint the engine instead sends a short archive; that is the truncated-archive case, refused
    // by the tests of truncated and cut-off archives.)
    test('a file growing during a fast backup: a complete, verified archive with the size tar recorded', async () => {
      const writer = await runContainer(docker, SUITE, {
        binds: [`${big}:/data`],
        cmd: ['sh', '-c', 'while :; do dd if=/dev/urandom bs=64k count=16 2>/dev/null >> /data/grow.log; done'],
      });
      const helpers = new WorkHelpers(docker, { images: () => Promise.resolve([BUSYBOX]), labels: L });
      try {
        await new Promise((r) => setTimeout(r, 500));
        const file = path.join(dir, 'growing-fast.tar');
        const r = await backupVolume(testContext(docker, SUITE, { fastPath: { localEngine: true, workHelpers: helpers } }), {
          source: { volumeName: big },
          file,
        });
        assert.equal(r.method, 'helper-tar');
        const v = await verifyBackup(file);
        assert.equal(v.stats.entries, r.sidecar.entryCount);
        const listed = execFileSync('tar', ['-tvf', file], { encoding: 'utf8' })
          .split('\n')
          .find((l) => l.endsWith('grow.log'));
        assert.ok(listed && Number(listed.split(/\s+/)[2]) > 0, `grow.log is in the archive with its recorded size: ${listed}`);
      } finally {
        await helpers.dispose();
        await docker.getContainer(writer).remove({ force: true });
      }
    });

    test('two operations on one volume run one after the other', async () => {
      const events: string[] = [];
      const one = backupVolume(
        testContext(docker, SUITE),
        { source: { volumeName: big }, file: path.join(dir, 'lock1.tar') },
        {
          progress: (p) => {
            if (p.message) events.push(`1:${p.message.toString()}`);
          },
        },
      );
      const two = backupVolume(
        testContext(docker, SUITE),
        { source: { volumeName: big }, file: path.join(dir, 'lock2.tar') },
        {
          progress: (p) => {
            if (p.message) events.push(`2:${p.message.toString()}`);
          },
        },
      );
      await Promise.all([one, two]);
      const firstDone = events.findIndex((e) => e === '1:Backup complete' || e === '2:Backup complete');
      const winner = events[firstDone][0];
      const loserStart = events.findIndex((e) => e.startsWith(winner === '1' ? '2:Reading' : '1:Reading'));
      assert.ok(loserStart > firstDone, events.join(' | '));
    });

    test('locks: the same key waits, different keys do not', async () => {
      const order: string[] = [];
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const a = withVolumeLocks([volumeKey('h', 'x')], async () => {
        order.push('a-start');
        await gate;
        order.push('a-end');
      });
      const b = withVolumeLocks([volumeKey('h', 'x')], () => {
        order.push('b');
        return Promise.resolve();
      });
      const c = withVolumeLocks([volumeKey('h', 'y')], () => {
        order.push('c');
        return Promise.resolve();
      });
      await c;
      assert.deepEqual(order, ['a-start', 'c']);
      release();
      await Promise.all([a, b]);
      assert.deepEqual(order, ['a-start', 'c', 'a-end', 'b']);
    });
  });

  test('cancel of a work helper job kills its whole process tree before it returns', async () => {
    const helpers = new WorkHelpers(docker, { images: () => Promise.resolve([BUSYBOX]), labels: L });
    const procs = async () => {
      const names = await liveHelpers(docker, TEST_LABEL, SUITE);
      const tops = await Promise.all(names.map((n) => docker.getContainer(n.replace(/^\//, '')).top()));
      return tops.flatMap((t) => ((t as { Processes?: string[][] }).Processes ?? []).map((p) => p.join(' '))).filter((p) => p.includes('sleep 37'));
    };
    try {
      const ac = new AbortController();
      // the shell waits for its child, as a `cp` in a script does: killing the shell alone leaves it running
      const job = helpers.run({ binds: [], writeVolumes: false, argv: ['sh', '-c', 'sleep 37; echo done'], signal: ac.signal });
      job.catch(() => undefined);
      for (let i = 0; i < 100 && (await procs()).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
      assert.notDeepEqual(await procs(), [], 'the job runs');
      ac.abort();
      await assert.rejects(job, (e: Error) => e.name === 'AbortError');
      assert.deepEqual(await procs(), []);
    } finally {
      await helpers.dispose();
    }
  });

  test('sweep removes helpers of dead owners and keeps those of live ones', async () => {
    const mk = (owner: string) =>
      docker.createContainer({
        Image: EMPTY_IMAGE,
        Cmd: ['/none'],
        Labels: { ...L, [HELPER_LABEL]: 'test', [HELPER_OWNER_LABEL]: owner },
      });
    await ensureEmptyImage(docker);
    const dead = await mk(`${os.hostname()}:999999999`);
    const live = await mk(`${os.hostname()}:${process.pid}`);
    try {
      const removed = await sweepHelpers(docker);
      const names = [(await dead.inspect().catch(() => undefined))?.Name, (await live.inspect()).Name];
      assert.equal(names[0], undefined, `dead owner's helper removed (${removed.join(',')})`);
      assert.ok(names[1]);
    } finally {
      await live.remove({ force: true }).catch(() => undefined);
    }
  });
});
