// Every question a command asks the user (confirmations, choices, names, files) goes through a
// Prompter: VS Code's own dialogs in the product, a scripted one in the tests (test hooks only).
// No command argument can stand in for an answer to a confirmation.
import * as vscode from 'vscode';

export interface WarningOptions {
  readonly modal?: boolean;
  readonly detail?: string;
}

export interface Prompter {
  /** A warning with buttons; modal ones are the confirmations. Resolves to the button chosen. */
  warning<T extends string>(message: string, options: WarningOptions, ...items: T[]): Promise<T | undefined>;
  /** A non-modal question with buttons. */
  info<T extends string>(message: string, ...items: T[]): Promise<T | undefined>;
  quickPick<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Promise<T | undefined>;
  /** A pick of several (check boxes); undefined when dismissed. */
  quickPickMany<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Promise<T[] | undefined>;
  inputBox(options: vscode.InputBoxOptions): Promise<string | undefined>;
  saveDialog(options: vscode.SaveDialogOptions): Promise<vscode.Uri | undefined>;
  openDialog(options: vscode.OpenDialogOptions): Promise<vscode.Uri[] | undefined>;
}

/** The product's Prompter: VS Code's dialogs. */
export const vscodePrompter: Prompter = {
  async warning(message, options, ...items) {
    return vscode.window.showWarningMessage(message, { modal: options.modal, detail: options.detail }, ...items);
  },
  async info(message, ...items) {
    return vscode.window.showInformationMessage(message, ...items);
  },
  async quickPick(items, options) {
    return vscode.window.showQuickPick(items, options);
  },
  async quickPickMany(items, options) {
    return vscode.window.showQuickPick(items, { ...options, canPickMany: true });
  },
  async inputBox(options) {
    return vscode.window.showInputBox(options);
  },
  async saveDialog(options) {
    return vscode.window.showSaveDialog(options);
  },
  async openDialog(options) {
    return vscode.window.showOpenDialog(options);
  },
};
