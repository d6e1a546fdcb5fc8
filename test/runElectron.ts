// The same extension-host suite under desktop VS Code (Electron) through @vscode/test-electron:
//   npm run test:electron
// It downloads VS Code first (update.code.visualstudio.com): on a machine without that network it
// fails at the download, by design; there, `npm run test:ext` runs the suite in code-server instead.
// Like run-ext-tests.sh, the window opens on a fresh .code-workspace file (updateWorkspaceFolders
// only works inside a workspace) with a private user-data and extensions dir.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const extensionDevelopmentPath = path.resolve(__dirname, '../..'); // out/test -> repo root
  const extensionTestsPath = path.resolve(__dirname, 'suite/index');
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cv-electron-'));
  const folder = path.join(scratch, 'folder');
  fs.mkdirSync(folder);
  const workspaceFile = path.join(scratch, 'test.code-workspace');
  fs.writeFileSync(workspaceFile, JSON.stringify({ folders: [{ path: folder }], settings: { 'files.autoSave': 'off' } }, null, 2));
  try {
    await runTests({
      version: process.env.VSCODE_TEST_VERSION ?? 'stable',
      extensionDevelopmentPath,
      extensionTestsPath,
      extensionTestsEnv: { CONTAINER_VOLUMES_TEST_HOOKS: '1' }, // the extension's test hooks (src/testHooks.ts)
      launchArgs: [
        workspaceFile,
        '--disable-extensions',
        '--disable-workspace-trust',
        '--user-data-dir',
        path.join(scratch, 'user-data'),
        '--extensions-dir',
        path.join(scratch, 'extensions'),
      ],
    });
  } catch (err) {
    console.error('extension tests under @vscode/test-electron failed:', err instanceof Error ? err.message : err);
    process.exitCode = 1;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

void main();
