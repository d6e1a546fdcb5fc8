// Which engine to talk to, resolved the way the `docker` CLI does it: an explicit host, then
// DOCKER_HOST, then DOCKER_CONTEXT or the CLI's current context, then the default sockets.
// dockerode itself reads only DOCKER_HOST, so this is ours.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CoreError, msg } from '../message';

export type EngineSource = 'explicit' | 'DOCKER_HOST' | 'context' | 'default';

export interface EngineEndpoint {
  /** Normalised address: unix:///path, tcp://host:port, ssh://user@host, npipe:////./pipe/x */
  readonly host: string;
  readonly source: EngineSource;
  /** Context name when source is `context`. */
  readonly context?: string;
  readonly tls?: { readonly ca?: string; readonly cert?: string; readonly key?: string; readonly verify: boolean };
}

export interface ResolveInput {
  /** An explicit host (setting or --host); wins over everything. */
  readonly host?: string;
  /** An explicit context name (--context); wins over the environment. */
  readonly context?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly homeDir?: string;
  readonly exists?: (p: string) => boolean;
}

export class EngineConfigError extends CoreError {}

export function resolveEngine(input: ResolveInput = {}): EngineEndpoint {
  const env = input.env ?? process.env;
  const home = input.homeDir ?? os.homedir();
  const exists = input.exists ?? existsSync;
  const configDir = env.DOCKER_CONFIG || path.join(home, '.docker');

  if (input.host?.trim()) {
    return { host: normaliseHost(input.host.trim()), source: 'explicit', ...tlsFromEnv(env, configDir, exists) };
  }
  if (!input.context && env.DOCKER_HOST?.trim()) {
    return { host: normaliseHost(env.DOCKER_HOST.trim()), source: 'DOCKER_HOST', ...tlsFromEnv(env, configDir, exists) };
  }
  const contextName = input.context || env.DOCKER_CONTEXT || currentContext(configDir);
  if (contextName && contextName !== 'default') {
    return fromContext(configDir, contextName, exists);
  }
  return { host: defaultSocket(env, exists), source: 'default' };
}

/**
 * TLS from the environment exactly as the docker CLI reads it (cli/flags/options.go):
 * - DOCKER_TLS_VERIFY set to anything non-empty (even "0") turns TLS on AND verifies the server
 *   against ca.pem; DOCKER_TLS set to anything non-empty turns TLS on without verifying the server
 *   (the CLI's InsecureSkipVerify: the CA is not even read).
 * - DOCKER_CERT_PATH alone turns nothing on: the CLI then talks plain HTTP (it only says where the
 *   files are). Without it the files are looked for in the config folder (DOCKER_CONFIG or ~/.docker).
 * - cert.pem and key.pem are sent only when they exist (a server that does not ask for a client
 *   certificate needs none); ca.pem must exist when verifying.
 */
function tlsFromEnv(env: NodeJS.ProcessEnv, configDir: string, exists: (p: string) => boolean): Pick<EngineEndpoint, 'tls'> {
  const verify = !!env.DOCKER_TLS_VERIFY;
  if (!verify && !env.DOCKER_TLS) return {};
  const dir = env.DOCKER_CERT_PATH || configDir;
  const file = (name: string) => (exists(path.join(dir, name)) ? path.join(dir, name) : undefined);
  const cert = file('cert.pem');
  const key = file('key.pem');
  return { tls: { ...(verify ? { ca: path.join(dir, 'ca.pem') } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}), verify } };
}

