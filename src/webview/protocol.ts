// The messages between the mount-chain panel and its page, shared by both sides. The host
// validates every message from the page (isPageMessage) before acting on it.
import type { VolumeChains } from '../core/mountChains';

export interface ChainView extends VolumeChains {
  /** What people call the volume ("anonymous · log_home:/logs" or its name). */
  readonly volumeLabel: string;
}

export interface VolumeChoice {
  readonly name: string;
  readonly label: string;
}

/** Host -> page. */
export type HostMessage =
  | { readonly type: 'model'; readonly volumes: readonly VolumeChoice[]; readonly selected: ChainView | undefined; readonly strings: Readonly<Record<string, string>> }
  | { readonly type: 'engineDown'; readonly message: string };

/** Page -> host. */
export type PageMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'select'; readonly volumeName: string }
  | { readonly type: 'revealContainer'; readonly containerId: string };

export function isPageMessage(m: unknown): m is PageMessage {
  if (m === null || typeof m !== 'object') return false;
  const o = m as Record<string, unknown>;
  switch (o.type) {
    case 'ready':
      return true;
    case 'select':
      return typeof o.volumeName === 'string' && o.volumeName.length > 0 && o.volumeName.length < 256;
    case 'revealContainer':
      return typeof o.containerId === 'string' && /^[0-9a-f]{12,64}$/.test(o.containerId);
    default:
      return false;
  }
}
