// The engine's archive endpoints, called directly through the modem so that we control what dockerode
// does not give (headers, AbortSignal). Also: inspect a volume.
// Design notes: docs/data-operations.md#srccoreenginevolumearchivets
import type Dockerode from 'dockerode';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { call, EngineError, toEngineError } from './engine';
import { msg } from '../message';
import type { VolumeInfo } from './types';

interface Modem {
  dial(opts: Record<string, unknown>, cb: (err: unknown, data: unknown) => void): void;
}

/** dockerode's modem, for the endpoints dockerode has no method for (archive, system/df?type=volume). */
export function modem(docker: Dockerode): Modem {
  return docker.modem as unknown as Modem;
}

/** GET /containers/{id}/archive?path=...: the tar stream (a live HTTP response: read or destroy it). */
export async function getArchive(docker: Dockerode, containerId: string, path: string, signal?: AbortSignal): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    modem(docker).dial(
      {
        path: `/containers/${containerId}/archive?`,
        method: 'GET',
        isStream: true,
        abortSignal: signal,
        statusCodes: { 200: true, 400: 'bad parameter', 404: 'no such container or path', 500: 'server error' },
        options: { path },
      },
      (err, data) => (err ? reject(toEngineError(err)) : resolve(data as IncomingMessage)),
    );
  });
}

/** PUT /containers/{id}/archive?path=...: extracts a plain tar stream into `path` (which must exist). */
export async function putArchive(docker: Dockerode, containerId: string, path: string, body: Readable, signal?: AbortSignal): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    modem(docker).dial(
      {
        path: `/containers/${containerId}/archive?`,
        method: 'PUT',
        file: body,
        headers: { 'Content-Type': 'application/x-tar' },
        abortSignal: signal,
        statusCodes: { 200: true, 400: 'bad parameter', 403: 'permission denied (read-only?)', 404: 'no such container or path', 500: 'server error' },
        options: { path, noOverwriteDirNonDir: 'true' },
      },
      (err) => (err ? reject(putFailure(err)) : resolve()),
    );
  });
}

/** What a PUT of an archive failing with `err` says (a read-only target in words of its own). */
export function putFailure(err: unknown): EngineError {
  const e = toEngineError(err);
  if (e.kind === 'readOnly' || /read-only/i.test(e.message)) {
    return new EngineError(msg('engine.targetReadOnly', { detail: e.message }), 'readOnly', e.statusCode, { cause: err });
  }
  return e;
}

export type { VolumeInfo } from './types';

/** Inspects a volume; undefined when it does not exist. */
export async function inspectVolume(docker: Dockerode, name: string): Promise<VolumeInfo | undefined> {
  try {
    const v = await call(() => docker.getVolume(name).inspect());
    return {
      name: v.Name,
      driver: v.Driver,
      labels: { ...(v.Labels ?? {}) },
      options: { ...((v as unknown as { Options?: Record<string, string> | null }).Options ?? {}) },
      mountpoint: v.Mountpoint,
    };
  } catch (e) {
    if ((e as EngineError).kind === 'notFound') return undefined;
    throw e;
  }
}
