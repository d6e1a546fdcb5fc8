// One volume, two processes (issue 18): real CLI processes racing on the real engine, as two
// "machines" (different host identities, CONTAINER_VOLUMES_HOST_ID) and on one host. Each round:
// exactly one wins, the other refuses with one line naming the holder (or, when it came after the
// winner had finished, finds the volume taken), and the volume holds exactly one source, never a
// merge. The holder is made to hold on deterministically by stopping its process (SIGSTOP) once
// its lock is on the engine.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { backupVolume } from '../../src/core/operations/backupVolume';
import { HELPER_LABEL, HELPER_OWNER_LABEL } from '../../src/core/engine/engine';
import { CREATOR_LABEL, createNewVolume, lockName, VolumeBusyError, withEngineLocks } from '../../src/core/operations/engineLocks';
import {
  LOCK_APP_LABEL,
  LOCK_HOST_LABEL,
  LOCK_LEASE_LABEL,
  LOCK_MODE_LABEL,
  LOCK_OPERATION_LABEL,
  LOCK_PID_LABEL,
  LOCK_SINCE_LABEL,
  LOCK_VOLUME_LABEL,
} from '../../src/core/engine/lockLabels';
import { ensureEmptyImage, sweepHelpers } from '../../src/core/helpers/helperContainers';
import { InventoryLoader } from '../../src/core/engine/inventory';
import { CancelledError } from '../../src/core/operations/operationErrors';
import { removeVolume } from '../../src/core/operations/volumeAdmin';
import { VolumeFiles, VolumeFsError } from '../../src/core/files/volumeFiles';
import { msg } from '../../src/core/message';
import { BUSYBOX, cleanup, createVolume, EMPTY_IMAGE, labels, sh, testContext, testEngine, uniq } from '../support/docker';

const SUITE = 'engine-locks';
const CLI = path.resolve(__dirname, '../../../dist/cli.js');
const ROUNDS = 10;

interface Run {
  readonly proc: ChildProcess;
  readonly done: Promise<{ code: number; stdout: string; stderr: string; ms: number }>;
}

function start(args: string[], env: Record<string, string> = {}, quiet = true): Run {
  const t0 = Date.now();
  const proc = spawn(process.execPath, [CLI, ...args, ...(quiet ? ['--quiet'] : [])], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  proc.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number; stdout: string; stderr: string; ms: number }>((resolve, reject) => {
    proc.on('error', reject);
    proc.on('close', (code, sig) => resolve({ code: code ?? (sig ? -1 : -2), stdout, stderr, ms: Date.now() - t0 }));
  });
  return { proc, done };
}

const machine = (id: string) => ({ CONTAINER_VOLUMES_HOST_ID: id });

