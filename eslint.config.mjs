// Lint: typed rules for the whole project, and the architecture: src/core is pure Node (never imports
// `vscode`) and its folders are layers that import only the layers below them.
import tseslint from 'typescript-eslint';

const noVscode = { name: 'vscode', message: 'src/core and the CLI are pure Node: no vscode imports.' };

/** src/core/<folder> may not import the core folders in `above` (nor vscode, nor `paths`). */
function layer(folder, above, paths = []) {
  return {
    files: [`src/core/${folder}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noVscode, ...paths],
          patterns: [
            {
              regex: `^(\\.\\./)+(${above.join('|')})(/|$)`,
              message: `src/core/${folder} sits below ${above.join(', ')}: it may not import them (README, "Architecture").`,
            },
          ],
        },
      ],
    },
  };
}

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test/vscode/**', 'test/ui/**', '*.mjs', 'scripts/**', 'media/**'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { project: ['./tsconfig.json', './src/webview/page/tsconfig.json'], tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      curly: ['error', 'multi-line'],
    },
  },
  {
    // commandArgs.ts: the commands' argument parser, unit-tested in plain Node (test/core/commandArgs.test.ts).
    files: ['src/core/**/*.ts', 'src/cli/**/*.ts', 'src/commands/commandArgs.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noVscode] }] },
  },
  // The core's layers (README, "Architecture"): each folder imports only the folders below it.
  layer(
    'archive',
    ['engine', 'helpers', 'files', 'operations'],
    [{ name: 'dockerode', message: 'src/core/archive reads and writes archives only: no engine calls.' }],
  ),
  layer('engine', ['helpers', 'files', 'operations']),
  layer('helpers', ['files', 'operations']),
  layer('operations', ['files']),
);
