// How volumes and mounts are named to a person: an anonymous volume is never shown by its hash
// alone but by the container and path that own it (S1); sizes in human units.
import * as vscode from 'vscode';
import { parseContainerStatus, type StatusDuration, type StatusHealth } from '../core/engine/containerStatus';
import { describeHolder } from '../core/engine/lockLabels';
import type { ContainerState, Inventory, Mount, MountType, Volume, VolumeLockHolder } from '../core/engine/types';
import { say } from '../coreText';

/** The container that created an anonymous volume: the user that did not get it via --volumes-from. */
export function volumeOwner(volume: Volume): { containerName: string; destination: string } | undefined {
  return volume.users.find((u) => !u.viaContainer) ?? volume.users[0];
}

export function volumeLabel(volume: Volume): string {
  if (!volume.anonymous) return volume.name;
  const owner = volumeOwner(volume);
  if (owner) return vscode.l10n.t('anonymous · {0}:{1}', owner.containerName, owner.destination);
  if (volume.formerOwner) return vscode.l10n.t('anonymous · was {0}:{1}', volume.formerOwner.containerName, volume.formerOwner.destination);
  return vscode.l10n.t('anonymous · {0}', volume.name.slice(0, 12));
}

export function mountSourceLabel(inv: Inventory | undefined, mount: Mount): string {
  switch (mount.type) {
    case 'volume': {
      const v = inv?.volumes.find((x) => x.name === mount.volumeName);
      if (v) return volumeLabel(v);
      return mount.anonymous ? vscode.l10n.t('anonymous · {0}', (mount.volumeName ?? '').slice(0, 12)) : (mount.volumeName ?? '');
    }
    case 'bind':
      return mount.source;
    case 'tmpfs':
      return vscode.l10n.t('tmpfs (in memory)');
    default:
      return mount.source;
  }
}

/** A container's state in the user's words, not the engine's. */
export function containerStateText(s: ContainerState): string {
  switch (s) {
    case 'created':
      return vscode.l10n.t('created');
    case 'running':
      return vscode.l10n.t('running');
    case 'paused':
      return vscode.l10n.t('paused');
    case 'restarting':
      return vscode.l10n.t('restarting');
    case 'removing':
      return vscode.l10n.t('being removed');
    case 'exited':
      return vscode.l10n.t('exited');
    case 'dead':
      return vscode.l10n.t('dead');
    default:
      return vscode.l10n.t('state unknown');
  }
}

/** The engine's status line ("Up 3 minutes (healthy)", "Exited (0) 2 hours ago") in the user's words. */
export function containerStatusText(status: string): string {
  const s = parseContainerStatus(status);
  switch (s.kind) {
    case 'up': {
      const up = vscode.l10n.t('up {0}', durationText(s.for));
      return s.health ? vscode.l10n.t('{0}, {1}', up, healthText(s.health)) : up;
    }
    case 'exited':
      return s.ago ? vscode.l10n.t('exited with code {0}, {1} ago', s.code, durationText(s.ago)) : vscode.l10n.t('exited with code {0}', s.code);
    case 'restarting':
      return vscode.l10n.t('restarting (exit code {0}, {1} ago)', s.code, durationText(s.ago));
    case 'created':
    case 'removing':
    case 'dead':
      return containerStateText(s.kind);
    default:
      return s.text;
  }
}

function healthText(h: StatusHealth): string {
  switch (h) {
    case 'healthy':
      return vscode.l10n.t('healthy');
    case 'unhealthy':
      return vscode.l10n.t('unhealthy');
    case 'paused':
      return containerStateText('paused');
    default:
      return vscode.l10n.t('health check starting');
  }
}

function durationText(d: StatusDuration): string {
  if ('about' in d) {
    return d.about === 'lessThanASecond'
      ? vscode.l10n.t('less than a second')
      : d.about === 'aMinute'
        ? vscode.l10n.t('about a minute')
        : vscode.l10n.t('about an hour');
  }
  const n = d.n;
  switch (d.unit) {
    case 'second':
      return n === 1 ? vscode.l10n.t('1 second') : vscode.l10n.t('{0} seconds', n);
    case 'minute':
      return n === 1 ? vscode.l10n.t('1 minute') : vscode.l10n.t('{0} minutes', n);
    case 'hour':
      return n === 1 ? vscode.l10n.t('1 hour') : vscode.l10n.t('{0} hours', n);
    case 'day':
      return n === 1 ? vscode.l10n.t('1 day') : vscode.l10n.t('{0} days', n);
    case 'week':
      return n === 1 ? vscode.l10n.t('1 week') : vscode.l10n.t('{0} weeks', n);
    case 'month':
      return n === 1 ? vscode.l10n.t('1 month') : vscode.l10n.t('{0} months', n);
    default:
      return n === 1 ? vscode.l10n.t('1 year') : vscode.l10n.t('{0} years', n);
  }
}

/** A mount's type in the user's words. */
export function mountTypeText(t: MountType): string {
  switch (t) {
    case 'volume':
      return vscode.l10n.t('volume');
    case 'bind':
      return vscode.l10n.t('bind mount');
    case 'tmpfs':
      return vscode.l10n.t('tmpfs (in memory)');
    default:
      return vscode.l10n.t('other mount');
  }
}

export function mountIcon(mount: Mount): vscode.ThemeIcon {
  switch (mount.type) {
    case 'volume':
      return new vscode.ThemeIcon('database');
    case 'bind':
      return new vscode.ThemeIcon('folder');
    case 'tmpfs':
      return new vscode.ThemeIcon('zap');
    default:
      return new vscode.ThemeIcon('question');
  }
}

export function formatBytes(n: number): string {
  if (n < 0) return '?';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/** "restore of x.tar by the CLI (pid 42) on host-a since …", localised around the holder's own words. */
export function holderText(h: VolumeLockHolder): string {
  return say(describeHolder(h));
}
