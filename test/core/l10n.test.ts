// Every user-visible string is shipped in English and Simplified Chinese: each vscode.l10n.t()
// message in src/ has a translation in l10n/bundle.l10n.zh-cn.json with the same placeholders,
// and every %key% of package.json has a package.nls.zh-cn.json entry.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../../..');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** The first argument of each l10n.t(...) call, when it is a string literal. */
export function l10nMessages(source: string): string[] {
  const out: string[] = [];
  const re = /l10n\.t\(\s*(['"`])((?:\\.|(?!\1)[^\\])*)\1/g;
  for (let m = re.exec(source); m; m = re.exec(source)) {
    out.push(m[2].replace(/\\(['"`\\])/g, '$1').replace(/\\n/g, '\n'));
  }
  return out;
}

/** Nouns a count is put before in our texts; a count glued to one of them needs its singular too. */
export const COUNTED_NOUNS = [
  'entries',
  'files',
  'folders',
  'volumes',
  'containers',
  'lines',
  'bytes',
  'backups',
  'items',
  'images',
  'projects',
  'segments',
  'seconds',
  'minutes',
  'hours',
  'days',
  'weeks',
  'months',
  'years',
];
const FUNCTION_WORDS = new Set([
  'has',
  'have',
  'is',
  'are',
  'was',
  'were',
  'no',
  'of',
  'the',
  'a',
  'an',
  'in',
  'at',
  'to',
  'and',
  'or',
  'with',
  'from',
  'by',
  'on',
  'into',
  'for',
]);

/** "{2} entries", "{0} more matching lines": a count placeholder, up to two modifiers, a plural noun. */
export function countsGluedToPlurals(text: string, count = String.raw`\{\d+\}`): string[] {
  const re = new RegExp(`${count}\\s+((?:[A-Za-z/-]+\\s+){0,2}?)(${COUNTED_NOUNS.join('|')})\\b`, 'gi');
  return [...text.matchAll(re)]
    .filter(
      (m) =>
        !m[1]
          .trim()
          .split(/\s+/)
          .some((w) => FUNCTION_WORDS.has(w.toLowerCase())),
    )
    .map((m) => m[0]);
}

// Shown only where the count is 2 or more (the mount graph labels a volume shared by several containers).
const ALWAYS_SEVERAL = new Set(['{0} containers']);

const placeholders = (s: string) => (s.match(/\{\d+\}/g) ?? []).sort().join(',');

suite('localisation (English and Simplified Chinese)', () => {
  test('every l10n.t message has a Chinese translation with the same placeholders', () => {
    const bundle = JSON.parse(fs.readFileSync(path.join(root, 'l10n/bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
    const messages = [...new Set(sourceFiles(path.join(root, 'src')).flatMap((f) => l10nMessages(fs.readFileSync(f, 'utf8'))))];
    assert.ok(messages.length > 20, `found the messages (${messages.length})`);
    const missing = messages.filter((m) => !(m in bundle));
    assert.deepEqual(missing, [], 'messages without a translation');
    const wrong = messages.filter((m) => placeholders(m) !== placeholders(bundle[m]));
    assert.deepEqual(wrong, [], 'translations whose placeholders differ');
  });

  test('package.json strings exist in English and Chinese', () => {
    const pkg = fs.readFileSync(path.join(root, 'package.json'), 'utf8');
    const keys = [...new Set([...pkg.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]))];
    const en = JSON.parse(fs.readFileSync(path.join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;
    const zh = JSON.parse(fs.readFileSync(path.join(root, 'package.nls.zh-cn.json'), 'utf8')) as Record<string, string>;
    assert.ok(keys.length > 10);
    assert.deepEqual(
      keys.filter((k) => !(k in en)),
      [],
      'keys missing in package.nls.json',
    );
    assert.deepEqual(
      keys.filter((k) => !(k in zh)),
      [],
      'keys missing in package.nls.zh-cn.json',
    );
  });

  test('plurals: a count glued to a plural noun is the "many" side of a `=== 1 ?` with its own singular text, one count per text', () => {
    const bad: string[] = [];
    let seen = 0;
    for (const f of sourceFiles(path.join(root, 'src'))) {
      const source = fs.readFileSync(f, 'utf8');
      const re = /l10n\.t\(\s*(['"`])((?:\\.|(?!\1)[^\\])*)\1/g;
      for (let m = re.exec(source); m; m = re.exec(source)) {
        const glued = countsGluedToPlurals(m[2]);
        if (!glued.length || ALWAYS_SEVERAL.has(m[2])) continue;
        seen++;
        const where = `${path.relative(root, f)}: ${m[2]}`;
        if (glued.length > 1) bad.push(`${where} (${glued.length} counts in one text: build it from pieces)`);
        // Right before the call: `n === 1 ? <the singular> :` (the nearest `=== 1 ?`, within a few lines).
        const before = source.slice(Math.max(0, m.index - 400), m.index);
        if (!/={2,3}\s*1\s*\?(?:(?!={2,3}\s*1\s*\?)[\s\S])*\)\s*:\s*(?:vscode\.)?$|={2,3}\s*1\s*\?\s*[\w.[\]]+\s*:\s*(?:vscode\.)?$/.test(before)) {
          bad.push(`${where} (no singular for 1)`);
        }
      }
    }
    assert.ok(seen > 10, `found the counted texts (${seen})`);
    assert.deepEqual(bad, []);
  });

  test('the plural check catches a count glued to a plural noun, and leaves verbs and other words alone', () => {
    assert.deepEqual(countsGluedToPlurals('Backed up {0} to {1} ({2} entries, verified).'), ['{2} entries']);
    assert.deepEqual(countsGluedToPlurals('… {0} more matching lines'), ['{0} more matching lines']);
    assert.deepEqual(countsGluedToPlurals('Remove {0} Volumes'), ['{0} Volumes']);
    assert.deepEqual(countsGluedToPlurals('{0} has no files'), []);
    assert.deepEqual(countsGluedToPlurals('{0} mounts {2} at {1}'), []);
    assert.deepEqual(countsGluedToPlurals('Backed up 1 volume to {0} (verified).'), []);
  });

  /** `text` with the arguments of every log call blanked (newlines kept, so line numbers stay), however the formatter wraps them. */
  function withoutLogArguments(text: string): string {
    const out = text.split('');
    for (const m of text.matchAll(/\blog\.(info|warn|error|debug|trace)\(/g)) {
      let depth = 1;
      for (let i = (m.index ?? 0) + m[0].length; i < text.length && depth > 0; i++) {
        if (text[i] === '(') depth++;
        else if (text[i] === ')') depth--;
        if (depth > 0 && text[i] !== '\n') out[i] = ' ';
      }
    }
    return out.join('');
  }

  test("the log's arguments are left out of the glued-label check however they are wrapped; code outside them is not", () => {
    const wrapped = 'services.log.info(\n  failed\n    ? `backup of ${name} failed: ${e}`\n    : `done`,\n);\nshow(`Driver: ${d}`);';
    const lines = withoutLogArguments(wrapped).split('\n');
    assert.equal(lines.length, 6);
    assert.ok(!lines.slice(0, 5).some((l) => /failed: /.test(l)), lines.join('|'));
    assert.equal(lines[5], 'show(`Driver: ${d}`);');
  });

  test('no label is glued to its value in code ("Driver: " + x): the whole pattern is one translatable string', () => {
    const bad: string[] = [];
    for (const dir of ['tree', 'commands', 'webview', 'model', 'fs', 'editors']) {
      for (const f of sourceFiles(path.join(root, 'src', dir))) {
        withoutLogArguments(fs.readFileSync(f, 'utf8'))
          .split('\n')
          .forEach((line, i) => {
            if (/^\s*(\/\/|\*)/.test(line)) return; // comments; the log's arguments are blanked (English by design)
            if (/`[^`]*[A-Za-z)]: \$\{|['"][^'"]*[A-Za-z)]: ['"]\s*\+|\+\s*['"]: ['"]/.test(line)) {
              bad.push(`${path.relative(root, f)}:${i + 1}: ${line.trim()}`);
            }
          });
      }
    }
    assert.deepEqual(bad, []);
  });

  test('one ellipsis everywhere: "…" (never "..." nor the doubled "……")', () => {
    const files = ['l10n/bundle.l10n.zh-cn.json', 'package.nls.json', 'package.nls.zh-cn.json'];
    const bad: string[] = [];
    for (const f of files) {
      const strings = JSON.parse(fs.readFileSync(path.join(root, f), 'utf8')) as Record<string, string>;
      for (const [k, v] of Object.entries(strings)) for (const s of [k, v]) if (s.includes('...') || s.includes('……')) bad.push(`${f}: ${s}`);
    }
    assert.deepEqual(bad, []);
  });

  test('Chinese texts quote with “” (never ASCII quotes)', () => {
    const bad: string[] = [];
    for (const f of ['l10n/bundle.l10n.zh-cn.json', 'package.nls.zh-cn.json']) {
      const strings = JSON.parse(fs.readFileSync(path.join(root, f), 'utf8')) as Record<string, string>;
      for (const v of Object.values(strings)) if (v.includes('"')) bad.push(`${f}: ${v}`);
    }
    assert.deepEqual(bad, []);
  });

  test('Chinese texts use full-width punctuation beside Chinese words, and no space around “”', () => {
    const CJK = '[\\u3400-\\u9fff]';
    // ASCII , : ; ( ) ! ? touching a Chinese character, or ", " / ": " between Chinese words; “ ” set off by spaces.
    const ascii = new RegExp(`${CJK}[,:;()!?]|[,:;(]${CJK}|${CJK}[,:;] ${CJK}`);
    const spaced = new RegExp(`${CJK} “|” ${CJK}`);
    const bad: string[] = [];
    for (const f of ['l10n/bundle.l10n.zh-cn.json', 'package.nls.zh-cn.json']) {
      const strings = JSON.parse(fs.readFileSync(path.join(root, f), 'utf8')) as Record<string, string>;
      for (const v of Object.values(strings)) if (ascii.test(v) || spaced.test(v)) bad.push(`${f}: ${v}`);
    }
    assert.deepEqual(bad, []);
  });

  test("displayName is localised (notification sources read the extension's name in the display language)", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { displayName: string };
    assert.match(pkg.displayName, /^%[\w.]+%$/);
  });
});
