// Find in Volume…: text or a regular expression searched by grep in the volume's helper, matching lines
// streamed into the Search Results view. Cancellable, capped.
// Design notes (options and script argument): docs/ui.md#srccommandsfindinvolumets
import * as vscode from 'vscode';
import { parseGlobList, searchVolumeText, type FileMatches, type TextQuery } from '../core/files/volumeSearch';
import { fileUri } from '../model/VolumeSearch';
import { defineCommand } from '../services';
import { summaryMessage } from '../tree/SearchResultsTreeProvider';
import { searchTarget, targetLabel } from './searchTarget';
import { Cancelled } from './targets';
import { sayError } from '../coreText';

const STATE_KEY = 'containerVolumes.findInVolume.options';

interface FindOptions {
  pattern: string;
  regex: boolean;
  caseSensitive: boolean;
  wholeWord: boolean;
  /** Globs, comma-separated; a leading ! excludes. */
  files: string;
}

export const findInVolume = defineCommand({
  id: 'containerVolumes.findInVolume',
  // A script's search (`query` given) asks nothing and is not remembered as the user's options.
  options: { query: 'text', regex: 'boolean', caseSensitive: 'boolean', wholeWord: 'boolean', files: 'text' },
  async run(services, { target, options: o }) {
    const t = await searchTarget(services, target);
    const remembered = services.context.globalState.get<FindOptions>(STATE_KEY) ?? {
      pattern: '',
      regex: false,
      caseSensitive: false,
      wholeWord: false,
      files: '',
    };
    const opts: FindOptions =
      o.query !== undefined
        ? { pattern: o.query, regex: o.regex === true, caseSensitive: o.caseSensitive === true, wholeWord: o.wholeWord === true, files: o.files ?? '' }
        : await ask(targetLabel(t), remembered);
    if (o.query === undefined) await services.context.globalState.update(STATE_KEY, opts);
    const { include, exclude } = parseGlobList(opts.files);
    const query: TextQuery = { pattern: opts.pattern, regex: opts.regex, caseSensitive: opts.caseSensitive, wholeWord: opts.wholeWord, include, exclude };

    const search = services.volumeSearch;
    search.running?.abort();
    const ac = new AbortController();
    search.running = ac;
    const results = search.results;
    const found: FileMatches[] = [];
    results.begin(query, vscode.l10n.t('Searching {0} for "{1}"…', targetLabel(t), opts.pattern));
    await vscode.commands.executeCommand('containerVolumes.searchResults.focus');
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Searching {0} for "{1}"', targetLabel(t), opts.pattern), cancellable: true },
      async (progress, token) => {
        const sub = token.onCancellationRequested(() => ac.abort());
        try {
          const vf = await search.files(t);
          const summary = await searchVolumeText(vf, query, {
            root: t.folder,
            signal: ac.signal,
            maxResults: vscode.workspace.getConfiguration('containerVolumes').get<number>('search.maxResults') ?? 2000,
            onFile: (f) => {
              found.push(f);
              results.add(f, fileUri(t, f.path));
              progress.report({ message: found.length === 1 ? vscode.l10n.t('1 file') : vscode.l10n.t('{0} files', found.length) });
            },
          });
          results.end(summaryMessage(targetLabel(t), summary, false));
          return { files: summary.files, matches: summary.matches, notShown: summary.notShown, binarySkipped: summary.binarySkipped };
        } catch (e) {
          if (ac.signal.aborted) {
            results.end(
              summaryMessage(targetLabel(t), { files: found.length, matches: found.reduce((n, f) => n + f.total, 0), notShown: 0, binarySkipped: [] }, true),
            );
            throw new Cancelled();
          }
          results.end(vscode.l10n.t('The search failed: {0}', sayError(e)));
          throw e;
        } finally {
          sub.dispose();
          if (search.running === ac) search.running = undefined;
        }
      },
    );
  },
});

/** The search box: the text, three toggles as buttons, and a button for the files to search. */
async function ask(label: string, start: FindOptions): Promise<FindOptions> {
  const o = { ...start };
  const box = vscode.window.createInputBox();
  const subs: vscode.Disposable[] = [box];
  const on = (b: boolean) => (b ? vscode.l10n.t('on') : vscode.l10n.t('off'));
  const buttons = () => {
    const caseB = {
      iconPath: new vscode.ThemeIcon(o.caseSensitive ? 'pass-filled' : 'case-sensitive'),
      tooltip: vscode.l10n.t('Match Case ({0})', on(o.caseSensitive)),
      key: 'case',
    };
    const word = {
      iconPath: new vscode.ThemeIcon(o.wholeWord ? 'pass-filled' : 'whole-word'),
      tooltip: vscode.l10n.t('Match Whole Word ({0})', on(o.wholeWord)),
      key: 'word',
    };
    const regex = {
      iconPath: new vscode.ThemeIcon(o.regex ? 'pass-filled' : 'regex'),
      tooltip: vscode.l10n.t('Use Regular Expression ({0})', on(o.regex)),
      key: 'regex',
    };
    const files = { iconPath: new vscode.ThemeIcon('filter'), tooltip: vscode.l10n.t('Files to Include/Exclude…'), key: 'files' };
    box.buttons = [caseB, word, regex, files];
    box.prompt = [
      o.caseSensitive ? vscode.l10n.t('Match Case') : undefined,
      o.wholeWord ? vscode.l10n.t('Whole Word') : undefined,
      o.regex ? vscode.l10n.t('Regular Expression (POSIX extended)') : undefined,
      vscode.l10n.t('Files: {0}', o.files || vscode.l10n.t('all')),
    ]
      .filter(Boolean)
      .join(' · ');
  };
  box.title = vscode.l10n.t('Find in {0}', label);
  box.placeholder = vscode.l10n.t('Text to find in the files of the volume');
  box.value = o.pattern;
  box.valueSelection = [0, o.pattern.length];
  buttons();
  try {
    return await new Promise<FindOptions>((resolve, reject) => {
      let asking = false;
      subs.push(
        box.onDidChangeValue((v) => {
          box.validationMessage = v.includes('\n') ? vscode.l10n.t('One line at a time') : undefined;
        }),
        box.onDidTriggerButton(async (b) => {
          const key = (b as { key?: string }).key;
          if (key === 'case') o.caseSensitive = !o.caseSensitive;
          if (key === 'word') o.wholeWord = !o.wholeWord;
          if (key === 'regex') o.regex = !o.regex;
          if (key === 'files') {
            asking = true;
            const files = await vscode.window.showInputBox({
              title: vscode.l10n.t('Files to search in {0}', label),
              value: o.files,
              prompt: vscode.l10n.t('Comma-separated globs, e.g. *.log, logs/**; a leading ! excludes (!*.gz, !cache)'),
            });
            asking = false;
            if (files !== undefined) o.files = files;
            box.show();
          }
          buttons();
        }),
        box.onDidAccept(() => {
          if (!box.value) {
            box.validationMessage = vscode.l10n.t('Type the text to find');
            return;
          }
          o.pattern = box.value;
          resolve(o);
        }),
        box.onDidHide(() => {
          if (!asking) reject(new Cancelled());
        }),
      );
      box.show();
    });
  } finally {
    for (const d of subs) d.dispose();
  }
}
