#!/usr/bin/env node
// The blog post's set-up on the Docker engine, labelled, for the UI test and `npm start -- --demo`:
//   log_home  -v /logs, writes the date into /logs/log every second (an anonymous volume)
//   logger01  --volumes-from log_home;  logger02  --volumes-from logger01
//   ro_bind   a bind mount <bindDir>:/logs:ro
//   old_logs  a named volume no container uses
// Everything carries the given label and is created with the docker CLI from the offline image
// container-volumes/busybox:test (scripts/engine.sh builds it). Idempotent: what already exists with
// our label is kept (and started); a name taken by someone else's container gets a suffix instead.
// CLI: node scripts/seed.mjs create|remove --label KEY=VALUE [--bind-dir DIR]
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';

export const BUSYBOX = 'container-volumes/busybox:test';
const docker = (...args) => execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
const tryDocker = (...args) => {
  try {
    return docker(...args);
  } catch {
    return undefined;
  }
};

function labelOf(kind, name, key) {
  const out = tryDocker(kind, 'inspect', '--format', `{{ index ${kind === 'volume' ? '.Labels' : '.Config.Labels'} "${key}" }}`, name);
  return out === undefined ? undefined : out; // undefined: no such object; '' or '<no value>': not ours
}

/** A name for a resource of ours: the wanted one if free or already ours, else a suffixed one. */
function pick(kind, wanted, label) {
  const [key, value] = label.split('=');
  for (let i = 0; ; i++) {
    const name = i === 0 ? wanted : `${wanted}_${process.pid.toString(36)}${i}`;
    const l = labelOf(kind, name, key);
    if (l === undefined) return { name, exists: false };
    if (l === value) return { name, exists: true };
  }
}

function container(label, wanted, args, cmd) {
  const { name, exists } = pick('container', wanted, label);
  if (exists) {
    if (docker('inspect', '--format', '{{.State.Running}}', name) !== 'true') docker('start', name);
  } else {
    docker('run', '-d', '--name', name, '--label', label, ...args, BUSYBOX, ...cmd);
  }
  return name;
}

/** Creates (or completes) the set-up; returns the names actually used. */
export function createSeed({ label, bindDir, volume = 'old_logs' }) {
  mkdirSync(bindDir, { recursive: true });
  writeFileSync(`${bindDir}/README.txt`, 'A host folder, bind-mounted read-only into ro_bind at /logs.\n');
  const idle = ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done'];
  const logHome = container(label, 'log_home', ['-v', '/logs'], ['sh', '-c', 'trap "exit 0" TERM; while true; do date >> /logs/log; sleep 1; done']);
  const logger01 = container(label, 'logger01', ['--volumes-from', logHome], idle);
  const logger02 = container(label, 'logger02', ['--volumes-from', logger01], idle);
  const roBind = container(label, 'ro_bind', ['-v', `${bindDir}:/logs:ro`], idle);
  const v = pick('volume', volume, label);
  if (!v.exists) docker('volume', 'create', '--label', label, v.name);
  return { logHome, logger01, logger02, roBind, volume: v.name };
}

/** Removes every container (newest first, with its anonymous volumes) and volume carrying the label. */
export function removeSeed({ label }) {
  const ids = (tryDocker('ps', '-aq', '--filter', `label=${label}`) ?? '').split('\n').filter(Boolean);
  for (const id of ids) tryDocker('rm', '-f', '-v', id); // newest first: followers before the volume's owner
  const vols = (tryDocker('volume', 'ls', '-q', '--filter', `label=${label}`) ?? '').split('\n').filter(Boolean);
  for (const v of vols) tryDocker('volume', 'rm', '-f', v);
  return { containers: ids.length, volumes: vols.length };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const argv = process.argv.slice(2);
  const opt = (n) => {
    const i = argv.indexOf(`--${n}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const label = opt('label');
  if (!label || !label.includes('=')) {
    console.error('usage: seed.mjs create|remove --label KEY=VALUE [--bind-dir DIR]');
    process.exit(2);
  }
  if (argv[0] === 'create') {
    const names = createSeed({ label, bindDir: opt('bind-dir') ?? '/tmp/container-volumes-seed' });
    console.log(Object.values(names).join(' '));
  } else if (argv[0] === 'remove') {
    const r = removeSeed({ label });
    console.log(`removed ${r.containers} container(s), ${r.volumes} volume(s)`);
  } else {
    console.error('usage: seed.mjs create|remove --label KEY=VALUE [--bind-dir DIR]');
    process.exit(2);
  }
}
