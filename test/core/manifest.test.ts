// What package.json promises in menus and the palette: titles that say what each item does, one
// ellipsis, and no command offered in the palette while it cannot run (no engine connected).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { l10nMessages } from './l10n.test';

const root = path.resolve(__dirname, '../../..');
const read = <T>(f: string) => JSON.parse(fs.readFileSync(path.join(root, f), 'utf8')) as T;

interface Manifest {
  contributes: {
    commands: { command: string; title: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
  };
}
const pkg = read<Manifest>('package.json');
/** Commands that work without an engine: Refresh is the welcome view's Retry; Verify reads a local file. */
const WITHOUT_ENGINE = new Set(['containerVolumes.refresh', 'containerVolumes.verifyBackup', 'containerVolumes.switchEngine']);

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

suite('package.json: menus, palette and titles', () => {
  for (const nls of ['package.nls.json', 'package.nls.zh-cn.json']) {
    test(`no two commands share a title (${nls})`, () => {
      const strings = read<Record<string, string>>(nls);
      const titles = pkg.contributes.commands.map((c) => strings[c.title.slice(1, -1)] ?? c.title);
      const dupes = titles.filter((t, i) => titles.indexOf(t) !== i);
      assert.deepEqual(dupes, []);
    });
  }

  test('every command that needs the engine is hidden from the palette while none is connected', () => {
    const palette = new Map((pkg.contributes.menus.commandPalette ?? []).map((m) => [m.command, m.when ?? '']));
    const ungated = pkg.contributes.commands
      .map((c) => c.command)
      .filter((id) => !WITHOUT_ENGINE.has(id))
      .filter((id) => {
        const w = palette.get(id);
        return w !== 'false' && !/(^|&& )containerVolumes\.engineState == ok( &&|$)/.test(w ?? '');
      });
    assert.deepEqual(ungated, []);
    for (const id of WITHOUT_ENGINE) assert.ok(!palette.has(id), `${id} stays in the palette: it works without an engine`);
  });

  test('one ellipsis everywhere ("…", never "..."), in both languages', () => {
    const texts = [
      ...Object.values(read<Record<string, string>>('package.nls.json')),
      ...Object.values(read<Record<string, string>>('package.nls.zh-cn.json')),
      ...Object.values(read<Record<string, string>>('l10n/bundle.l10n.zh-cn.json')),
      ...sourceFiles(path.join(root, 'src')).flatMap((f) => l10nMessages(fs.readFileSync(f, 'utf8'))),
    ];
    assert.deepEqual(
      texts.filter((t) => t.includes('...')),
      [],
    );
  });
});
