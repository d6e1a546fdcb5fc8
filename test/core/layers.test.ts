// The core's layers (README, "Architecture") as the project's own lint configuration enforces them:
// an import from a higher layer fails lint, an import from a lower one does not, and every core file
// sits in a layer folder.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ESLint, Linter } from 'eslint';
import { parser } from 'typescript-eslint';

const root = path.resolve(__dirname, '../../..');
const FOLDERS = ['engine', 'archive', 'helpers', 'files', 'operations'];
/** The vocabulary every layer uses, at the core's root. */
const ROOT_FILES = ['message.ts', 'messageCatalogue.ts', 'volumeName.ts'];

/** The lint errors of `no-restricted-imports`, with the options eslint.config.mjs gives `file`, on `code`. */
async function importErrors(file: string, code: string): Promise<string[]> {
  const config = (await new ESLint({ cwd: root }).calculateConfigForFile(path.join(root, file))) as { rules?: Record<string, Linter.RuleEntry> };
  const rule = config.rules?.['no-restricted-imports'];
  assert.ok(rule, `no import rule applies to ${file}`);
  const messages = new Linter({ configType: 'flat' }).verify(
    code,
    [
      {
        files: ['**/*.ts'],
        languageOptions: { parser },
        rules: { 'no-restricted-imports': rule },
      },
    ],
    { filename: path.join(root, file) },
  );
  return messages.map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
}

suite('core layers', () => {
  const forbidden: [file: string, importLine: string][] = [
    ['src/core/archive/probe.ts', "import type Dockerode from 'dockerode';"],
    ['src/core/archive/probe.ts', "import { call } from '../engine/engine';"],
    ['src/core/archive/probe.ts', "import type { JobResult } from '../helpers/helperJobs';"],
    ['src/core/archive/probe.ts', "import { VolumeFiles } from '../files/volumeFiles';"],
    ['src/core/archive/probe.ts', "export { backupVolume } from '../operations/backupVolume';"],
    ['src/core/engine/probe.ts', "import { createIdleHelper } from '../helpers/helperContainers';"],
    ['src/core/engine/probe.ts', "import { VolumeFiles } from '../files/volumeFiles';"],
    ['src/core/engine/probe.ts', "import { withEngineLocks } from '../operations/engineLocks';"],
    ['src/core/helpers/probe.ts', "import { VolumeFiles } from '../files/volumeFiles';"],
    ['src/core/helpers/probe.ts', "import { restoreVolume } from '../operations/restoreVolume';"],
    ['src/core/operations/probe.ts', "import { VolumeFiles } from '../files/volumeFiles';"],
    ['src/core/operations/migrations/probe.ts', "import { volumeDiskUsage } from '../../files/diskUsage';"],
    ['src/core/operations/migrations/probe.ts', "import * as vscode from 'vscode';"],
    ['src/core/message.ts', "import * as vscode from 'vscode';"],
    // Not core, but pure too: the commands' argument parser, unit-tested in plain Node.
    ['src/commands/commandArgs.ts', "import * as vscode from 'vscode';"],
  ];
  for (const [file, line] of forbidden) {
    test(`${file}: ${line} fails lint`, async () => {
      const errors = await importErrors(file, `${line}\n`);
      assert.equal(errors.length, 1, errors.join('\n'));
      assert.match(errors[0], /^no-restricted-imports: /);
    });
  }

  const allowed: [file: string, importLine: string][] = [
    ['src/core/archive/probe.ts', "import { msg } from '../message';\nimport { TarReader } from './tarReader';"],
    ['src/core/engine/probe.ts', "import type Dockerode from 'dockerode';\nimport { msg } from '../message';"],
    ['src/core/helpers/probe.ts', "import { call } from '../engine/engine';\nimport { TarCheck } from '../archive/tarTap';"],
    ['src/core/operations/probe.ts', "import { WorkHelpers } from '../helpers/workHelpers';\nimport { TarTap } from '../archive/tarTap';"],
    [
      'src/core/files/probe.ts',
      "import { startShellHelper } from '../helpers/helperContainers';\nimport { assertNoOtherWriter } from '../operations/engineLocks';",
    ],
  ];
  for (const [file, lines] of allowed) {
    test(`${file}: imports from the layers below pass lint`, async () => {
      assert.deepEqual(await importErrors(file, `${lines}\n`), []);
    });
  }

  test('every core file sits in a layer folder (or is one of the shared root files)', () => {
    const core = path.join(root, 'src/core');
    const stray = fs
      .readdirSync(core, { withFileTypes: true })
      .filter((e) => (e.isDirectory() ? !FOLDERS.includes(e.name) : !ROOT_FILES.includes(e.name)))
      .map((e) => e.name);
    assert.deepEqual(stray, []);
  });
});
