// Static checks of the modules' leading comments: a header of at most three lines saying what the module
// is for (design narratives live in docs/), and every "Design notes:" pointer names a heading that exists.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../../..');
const MAX_HEADER_LINES = 3;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** The file's leading block of `//` lines. */
function leadingComment(text: string): string[] {
  const lines = text.split('\n');
  const end = lines.findIndex((l) => !l.startsWith('//'));
  return lines.slice(0, end < 0 ? lines.length : end);
}

/** The anchor GitHub gives a Markdown heading. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

suite('module headers', () => {
  test("every module's header is at most three lines", () => {
    const long = sourceFiles(path.join(root, 'src'))
      .map((f) => ({ f: path.relative(root, f), n: leadingComment(fs.readFileSync(f, 'utf8')).length }))
      .filter((x) => x.n > MAX_HEADER_LINES)
      .map((x) => `${x.f}: ${x.n} lines`);
    assert.deepEqual(long, [], `headers longer than ${MAX_HEADER_LINES} lines (move the design narrative to docs/):\n${long.join('\n')}`);
  });

  test('the header check counts only the leading // block', () => {
    assert.equal(leadingComment('// a\n// b\n// c\n// d\nexport const x = 1;\n').length, 4);
    assert.equal(leadingComment('// a\n\n// not the header\n// nor this\n// nor this\n').length, 1);
    assert.equal(leadingComment("import * as fs from 'node:fs';\n").length, 0);
  });

  test('every "Design notes:" pointer names a docs/ page and a heading it has', () => {
    const broken: string[] = [];
    for (const f of sourceFiles(path.join(root, 'src'))) {
      for (const line of leadingComment(fs.readFileSync(f, 'utf8'))) {
        const m = /(docs\/[\w.-]+\.md)#([\w-]+)/.exec(line);
        if (!m) continue;
        const page = path.join(root, m[1]);
        const anchors = fs.existsSync(page)
          ? fs
              .readFileSync(page, 'utf8')
              .split('\n')
              .filter((l) => /^#{1,6} /.test(l))
              .map((l) => anchorOf(l.replace(/^#+ /, '')))
          : [];
        if (!anchors.includes(m[2])) broken.push(`${path.relative(root, f)}: ${m[1]}#${m[2]}`);
      }
    }
    assert.deepEqual(broken, []);
  });
});
