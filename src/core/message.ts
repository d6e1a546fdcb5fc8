// What the core tells a user (errors, progress, warnings) as a code with parameters; the VS Code
// layer and the CLI render it in English or 简体中文 from the catalogue (messageCatalogue.ts).
import { CATALOGUE, type MessageCode } from './messageCatalogue';

export type { MessageCode } from './messageCatalogue';
export type Lang = 'en' | 'zh-cn';
export type Param = string | number | Message | readonly Message[];
export type Params = Readonly<Record<string, Param>>;

/** One message: its English text is its string form (logs, tests, `err.message`). */
export class Message {
  constructor(
    readonly code: MessageCode,
    readonly params: Params = {},
  ) {}
  toString(): string {
    return this.render('en');
  }
  render(lang: Lang): string {
    return renderText(CATALOGUE[this.code][lang === 'zh-cn' ? 1 : 0], this.params, lang);
  }
}

export function msg(code: MessageCode, params: Params = {}): Message {
  return new Message(code, params);
}

/** An error whose text for the user is a Message (its `message` is the English text). */
export interface CodedError extends Error {
  readonly text: Message;
}

export function isCoded(e: unknown): e is CodedError {
  return e instanceof Error && (e as Partial<CodedError>).text instanceof Message;
}

/** A plain error with a coded text, for the failures that have no error type of their own. */
export class CoreError extends Error implements CodedError {
  constructor(
    readonly text: Message,
    options?: { cause?: unknown },
  ) {
    super(text.toString(), options);
    this.name = 'CoreError';
  }
}

/** What the user reads for an error: its coded text in `lang`, else its message (the engine's own words). */
export function errorText(e: unknown, lang: Lang): string {
  if (isCoded(e)) return e.text.render(lang);
  return e instanceof Error ? e.message : String(e);
}

/** `{name}` is a parameter; `{n|entry|entries}` chooses the word after the number (English only). */
export function renderText(text: string, params: Params, lang: Lang): string {
  const out = text.replace(/\{(\w+)(?:\|([^|}]*)\|([^}]*))?\}/g, (whole, name: string, one?: string, many?: string) => {
    const v = params[name];
    if (v === undefined) return whole;
    if (one !== undefined) return `${String(v)} ${v === 1 ? one : many}`;
    return paramText(v, lang);
  });
  // An English sentence that starts with an operation's phrase ("{what} was cancelled", op.*) starts with a capital.
  const lead = /^\{(\w+)\}/.exec(text);
  const first = lead ? params[lead[1]] : undefined;
  return lang === 'en' && first instanceof Message && first.code.startsWith('op.') ? out.charAt(0).toUpperCase() + out.slice(1) : out;
}

function paramText(v: Param, lang: Lang): string {
  if (v instanceof Message) return v.render(lang);
  if (Array.isArray(v)) return (v as readonly Message[]).map((m) => m.render(lang)).join(lang === 'zh-cn' ? '' : ' ');
  return String(v);
}

/** The parameter names a text uses (the test compares English with Chinese). */
export function placeholdersOf(text: string): string[] {
  return [...new Set([...text.matchAll(/\{(\w+)(?:\|[^}]*)?\}/g)].map((m) => m[1]))].sort();
}

/** VS Code's display language (`vscode.env.language`) as one of ours. */
export function langOfLocale(locale: string | undefined): Lang {
  return /^zh[-_](cn|hans|sg)/i.test(locale ?? '') || /^zh$/i.test(locale ?? '') ? 'zh-cn' : 'en';
}

/** The CLI's language, as gettext reads it: LC_ALL, then LC_MESSAGES, then LANG (LANGUAGE first when set). */
export function langOfEnv(env: Readonly<Record<string, string | undefined>>): Lang {
  const first = (env.LANGUAGE ?? '').split(':')[0];
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG;
  if (!locale || locale === 'C' || locale === 'POSIX') return 'en';
  return langOfLocale(first || locale);
}

/** A mount's type (the engine's `Type`) as a noun phrase: "bind mount", "tmpfs mount". */
export function mountTypeText(type: string | undefined): Message {
  switch (type) {
    case 'volume':
      return msg('mountType.volume');
    case 'bind':
      return msg('mountType.bind');
    case 'tmpfs':
      return msg('mountType.tmpfs');
    case 'npipe':
      return msg('mountType.npipe');
    default:
      return msg('mountType.other', { type: type ?? '?' });
  }
}

/** An error as a message parameter: its coded text, or its own words as they are. */
export function textOf(e: unknown): Message {
  return isCoded(e) ? e.text : msg('plain', { detail: e instanceof Error ? e.message : String(e) });
}

/** Gives `err` a new text (and message), keeping its type: for an error that learns more on its way up. */
export function amend(err: Error, text: Message): Error {
  Object.defineProperty(err, 'text', { value: text, configurable: true, enumerable: false, writable: false });
  err.message = text.toString();
  return err;
}

/** Progress callback used by every long operation in the core. */
export interface Progress {
  /** `done` and `total` in the unit the operation names (bytes for data moves). */
  (p: { readonly message?: Message; readonly done?: number; readonly total?: number }): void;
}