async function waitFor(what: string, cond: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const BUSY = (volume: string) =>
  new RegExp(
    `^container-volumes: Volume "${volume}" is busy: .+ by the CLI \\(pid \\d+\\) on \\S+ since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC; nothing was changed \\(--wait waits for it\\)\\.$`,
  );

suite('Engine locks: one volume, two processes (real CLI processes)', function () {
  this.timeout(600_000);
  const engine = testEngine();
  const docker = engine.docker;
  let dir: string;
  const made: string[] = [];
  const sources: Record<string, string> = {};

  /** The first letters of the volume's entries, e.g. { a: 201 }: one key = one source. */
  async function sourcesIn(volume: string): Promise<Record<string, number>> {
    const out = await sh(docker, SUITE, 'ls -A /v | cut -c1-2 | sort | uniq -c', [`${volume}:/v`]);
    const counts: Record<string, number> = {};
    for (const line of out.replace(/\r/g, '').trim().split('\n').filter(Boolean)) {
      const [n, p] = line.trim().split(/\s+/);
      counts[p] = Number(n);
    }
    return counts;
  }

  async function assertHoldsExactly(volume: string, source: 'a-' | 'b-' | 's-'): Promise<void> {
    assert.deepEqual(await sourcesIn(volume), { [source]: 201 }, `volume ${volume} holds exactly the source ${source}`);
  }

  async function lockExists(name: string): Promise<boolean> {
    try {
      await docker.getContainer(name).inspect();
      return true;
    } catch {
      return false;
    }
  }

  async function readers(volume: string): Promise<number> {
    return (await docker.listContainers({ all: true, filters: { label: [`${LOCK_VOLUME_LABEL}=${volume}`, `${LOCK_MODE_LABEL}=read`] } })).length;
  }

  async function volumeExists(volume: string): Promise<boolean> {
    return docker
      .getVolume(volume)
      .inspect()
      .then(
        () => true,
        () => false,
      );
  }

  function newVolumeName(tag: string): string {
    const v = uniq(`cvlk-${tag}`) + Math.random().toString(36).slice(2, 6);
    made.push(v);
    return v;
  }

  suiteSetup(async () => {
    assert.ok(existsSync(CLI), 'run `npm run build` first');
    await cleanup(docker, SUITE);
    await ensureEmptyImage(docker);
    dir = mkdtempSync(path.join(os.tmpdir(), 'cv-locks-'));
    // Three sources: 200 small files and one of 24 MiB each (so an operation lasts long enough to
    // be caught holding its lock), with names that say which source they came from.
    for (const s of ['a', 'b', 's']) {
      const v = await createVolume(docker, SUITE, uniq(`cvlk-src-${s}`));
      await sh(docker, SUITE, `for i in $(seq 1 200); do echo ${s} > /v/${s}-$i; done; dd if=/dev/zero of=/v/${s}-big bs=1M count=24 2>/dev/null`, [`${v}:/v`]);
      sources[s] = v;
      if (s !== 's') {
        await backupVolume(testContext(docker, SUITE), { source: { volumeName: v }, file: path.join(dir, `${s}.tar`) });
      }
    }
  });

  suiteTeardown(async () => {
    for (const v of made) {
      // The CLI's locks carry no test label; they are found by the unique volume names of this suite.
      const locks = await docker.listContainers({ all: true, filters: { label: [`${LOCK_VOLUME_LABEL}=${v}`] } });
      for (const c of locks) {
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
    await cleanup(docker, SUITE);
    rmSync(dir, { recursive: true, force: true });
  });

  test(`two restores of different archives into one new volume, started together: exactly one wins, never merged (${ROUNDS} rounds, two machines)`, async () => {
    let busySeen = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const v = newVolumeName('rr');
      const [ra, rb] = await Promise.all([
        start(['restore', path.join(dir, 'a.tar'), v], machine('machine-a')).done,
        start(['restore', path.join(dir, 'b.tar'), v], machine('machine-b')).done,
      ]);
      const results = [ra, rb];
      assert.equal(results.filter((r) => r.code === 0).length, 1, `round ${round}: exactly one wins: ${JSON.stringify(results)}`);
      const winner = ra.code === 0 ? 'a-' : 'b-';
      const loser = ra.code === 0 ? rb : ra;
      assert.equal(loser.code, 1, loser.stderr);
      const line = loser.stderr.trim();
      assert.equal(line.split('\n').length, 1, `one line: ${loser.stderr}`);
      if (BUSY(v).test(line)) {
        busySeen++;
        assert.match(line, new RegExp(`restore of ${winner === 'a-' ? 'a' : 'b'}\\.tar by the CLI \\(pid \\d+\\) on machine-${winner[0]}`));
      } else {
        // It came after the winner had finished: the volume is not new any more.
        assert.match(line, /is not empty: nothing was restored/);
      }
      await assertHoldsExactly(v, winner);
    }
    assert.ok(busySeen > 0, 'at least one round found the volume held by the other process');
  });

  test(`clone and restore into one new volume, started together: exactly one wins, never merged (${ROUNDS} rounds)`, async () => {
    let busySeen = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const v = newVolumeName('cr');
      const [rc, rr] = await Promise.all([
        start(['clone', sources.s, v], machine('machine-a')).done,
        start(['restore', path.join(dir, 'a.tar'), v], round % 2 ? machine('machine-b') : {}).done,
      ]);
      assert.equal([rc, rr].filter((r) => r.code === 0).length, 1, `round ${round}: exactly one wins: ${JSON.stringify([rc, rr])}`);
      const loser = rc.code === 0 ? rr : rc;
      assert.equal(loser.code, 1);
      const line = loser.stderr.trim();
      assert.equal(line.split('\n').length, 1, `one line: ${loser.stderr}`);
      if (BUSY(v).test(line)) busySeen++;
      else assert.match(line, /is not empty: nothing was restored|already exists: a clone always goes into a new volume/);
      await assertHoldsExactly(v, rc.code === 0 ? 's-' : 'a-');
    }
    assert.ok(busySeen > 0, 'at least one round found the volume held by the other process');
  });

  test('replace while another process backs up: the replace is refused and the backup holds the old contents; then the other way round, and the volumes view marks the holder', async () => {
    for (let round = 0; round < 3; round++) {
      // 1. The backup holds the volume (its process stopped while it reads): the replace is refused.
      const v = newVolumeName('rb');
      assert.equal((await start(['restore', path.join(dir, 'a.tar'), v]).done).code, 0);
      await assertHoldsExactly(v, 'a-');
      const file = path.join(dir, `${v}.tar`);
      const backup = start(['backup', v, file], machine('machine-a'));
      await waitFor("the backup's read lock", async () => (await readers(v)) > 0);
      backup.proc.kill('SIGSTOP');
      try {
        const replace = await start(
          ['restore', path.join(dir, 'b.tar'), v, '--replace', '--safety-backup', path.join(dir, `${v}-safety.tar`)],
          machine('machine-b'),
        ).done;
        assert.equal(replace.code, 1, replace.stderr);
        assert.match(replace.stderr.trim(), BUSY(v));
        assert.match(replace.stderr, new RegExp(`backup to ${v}\\.tar \\(reading it\\) by the CLI \\(pid ${backup.proc.pid}\\) on machine-a`));
        assert.equal(existsSync(path.join(dir, `${v}-safety.tar`)), false, 'the refused replace wrote nothing');
      } finally {
        backup.proc.kill('SIGCONT');
      }
      const b = await backup.done;
      assert.equal(b.code, 0, b.stderr);
      await assertHoldsExactly(v, 'a-');
      const check = newVolumeName('rbchk');
      assert.equal((await start(['restore', file, check]).done).code, 0);
      await assertHoldsExactly(check, 'a-');

      // 2. The replace holds the volume: a backup is refused and writes no file; the inventory
      // (what the views show) names the holder, and hides its lock container.
      const replace = start(['restore', path.join(dir, 'b.tar'), v, '--replace', '--safety-backup', path.join(dir, `${v}-safety2.tar`)], machine('machine-a'));
      await waitFor("the replace's lock", () => lockExists(lockName(v)));
      replace.proc.kill('SIGSTOP');
      try {
        const file2 = path.join(dir, `${v}-2.tar`);
        const refusedRun = start(['backup', v, file2], machine('machine-b'));
        const refused = await refusedRun.done;
        assert.equal(refused.code, 1, refused.stderr);
        // Its tar helper was created while it asked for the lock: removed again.
        assert.deepEqual(
          await docker.listContainers({ all: true, filters: { label: [`${HELPER_OWNER_LABEL}=${os.hostname()}:${refusedRun.proc.pid}`] } }),
          [],
          'the refused backup left no helper',
        );
        assert.match(refused.stderr.trim(), BUSY(v));
        assert.match(refused.stderr, new RegExp(`restore of b\\.tar by the CLI \\(pid ${replace.proc.pid}\\) on machine-a`));
        assert.equal(existsSync(file2), false);
        const inv = await new InventoryLoader(engine).load();
        const vol = inv.volumes.find((x) => x.name === v);
        assert.equal(vol?.lock?.operation.toString(), 'restore of b.tar');
        assert.equal(vol?.lock?.app.toString(), 'the CLI');
        // The CLI wrote codes beside its English words: a window in Chinese reads the holder in Chinese.
        assert.equal(vol?.lock?.operation.render('zh-cn'), '恢复 b.tar');
        assert.equal(vol?.lock?.app.render('zh-cn'), '命令行工具');
        assert.equal(vol?.lock?.host, 'machine-a');
        assert.equal(vol?.lock?.ours, false);
        assert.ok(!inv.containers.some((c) => c.name === lockName(v)), "the lock container is not one of the user's containers");
      } finally {
        replace.proc.kill('SIGCONT');
      }
      const r = await replace.done;
      assert.equal(r.code, 0, r.stderr);
      await assertHoldsExactly(v, 'b-');
      assert.equal(await lockExists(lockName(v)), false, 'released');
    }
  });

  test('a lock whose owner on another machine was killed (SIGKILL) is broken after its lease, not before', async () => {
    const lease = 6000;
    const v = newVolumeName('kill');
    const owner = start(['restore', path.join(dir, 'a.tar'), v], { ...machine('machine-a'), CONTAINER_VOLUMES_LOCK_LEASE_MS: String(lease) });
    await waitFor("the owner's lock and volume", async () => (await lockExists(lockName(v))) && (await volumeExists(v)));
    owner.proc.kill('SIGKILL');
    const killedAt = Date.now();
    await owner.done;
    const replaceArgs = ['restore', path.join(dir, 'b.tar'), v, '--replace', '--safety-backup', path.join(dir, `${v}-safety.tar`)];
    // Before the lease ran out: still held (the owner might only be slow).
    const early = await start(replaceArgs, machine('machine-b')).done;
    assert.ok(
      Date.now() - killedAt < lease * 0.8 - 500,
      `the early attempt ended in time (${Date.now() - killedAt} ms): the machine is too slow for this check`,
    );
    assert.equal(early.code, 1, early.stderr);
    assert.match(early.stderr.trim(), BUSY(v));
    assert.match(early.stderr, /restore of a\.tar by the CLI \(pid \d+\) on machine-a/);
    // Waiting: broken once the lease is over, and not long after.
    const waited = await start([...replaceArgs, '--wait'], machine('machine-b'), false).done;
    const after = Date.now() - killedAt;
    assert.equal(waited.code, 0, waited.stderr);
    assert.ok(after >= lease * 0.8 - 300, `broken after ${after} ms: not before the lease (${lease} ms, renewed every ${lease / 5} ms)`);
    assert.ok(after <= lease + 8000, `broken ${after} ms after the kill: within the lease and a few polls`);
    assert.match(waited.stderr, /waiting: volume ".+" is busy: restore of a\.tar by the CLI/);
    await assertHoldsExactly(v, 'b-');
    assert.equal(await lockExists(lockName(v)), false);
  });

  test('a lock whose owner on this host was killed (SIGKILL) is broken at once: its pid is gone', async () => {
    const v = newVolumeName('killlocal');
    const owner = start(['restore', path.join(dir, 'a.tar'), v]);
    await waitFor("the owner's lock and volume", async () => (await lockExists(lockName(v))) && (await volumeExists(v)));
    owner.proc.kill('SIGKILL');
    await owner.done;
    const r = await start(['restore', path.join(dir, 'b.tar'), v, '--replace', '--safety-backup', path.join(dir, `${v}-safety.tar`)]).done;
    assert.equal(r.code, 0, r.stderr);
    await assertHoldsExactly(v, 'b-');
  });

  test('--wait waits for the holder and then runs: a backup started during a restore gets the restored contents', async () => {
    const v = newVolumeName('wait');
    const restore = start(['restore', path.join(dir, 'a.tar'), v], machine('machine-a'));
    await waitFor("the restore's lock and volume", async () => (await lockExists(lockName(v))) && (await volumeExists(v)));
    restore.proc.kill('SIGSTOP');
    const file = path.join(dir, `${v}.tar`);
    const backup = start(['backup', v, file, '--wait'], machine('machine-b'));
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(existsSync(file), false, 'the backup waits');
    restore.proc.kill('SIGCONT');
    assert.equal((await restore.done).code, 0);
    const b = await backup.done;
    assert.equal(b.code, 0, b.stderr);
    const check = newVolumeName('waitchk');
    assert.equal((await start(['restore', file, check]).done).code, 0);
    await assertHoldsExactly(check, 'a-');
  });

  test('in this process: a busy volume refuses by default (removal and file saves too), and waiting is cancellable; nothing is changed', async () => {
    const v = newVolumeName('inproc');
    const holder = start(['restore', path.join(dir, 'a.tar'), v]);
    await waitFor("the holder's lock and volume", async () => (await lockExists(lockName(v))) && (await volumeExists(v)));
    holder.proc.kill('SIGSTOP');
    let files: VolumeFiles | undefined;
    try {
      // A file saved through the volume's folder is refused too.
      files = await VolumeFiles.open(engine, { volume: v, helperImages: [BUSYBOX], labels: labels(SUITE) });
      await assert.rejects(
        files.write('/note.txt', Buffer.from('x'), { create: true, overwrite: false }),
        (e: unknown) => e instanceof VolumeFsError && e.code === 'NoPermissions' && /is busy: restore of a\.tar by the CLI/.test(e.message),
      );
      let ran = false;
      const claim = [{ volume: v, mode: 'write' as const }];
      await assert.rejects(
        withEngineLocks(docker, claim, { operation: msg('plain', { detail: 'test' }), labels: labels(SUITE) }, () => {
          ran = true;
          return Promise.resolve();
        }),
        (e: unknown) =>
          e instanceof VolumeBusyError && e.holder.app.toString() === 'the CLI' && e.holder.pid === holder.proc.pid && /restore of a\.tar/.test(e.message),
      );
      const ac = new AbortController();
      const messages: string[] = [];
      setTimeout(() => ac.abort(), 1200);
      await assert.rejects(
        withEngineLocks(
          docker,
          claim,
          {
            operation: msg('plain', { detail: 'test' }),
            labels: labels(SUITE),
            signal: ac.signal,
            progress: (p) => p.message && messages.push(p.message.toString()),
            policy: { onBusy: () => 'wait' },
          },
          () => {
            ran = true;
            return Promise.resolve();
          },
        ),
        CancelledError,
      );
      assert.equal(ran, false);
      assert.ok(
        messages.some((m) => /^Waiting for restore of a\.tar by the CLI/.test(m)),
        messages.join('\n'),
      );
      await assert.rejects(
        removeVolume(engine, v),
        (e: unknown) => e instanceof VolumeBusyError && /restore of a\.tar by the CLI/.test(e.message),
        'no removal under a restore',
      );
      const mine = await docker.listContainers({ all: true, filters: { label: [`${LOCK_VOLUME_LABEL}=${v}`, `${LOCK_PID_LABEL}=${process.pid}`] } });
      assert.deepEqual(mine, [], 'nothing of ours is left on the engine');
    } finally {
      await files?.close();
      holder.proc.kill('SIGCONT');
    }
    assert.equal((await holder.done).code, 0);
    await assertHoldsExactly(v, 'a-');
  });

  test('a holder whose lock was broken (it stalled past its lease) stops its operation, saying why', async () => {
    const v = newVolumeName('lost');
    // A second process that holds the volume with a 2 s lease and would run until told to stop.
    const script = `
      const Dockerode = require('dockerode');
      const { withEngineLocks } = require(${JSON.stringify(path.resolve(__dirname, '../../src/core/operations/engineLocks.js'))});
      const { msg } = require(${JSON.stringify(path.resolve(__dirname, '../../src/core/message.js'))});
      withEngineLocks(new Dockerode(), [{ volume: process.argv[1], mode: 'write' }], { operation: msg('plain', { detail: 'a long write' }), labels: ${JSON.stringify(labels(SUITE))} },
        (signal) => new Promise((_, reject) => { console.log('held'); signal.addEventListener('abort', () => reject(new Error('the operation saw its signal abort'))); }))
        .catch((e) => { console.log('stopped: ' + e.message); process.exit(3); });`;
    const proc = spawn(process.execPath, ['-e', script, v], {
      cwd: path.resolve(__dirname, '../../..'),
      env: { ...process.env, CONTAINER_VOLUMES_LOCK_LEASE_MS: '2000' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number>((r) => proc.on('close', (c) => r(c ?? -1)));
    try {
      await waitFor('the lock', async () => out.includes('held') && (await lockExists(lockName(v))));
      // What a breaker does to a lock it found stale: remove it.
      await docker.getContainer(lockName(v)).remove({ force: true });
      const t0 = Date.now();
      assert.equal(await Promise.race([exited, new Promise((r) => setTimeout(() => r('still running'), 10_000))]), 3, out);
      assert.ok(Date.now() - t0 < 5000, 'stopped at its next renewal');
      assert.match(
        out,
        new RegExp(`stopped: The operation stopped: its lock on volume "${v}" was broken by another process .*the operation saw its signal abort`),
      );
    } finally {
      proc.kill('SIGKILL');
    }
  });

  test('"into a new volume" means new: a volume that exists already (someone else\'s) is refused and left as it was', async () => {
    const v = await createVolume(docker, SUITE, uniq('cvlk-theirs'), { mine: 'no' });
    await assert.rejects(createNewVolume(docker, { Name: v, Labels: { x: 'y' } }), /was created by someone else meanwhile: nothing was written to it/);
    const info = await docker.getVolume(v).inspect();
    assert.equal(info.Labels?.mine, 'no');
    assert.equal(info.Labels?.[CREATOR_LABEL], undefined);
    const fresh = newVolumeName('fresh');
    await createNewVolume(docker, { Name: fresh, Labels: labels(SUITE) });
    assert.ok((await docker.getVolume(fresh).inspect()).Labels?.[CREATOR_LABEL]);
  });

  test('readers and a writer started together, in one process (20 rounds): never a writer beside anyone, someone gets in every time, readers share', async () => {
    const v = newVolumeName('mix');
    const inside = { read: 0, write: 0 };
    let overlap = '';
    let shared = 0;
    const op = (mode: 'read' | 'write', holdMs = 150) =>
      withEngineLocks(docker, [{ volume: v, mode }], { operation: msg('plain', { detail: mode }), labels: labels(SUITE) }, async () => {
        inside[mode]++;
        if (inside.write > 1 || (inside.write && inside.read)) overlap ||= `${inside.write} writer(s) and ${inside.read} reader(s) inside at once`;
        if (inside.read > 1) shared++;
        await new Promise((r) => setTimeout(r, holdMs));
        inside[mode]--;
      }).then(
        () => mode,
        (e: unknown) => {
          if (e instanceof VolumeBusyError) return 'busy';
          throw e;
        },
      );
    const rounds: string[] = [];
    for (let round = 0; round < 20; round++) rounds.push((await Promise.all([op('read'), op('write'), op('read')])).join(' '));
    assert.equal(overlap, '', 'no writer is ever inside beside another holder');
    assert.ok(
      rounds.every((r) => r !== 'busy busy busy'),
      `someone got in in every round: ${rounds.join(', ')}`,
    );
    assert.equal(await op('write'), 'write', 'a writer alone gets in');
    // With no writer about, two readers started together are both let in, at the same time.
    assert.deepEqual(await Promise.all([op('read', 1500), op('read', 1500)]), ['read', 'read']);
    assert.ok(shared > 0, 'two readers were inside at once (readers share)');
    assert.deepEqual(await docker.listContainers({ all: true, filters: { label: [`${LOCK_VOLUME_LABEL}=${v}`] } }), [], 'no lock or marker left');
  });

  test('a reader of an older version on its way in (mode "enter") lets a reader in and keeps a writer out; a writer\'s name keeps a reader out, leaving no marker', async () => {
    const v = newVolumeName('old');
    const handMade = (mode: 'enter' | 'write') =>
      docker.createContainer({
        name: lockName(v),
        Image: EMPTY_IMAGE,
        Cmd: ['/none'],
        Labels: {
          ...labels(SUITE),
          [HELPER_LABEL]: 'lock',
          [LOCK_VOLUME_LABEL]: v,
          [LOCK_MODE_LABEL]: mode,
          [LOCK_OPERATION_LABEL]: 'backup to old.tar',
          [LOCK_APP_LABEL]: 'the CLI',
          [LOCK_HOST_LABEL]: 'older-machine',
          [LOCK_PID_LABEL]: '4242',
          [LOCK_SINCE_LABEL]: new Date().toISOString(),
          [LOCK_LEASE_LABEL]: '120000',
        },
      });
    const claim = (mode: 'read' | 'write') =>
      withEngineLocks(docker, [{ volume: v, mode }], { operation: msg('plain', { detail: mode }), labels: labels(SUITE) }, () => Promise.resolve(mode));
    const gate = await handMade('enter');
    try {
      assert.equal(await claim('read'), 'read');
      await assert.rejects(claim('write'), (e: unknown) => e instanceof VolumeBusyError && e.holder.host === 'older-machine');
    } finally {
      await gate.remove({ force: true });
    }
    const writer = await handMade('write');
    try {
      await assert.rejects(
        claim('read'),
        (e: unknown) =>
          e instanceof VolumeBusyError && e.holder.mode === 'write' && /backup to old\.tar by the CLI \(pid 4242\) on older-machine/.test(e.message),
      );
      assert.equal(await readers(v), 0, 'the refused reader took its marker back');
    } finally {
      await writer.remove({ force: true });
    }
    assert.equal(await claim('read'), 'read', 'free again');
  });

  test("the sweep never removes a live owner's lock, nor another host's however old; a dead owner's lock on this host goes", async () => {
    const image = await ensureEmptyImage(docker);
    const sleeper = spawn('sleep', ['60']);
    const dead = spawn('true');
    await new Promise((r) => dead.on('close', r));
    const mk = async (name: string, host: string, pid: number) => {
      const v = newVolumeName(name);
      await docker.createContainer({
        name: lockName(v),
        Image: image,
        Cmd: ['/none'],
        Labels: {
          ...labels(SUITE),
          [HELPER_LABEL]: 'lock',
          [HELPER_OWNER_LABEL]: `${host}:${pid}`,
          [LOCK_VOLUME_LABEL]: v,
          [LOCK_MODE_LABEL]: 'write',
          [LOCK_OPERATION_LABEL]: 'test',
          [LOCK_APP_LABEL]: 'test',
          [LOCK_HOST_LABEL]: host,
          [LOCK_PID_LABEL]: String(pid),
          [LOCK_SINCE_LABEL]: new Date().toISOString(),
          [LOCK_LEASE_LABEL]: '30000',
        },
      });
      return lockName(v);
    };
    try {
      const live = await mk('sweeplive', os.hostname(), sleeper.pid ?? 0);
      const gone = await mk('sweepdead', os.hostname(), dead.pid ?? 0);
      const elsewhere = await mk('sweepelse', 'another-machine', 1);
      const removed = await sweepHelpers(docker, 0);
      assert.ok(removed.includes(gone), `removed: ${removed.join(', ')}`);
      assert.equal(await lockExists(gone), false);
      assert.equal(await lockExists(live), true, "a live owner's lock stays");
      assert.equal(await lockExists(elsewhere), true, "another host's lock stays (its lease decides)");
    } finally {
      sleeper.kill();
    }
  });
});
