// The page's controls: the ONLY module that knows about @vscode/webview-ui-toolkit.
// Design notes: docs/ui.md#srcwebviewpagecontrolsts
import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeCheckbox,
  vsCodeDivider,
  vsCodeDropdown,
  vsCodeOption,
  vsCodeTextField,
} from '@vscode/webview-ui-toolkit';

provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeCheckbox(), vsCodeDivider(), vsCodeDropdown(), vsCodeOption(), vsCodeTextField());

/** The custom elements this module defines (the UI test checks the page has them). */
export const CONTROL_TAGS = ['vscode-button', 'vscode-checkbox', 'vscode-divider', 'vscode-dropdown', 'vscode-option', 'vscode-text-field'] as const;

export interface Control<T> {
  readonly element: HTMLElement;
  get value(): T;
  set value(v: T);
}

export function button(text: string, title: string, onClick: () => void, appearance: 'primary' | 'secondary' | 'icon' = 'secondary'): HTMLElement {
  const b = document.createElement('vscode-button');
  b.setAttribute('appearance', appearance);
  b.textContent = text;
  b.title = title;
  b.setAttribute('aria-label', title);
  b.addEventListener('click', onClick);
  return b;
}

export function checkbox(text: string, checked: boolean, onChange: (v: boolean) => void): Control<boolean> {
  const c = document.createElement('vscode-checkbox') as HTMLElement & { checked: boolean };
  c.textContent = text;
  if (checked) c.setAttribute('checked', '');
  c.addEventListener('change', () => onChange(c.checked));
  return {
    element: c,
    get value() {
      return c.checked;
    },
    set value(v) {
      c.checked = v;
    },
  };
}

export function textField(placeholder: string, value: string, onInput: (v: string) => void, maxLength: number): Control<string> {
  const f = document.createElement('vscode-text-field') as HTMLElement & { value: string };
  f.setAttribute('placeholder', placeholder);
  f.setAttribute('aria-label', placeholder);
  // The toolkit labels a field with no text "Text field" (in English) when it is connected: ours again after that.
  requestAnimationFrame(() => f.setAttribute('aria-label', placeholder));
  f.setAttribute('maxlength', String(maxLength));
  f.setAttribute('value', value);
  f.addEventListener('input', () => onInput(f.value));
  return {
    element: f,
    get value() {
      return f.value;
    },
    set value(v) {
      f.value = v;
    },
  };
}

/** A dropdown of (value, text) choices; the first is the default. */
export function dropdown(
  label: string,
  choices: readonly (readonly [string, string])[],
  value: string,
  onChange: (v: string) => void,
): Control<string> & { setChoices(c: readonly (readonly [string, string])[]): void } {
  const d = document.createElement('vscode-dropdown') as HTMLElement & { value: string };
  d.setAttribute('aria-label', label);
  d.title = label;
  let current = value;
  let filled = '';
  const fill = (cs: readonly (readonly [string, string])[]) => {
    const key = JSON.stringify(cs);
    if (key === filled) return; // the same choices: the options (custom elements, costly) stay
    filled = key;
    d.replaceChildren(
      ...cs.map(([v, text]) => {
        const o = document.createElement('vscode-option');
        o.setAttribute('value', v);
        o.textContent = text;
        if (v === current) o.setAttribute('selected', '');
        return o;
      }),
    );
  };
  fill(choices);
  d.addEventListener('change', () => {
    current = d.value;
    onChange(d.value);
  });
  return {
    element: d,
    get value() {
      return current;
    },
    set value(v) {
      current = v;
      d.value = v;
    },
    setChoices(cs) {
      fill(cs);
    },
  };
}

export function divider(): HTMLElement {
  return document.createElement('vscode-divider');
}

/**
 * One of each control, connected out of sight and removed again: the toolkit builds a control type's
 * template and styles when its first element is connected. The page does it after saying 'ready',
 * so that its first message does not wait for it.
 */
export function warmUp(): void {
  const box = document.createElement('div');
  box.setAttribute('aria-hidden', 'true');
  box.style.cssText = 'position:absolute;left:-10000px;top:0;visibility:hidden';
  const d = dropdown('', [['', '']], '', () => undefined);
  box.append(
    button('', '', () => undefined),
    button('', '', () => undefined, 'icon'),
    checkbox('', false, () => undefined).element,
    textField('', '', () => undefined, 1).element,
    d.element,
    divider(),
  );
  document.body.append(box);
  box.remove();
}
