// The engine's container status line ("Up 3 minutes (healthy)", "Exited (0) 2 hours ago"), read into
// our own terms so it can be said in the user's language. The daemon writes it in English, durations
// with go-units' HumanDuration; a line in any other shape is kept as it came (`kind: 'other'`).

export type DurationUnit = 'second' | 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year';
/** "Less than a second", "About a minute", "About an hour", or a whole number of a unit. */
export type StatusDuration = { readonly about: 'lessThanASecond' | 'aMinute' | 'anHour' } | { readonly n: number; readonly unit: DurationUnit };
export type StatusHealth = 'healthy' | 'unhealthy' | 'starting' | 'paused';

export type ContainerStatus =
  | { readonly kind: 'up'; readonly for: StatusDuration; readonly health?: StatusHealth }
  | { readonly kind: 'exited'; readonly code: number; readonly ago?: StatusDuration }
  | { readonly kind: 'restarting'; readonly code: number; readonly ago: StatusDuration }
  | { readonly kind: 'created' | 'removing' | 'dead' }
  | { readonly kind: 'other'; readonly text: string };

const HEALTH: Record<string, StatusHealth> = { healthy: 'healthy', unhealthy: 'unhealthy', 'health: starting': 'starting', Paused: 'paused' };

export function parseDuration(d: string): StatusDuration | undefined {
  if (d === 'Less than a second') return { about: 'lessThanASecond' };
  if (d === 'About a minute') return { about: 'aMinute' };
  if (d === 'About an hour') return { about: 'anHour' };
  const m = /^(\d+) (second|minute|hour|day|week|month|year)s?$/.exec(d);
  return m ? { n: Number(m[1]), unit: m[2] as DurationUnit } : undefined;
}

export function parseContainerStatus(status: string): ContainerStatus {
  const other = { kind: 'other' as const, text: status };
  const h = /\s+\((healthy|unhealthy|health: starting|Paused)\)$/.exec(status);
  const rest = h ? status.slice(0, h.index) : status;
  let m: RegExpExecArray | null;
  if ((m = /^Up (.+)$/.exec(rest))) {
    const d = parseDuration(m[1]);
    return d ? { kind: 'up', for: d, ...(h ? { health: HEALTH[h[1]] } : {}) } : other;
  }
  if (h) return other;
  if ((m = /^Exited \((-?\d+)\)(?: (.+) ago)?$/.exec(rest))) {
    if (m[2] === undefined) return { kind: 'exited', code: Number(m[1]) };
    const d = parseDuration(m[2]);
    return d ? { kind: 'exited', code: Number(m[1]), ago: d } : other;
  }
  if ((m = /^Restarting \((-?\d+)\) (.+) ago$/.exec(rest))) {
    const d = parseDuration(m[2]);
    return d ? { kind: 'restarting', code: Number(m[1]), ago: d } : other;
  }
  if (rest === 'Created') return { kind: 'created' };
  if (rest === 'Removal In Progress') return { kind: 'removing' };
  if (rest === 'Dead') return { kind: 'dead' };
  return other;
}

/** The status line without its durations: "Up 3 minutes (healthy)" → "up healthy", "Exited (0) 2 hours ago" → "exited 0". */
export function statusWithoutTime(status: string): string {
  const s = parseContainerStatus(status);
  switch (s.kind) {
    case 'up':
      return s.health ? `up ${s.health}` : 'up';
    case 'exited':
    case 'restarting':
      return `${s.kind} ${s.code}`;
    case 'other':
      return s.text;
    default:
      return s.kind;
  }
}
