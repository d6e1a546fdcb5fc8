// The one place that constructs dockerode. Owns: the connection for an EngineEndpoint, a count of
// API calls (the benchmarks and the tests read it), and turning socket and HTTP errors into
// EngineError with a kind the UI can act on.
import Dockerode from 'dockerode';
import { readFileSync } from 'node:fs';
import * as https from 'node:https';
import { isLocalEngine, needsEngineHostName, type EngineEndpoint } from './engineConfig';
import type { EngineInfo, EngineVersion } from './types';
import { type CodedError, type Message, msg } from '../message';
import { SshAgent, SshTransportError } from './sshTransport';
import { rawConnector, setRawConnect, type RawTarget } from './rawArchive';

export type EngineErrorKind = 'unreachable' | 'permission' | 'notFound' | 'conflict' | 'badRequest' | 'readOnly' | 'other';

export class EngineError extends Error implements CodedError {
  readonly text: Message;
  /** A plain string is the engine's own words (shown as they are). */
  constructor(
    text: Message | string,
    readonly kind: EngineErrorKind,
    readonly statusCode?: number,
    options?: { cause?: unknown },
  ) {
    const coded = typeof text === 'string' ? msg('engine.said', { detail: text }) : text;
    super(coded.toString(), options);
    this.text = coded;
    this.name = 'EngineError';
  }
}

/** Labels every resource the project creates carries, so we touch nothing else. */
export const LABEL_PREFIX = 'dev.container-volumes';
export const HELPER_LABEL = `${LABEL_PREFIX}.helper`;
/** host:pid of the process that owns a helper; helpers of dead owners are swept. */
export const HELPER_OWNER_LABEL = `${LABEL_PREFIX}.owner`;
/** Carried by test resources; its value names the suite, so parallel suites never remove each other's. */
export const TEST_LABEL = `${LABEL_PREFIX}.test`;

export class Engine {
  readonly docker: Dockerode;
  private calls = 0;

  constructor(
    readonly endpoint: EngineEndpoint,
    opts: { timeoutMs?: number } = {},
  ) {
    const address = addressOf(endpoint);
    this.docker = new Dockerode(toDockerodeOptions(address, opts.timeoutMs));
    // Count every HTTP request dockerode makes (benchmarks report API calls per refresh).
    const modem = (this.docker as unknown as { modem: { dial: (...a: unknown[]) => unknown } }).modem;
    const dial = modem.dial.bind(modem);
    modem.dial = (...args: unknown[]) => {
      this.calls++;
      return dial(...args);
    };
    // Archive GETs and PUTs on sockets of their own (rawArchive.ts), counted as well; not through ssh.
    const target = rawTargetOf(address);
    if (target) {
      const connect = rawConnector(target);
      setRawConnect(this.docker, (onread) => {
        this.calls++;
        return connect(onread);
      });
    }
  }

  private localAnswer: boolean | undefined;
  private localAsked: Promise<boolean> | undefined;

  /**
   * Whether this engine runs on this machine (engineConfig's isLocalEngine), asking the engine for
   * its host name (once per Engine) when the address alone cannot tell; an engine that does not say is remote.
   */
  isLocal(): Promise<boolean> {
    this.localAsked ??= (async () => {
      let name: string | undefined;
      if (needsEngineHostName(this.endpoint)) {
        name = await this.docker.info().then(
          (i: { Name?: unknown }) => (typeof i.Name === 'string' ? i.Name : undefined),
          () => undefined,
        );
      }
      this.localAnswer = isLocalEngine(this.endpoint, name);
      return this.localAnswer;
    })();
    return this.localAsked;
  }

  /** isLocal's answer once asked; before that, what the address alone says (tcp to loopback: remote). */
  get local(): boolean {
    return this.localAnswer ?? isLocalEngine(this.endpoint);
  }

  get apiCalls(): number {
    return this.calls;
  }

  /** Version, flavour and locality (the host name asked alongside, when needed, and kept for isLocal). */
  async info(): Promise<EngineInfo> {
    const [v, local] = await Promise.all([engineVersion(this.docker, true), this.isLocal()]);
    return { ...v, local };
  }

