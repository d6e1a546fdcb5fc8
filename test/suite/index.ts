// The extension-host test entry: VS Code (code-server through test/vscode/run-ext-tests.sh, or desktop
// VS Code through @vscode/test-electron) loads this module and awaits run(). Runs every compiled
// out/test/suite/**/*.test.js with mocha's tdd UI. MOCHA_GREP (environment) narrows the run.
import * as path from 'node:path';
import Mocha from 'mocha';
import { glob } from 'glob';

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60000, reporter: 'spec' });
  if (process.env.MOCHA_GREP) mocha.grep(process.env.MOCHA_GREP);
  // __dirname is out/test/suite: the glob below is out/test/suite/**/*.test.js
  const files = await glob('**/*.test.js', { cwd: __dirname });
  if (files.length === 0) throw new Error(`no test files under ${__dirname}`);
  for (const f of files.sort()) mocha.addFile(path.resolve(__dirname, f));

  await new Promise<void>((resolve, reject) => {
    try {
      mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} test(s) failed`)) : resolve()));
    } catch (err) {
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}
