import * as assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type Dockerode from 'dockerode';
import {
  backupSet,
  pruneBackups,
  readSetRecord,
  setArchiveName,
  setStamp,
  COMPOSE_PROJECT_LABEL,
  COMPOSE_VOLUME_LABEL,
} from '../../src/core/operations/backupSet';
import { TEST_LABEL } from '../../src/core/engine/engine';
import { CancelledError, OperationRefusedError } from '../../src/core/operations/operationErrors';
import { restoreProject } from '../../src/core/operations/restoreProject';
import { verifyBackup } from '../../src/core/archive/verifyBackup';
import { runCli } from '../support/cli';
import { BUSYBOX, cleanup, createVolume, labels, runContainer, testContext, testEngine, uniq } from '../support/docker';
import { fillVolume, listVolume } from '../support/volumeFixtures';
import { operationContext } from '../../src/core/operations/operationContext';

const SUITE = 'backupset';

/** `die` events of a container between two times: how often it was stopped. */
async function stops(docker: Dockerode, id: string, since: number): Promise<number> {
  const stream = await docker.getEvents({ since, until: Math.ceil(Date.now() / 1000) + 1, filters: { container: [id], event: ['die'] } });
  const chunks: Buffer[] = [];
  for await (const c of stream as AsyncIterable<Buffer>) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks)
    .toString()
    .split('\n')
    .filter((l) => l.trim()).length;
}

async function running(docker: Dockerode, id: string): Promise<boolean> {
  return (await docker.getContainer(id).inspect()).State.Running;
}

/** Folders under the names a set backup would give `volume` in the next `seconds`: its archive cannot be written. */
function blockNames(dir: string, volume: string, seconds: number): void {
  const now = Date.now();
  for (let s = -1; s < seconds; s++) mkdirSync(path.join(dir, setArchiveName(volume, setStamp(new Date(now + s * 1000)), 'tar')), { recursive: true });
}