  /** Throws when the engine does not answer; `signal` bounds the wait (a socket may accept and stay silent). */
  async ping(signal?: AbortSignal): Promise<void> {
    // dockerode takes an abortSignal here; its types do not say so.
    const ping = this.docker.ping.bind(this.docker) as unknown as (opts: { abortSignal?: AbortSignal }) => Promise<unknown>;
    await call(() => ping({ abortSignal: signal }));
  }
}

/** Where an endpoint's engine is, resolved once (its TLS files read) for dockerode and for rawArchive. */
type Address =
  | { readonly kind: 'path'; readonly path: string }
  | { readonly kind: 'ssh'; readonly host: string }
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number; readonly tls?: { ca?: Buffer; cert?: Buffer; key?: Buffer; verify: boolean } };

function addressOf(ep: EngineEndpoint): Address {
  if (ep.host.startsWith('unix://')) return { kind: 'path', path: ep.host.slice('unix://'.length) };
  if (ep.host.startsWith('npipe://')) return { kind: 'path', path: ep.host.slice('npipe://'.length).replace(/\//g, '\\') };
  if (ep.host.startsWith('ssh://')) return { kind: 'ssh', host: ep.host };
  const u = new URL(ep.host);
  const tls = ep.tls !== undefined || u.protocol === 'https:';
  const read = (p?: string) => (p ? readFileSync(p) : undefined);
  return {
    kind: 'tcp',
    host: u.hostname.replace(/^\[(.*)\]$/, '$1'), // an IPv6 address without the URL's brackets, as sockets take it
    port: u.port ? Number(u.port) : tls ? 2376 : 2375,
    ...(tls ? { tls: { ca: read(ep.tls?.ca), cert: read(ep.tls?.cert), key: read(ep.tls?.key), verify: ep.tls?.verify ?? true } } : {}),
  };
}

/** The address as rawArchive's sockets reach it, with the modem's TLS settings; undefined for ssh. */
function rawTargetOf(a: Address): RawTarget | undefined {
  if (a.kind !== 'tcp') return a.kind === 'path' ? a : undefined;
  if (!a.tls) return { kind: 'tcp', host: a.host, port: a.port };
  const { ca, cert, key, verify } = a.tls;
  return { kind: 'tcp', host: a.host, port: a.port, tls: { ...(ca ? { ca } : {}), ...(cert && key ? { cert, key } : {}), rejectUnauthorized: verify } };
}

function toDockerodeOptions(a: Address, timeoutMs?: number): Dockerode.DockerOptions {
  // Every field docker-modem would otherwise take from DOCKER_HOST / DOCKER_CERT_PATH is set here
  // (undefined when unused): the endpoint we resolved wins, whatever the environment says.
  const base: Dockerode.DockerOptions = {
    host: undefined,
    port: undefined,
    username: undefined,
    ca: undefined,
    cert: undefined,
    key: undefined,
    ...(timeoutMs ? { timeout: timeoutMs } : {}),
  };
  if (a.kind === 'path') return { ...base, socketPath: a.path };
  if (a.kind === 'ssh') {
    // HTTP through `ssh ... docker system dial-stdio` (sshTransport.ts); the host name is only the Host header.
    // docker-modem passes `agent` on to every request; dockerode's types omit it.
    const viaSsh = { ...base, protocol: 'http' as const, host: 'docker', agent: new SshAgent(a.host) };
    return viaSsh;
  }
  const files = a.tls ? { ca: a.tls.ca, cert: a.tls.cert, key: a.tls.key } : {};
  // TLS without verifying the server (DOCKER_TLS=1, a context's SkipTLSVerify): docker-modem has no
  // option for it, but passes an agent on to every request, and an agent's options win over the request's.
  const insecure =
    a.tls && !a.tls.verify
      ? { agent: new https.Agent({ keepAlive: false, rejectUnauthorized: false, ...(files.cert && files.key ? { cert: files.cert, key: files.key } : {}) }) }
      : {};
  return { ...base, protocol: a.tls ? 'https' : 'http', host: a.host, port: a.port, ...files, ...insecure };
}

const versions = new WeakMap<Dockerode, Promise<EngineVersion>>();

/**
 * The engine's `version` answer as our own type, asked once per connection (an engine does not change
 * while it answers; a failed ask is asked again next time), or now when `fresh`.
 */
export function engineVersion(docker: Dockerode, fresh = false): Promise<EngineVersion> {
  let v = fresh ? undefined : versions.get(docker);
  if (!v) {
    const asked = call(() => docker.version())
      .then(versionOf)
      .then(async (v) => (v.flavor === 'podman' ? { ...v, ...(await podmanRootless(docker)) } : v));
    asked.catch(() => {
      if (versions.get(docker) === asked) versions.delete(docker);
    });
    versions.set(docker, asked);
    v = asked;
  }
  return v;
}

/** Podman names itself in the answer's components ("Podman Engine"); Docker does not. */
function versionOf(v: Dockerode.DockerVersion): EngineVersion {
  const components = (v as unknown as { Components?: { Name?: string }[] }).Components;
  const flavor = components?.some((c) => /podman/i.test(c.Name ?? '')) ? 'podman' : 'docker';
  return { version: v.Version, apiVersion: v.ApiVersion, os: v.Os, flavor, archiveKeepsOwners: flavor !== 'podman' };
}

interface IdMap {
  readonly container_id?: number;
  readonly host_id?: number;
  readonly size?: number;
}

/**
 * Whether Podman runs rootless, and as whom: its own info (the compatible /info does not say), the
 * host ids its containers' id 0 maps to. Nothing when it does not answer (an older Podman): as rootful.
 */
async function podmanRootless(docker: Dockerode): Promise<Pick<EngineVersion, 'rootless'>> {
  type Info = { host?: { security?: { rootless?: boolean }; idMappings?: { uidmap?: IdMap[]; gidmap?: IdMap[] } } };
  const modem = docker.modem as unknown as {
    dial(o: { path: string; method: string; statusCodes: Record<number, boolean>; options: object }, cb: (e: unknown, d: unknown) => void): void;
  };
  const info = await new Promise<Info | undefined>((resolve) =>
    modem.dial({ path: '/v4.0.0/libpod/info', method: 'GET', statusCodes: { 200: true }, options: {} }, (e, d) => resolve(e ? undefined : (d as Info))),
  );
  if (info?.host?.security?.rootless !== true) return {};
  const rootOf = (map: IdMap[] | undefined) => map?.find((m) => m.container_id === 0 && typeof m.host_id === 'number')?.host_id;
  const uid = rootOf(info.host.idMappings?.uidmap);
  const gid = rootOf(info.host.idMappings?.gidmap);
  return uid === undefined || gid === undefined ? {} : { rootless: { uid, gid } };
}

/** Runs an engine call and turns whatever it throws into an EngineError. */
export async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toEngineError(err);
  }
}

