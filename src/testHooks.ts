// What the project's own extension-host tests reach inside the extension, and nothing else does: the
// hooks exist only when VS Code runs this extension's tests (ExtensionMode.Test) under the project's
// runners (CONTAINER_VOLUMES_TEST_HOOKS=1), through a command package.json does not contribute.
import * as vscode from 'vscode';
import type { EngineStatusBar } from './EngineStatusBar';
import type { VolumeFileSystemProvider } from './fs/VolumeFileSystemProvider';
import type { Prompter } from './prompter';
import type { ResourceLabels, Services } from './services';
import type { ContainersTreeProvider } from './tree/ContainersTreeProvider';
import type { VolumesTreeProvider } from './tree/VolumesTreeProvider';

export const TEST_HOOKS_COMMAND = 'containerVolumes.test.hooks';
export const TEST_HOOKS_ENV = 'CONTAINER_VOLUMES_TEST_HOOKS';

export interface TestHooks {
  readonly services: Services;
  /** The two tree providers, so tests read exactly what the views show. */
  readonly views: { readonly containers: ContainersTreeProvider; readonly volumes: VolumesTreeProvider };
  /** The status bar item of the current engine (its text and tooltip). */
  readonly statusBar: EngineStatusBar;
  /** The `docker-volume:` provider, so tests see the change events it fires. */
  readonly volumeFileSystem: VolumeFileSystemProvider;
  /** Runs a command as its menu item would (trust check included); unlike executeCommand, errors reach the caller. */
  runCommand(id: string, ...args: unknown[]): Promise<unknown>;
  /** Answers the commands' questions in place of VS Code's dialogs (set it back to restore them). */
  prompter: Prompter;
  /** Labels put on every helper, volume and container the commands create, so a test's cleanup finds them. */
  resourceLabels: ResourceLabels;
}

export function testHooksEnabled(context: vscode.ExtensionContext): boolean {
  return context.extensionMode === vscode.ExtensionMode.Test && process.env[TEST_HOOKS_ENV] === '1';
}
