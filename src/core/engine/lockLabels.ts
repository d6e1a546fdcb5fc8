// How a lock container's labels name its holder: written by operations/engineLocks, read here for the
// inventory, the views and `ls` (older versions' English-only labels are read too).
import * as os from 'node:os';
import { LABEL_PREFIX } from './engine';
import type { VolumeLockHolder } from './types';
import { type Message, type MessageCode, msg } from '../message';
import { CATALOGUE } from '../messageCatalogue';

export const LOCK_VOLUME_LABEL = `${LABEL_PREFIX}.lock.volume`;
/** `write` (held exclusively), `read` (a reader's marker), `enter` (an older version's reader on its way in, held for two calls). */
export const LOCK_MODE_LABEL = `${LABEL_PREFIX}.lock.mode`;
export const LOCK_OPERATION_LABEL = `${LABEL_PREFIX}.lock.operation`;
export const LOCK_APP_LABEL = `${LABEL_PREFIX}.lock.app`;
/**
 * The operation and the app as message codes with parameters, beside their English texts above (what
 * `docker ps` shows and older versions read): every reader shows them in its own language.
 */
export const LOCK_OPERATION_CODE_LABEL = `${LABEL_PREFIX}.lock.operation.code`;
export const LOCK_APP_CODE_LABEL = `${LABEL_PREFIX}.lock.app.code`;
export const LOCK_HOST_LABEL = `${LABEL_PREFIX}.lock.host`;
export const LOCK_PID_LABEL = `${LABEL_PREFIX}.lock.pid`;
export const LOCK_SINCE_LABEL = `${LABEL_PREFIX}.lock.since`;
export const LOCK_LEASE_LABEL = `${LABEL_PREFIX}.lock.lease-ms`;

export const DEFAULT_LEASE_MS = 30_000;

/** This host in locks: os.hostname() unless CONTAINER_VOLUMES_HOST_ID says otherwise (tests of two machines). */
export const LOCK_HOST = process.env.CONTAINER_VOLUMES_HOST_ID || os.hostname();

/** "restore of x.tar by the CLI (pid 4242) on host-a since 2026-12-01 13:52:07 UTC" */
export function describeHolder(h: VolumeLockHolder): Message {
  const operation = h.mode === 'write' ? h.operation : msg('lock.reading', { operation: h.operation });
  return msg('lock.holder', { operation, app: h.app, pid: h.pid, host: h.host, since: formatSince(h.since) });
}

/**
 * The operation of a lock written without codes (an older version), from its English words
 * ("backup to x.tar", "restore of x.tar", `clone of "a" into "b"`, "removal"); another program's
 * words are shown as they are.
 */
function operationFromWords(operation: string): Message {
  let m: RegExpExecArray | null;
  if ((m = /^backup to (.+)$/s.exec(operation))) return msg('lockOp.backup', { file: m[1] });
  if ((m = /^restore of (.+)$/s.exec(operation))) return msg('lockOp.restore', { file: m[1] });
  if ((m = /^clone of "(.*)" into "(.*)"$/s.exec(operation))) return msg('lockOp.clone', { source: m[1], target: m[2] });
  if (operation === 'removal') return msg('lockOp.removal');
  return msg('plain', { detail: operation });
}

/** The program of a lock written without codes ("the CLI", `VS Code window "x"`), likewise. */
function appFromWords(app: string): Message {
  let m: RegExpExecArray | null;
  if (app === 'the CLI') return msg('lockApp.cli');
  if (app === 'a VS Code window') return msg('lockApp.windowUnnamed');
  if ((m = /^VS Code window "(.*)"$/s.exec(app))) return msg('lockApp.window', { name: m[1] });
  return msg('plain', { detail: app });
}

export function formatSince(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : `${new Date(t).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** The holder described by a lock container's labels; undefined for a container that is not a lock. */
export function holderFromLabels(labels: Readonly<Record<string, string>> | undefined): VolumeLockHolder | undefined {
  const volume = labels?.[LOCK_VOLUME_LABEL];
  const mode = labels?.[LOCK_MODE_LABEL];
  if (!labels || !volume || (mode !== 'write' && mode !== 'enter' && mode !== 'read')) return undefined;
  return {
    volume,
    mode,
    operation: codedLabel(labels, LOCK_OPERATION_CODE_LABEL, 'lockOp.') ?? wordsLabel(labels[LOCK_OPERATION_LABEL], operationFromWords, 'lockOp.unknown'),
    app: codedLabel(labels, LOCK_APP_CODE_LABEL, 'lockApp.') ?? wordsLabel(labels[LOCK_APP_LABEL], appFromWords, 'lockApp.unknown'),
    host: labels[LOCK_HOST_LABEL] ?? '?',
    pid: Number(labels[LOCK_PID_LABEL] ?? 0),
    since: labels[LOCK_SINCE_LABEL] ?? '',
    leaseMs: Number(labels[LOCK_LEASE_LABEL]) || DEFAULT_LEASE_MS,
  };
}

/** A message written by `codeLabel`, if it is one of ours of that family with plain parameters. */
function codedLabel(labels: Readonly<Record<string, string>>, name: string, family: string): Message | undefined {
  try {
    const v = JSON.parse(labels[name] ?? '') as { code?: unknown; params?: unknown };
    if (typeof v.code !== 'string' || !v.code.startsWith(family) || !Object.hasOwn(CATALOGUE, v.code)) return undefined;
    const params = typeof v.params === 'object' && v.params !== null ? Object.entries(v.params) : [];
    if (!params.every(([, p]) => typeof p === 'string' || typeof p === 'number')) return undefined;
    return msg(v.code as MessageCode, Object.fromEntries(params));
  } catch {
    return undefined;
  }
}

/** The label's English words read back (a holder from an older version), or a word for "unknown". */
function wordsLabel(text: string | undefined, read: (words: string) => Message, unknown: MessageCode): Message {
  return text ? read(text) : msg(unknown);
}

/** A message with plain parameters as a label value (codedLabel reads it back). */
export function codeLabel(m: Message): string {
  return JSON.stringify({
    code: m.code,
    params: Object.fromEntries(Object.entries(m.params).filter(([, p]) => typeof p === 'string' || typeof p === 'number')),
  });
}

/** The holders of every locked volume on the engine, from one container list (for the views and `ls`). */
export function holdersFromContainers(list: readonly { Labels?: Record<string, string> | null }[]): Map<string, VolumeLockHolder & { ours: boolean }> {
  const out = new Map<string, VolumeLockHolder & { ours: boolean }>();
  for (const c of list) {
    const found = holderFromLabels(c.Labels ?? undefined);
    if (!found) continue;
    const h = { ...found, ours: found.host === LOCK_HOST && found.pid === process.pid };
    const prev = out.get(h.volume);
    // A writer says more than a reader on its way in, which says more than a reader's marker.
    const rank = (m: VolumeLockHolder['mode']) => (m === 'write' ? 2 : m === 'enter' ? 1 : 0);
    if (!prev || rank(h.mode) > rank(prev.mode)) out.set(h.volume, h);
  }
  return out;
}