suite('Backups of several volumes: projects, failures, retention, project restore', function () {
  this.timeout(240_000);
  const docker = testEngine().docker;
  let project: string;
  let vols: { db: string; uploads: string; cache: string };
  let dbC: string;
  let webC: string;
  const dirs: string[] = [];
  const tmp = () => {
    const d = mkdtempSync(path.join(os.tmpdir(), 'cv-set-'));
    dirs.push(d);
    return d;
  };

  suiteSetup(async () => {
    await cleanup(docker, SUITE);
    project = uniq('cvset').toLowerCase();
    const mk = (key: string) => createVolume(docker, SUITE, `${project}_${key}`, { [COMPOSE_PROJECT_LABEL]: project, [COMPOSE_VOLUME_LABEL]: key });
    vols = { db: await mk('db'), uploads: await mk('uploads'), cache: await mk('cache') };
    await fillVolume(docker, SUITE, vols.db);
    await fillVolume(docker, SUITE, vols.uploads, 'mkdir -p /v/img && for i in 1 2 3 4 5; do echo "picture $i" > /v/img/$i.jpg; done');
    // Two running containers of the project; web uses two of the volumes (it must still be stopped once).
    dbC = await runContainer(docker, SUITE, { name: `${project}-db-1`, binds: [`${vols.db}:/var/lib/db`] });
    webC = await runContainer(docker, SUITE, { name: `${project}-web-1`, binds: [`${vols.uploads}:/srv/uploads`, `${vols.db}:/srv/db:ro`] });
  });
  suiteTeardown(async () => {
    await cleanup(docker, SUITE);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  test('a project: containers stopped once, every volume backed up and verified, containers running again, a record of it all', async () => {
    const dir = tmp();
    const since = Math.floor(Date.now() / 1000) - 1;
    const r = await backupSet(testContext(docker, SUITE), {
      volumes: Object.values(vols),
      dir,
      project,
      stopContainers: true,
      jobs: 2,
    });
    assert.equal(r.failed.length, 0, r.failed.map((f) => f.error.message).join('; '));
    assert.deepEqual(r.done.map((d) => d.sidecar.volume.name).sort(), Object.values(vols).sort());
    assert.ok((await running(docker, dbC)) && (await running(docker, webC)), 'containers run again');
    assert.equal(await stops(docker, dbC, since), 1, 'db stopped exactly once');
    assert.equal(await stops(docker, webC, since), 1, 'web (two volumes) stopped exactly once');
    for (const d of r.done) {
      const v = await verifyBackup(d.file);
      assert.equal(v.stats.entries, d.sidecar.entryCount);
    }
    assert.ok(r.recordFile && existsSync(r.recordFile));
    const rec = await readSetRecord(r.recordFile);
    assert.equal(rec.project, project);
    assert.deepEqual(rec.stoppedContainers.slice().sort(), [`${project}-db-1`, `${project}-web-1`].sort());
    const db = rec.volumes.find((v) => v.name === vols.db);
    assert.ok(db);
    assert.deepEqual(db.users.map((u) => `${u.container}:${u.path}:${u.readOnly ? 'ro' : 'rw'}`).sort(), [
      `${project}-db-1:/var/lib/db:rw`,
      `${project}-web-1:/srv/db:ro`,
    ]);
    assert.equal(db.labels[COMPOSE_VOLUME_LABEL], 'db');
    assert.equal(db.sha256, r.done.find((d) => d.sidecar.volume.name === vols.db)?.sidecar.sha256);
  });

  test('one volume failing: the others are backed up and verified, containers run again, the record names the failure', async () => {
    const dir = tmp();
    blockNames(dir, vols.uploads, 90);
    const r = await backupSet(testContext(docker, SUITE), { volumes: Object.values(vols), dir, project, stopContainers: true });
    assert.deepEqual(
      r.failed.map((f) => f.name),
      [vols.uploads],
    );
    assert.match(r.failed[0].error.message, /already exists/);
    assert.equal(r.done.length, 2);
    for (const d of r.done) await verifyBackup(d.file);
    assert.ok((await running(docker, dbC)) && (await running(docker, webC)));
    assert.ok(r.recordFile);
    const rec = await readSetRecord(r.recordFile);
    assert.deepEqual(
      rec.failed.map((f) => f.name),
      [vols.uploads],
    );
    assert.equal(rec.volumes.length, 2);
  });

  test('the CLI: --project backs up the project, one summary line; a failed volume exits 1 with the others done', async () => {
    let dir = tmp();
    let r = await runCli(['backup', '--project', project, '--to', dir, '--stop-containers']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim().split('\n').length, 1, r.stdout);
    assert.match(r.stdout, /^backed up 3 of 3 volumes to /);
    assert.equal(readdirSync(dir).filter((f) => f.endsWith('.tar')).length, 3);
    assert.ok((await running(docker, dbC)) && (await running(docker, webC)));
    dir = tmp();
    blockNames(dir, vols.cache, 90);
    r = await runCli(['backup', '--project', project, '--to', dir, '--quiet']);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /^backed up 2 of 3 volumes to .*failed: /);
    assert.match(r.stderr, new RegExp(`failed: ${vols.cache}: .*already exists`));
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.tar') && !x.startsWith(vols.cache))) await verifyBackup(path.join(dir, f));
    // Usage errors change nothing and exit 2.
    for (const args of [
      ['backup', '--all', vols.db, '--to', dir],
      ['backup', '--project', project],
      ['backup', '--all', '--to', dir, '--keep', '0'],
      ['backup', '--all', '--to', dir, '--jobs', 'x'],
    ]) {
      const u = await runCli(args);
      assert.equal(u.code, 2, `${args.join(' ')}: ${u.stderr}`);
    }
  });

  test("restore as a new project: volumes recreated with the project's labels, file for file the same; refused over a non-empty or running project", async () => {
    const dir = tmp();
    const made = await backupSet(testContext(docker, SUITE), {
      volumes: Object.values(vols),
      dir,
      project,
      stopContainers: true,
    });
    assert.equal(made.failed.length, 0);
    const copy = `${project}x`;
    const r = await restoreProject(testContext(docker, SUITE), { from: dir, project: copy });
    assert.deepEqual(
      r.volumes.map((v) => v.volumeName).sort(),
      ['cache', 'db', 'uploads'].map((k) => `${copy}_${k}`),
    );
    for (const key of ['db', 'uploads', 'cache'] as const) {
      const to = `${copy}_${key}`;
      const info = await docker.getVolume(to).inspect();
      assert.equal(info.Labels[COMPOSE_PROJECT_LABEL], copy);
      assert.equal(info.Labels[COMPOSE_VOLUME_LABEL], key);
      assert.equal(info.Labels[TEST_LABEL], SUITE);
      assert.equal(await listVolume(docker, SUITE, to), await listVolume(docker, SUITE, vols[key]), key);
    }
    // Again: the volumes exist and hold data: refused, nothing changed.
    const before = await listVolume(docker, SUITE, `${copy}_uploads`);
    await assert.rejects(
      restoreProject(testContext(docker, SUITE), { from: dir, project: copy }),
      (e: Error) => e instanceof OperationRefusedError && /not empty/.test(e.message),
    );
    // A running container of that project: refused even for empty targets unless replace.
    const other = `${project}y`;
    await createVolume(docker, SUITE, `${other}_db`, { [COMPOSE_PROJECT_LABEL]: other, [COMPOSE_VOLUME_LABEL]: 'db' });
    const c = await docker.createContainer({
      name: `${other}-db-1`,
      Image: 'container-volumes/busybox:test',
      Cmd: ['sleep', '3600'],
      Labels: { ...labels(SUITE), [COMPOSE_PROJECT_LABEL]: other },
      HostConfig: { Binds: [`${other}_db:/data`] },
    });
    await c.start();
    await assert.rejects(
      restoreProject(testContext(docker, SUITE), { from: dir, project: other }),
      (e: Error) => e instanceof OperationRefusedError && /is running/.test(e.message),
    );
    assert.equal(readdirSync(dir).filter((f) => f.includes('before-restore')).length, 0);
    // With replace: stopped once, replaced (safety backups of existing volumes), running again.
    const rr = await restoreProject(testContext(docker, SUITE), { from: dir, project: other, replace: true });
    assert.deepEqual(rr.stoppedContainers, [`${other}-db-1`]);
    assert.ok((await c.inspect()).State.Running);
    assert.equal(await listVolume(docker, SUITE, `${other}_db`), await listVolume(docker, SUITE, vols.db));
    assert.equal(await listVolume(docker, SUITE, `${copy}_uploads`), before);
  });

  test('--keep removes exactly the older verified backups this tool named, never a foreign or damaged file, never the newest', async () => {
    const dir = tmp();
    const runs: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await backupSet(testContext(docker, SUITE), { volumes: [vols.cache], dir });
      runs.push(r.done[0].file);
      await new Promise((res) => setTimeout(res, 1100)); // names carry the second
    }
    // Foreign: our kind of name without a record; a record-bearing backup under a name the user chose;
    // one of ours whose archive no longer matches its record.
    const foreign = path.join(dir, setArchiveName(vols.cache, '20200101-000000', 'tar'));
    writeFileSync(foreign, 'not ours');
    const manual = path.join(dir, `${vols.cache}-before-upgrade.tar`);
    copyFileSync(runs[0], manual);
    copyFileSync(`${runs[0]}.json`, `${manual}.json`);
    const damaged = path.join(dir, setArchiveName(vols.cache, '20200102-000000', 'tar'));
    copyFileSync(runs[0], damaged);
    const sc = JSON.parse(readFileSync(`${runs[0]}.json`, 'utf8')) as { archiveBytes: number; createdAt: string };
    writeFileSync(`${damaged}.json`, JSON.stringify({ ...sc, archiveBytes: sc.archiveBytes + 1, createdAt: '2020-01-02T00:00:00.000Z' }));
    const r = await backupSet(testContext(docker, SUITE), { volumes: [vols.cache], dir, keep: 2 });
    assert.deepEqual(r.removed.filter((f) => f.endsWith('.tar')).sort(), [runs[0], runs[1]].sort());
    for (const f of [runs[2], r.done[0].file, foreign, manual, damaged]) assert.ok(existsSync(f), `kept ${f}`);
    for (const f of [runs[0], runs[1]]) {
      assert.ok(!existsSync(f) && !existsSync(`${f}.json`), `removed ${f} and its record`);
    }
    // The records of the removed runs are removed with them; the kept runs' stay.
    const records = readdirSync(dir).filter((f) => f.endsWith('.backup-set.json'));
    assert.equal(records.length, 2, records.join(', '));
    await assert.rejects(pruneBackups(dir, vols.cache, 0), OperationRefusedError);
    await assert.rejects(backupSet(operationContext(docker), { volumes: [vols.cache], dir, keep: 0 }), OperationRefusedError);
  });

  test('a stopped container that cannot start again: a warning after the set, named in the error of a cancelled set', async () => {
    const a = await createVolume(docker, SUITE, uniq('cvset-a'));
    const b = await createVolume(docker, SUITE, uniq('cvset-b'));
    // It also binds a host folder, removed while it is stopped: the engine then refuses to start it.
    const folder = tmp();
    const name = uniq('cvset-nostart');
    const c = await docker.createContainer({
      name,
      Image: BUSYBOX,
      Cmd: ['sleep', '3600'],
      Labels: labels(SUITE),
      HostConfig: { Binds: [`${a}:/data`], Mounts: [{ Type: 'bind', Source: folder, Target: '/host' }] },
    });
    await c.start();
    const ctx = testContext(docker, SUITE);
    const r = await backupSet(ctx, { volumes: [a], dir: tmp(), stopContainers: true }, { onVolumeDone: () => rmSync(folder, { recursive: true }) });
    assert.equal(r.failed.length, 0);
    assert.deepEqual(r.record.stoppedContainers, [name]);
    assert.match(r.warnings.map(String).join('\n'), new RegExp(`Could not start again: ${name}: `));
    assert.equal(await running(docker, c.id), false);
    // Cancelled after the first volume: the error the user reads says so too (it was lost).
    mkdirSync(folder);
    await c.start();
    const ac = new AbortController();
    await assert.rejects(
      backupSet(
        ctx,
        { volumes: [a, b], dir: tmp(), stopContainers: true, jobs: 1 },
        {
          signal: ac.signal,
          onVolumeDone: () => {
            rmSync(folder, { recursive: true });
            ac.abort();
          },
        },
      ),
      (e: unknown) => {
        assert.ok(e instanceof CancelledError, String(e));
        assert.match(e.message, new RegExp(`^The backup was cancelled.* Could not start again: ${name}: `, 's'));
        return true;
      },
    );
    assert.equal(await running(docker, c.id), false);
  });

  test('a project restore cancelled between two volumes: a cancel; the volume it created removed, the replaced one named with its safety backup, containers running again', async () => {
    const dir = tmp();
    // A stopped container uses the replaced volume: emptying it needs the helper image.
    const ctx = testContext(docker, SUITE, { helperImage: BUSYBOX });
    const made = await backupSet(ctx, { volumes: Object.values(vols), dir, project });
    assert.equal(made.failed.length, 0);
    // The record's order: db (replaced: it exists, its project runs), uploads (created), then the cancel.
    assert.deepEqual(
      made.record.volumes.map((v) => v.name),
      [vols.db, vols.uploads, vols.cache],
    );
    const other = `${project}z`;
    await createVolume(docker, SUITE, `${other}_db`, { [COMPOSE_PROJECT_LABEL]: other, [COMPOSE_VOLUME_LABEL]: 'db' });
    await fillVolume(docker, SUITE, `${other}_db`, 'echo old > /v/old');
    const c = await docker.createContainer({
      name: `${other}-db-1`,
      Image: BUSYBOX,
      Cmd: ['sleep', '3600'],
      Labels: { ...labels(SUITE), [COMPOSE_PROJECT_LABEL]: other },
      HostConfig: { Binds: [`${other}_db:/data`] },
    });
    await c.start();
    const ac = new AbortController();
    await assert.rejects(
      restoreProject(
        ctx,
        { from: dir, project: other, replace: true },
        {
          signal: ac.signal,
          progress: (p) => {
            if (p.done === 2) ac.abort();
          },
        },
      ),
      (e: unknown) => {
        assert.ok(e instanceof CancelledError, String(e));
        assert.match(e.message, new RegExp(`were removed again \\(${other}_uploads\\)`));
        assert.match(e.message, new RegExp(`Already replaced: ${other}_db \\(its previous contents are in ${dir}/${other}_db-before-restore-`));
        return true;
      },
    );
    assert.ok((await c.inspect()).State.Running, 'the stopped container runs again');
    const left = ((await docker.listVolumes({ filters: { name: [other] } })).Volumes ?? []).map((v) => v.Name).filter((n) => n.startsWith(`${other}_`));
    assert.deepEqual(left, [`${other}_db`]);
    assert.equal(await listVolume(docker, SUITE, `${other}_db`), await listVolume(docker, SUITE, vols.db));
  });

  test('cancel: the volume in progress leaves nothing, finished ones stay, containers run again, no record', async () => {
    const dir = tmp();
    const ac = new AbortController();
    const p = backupSet(
      testContext(docker, SUITE),
      { volumes: [vols.uploads, vols.db], dir, project, stopContainers: true, jobs: 1 },
      {
        signal: ac.signal,
        onVolumeDone: () => ac.abort(),
      },
    );
    await assert.rejects(p, (e: Error) => e instanceof CancelledError && e.message.includes(vols.uploads));
    assert.ok((await running(docker, dbC)) && (await running(docker, webC)));
    const files = readdirSync(dir);
    assert.deepEqual(
      files.filter((f) => f.endsWith('.tar')).map((f) => f.slice(0, f.lastIndexOf('-', f.lastIndexOf('-') - 1))),
      [vols.uploads],
    );
    assert.ok(!files.some((f) => f.endsWith('.backup-set.json') || f.includes('.partial-')), files.join(', '));
  });
});
