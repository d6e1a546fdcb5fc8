// A Prompter for the extension-host tests: it answers the questions a test expects with the answers
// the test gives, records every question asked, and dismisses any other (as Escape would).
import type * as vscode from 'vscode';
import type { Prompter, WarningOptions } from '../../src/prompter';
import type { TestHooks } from '../../src/testHooks';

export interface Question {
  readonly kind: 'warning' | 'info' | 'quickPick' | 'inputBox' | 'saveDialog' | 'openDialog';
  readonly message: string;
  readonly items: readonly string[];
  readonly modal: boolean;
  /** A modal warning's detail (a migration's plan). */
  readonly detail?: string;
}

/** A button or pick (its text, or a pattern for it), a typed value, or a file. */
type Answer = string | RegExp | vscode.Uri | undefined;

const chosen = (a: Answer, item: string) => (a instanceof RegExp ? a.test(item) : a === item);

export class ScriptedPrompter implements Prompter {
  readonly asked: Question[] = [];
  private readonly rules: { readonly pattern: RegExp; readonly answer: Answer }[] = [];

  /** Questions whose text matches `pattern` get `answer` (a button, a pick's label, a typed value, a file). */
  on(pattern: RegExp, answer: Answer): this {
    this.rules.push({ pattern, answer });
    return this;
  }

  private answer(q: Question): Answer {
    this.asked.push(q);
    return this.rules.find((r) => r.pattern.test(q.message))?.answer;
  }

  warning<T extends string>(message: string, options: WarningOptions, ...items: T[]): Promise<T | undefined> {
    const a = this.answer({ kind: 'warning', message, items, modal: !!options.modal, detail: options.detail });
    return Promise.resolve(items.find((i) => chosen(a, i)));
  }
  info<T extends string>(message: string, ...items: T[]): Promise<T | undefined> {
    const a = this.answer({ kind: 'info', message, items, modal: false });
    return Promise.resolve(items.find((i) => chosen(a, i)));
  }
  quickPick<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Promise<T | undefined> {
    const a = this.answer({ kind: 'quickPick', message: options.placeHolder ?? options.title ?? '', items: items.map((i) => i.label), modal: false });
    return Promise.resolve(items.find((i) => chosen(a, i.label)));
  }
  quickPickMany<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Promise<T[] | undefined> {
    const a = this.answer({ kind: 'quickPick', message: options.placeHolder ?? options.title ?? '', items: items.map((i) => i.label), modal: false });
    const picked = items.filter((i) => chosen(a, i.label));
    return Promise.resolve(picked.length ? picked : undefined);
  }
  inputBox(options: vscode.InputBoxOptions): Promise<string | undefined> {
    const a = this.answer({ kind: 'inputBox', message: options.prompt ?? options.title ?? '', items: [], modal: false });
    return Promise.resolve(typeof a === 'string' ? a : undefined);
  }
  saveDialog(options: vscode.SaveDialogOptions): Promise<vscode.Uri | undefined> {
    const a = this.answer({ kind: 'saveDialog', message: options.title ?? '', items: [], modal: true });
    return Promise.resolve(a instanceof RegExp || typeof a !== 'object' ? undefined : a);
  }
  openDialog(options: vscode.OpenDialogOptions): Promise<vscode.Uri[] | undefined> {
    const a = this.answer({ kind: 'openDialog', message: options.title ?? '', items: [], modal: true });
    return Promise.resolve(a instanceof RegExp || typeof a !== 'object' ? undefined : [a]);
  }
}

/** Runs `fn` with `prompter` answering the extension's questions, then puts the previous one back. */
export async function answering<T>(hooks: TestHooks, prompter: Prompter, fn: () => T | PromiseLike<T>): Promise<Awaited<T>> {
  const before = hooks.prompter;
  hooks.prompter = prompter;
  try {
    return await fn();
  } finally {
    hooks.prompter = before;
  }
}
