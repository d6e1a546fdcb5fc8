// Bundles the extension and the CLI with esbuild (vscode stays external); copies the webview toolkit.
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, existsSync, readFileSync } from 'node:fs';

const watch = process.argv.includes('--watch');
// `container-volumes --version` prints it: fixed in the bundle, which is installed without a package.json path to read.
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  minify: !watch,
  external: ['vscode', 'cpu-features', './crypto/build/Release/sshcrypto.node'],
  logLevel: 'info',
  define: { CONTAINER_VOLUMES_VERSION: JSON.stringify(version) },
};
const builds = [
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js' },
  { ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // The webview page runs in the browser: no Node, no vscode.
  { ...common, platform: 'browser', format: 'iife', external: [], entryPoints: ['src/webview/page/mountGraph.ts'], outfile: 'dist/webview/mountGraph.js' },
];
mkdirSync('dist', { recursive: true });
const toolkit = 'node_modules/@vscode/webview-ui-toolkit/dist/toolkit.min.js';
if (existsSync(toolkit)) cpSync(toolkit, 'dist/webview/toolkit.min.js');
const present = builds.filter((b) => existsSync(b.entryPoints[0]));
if (watch) {
  for (const b of present) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(present.map((b) => esbuild.build(b)));
}
