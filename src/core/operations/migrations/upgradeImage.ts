// Upgrade a container's image keeping its data (the seed's S6): a new container from the new image takes
// the old one's name, configuration and mounts; every step is undone on failure or cancel.
// Design notes: docs/migrations.md#srccoreoperationsmigrationsupgradeimagets
import type Dockerode from 'dockerode';
import { isDeepStrictEqual } from 'node:util';
import { call, EngineError } from '../../engine/engine';
import type { OperationContext } from '../operationContext';
import { OperationRefusedError } from '../operationErrors';
import { mountTypeText, msg, type Message } from '../../message';
import { COMPOSE_PROJECT_LABEL, COMPOSE_SERVICE_LABEL } from '../../engine/types';
import { executePlan, type ExecuteOptions, type Plan, type PlanStep } from './plan';

export interface UpgradeInput {
  /** Name or id of the container to upgrade. */
  readonly container: string;
  /** The new image (must be on the engine: nothing is pulled). */
  readonly image: string;
  /** Keep the old container, stopped and renamed, as a way back. Default false. */
  readonly keepOld?: boolean;
  /** Seconds the old container gets to stop before it is killed (the engine's default: 10). */
  readonly stopTimeoutSeconds?: number;
  /** How long the new container must stay up to count as started. Default 2000 ms. */
  readonly settleMs?: number;
  /** The suffix of the old container's name while it is set aside; default `pre-upgrade-<time>`. */
  readonly asideName?: string;
}

export interface UpgradeResult {
  readonly name: string;
  readonly newId: string;
  readonly image: string;
  /** Set when the old container was kept. */
  readonly oldName?: string;
  readonly running: boolean;
}

type Inspect = Dockerode.ContainerInspectInfo;
type ImageConfig = {
  Cmd?: string[] | null;
  Entrypoint?: string[] | string | null;
  Env?: string[] | null;
  Labels?: Record<string, string> | null;
  WorkingDir?: string;
  User?: string;
  ExposedPorts?: Record<string, object> | null;
  StopSignal?: string;
  Healthcheck?: unknown;
  Volumes?: Record<string, object> | null;
};

