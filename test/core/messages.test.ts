// The core's messages: every code has an English and a 简体中文 text with the same parameters, the
// Chinese reads as Chinese (full-width punctuation), and no core error is thrown with a bare string.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CATALOGUE, type MessageCode } from '../../src/core/messageCatalogue';
import { errorText, langOfEnv, langOfLocale, msg, placeholdersOf } from '../../src/core/message';
import { CancelledError } from '../../src/core/operations/operationErrors';
import {
  describeHolder,
  holderFromLabels,
  LOCK_APP_CODE_LABEL,
  LOCK_APP_LABEL,
  LOCK_MODE_LABEL,
  LOCK_OPERATION_CODE_LABEL,
  LOCK_OPERATION_LABEL,
  LOCK_VOLUME_LABEL,
} from '../../src/core/engine/lockLabels';
import { VolumeFsError } from '../../src/core/files/volumeFiles';
import { countsGluedToPlurals } from './l10n.test';

const root = path.resolve(__dirname, '../../..');
const codes = Object.keys(CATALOGUE) as MessageCode[];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const CJK = '[\\u3400-\\u9fff]';

suite('core messages (English and 简体中文)', () => {
  test('every code has a Chinese text with the same parameters as its English one', () => {
    assert.ok(codes.length > 150, `found the catalogue (${codes.length} codes)`);
    const missing = codes.filter((c) => !CATALOGUE[c][1]?.trim());
    assert.deepEqual(missing, [], 'codes without a Chinese text');
    const differ = codes.filter((c) => placeholdersOf(CATALOGUE[c][0]).join() !== placeholdersOf(CATALOGUE[c][1]).join());
    assert.deepEqual(differ, [], 'codes whose Chinese parameters differ from the English ones');
  });

  test('the Chinese texts use Chinese punctuation next to Chinese words, and "…" for an ellipsis', () => {
    // "..." right after a <placeholder> or as "[...]" is usage syntax in the CLI's help (one or more; any character), not an ellipsis.
    const usageDots = (text: string) => text.replace(/(?<=>)\.\.\.|\[\.\.\.\]/g, '');
    const bad = codes.filter((c) => {
      const zh = usageDots(CATALOGUE[c][1]);
      return zh.includes('"') || new RegExp(`${CJK}[,:;()!?]|[,:;(]${CJK}`).test(zh) || zh.includes('...');
    });
    assert.deepEqual(bad, [], 'Chinese texts with ASCII quotes or punctuation beside Chinese words');
    const dots = codes.filter((c) => usageDots(CATALOGUE[c][0]).includes('...'));
    assert.deepEqual(dots, [], 'English texts with "..." instead of "…"');
  });

  test('plurals: every count before a plural noun is written {n|one|many}, so English says "1 entry" and "2 entries"', () => {
    const bad = codes.filter((c) => countsGluedToPlurals(CATALOGUE[c][0], String.raw`\{\w+\}`).length > 0);
    assert.deepEqual(bad, [], 'English texts with a count glued to a plural noun');
    assert.equal(msg('verify.bytes', { bytes: 1, recorded: 2 }).render('en'), 'The archive has 1 byte; the record says 2.');
    assert.equal(msg('cli.setVolumeDone', { volume: 'v', entries: 2, bytes: 1 }).render('en'), 'v: 2 entries, 1 byte');
    assert.equal(msg('cli.setVolumeDone', { volume: 'v', entries: 1, bytes: 2 }).render('zh-cn'), 'v：1 个条目，2 字节');
  });

  test('no core error is made from a bare string: each carries a code and parameters', () => {
    const offenders: string[] = [];
    for (const f of sourceFiles(path.join(root, 'src/core'))) {
      const text = fs.readFileSync(f, 'utf8');
      // The error types take a Message (the compiler checks); a plain Error would carry English only.
      for (const m of text.matchAll(/new Error\(\s*(['"`])((?:\\.|(?!\1)[^\\])*)\1/g)) {
        // Abort reasons are replaced by a CancelledError before anyone sees them.
        if (['aborted', 'Cancelled'].includes(m[2])) continue;
        offenders.push(`${path.relative(root, f)}: ${m[0]}`);
      }
      for (const m of text.matchAll(/message: (['"`])/g)) offenders.push(`${path.relative(root, f)}: progress ${m[0]}`);
    }
    assert.deepEqual(offenders, [], 'errors or progress with English text instead of a code');
  });

  test('rendering: parameters, nested messages, plurals, and a capital at the start of an English sentence', () => {
    const e = new CancelledError(msg('op.backup'));
    assert.equal(e.message, 'The backup was cancelled; nothing was left behind.');
    assert.equal(errorText(e, 'zh-cn'), '备份已取消，没有留下任何内容。');
    assert.equal(msg('restore.before1970', { count: 1 }).render('en').split(':')[1].trim().startsWith('1 entry is dated'), true);
    assert.match(msg('restore.before1970', { count: 3 }).render('en'), /3 entries are dated/);
    assert.match(msg('restore.before1970', { count: 3 }).render('zh-cn'), /有 3 个条目的时间早于 1970 年/);
    const fsErr = new VolumeFsError('FileNotFound', '/logs/a', msg('fs.noSuchFile'));
    assert.equal(fsErr.message, '/logs/a: no such file');
    assert.equal(errorText(fsErr, 'zh-cn'), '/logs/a：没有这个文件');
    assert.equal(fsErr.reason.render('zh-cn'), '没有这个文件', 'the reason is a code of its own, no slicing');
    assert.equal(errorText(new Error('engine words'), 'zh-cn'), 'engine words');
    const holder = describeHolder({
      volume: 'v',
      mode: 'read',
      operation: msg('lockOp.backup', { file: 'v.tar' }),
      app: msg('lockApp.cli'),
      pid: 42,
      host: 'h',
      since: '2026-12-01T13:52:07Z',
      leaseMs: 30000,
    });
    assert.equal(
      holder.toString(),
      'backup to v.tar (reading it) by the CLI (pid 42) on h since 2026-12-01 13:52:07 UTC',
      'a phrase in the middle keeps its case',
    );
    assert.equal(holder.render('zh-cn'), '命令行工具（pid 42，主机 h）自 2026-12-01 13:52:07 UTC 起正在进行：备份到 v.tar（读取中）');
  });

  test("a lock holder written by another process reads in this one's language; older or foreign labels as they are", () => {
    const base = { [LOCK_VOLUME_LABEL]: 'v', [LOCK_MODE_LABEL]: 'write', [LOCK_OPERATION_LABEL]: 'restore of a.tar', [LOCK_APP_LABEL]: 'the CLI' };
    const coded = holderFromLabels({
      ...base,
      [LOCK_OPERATION_CODE_LABEL]: JSON.stringify({ code: 'lockOp.restore', params: { file: 'a.tar' } }),
      [LOCK_APP_CODE_LABEL]: JSON.stringify({ code: 'lockApp.window', params: { name: 'shop' } }),
    });
    assert.equal(coded?.operation.render('zh-cn'), '恢复 a.tar');
    assert.equal(coded?.app.render('zh-cn'), 'VS Code 窗口“shop”');
    assert.equal(coded?.app.toString(), 'VS Code window "shop"');
    // A version without the codes: its English words read back where they are ours, else as they are.
    const old = holderFromLabels(base);
    assert.equal(old?.operation.render('zh-cn'), '恢复 a.tar');
    assert.equal(old?.app.render('zh-cn'), '命令行工具');
    const foreign = holderFromLabels({ ...base, [LOCK_OPERATION_LABEL]: 'nightly sync', [LOCK_APP_LABEL]: 'VS Code window "shop"' });
    assert.equal(foreign?.operation.render('zh-cn'), 'nightly sync', "another program's words stay as they are");
    assert.equal(foreign?.app.render('zh-cn'), 'VS Code 窗口“shop”');
    // A code of another family, an unknown code, a parameter that is not plain text, or no JSON: the words.
    for (const bad of [
      { code: 'lock.busy', params: {} },
      { code: 'lockOp.nope', params: {} },
      { code: 'lockOp.restore', params: { file: { code: 'x' } } },
      'not json',
    ]) {
      const h = holderFromLabels({ ...base, [LOCK_OPERATION_CODE_LABEL]: typeof bad === 'string' ? bad : JSON.stringify(bad) });
      assert.equal(h?.operation.render('zh-cn'), '恢复 a.tar', JSON.stringify(bad));
    }
    assert.equal(holderFromLabels({ [LOCK_VOLUME_LABEL]: 'v', [LOCK_MODE_LABEL]: 'read' })?.operation.render('zh-cn'), '某项操作');
  });

  test('the language: VS Code locales, and LANG / LC_MESSAGES / LC_ALL / LANGUAGE as gettext reads them', () => {
    assert.equal(langOfLocale('zh-cn'), 'zh-cn');
    assert.equal(langOfLocale('zh-CN'), 'zh-cn');
    assert.equal(langOfLocale('zh-tw'), 'en');
    assert.equal(langOfLocale('en'), 'en');
    assert.equal(langOfEnv({ LANG: 'zh_CN.UTF-8' }), 'zh-cn');
    assert.equal(langOfEnv({ LANG: 'zh_CN.GB18030' }), 'zh-cn');
    assert.equal(langOfEnv({ LANG: 'en_US.UTF-8' }), 'en');
    assert.equal(langOfEnv({ LANG: 'zh_CN.UTF-8', LC_ALL: 'C' }), 'en');
    assert.equal(langOfEnv({ LANG: 'en_US.UTF-8', LC_MESSAGES: 'zh_CN.UTF-8' }), 'zh-cn');
    assert.equal(langOfEnv({ LANG: 'en_US.UTF-8', LC_ALL: 'zh_CN.UTF-8', LC_MESSAGES: 'en_US.UTF-8' }), 'zh-cn');
    assert.equal(langOfEnv({ LANG: 'en_US.UTF-8', LANGUAGE: 'zh_CN:en' }), 'zh-cn');
    assert.equal(langOfEnv({}), 'en');
  });
});
