// Bundles the extension and the CLI with esbuild (vscode stays external), and the mount-graph page
// with its controls (@vscode/webview-ui-toolkit) and layout (@dagrejs/dagre) into dist/webview/,
// the only folder the webview may load from. A page without its toolkit is a broken panel, so the
// build fails when the toolkit is missing or did not make it into the bundle.
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
  { ...common, platform: 'browser', format: 'iife', target: 'chrome114', external: [], entryPoints: ['src/webview/page/mountGraph.ts'], outfile: 'dist/webview/mountGraph.js' },
];
const fail = (why) => {
  console.error(`build: ${why}`);
  process.exit(1);
};
for (const pkg of ['@vscode/webview-ui-toolkit', '@dagrejs/dagre']) {
  if (!existsSync(`node_modules/${pkg}/package.json`)) fail(`${pkg} is missing (run npm ci): the mount-graph page cannot be built without it`);
}
mkdirSync('dist/webview', { recursive: true });
cpSync('media/webview/mountGraph.css', 'dist/webview/mountGraph.css');
for (const b of builds) if (!existsSync(b.entryPoints[0])) fail(`${b.entryPoints[0]} is missing`);
if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  // The toolkit's custom elements must be in the page's bundle (it is what the panel's controls are).
  const page = readFileSync('dist/webview/mountGraph.js', 'utf8');
  for (const marker of ['vscode-dropdown', 'vscode-checkbox', 'vscode-text-field', 'rankdir']) {
    if (!page.includes(marker)) fail(`dist/webview/mountGraph.js lacks "${marker}": the toolkit or the layout library was not bundled`);
  }
}
