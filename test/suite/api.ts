// Gets the activated extension's test hooks inside the extension host (the extension exports nothing).
import * as vscode from 'vscode';
import { TEST_HOOKS_COMMAND, TEST_HOOKS_ENV, type TestHooks } from '../../src/testHooks';

export const EXTENSION_ID = 'container-volumes.container-volumes';

export async function api(): Promise<TestHooks> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not installed in this extension host`);
  await ext.activate();
  const hooks = await vscode.commands.executeCommand<TestHooks | undefined>(TEST_HOOKS_COMMAND);
  if (!hooks) throw new Error(`the test hooks are off: run the suite through test/vscode/run-ext-tests.sh, which sets ${TEST_HOOKS_ENV}=1`);
  return hooks;
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

/** Runs a command as VS Code does (its argument parsed by the runner), returning its result or throwing its error. */
export async function runCommand(spec: { readonly id: string }, ...args: unknown[]): Promise<unknown> {
  return (await api()).runCommand(spec.id, ...args);
}
