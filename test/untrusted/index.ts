// The extension-host entry for the Restricted Mode pass: run-ext-tests.sh --untrusted opens the window
// with workspace trust on and not granted, and runs every out/test/untrusted/**/*.test.js.
import { runTestsIn } from '../suite/index';

export function run(): Promise<void> {
  return runTestsIn(__dirname);
}
