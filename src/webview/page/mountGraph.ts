// The mount-chain page. Renders what the host sends (protocol.ts) with DOM calls only (no HTML
// strings built from engine data), and posts the user's choices back.
import type { ChainNode } from '../../core/mountChains';
import type { ChainView, HostMessage, PageMessage, VolumeChoice } from '../protocol';

interface VsCodeApi {
  postMessage(m: PageMessage): void;
  getState(): unknown;
  setState(s: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const app = document.getElementById('app') as HTMLElement;
let strings: Record<string, string> = {};

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K];
function el(tag: string, cls?: string, text?: string): HTMLElement;
function el(tag: string, cls?: string, text?: string): HTMLElement {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function t(key: string, ...args: string[]): string {
  return (strings[key] ?? key).replace(/\{(\d+)\}/g, (_, i: string) => args[Number(i)] ?? '');
}

function picker(volumes: readonly VolumeChoice[], selected: string | undefined): HTMLElement {
  const wrap = el('div', 'picker');
  const label = el('label', 'picker-label', t('volume'));
  label.htmlFor = 'volume-picker';
  const dd = el('vscode-dropdown') as HTMLElement & { value: string };
  dd.id = 'volume-picker';
  for (const v of volumes) {
    const o = el('vscode-option', undefined, v.label);
    o.setAttribute('value', v.name);
    if (v.name === selected) o.setAttribute('selected', '');
    dd.appendChild(o);
  }
  dd.addEventListener('change', () => vscode.postMessage({ type: 'select', volumeName: dd.value }));
  wrap.append(label, dd);
  return wrap;
}

function containerChip(n: ChainNode): HTMLElement {
  const chip = el('button', `chip state-${n.state}`);
  chip.type = 'button';
  chip.title = t('reveal');
  chip.append(el('span', 'chip-name', n.containerName), el('span', 'chip-path', n.destination));
  if (n.readOnly) chip.append(el('vscode-tag', 'chip-ro', t('readOnly')));
  chip.addEventListener('click', () => vscode.postMessage({ type: 'revealContainer', containerId: n.containerId }));
  return chip;
}

function treeNode(n: ChainNode): HTMLElement {
  const li = el('li', 'node');
  li.dataset.container = n.containerName;
  const row = el('div', 'row');
  row.append(containerChip(n), el('span', 'how', n.viaContainer ? t('via', n.viaContainer) : t('owner')));
  li.append(row);
  if (n.children.length) {
    const ul = el('ul', 'children');
    for (const c of n.children) ul.append(treeNode(c));
    li.append(ul);
  }
  return li;
}

function chains(view: ChainView): HTMLElement {
  const section = el('section', 'chains');
  const head = el('header', 'volume-head');
  head.append(el('h1', 'volume-name', view.volumeLabel));
  const mp = el('p', 'mountpoint');
  mp.append(el('span', 'muted', `${t('mountpoint')}: `), el('code', undefined, view.mountpoint));
  head.append(mp);
  section.append(head);
  if (view.roots.length === 0) {
    section.append(el('p', 'empty', t('none')));
    return section;
  }
  section.append(el('h2', undefined, t('paths')));
  const paths = el('ol', 'paths');
  for (const p of view.paths) {
    const li = el('li', 'path');
    for (const name of p) {
      li.append(el('span', 'hop', name), el('span', 'arrow', '→'));
    }
    li.append(el('span', 'hop volume', view.volumeLabel));
    paths.append(li);
  }
  section.append(paths);
  section.append(el('vscode-divider'));
  section.append(el('h2', undefined, t('tree')));
  const tree = el('ul', 'tree');
  const vol = el('li', 'node root');
  vol.append(el('div', 'row volume-row', view.volumeLabel));
  const owners = el('ul', 'children');
  for (const r of view.roots) owners.append(treeNode(r));
  vol.append(owners);
  tree.append(vol);
  section.append(tree);
  return section;
}

window.addEventListener('message', (e: MessageEvent<HostMessage>) => {
  const m = e.data;
  app.replaceChildren();
  if (m.type === 'engineDown') {
    app.append(el('p', 'empty', m.message));
    return;
  }
  strings = { ...m.strings };
  if (m.volumes.length === 0 && !m.selected) {
    app.append(el('p', 'empty', t('noVolumes')));
    return;
  }
  app.append(picker(m.volumes, m.selected?.volumeName));
  if (m.selected) app.append(chains(m.selected));
});

vscode.postMessage({ type: 'ready' });