function currentContext(configDir: string): string | undefined {
  try {
    const cfg = JSON.parse(readFileSync(path.join(configDir, 'config.json'), 'utf8')) as { currentContext?: unknown };
    return typeof cfg.currentContext === 'string' ? cfg.currentContext : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A context from the CLI's store under the config folder (DOCKER_CONFIG or ~/.docker):
 * contexts/meta/<sha256 of the name>/meta.json, and its TLS files in contexts/tls/<id>/docker/.
 * As the CLI (context/docker/load.go): TLS is on when the context has any TLS file or SkipTLSVerify;
 * SkipTLSVerify sends the client certificate but does not verify the server; each file is used
 * only when it is there.
 */
function fromContext(configDir: string, name: string, exists: (p: string) => boolean): EngineEndpoint {
  // The CLI stores each context under the sha256 of its name.
  const id = createHash('sha256').update(name).digest('hex');
  const metaPath = path.join(configDir, 'contexts', 'meta', id, 'meta.json');
  let meta: { Endpoints?: { docker?: { Host?: string; SkipTLSVerify?: boolean } } };
  try {
    meta = JSON.parse(readFileSync(metaPath, 'utf8')) as typeof meta;
  } catch {
    throw new EngineConfigError(msg('config.contextNotFound', { name, path: metaPath }));
  }
  const host = meta.Endpoints?.docker?.Host;
  if (!host) throw new EngineConfigError(msg('config.noEndpoint', { name }));
  const tlsDir = path.join(configDir, 'contexts', 'tls', id, 'docker');
  const file = (f: string) => (exists(path.join(tlsDir, f)) ? path.join(tlsDir, f) : undefined);
  const [ca, cert, key] = [file('ca.pem'), file('cert.pem'), file('key.pem')];
  const skip = meta.Endpoints?.docker?.SkipTLSVerify === true;
  const tls = ca || cert || key || skip ? { ...(ca ? { ca } : {}), ...(cert && key ? { cert, key } : {}), verify: !skip } : undefined;
  return { host: normaliseHost(host), source: 'context', context: name, ...(tls ? { tls } : {}) };
}

function defaultSocket(env: NodeJS.ProcessEnv, exists: (p: string) => boolean): string {
  if (process.platform === 'win32') return 'npipe:////./pipe/docker_engine';
  const candidates = ['/var/run/docker.sock'];
  if (env.XDG_RUNTIME_DIR) candidates.push(path.join(env.XDG_RUNTIME_DIR, 'docker.sock'));
  if (env.HOME) candidates.push(path.join(env.HOME, '.docker', 'run', 'docker.sock'));
  const found = candidates.find((c) => exists(c));
  return `unix://${found ?? candidates[0]}`;
}

/** Accepts what users type: a bare socket path, unix://, tcp://, http(s)://, ssh://, npipe://. */
export function normaliseHost(raw: string): string {
  if (raw.startsWith('/')) return `unix://${raw}`;
  const m = /^([a-z]+):\/\//i.exec(raw);
  if (!m) throw new EngineConfigError(msg('config.notAddress', { address: raw }));
  const scheme = m[1].toLowerCase();
  if (!['unix', 'tcp', 'http', 'https', 'ssh', 'npipe'].includes(scheme)) {
    throw new EngineConfigError(msg('config.badScheme', { address: raw, scheme }));
  }
  return raw;
}

const LOOPBACK = ['localhost', '127.0.0.1', '::1'];

function tcpHostName(ep: EngineEndpoint): string | undefined {
  if (!/^(tcp|http|https):\/\//.test(ep.host)) return undefined;
  try {
    return new URL(ep.host.replace(/^tcp:/, 'http:')).hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * Whether the engine's host is this machine, so that host paths it reports (bind-mount sources,
 * volume mountpoints, its data root) are paths here and the fast paths (a helper binding a folder of
 * this machine) may be used. The rule:
 * - unix:// and npipe:// sockets: local (the socket is a file of this machine, and so is its engine);
 * - ssh://: never, not even to 127.0.0.1 - whatever answers at the end of ssh is "another machine" as
 *   far as paths go (a container, a VM behind a forwarded port, a chroot);
 * - tcp:// (http, https) to another host name: remote;
 * - tcp:// to loopback or to this machine's host name: local only when the engine's own host name
 *   (`Name` in /info) is this machine's host name too; a loopback port may be an ssh tunnel to another
 *   machine or an engine in a container with a published port. Without that name: remote.
 */
export function isLocalEngine(ep: EngineEndpoint, reportedHostName?: string): boolean {
  if (ep.host.startsWith('unix://') || ep.host.startsWith('npipe://')) return true;
  if (!needsEngineHostName(ep)) return false;
  return !!reportedHostName && reportedHostName.toLowerCase() === os.hostname().toLowerCase();
}

/** True when isLocalEngine can only tell with the engine's reported host name (tcp to this machine). */
export function needsEngineHostName(ep: EngineEndpoint): boolean {
  const name = tcpHostName(ep);
  return name !== undefined && (LOOPBACK.includes(name) || name === os.hostname().toLowerCase());
}

/** An engine the user could pick: a context, DOCKER_HOST, the setting, a Podman socket, the default. */
export interface KnownEngine {
  /** A context's name, else the address ("podman", "podman (rootless)" for Podman's sockets). */
  readonly name: string;
  readonly host: string;
  readonly source: 'context' | 'DOCKER_HOST' | 'setting' | 'podman' | 'default';
}

/** What `resolveTarget` takes to reach a known engine: a context by its name, anything else by its address. */
export function engineRef(e: KnownEngine): string {
  return e.source === 'context' ? e.name : e.host;
}

/**
 * Podman's Docker-compatible API sockets that exist on this machine: the rootful one
 * (/run/podman/podman.sock) and the user's rootless one ($XDG_RUNTIME_DIR/podman/podman.sock).
 */
export function podmanSockets(env: NodeJS.ProcessEnv, exists: (p: string) => boolean): KnownEngine[] {
  if (process.platform === 'win32') return [];
  const out: KnownEngine[] = [];
  const rootful = '/run/podman/podman.sock';
  if (exists(rootful)) out.push({ name: 'podman', host: `unix://${rootful}`, source: 'podman' });
  if (env.XDG_RUNTIME_DIR) {
    const rootless = path.join(env.XDG_RUNTIME_DIR, 'podman', 'podman.sock');
    if (rootless !== rootful && exists(rootless)) out.push({ name: 'podman (rootless)', host: `unix://${rootless}`, source: 'podman' });
  }
  return out;
}

/**
 * The engines this machine knows of, one per address, like `docker context ls`: first the default
 * engine - the setting when set (it is our --host), else DOCKER_HOST (as the CLI's default context
 * is), else the default socket - then the contexts of the CLI's store (by name), then Podman's
 * sockets that exist. `environmentToo` (the pickers: a way back from the setting) lists the
 * environment's engine beside the setting's.
 */
export function knownEngines(
  input: { setting?: string; environmentToo?: boolean; env?: NodeJS.ProcessEnv; homeDir?: string; exists?: (p: string) => boolean } = {},
): KnownEngine[] {
  const env = input.env ?? process.env;
  const home = input.homeDir ?? os.homedir();
  const exists = input.exists ?? existsSync;
  const configDir = env.DOCKER_CONFIG || path.join(home, '.docker');
  const out: KnownEngine[] = [];
  const add = (e: KnownEngine) => {
    if (!out.some((x) => x.host === e.host)) out.push(e);
  };
  const tryHost = (raw: string | undefined, f: (host: string) => KnownEngine): boolean => {
    if (!raw?.trim()) return false;
    try {
      add(f(normaliseHost(raw.trim())));
      return true;
    } catch {
      return false; // not an address: nothing to offer
    }
  };
  const fromSetting = tryHost(input.setting, (host) => ({ name: host, host, source: 'setting' }));
  if (!fromSetting || input.environmentToo) {
    if (!tryHost(env.DOCKER_HOST, (host) => ({ name: host, host, source: 'DOCKER_HOST' }))) {
      add({ name: 'default', host: defaultSocket(env, exists), source: 'default' });
    }
  }
  const metaDir = path.join(configDir, 'contexts', 'meta');
  let ids: string[] = [];
  try {
    ids = readdirSync(metaDir);
  } catch {
    // no context store
  }
  const contexts: KnownEngine[] = [];
  for (const id of ids) {
    try {
      const meta = JSON.parse(readFileSync(path.join(metaDir, id, 'meta.json'), 'utf8')) as { Name?: unknown; Endpoints?: { docker?: { Host?: unknown } } };
      const host = meta.Endpoints?.docker?.Host;
      if (typeof meta.Name === 'string' && typeof host === 'string') contexts.push({ name: meta.Name, host: normaliseHost(host), source: 'context' });
    } catch {
      // an unreadable context is not offered
    }
  }
  for (const c of contexts.sort((a, b) => a.name.localeCompare(b.name))) add(c);
  for (const p of podmanSockets(env, exists)) add(p);
  return out;
}

/** `--to` / a picked engine: an address (scheme:// or a socket path) or a context name. */
export function resolveTarget(to: string, input: Omit<ResolveInput, 'host' | 'context'> = {}): EngineEndpoint {
  const t = to.trim();
  return t.includes('://') || t.startsWith('/') ? resolveEngine({ ...input, host: t }) : resolveEngine({ ...input, context: t });
}
