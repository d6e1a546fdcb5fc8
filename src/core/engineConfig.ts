// Which engine to talk to, resolved the way the `docker` CLI does it: an explicit host, then
// DOCKER_HOST, then DOCKER_CONTEXT or the CLI's current context, then the default sockets.
// dockerode itself reads only DOCKER_HOST, so this is ours.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CoreError, msg } from './message';

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
    return { host: normaliseHost(input.host.trim()), source: 'explicit', ...tlsFromEnv(env) };
  }
  if (!input.context && env.DOCKER_HOST?.trim()) {
    return { host: normaliseHost(env.DOCKER_HOST.trim()), source: 'DOCKER_HOST', ...tlsFromEnv(env) };
  }
  const contextName = input.context || env.DOCKER_CONTEXT || currentContext(configDir);
  if (contextName && contextName !== 'default') {
    return fromContext(configDir, contextName);
  }
  return { host: defaultSocket(env, exists), source: 'default' };
}

function tlsFromEnv(env: NodeJS.ProcessEnv): Pick<EngineEndpoint, 'tls'> {
  const certPath = env.DOCKER_CERT_PATH;
  const verify = !!env.DOCKER_TLS_VERIFY && env.DOCKER_TLS_VERIFY !== '0';
  if (!certPath && !verify) return {};
  const dir = certPath || path.join(os.homedir(), '.docker');
  return { tls: { ca: path.join(dir, 'ca.pem'), cert: path.join(dir, 'cert.pem'), key: path.join(dir, 'key.pem'), verify } };
}

function currentContext(configDir: string): string | undefined {
  try {
    const cfg = JSON.parse(readFileSync(path.join(configDir, 'config.json'), 'utf8')) as { currentContext?: unknown };
    return typeof cfg.currentContext === 'string' ? cfg.currentContext : undefined;
  } catch {
    return undefined;
  }
}

function fromContext(configDir: string, name: string): EngineEndpoint {
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
  const tls = existsSync(path.join(tlsDir, 'ca.pem')) || existsSync(path.join(tlsDir, 'cert.pem'))
    ? { ca: path.join(tlsDir, 'ca.pem'), cert: path.join(tlsDir, 'cert.pem'), key: path.join(tlsDir, 'key.pem'), verify: !meta.Endpoints?.docker?.SkipTLSVerify }
    : undefined;
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

/** True when the engine runs on this machine, so host paths it reports are our paths too. */
export function isLocalEngine(ep: EngineEndpoint): boolean {
  if (ep.host.startsWith('unix://') || ep.host.startsWith('npipe://')) return true;
  try {
    const u = new URL(ep.host.replace(/^tcp:/, 'http:'));
    return ['localhost', '127.0.0.1', '[::1]', '::1'].includes(u.hostname);
  } catch {
    return false;
  }
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
export function knownEngines(input: { setting?: string; environmentToo?: boolean; env?: NodeJS.ProcessEnv; homeDir?: string; exists?: (p: string) => boolean } = {}): KnownEngine[] {
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
