#!/usr/bin/env node
// package.mjs [--out FILE] [--images-url URL] [--no-build] - builds container-volumes.vsix with vsce.
//
// The README's pictures: VS Code renders an extension's README (Extensions view, the extension's page)
// in a webview that loads images over https only (CSP `img-src https: data:`, and its sanitizer drops
// relative and data: sources), never from the installed folder. So the packaged README must name
// them by an https address where the same files are published. vsce rewrites the relative links
// (media/screenshots/...) to one:
//   - with --images-url URL (or CV_README_IMAGES_URL): URL/media/screenshots/...;
//   - else from package.json `repository` when it is on GitHub or GitLab (…/raw/HEAD/...).
// With neither, the links stay relative and the pictures cannot show: said on stderr, not an error,
// so a checkout without a public home can still build and test its package.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const argv = process.argv.slice(2);
const opt = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const out = opt('--out') ?? join(root, 'container-volumes.vsix');
const imagesUrl = opt('--images-url') ?? process.env.CV_README_IMAGES_URL;
const { repository } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

if (!argv.includes('--no-build')) execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'inherit' });
const args = ['package', '--no-dependencies', '--allow-missing-repository', '-o', out];
if (imagesUrl) {
  if (!/^https:\/\/[^/]/.test(imagesUrl)) {
    process.stderr.write(`package: --images-url must be an https:// address (VS Code loads README images over https only): ${imagesUrl}\n`);
    process.exit(2);
  }
  args.push('--baseImagesUrl', imagesUrl);
} else if (!repository) {
  args.push('--no-rewrite-relative-links');
  process.stderr.write(
    "package: no https address for the README's pictures (package.json has no repository, no --images-url):\n" +
      "         they will not show on the extension's page in VS Code.\n",
  );
}
execFileSync(join(root, 'node_modules/.bin/vsce'), args, { cwd: root, stdio: 'inherit' });
