// Gets the activated extension's API inside the extension host.
import * as vscode from 'vscode';
import type { ContainerVolumesApi } from '../../src/extension';

export const EXTENSION_ID = 'container-volumes.container-volumes';

export async function api(): Promise<ContainerVolumesApi> {
  const ext = vscode.extensions.getExtension<ContainerVolumesApi>(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not installed in this extension host`);
  return ext.activate();
}

/** Polls `check` until it returns a truthy value or the time is up (then throws with `what`). */
export async function until<T>(what: string, check: () => T | Promise<T>, timeoutMs = 20000): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  let last: Error | undefined;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (e) {
      last = e instanceof Error ? e : new Error(String(e));
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