export async function planUpgrade(ctx: OperationContext, input: UpgradeInput): Promise<Plan> {
  const docker = ctx.docker;
  const old = await call(() => docker.getContainer(input.container).inspect()).catch((e: EngineError) => {
    throw e.kind === 'notFound' ? new OperationRefusedError(msg('mig.noContainer', { name: input.container }), 'notFound') : e;
  });
  const newImage = await call(() => docker.getImage(input.image).inspect()).catch((e: EngineError) => {
    throw e.kind === 'notFound' ? new OperationRefusedError(msg('migrate.noImage', { image: input.image }), 'notFound') : e;
  });
  const oldImage = await call(() => docker.getImage(old.Image).inspect()).catch(() => undefined);
  const name = old.Name.replace(/^\//, '');
  if (old.HostConfig.AutoRemove) throw new OperationRefusedError(msg('mig.autoRemove', { name }), 'invalid');
  const state = old.State;
  const running = state.Running || state.Paused || state.Restarting;
  if (state.Paused) throw new OperationRefusedError(msg('mig.paused', { name }), 'invalid');
  const asideName = input.asideName ?? `${name}-pre-upgrade-${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}`;
  const taken = await call(() => docker.getContainer(asideName).inspect()).then(
    () => true,
    () => false,
  );
  if (taken) throw new OperationRefusedError(msg('mig.asideTaken', { aside: asideName, name }), 'exists');

  const { spec, connect, warnings } = newContainerSpec(old, oldImage?.Config ?? {}, input.image);
  if (!oldImage) warnings.push(msg('mig.warn.oldImageGone', { image: old.Config.Image, name }));
  const newCmd = (newImage.Config as ImageConfig).Cmd;
  const labels = old.Config.Labels ?? {};
  const compose = labels[COMPOSE_PROJECT_LABEL] ? { project: labels[COMPOSE_PROJECT_LABEL], service: labels[COMPOSE_SERVICE_LABEL] } : undefined;
  if (compose) warnings.unshift(msg('mig.warn.composeImage', { name, project: compose.project }));

  const oldRef = { existing: old.Id };
  const newRef = { created: 'new' };
  const steps: PlanStep[] = [
    { kind: 'rename', container: oldRef, from: name, to: asideName },
    { kind: 'create', ref: 'new', name, image: input.image, spec, connect },
  ];
  if (running) steps.push({ kind: 'stop', container: oldRef, name: asideName, timeoutSeconds: input.stopTimeoutSeconds });
  steps.push({ kind: 'check', container: newRef, name, settleMs: input.settleMs ?? 2000, leaveStopped: !running });
  if (!input.keepOld) steps.push({ kind: 'remove', container: oldRef, name: asideName });
  return {
    migration: 'upgrade',
    title: msg('mig.title.upgrade', { name, from: old.Config.Image, to: input.image }),
    steps,
    warnings,
    compose,
    facts: {
      name,
      oldId: old.Id,
      oldImage: old.Config.Image,
      image: input.image,
      asideName,
      running: String(running),
      command: JSON.stringify(spec.Cmd ?? newCmd ?? null),
      keepOld: String(input.keepOld === true),
      mounts: (spec.HostConfig?.Binds ?? []).concat((spec.HostConfig?.Mounts ?? []).map((m) => `tmpfs:${m.Target}`)).join(' '),
    },
  };
}

export async function upgradeImage(ctx: OperationContext, input: UpgradeInput, o: ExecuteOptions = {}): Promise<UpgradeResult> {
  const plan = await planUpgrade(ctx, input);
  return executeUpgrade(ctx, plan, o);
}

export async function executeUpgrade(ctx: OperationContext, plan: Plan, o: ExecuteOptions = {}): Promise<UpgradeResult> {
  const r = await executePlan(ctx, plan, o);
  const f = plan.facts;
  return { name: f.name, newId: r.created.new, image: f.image, running: f.running === 'true', ...(f.keepOld === 'true' ? { oldName: f.asideName } : {}) };
}

/**
 * The create body of the new container: the old one's configuration, minus what came from the old
 * image, with its mounts made explicit. Exported for the tests of what is carried over.
 */
export function newContainerSpec(
  old: Inspect,
  oldImage: ImageConfig,
  image: string,
): {
  spec: Dockerode.ContainerCreateOptions;
  connect: { network: string; endpoint: Dockerode.EndpointSettings }[];
  warnings: Message[];
} {
  const warnings: Message[] = [];
  const c = old.Config as Inspect['Config'] & {
    Entrypoint?: string[] | string | null;
    Healthcheck?: unknown;
    StopSignal?: string;
    StopTimeout?: number;
    MacAddress?: string;
    Shell?: string[];
  };
  const differs = (a: unknown, b: unknown) => !isDeepStrictEqual(a ?? null, b ?? null);
  const imageEnv = new Set(oldImage.Env ?? []);
  const imageLabels = oldImage.Labels ?? {};
  const imagePorts = oldImage.ExposedPorts ?? {};
  const shortId = old.Id.slice(0, 12);

  const spec: Dockerode.ContainerCreateOptions = {
    Image: image,
    // The engine sets the hostname to the short id unless one was given.
    ...(c.Hostname && c.Hostname !== shortId ? { Hostname: c.Hostname } : {}),
    ...(c.Domainname ? { Domainname: c.Domainname } : {}),
    ...(differs(c.User || '', oldImage.User || '') ? { User: c.User } : {}),
    AttachStdin: c.AttachStdin,
    AttachStdout: c.AttachStdout,
    AttachStderr: c.AttachStderr,
    Tty: c.Tty,
    OpenStdin: c.OpenStdin,
    StdinOnce: c.StdinOnce,
    Env: (c.Env ?? []).filter((e) => !imageEnv.has(e)),
    Labels: Object.fromEntries(Object.entries(c.Labels ?? {}).filter(([k, v]) => imageLabels[k] !== v)),
    ExposedPorts: Object.fromEntries(
      Object.keys(c.ExposedPorts ?? {})
        .filter((p) => !(p in imagePorts))
        .map((p) => [p, {}]),
    ),
    ...(differs(c.WorkingDir || '', oldImage.WorkingDir || '') ? { WorkingDir: c.WorkingDir } : {}),
    ...(c.StopSignal && differs(c.StopSignal, oldImage.StopSignal) ? { StopSignal: c.StopSignal } : {}),
    ...(c.StopTimeout !== undefined && c.StopTimeout !== null ? { StopTimeout: c.StopTimeout } : {}),
    ...(c.Healthcheck && differs(c.Healthcheck, oldImage.Healthcheck) ? { Healthcheck: c.Healthcheck } : {}),
    ...(c.MacAddress ? { MacAddress: c.MacAddress } : {}),
  };
  // Only overrides: with the old image's own command, the new image's own command applies. An
  // overridden entrypoint is given alone with its command (the engine then ignores the image's CMD).
  const entrypointOverridden = differs(c.Entrypoint, oldImage.Entrypoint);
  if (entrypointOverridden) {
    spec.Entrypoint = c.Entrypoint ?? [];
    if (c.Cmd && c.Cmd.length) spec.Cmd = c.Cmd;
  } else if (differs(c.Cmd, oldImage.Cmd)) {
    spec.Cmd = c.Cmd ?? [];
  }

  const hc = old.HostConfig as Dockerode.HostConfig & Record<string, unknown>;
  const hostConfig: Dockerode.HostConfig & Record<string, unknown> = { ...hc };
  for (const k of ['Binds', 'Mounts', 'VolumesFrom', 'ContainerIDFile', 'Links']) delete hostConfig[k];
  // Mounts, explicitly: volumes by name (anonymous ones too), binds by host path, as the old one had them.
  const binds: string[] = [];
  const tmpfsMounts: Dockerode.MountSettings[] = [];
  const declared = hc.Mounts ?? [];
  for (const m of old.Mounts as (Inspect['Mounts'][number] & { Type?: string })[]) {
    const opts: string[] = [];
    if (!m.RW) opts.push('ro');
    if (m.Type === 'volume' && m.Name) {
      binds.push(`${m.Name}:${m.Destination}${opts.length ? `:${opts.join(',')}` : ''}`);
    } else if (m.Type === 'bind') {
      if (m.Propagation && m.Propagation !== 'rprivate') opts.push(m.Propagation);
      if (/(^|,)(z|Z)(,|$)/.test(m.Mode)) opts.push(/Z/.test(m.Mode) ? 'Z' : 'z');
      binds.push(`${m.Source}:${m.Destination}${opts.length ? `:${opts.join(',')}` : ''}`);
    } else if (m.Type === 'tmpfs') {
      tmpfsMounts.push(declared.find((d) => d.Target === m.Destination) ?? { Type: 'tmpfs', Target: m.Destination, Source: '', ReadOnly: !m.RW });
    } else {
      warnings.push(msg('mig.warn.mountDropped', { type: mountTypeText(m.Type), path: m.Destination }));
    }
  }
  hostConfig.Binds = binds;
  if (tmpfsMounts.length) hostConfig.Mounts = tmpfsMounts;
  // Legacy links are stored as "/other:/name/alias"; create takes "other:alias".
  const links = (hc.Links ?? []) as string[];
  if (links.length) {
    hostConfig.Links = links.map((l) => {
      const [src, dst] = l.split(':');
      return `${src.replace(/^\//, '')}:${dst.slice(dst.lastIndexOf('/') + 1)}`;
    });
  }
  if (typeof hostConfig.NetworkMode === 'string' && /^container:/.test(hostConfig.NetworkMode)) {
    warnings.push(msg('mig.warn.sharedNetwork', { name: old.Name.replace(/^\//, ''), mode: hostConfig.NetworkMode ?? '' }));
  }
  spec.HostConfig = hostConfig;

  // Networks with their aliases and static addresses; the engine takes one at create time, the rest
  // are connected before the start.
  const networks = Object.entries(old.NetworkSettings.Networks ?? {}) as [
    string,
    Dockerode.EndpointSettings & { IPAMConfig?: Record<string, unknown> | null; DriverOpts?: Record<string, string> | null },
  ][];
  const endpoint = (
    n: Dockerode.EndpointSettings & { IPAMConfig?: Record<string, unknown> | null; DriverOpts?: Record<string, string> | null },
  ): Dockerode.EndpointSettings => {
    const aliases = (n.Aliases ?? []).filter((a) => a !== shortId && a !== old.Id);
    return {
      ...(n.IPAMConfig && Object.values(n.IPAMConfig).some((v) => v) ? { IPAMConfig: n.IPAMConfig } : {}),
      ...(aliases.length ? { Aliases: aliases } : {}),
      ...(n.Links?.length ? { Links: n.Links } : {}),
      ...(n.DriverOpts ? { DriverOpts: n.DriverOpts } : {}),
    };
  };
  const mode = String(hc.NetworkMode ?? 'default');
  const primary = networks.find(([k]) => k === mode) ?? (mode === 'default' ? networks.find(([k]) => k === 'bridge') : undefined);
  if (primary) spec.NetworkingConfig = { EndpointsConfig: { [primary[0]]: endpoint(primary[1]) } };
  const connect = networks
    .filter((n) => n !== primary && !/^(host|none)$/.test(n[0]) && !/^container:/.test(mode))
    .map(([network, n]) => ({ network, endpoint: endpoint(n) }));
  return { spec, connect, warnings };
}
