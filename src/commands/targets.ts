// The volume, container or mount a command acts on, from its parsed target (commandArgs.ts) and the
// inventory; when the target names none (the palette), it asks with a QuickPick.
import * as vscode from 'vscode';
import type { Container, Volume } from '../core/engine/types';
import type { MountTarget, Services, Target } from '../services';
import { containerStateText, volumeLabel } from '../tree/describe';

/** Thrown when the user dismisses a prompt: commands end quietly. */
export class Cancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

/** What a name box says while its text is not a volume name (the rule: core/volumeName.ts). */
export function volumeNameHint(): string {
  return vscode.l10n.t('Use at least two of letters, digits, "_", "." and "-", starting with a letter or digit.');
}

async function inventory(services: Services) {
  if (!services.inventory.current) await services.inventory.refresh();
  const inv = services.inventory.current;
  if (!inv) throw new Error(services.engine.state.kind === 'ok' ? vscode.l10n.t('The inventory is not loaded.') : stateMessage(services));
  return inv;
}

function stateMessage(services: Services): string {
  const s = services.engine.state;
  return 'message' in s ? s.message : vscode.l10n.t('Not connected to a Docker engine yet.');
}

/** The volume a command is about; asks when none was given. `filter` narrows the QuickPick. */
export async function volumeArg(services: Services, target: Target, filter: (v: Volume) => boolean = () => true, placeHolder?: string): Promise<Volume> {
  const inv = await inventory(services);
  const name = target.kind === 'volume' || target.kind === 'mount' ? target.volumeName : undefined;
  if (name) {
    const v = inv.volumes.find((x) => x.name === name);
    if (!v) throw new Error(vscode.l10n.t('There is no volume named "{0}".', name));
    return v;
  }
  const candidates = inv.volumes.filter(filter);
  if (candidates.length === 0) throw new Error(vscode.l10n.t('There is no volume to choose from.'));
  const picked = await services.prompter.quickPick(
    candidates.map((v) => ({
      label: volumeLabel(v),
      description: v.anonymous ? v.name.slice(0, 12) : undefined,
      detail: v.users.length ? v.users.map((u) => `${u.containerName}:${u.destination}`).join(vscode.l10n.t(', ')) : vscode.l10n.t('unused'),
      volume: v,
    })),
    { placeHolder: placeHolder ?? vscode.l10n.t('Choose a volume'), matchOnDescription: true, matchOnDetail: true },
  );
  if (!picked) throw new Cancelled();
  return picked.volume;
}

/** The container a command is about (a row, `{ containerId }` or `{ containerName }`); asks when none was given. */
export async function containerArg(services: Services, target: Target): Promise<Container> {
  const inv = await inventory(services);
  const ref = target.kind === 'container' || target.kind === 'mount' || target.kind === 'volume' ? target.container : undefined;
  const id = ref?.id ?? ref?.name;
  if (id) {
    const c = inv.containers.find((x) => x.id === id || x.name === id || x.id.startsWith(id));
    if (!c) throw new Error(vscode.l10n.t('There is no container "{0}".', id));
    return c;
  }
  const picked = await services.prompter.quickPick(
    inv.containers.map((c) => ({ label: c.name, description: `${c.image} · ${containerStateText(c.state)}`, container: c })),
    { placeHolder: vscode.l10n.t('Choose a container') },
  );
  if (!picked) throw new Cancelled();
  return picked.container;
}

/** A mount of a container: from a mount node / { containerId, destination }, else asks. */
export async function mountArg(services: Services, target: Target): Promise<MountTarget> {
  const container = await containerArg(services, target);
  const destination = target.kind === 'mount' || target.kind === 'volume' ? target.destination : undefined;
  if (destination) {
    const m = container.mounts.find((x) => x.destination === destination);
    if (!m) throw new Error(vscode.l10n.t('{0} has no mount at {1}.', container.name, destination));
    return { containerId: container.id, containerName: container.name, mount: m };
  }
  if (container.mounts.length === 0) throw new Error(vscode.l10n.t('{0} has no mounts.', container.name));
  const picked = await services.prompter.quickPick(
    container.mounts.map((m) => ({ label: m.destination, description: m.volumeName ?? m.source, mount: m })),
    { placeHolder: vscode.l10n.t('Choose a mount of {0}', container.name) },
  );
  if (!picked) throw new Cancelled();
  return { containerId: container.id, containerName: container.name, mount: picked.mount };
}
