// The extension-host test entry: VS Code (code-server through test/vscode/run-ext-tests.sh, or desktop
// VS Code through @vscode/test-electron) loads this module and awaits run(). Runs every compiled
// out/test/suite/**/*.test.js with mocha's tdd UI. MOCHA_GREP (environment) narrows the run.
import * as path from 'node:path';
import Mocha from 'mocha';
import { glob } from 'glob';

export function run(): Promise<void> {
  return runTestsIn(__dirname); // out/test/suite
}

/** Runs every compiled test file (*.test.js) under `dir`, at any depth; test/untrusted uses it too. */
export async function runTestsIn(dir: string): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60000, reporter: 'spec' });
  if (process.env.MOCHA_GREP) mocha.grep(process.env.MOCHA_GREP);
  const files = await glob('**/*.test.js', { cwd: dir });
  if (files.length === 0) throw new Error(`no test files under ${dir}`);
  for (const f of files.sort()) mocha.addFile(path.resolve(dir, f));

  await new Promise<void>((resolve, reject) => {
    try {
      mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} test(s) failed`)) : resolve()));
    } catch (err) {
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}
