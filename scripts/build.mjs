// Bundles the extension and the CLI with esbuild (vscode stays external), and the mount-graph page
// with its controls (@vscode/webview-ui-toolkit) and layout (@dagrejs/dagre) into dist/webview/,
// the only folder the webview may load from. A page without its toolkit is a broken panel, so the
// build fails when the toolkit is missing or did not make it into the bundle.
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, existsSync, readFileSync } from 'node:fs';

const watch = process.argv.includes('--watch');
// `container-volumes --version` prints it: fixed in the bundle, which is installed without a package.json path to read.
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
// Modules the engine client loads at start but needs only for one feature: dockerode's BuildKit
// session (gRPC and protobuf, ~200 ms) and docker-modem's ssh transport (ssh2, ~100 ms). Each require
// becomes a function that loads the module on its first call, so the CLI and the extension start
// without them and an ssh:// engine still gets its agent. The build fails if a rewrite no longer
// matches (a new dockerode release must be looked at, not silently slowed down).
const LAZY = [
  {
    file: /dockerode[\\/]lib[\\/]docker\.js$/,
    from: "withSession = require('./session'),",
    to: "withSession = function () { return require('./session').apply(this, arguments); },",
  },
  {
    file: /docker-modem[\\/]lib[\\/]modem\.js$/,
    from: "ssh = require('./ssh'),",
    to: "ssh = function () { return require('./ssh').apply(this, arguments); },",
  },
];
const lazyRequires = {
  name: 'lazy-requires',
  setup(build) {
    for (const l of LAZY) {
      build.onLoad({ filter: l.file }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        if (!text.includes(l.from)) return { errors: [{ text: `lazy-requires: "${l.from}" not found in ${args.path}` }] };
        return { contents: text.replace(l.from, l.to), loader: 'js' };
      });
    }
  },
};
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
  plugins: [lazyRequires],
};
const builds = [
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js' },
  // The command: a small launcher that loads the CLI's bundle with V8's code cache (src/cli/launch.ts).
  { ...common, entryPoints: ['src/cli/launch.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, plugins: [] },
  { ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli-main.js' },
  // The webview page runs in the browser: no Node, no vscode.
  {
    ...common,
    platform: 'browser',
    format: 'iife',
    target: 'chrome114',
    external: [],
    entryPoints: ['src/webview/page/mountGraph.ts'],
    outfile: 'dist/webview/mountGraph.js',
  },
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
