// The core's messages (codes with parameters, src/core/message.ts) in VS Code's display language.
import * as vscode from 'vscode';
import { errorText, langOfLocale, type Lang, type Message } from './core/message';

export function uiLang(): Lang {
  return langOfLocale(vscode.env.language);
}

/** A core message for the user. */
export function say(m: Message): string {
  return m.render(uiLang());
}

/** An error for the user: a core error's coded text, else its message (the engine's own words). */
export function sayError(e: unknown): string {
  return errorText(e, uiLang());
}