export function toEngineError(err: unknown): EngineError {
  if (err instanceof EngineError) return err;
  if (err instanceof SshTransportError) return new EngineError(err.text, 'unreachable', undefined, { cause: err });
  const e = err as { code?: string; statusCode?: number; message?: string; json?: { message?: string }; reason?: string };
  const engineMsg = e.json?.message ?? (typeof e.message === 'string' ? e.message.replace(/^\(HTTP code \d+\)\s*[^-]*-\s*/, '') : String(err));
  switch (e.code) {
    case 'EACCES':
    case 'EPERM':
      return new EngineError(msg('engine.permission'), 'permission', undefined, { cause: err });
    case 'ENOENT':
    case 'ECONNREFUSED':
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENOTFOUND':
    case 'ESOCKETTIMEDOUT':
      return new EngineError(msg('engine.noAnswer', { code: e.code }), 'unreachable', undefined, { cause: err });
  }
  const status = e.statusCode;
  if (status === 404) return new EngineError(engineMsg.trim(), 'notFound', status, { cause: err });
  if (status === 409) return new EngineError(engineMsg.trim(), 'conflict', status, { cause: err });
  if (status === 400) return new EngineError(engineMsg.trim(), 'badRequest', status, { cause: err });
  if (status === 403 || /read-only/i.test(engineMsg)) return new EngineError(engineMsg.trim(), 'readOnly', status, { cause: err });
  if (/socket hang up/i.test(engineMsg)) return new EngineError(msg('engine.closed'), 'unreachable', status, { cause: err });
  return new EngineError(engineMsg.trim() || msg('engine.error'), 'other', status, { cause: err });
}
