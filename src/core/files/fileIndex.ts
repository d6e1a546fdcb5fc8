// The file paths of one volume for Go to File: loaded once by a streaming listing, reloaded when
// stale, and filtered with a fuzzy match like Quick Open's. Pure: the loader is handed in.

export type FileLister = (onBatch: (paths: string[]) => void, signal: AbortSignal) => Promise<unknown>;

export interface FileIndexState {
  readonly paths: readonly string[];
  /** True once a listing has completed (paths may still be from the previous one while reloading). */
  readonly complete: boolean;
  readonly loading: boolean;
  readonly error?: Error;
}

export class FileIndex {
  private paths: string[] = [];
  private complete = false;
  private loading: Promise<void> | undefined;
  private abort: AbortController | undefined;
  private loadedAt = 0;
  private stale = true;
  private error: Error | undefined;
  private readonly listeners = new Set<(s: FileIndexState) => void>();

  constructor(
    private readonly lister: FileLister,
    private readonly maxAgeMs = 60_000,
  ) {}

  get state(): FileIndexState {
    return { paths: this.paths, complete: this.complete, loading: !!this.loading, ...(this.error ? { error: this.error } : {}) };
  }

  /** Something changed in the volume: the next use reloads. */
  markStale(): void {
    this.stale = true;
  }

  /** Calls `fn` on every update until the returned function is called. */
  subscribe(fn: (s: FileIndexState) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /**
   * Starts a (re)load when there is none yet, or the list is stale or old. While a reload runs the
   * previous complete list stays visible; a first load shows paths as they arrive.
   */
  ensureFresh(now = Date.now()): Promise<void> {
    if (this.loading) return this.loading;
    if (this.complete && !this.stale && now - this.loadedAt < this.maxAgeMs) return Promise.resolve();
    this.stale = false;
    this.error = undefined;
    const ac = new AbortController();
    this.abort = ac;
    const first = !this.complete;
    const next: string[] = first ? this.paths : [];
    if (first) next.length = 0;
    let lastEmit = 0;
    const run = (async () => {
      try {
        await this.lister((batch) => {
          for (const p of batch) next.push(p);
          const t = Date.now();
          // A first load shows what it has at once, then at most ten times a second.
          if (first && (lastEmit === 0 || t - lastEmit > 100)) {
            lastEmit = t;
            this.emit();
          }
        }, ac.signal);
        this.paths = next;
        this.complete = true;
        this.loadedAt = Date.now();
      } catch (e) {
        if (!ac.signal.aborted) this.error = e instanceof Error ? e : new Error(String(e));
        this.stale = true;
      } finally {
        this.loading = undefined;
        this.abort = undefined;
        this.emit();
      }
    })();
    this.loading = run;
    this.emit();
    return run;
  }

  /** Stops a running load (its processes in the helper with it). */
  dispose(): void {
    this.abort?.abort();
    this.listeners.clear();
  }

  private emit(): void {
    const s = this.state;
    for (const fn of this.listeners) fn(s);
  }
}

// ---- fuzzy matching ---------------------------------------------------------------------------

export interface FuzzyMatch {
  readonly path: string;
  readonly score: number;
  /** Indexes of the matched characters in `path`. */
  readonly positions: readonly number[];
}

/**
 * Scores `path` against `query`: every character of the query (spaces ignored, case-insensitive)
 * must appear in order. Matches in the file name, at word starts and in runs score higher, and a
 * contiguous match in the file name highest; shorter paths win ties. Undefined when it does not match.
 */
export function fuzzyScore(query: string, path: string): FuzzyMatch | undefined {
  const q = query.replace(/\s+/g, '').toLowerCase();
  if (!q) return { path, score: 0, positions: [] };
  const p = path.toLowerCase();
  const nameStart = path.lastIndexOf('/') + 1;
  // Best case first: the query as one piece of the file name, then of the path.
  const inName = p.indexOf(q, nameStart);
  if (inName >= 0) {
    const positions = Array.from({ length: q.length }, (_, k) => inName + k);
    return { path, score: 10_000 + (inName === nameStart ? 2000 : 0) + (p.length === nameStart + q.length ? 1000 : 0) - path.length, positions };
  }
  const inPath = p.indexOf(q);
  if (inPath >= 0) {
    const positions = Array.from({ length: q.length }, (_, k) => inPath + k);
    return { path, score: 5_000 - path.length, positions };
  }
  // Letters in order: greedy from the end, so that the file name's letters are preferred.
  const positions: number[] = new Array<number>(q.length);
  let j = p.length - 1;
  for (let i = q.length - 1; i >= 0; i--) {
    while (j >= 0 && p[j] !== q[i]) j--;
    if (j < 0) return undefined;
    positions[i] = j--;
  }
  let score = 0;
  for (let i = 0; i < positions.length; i++) {
    const at = positions[i];
    const prev = at > 0 ? p[at - 1] : '/';
    if (at >= nameStart) score += 10;
    if (prev === '/' || prev === '.' || prev === '_' || prev === '-' || prev === ' ') score += 8;
    if (i > 0 && positions[i - 1] === at - 1) score += 6;
  }
  return { path, score: score - path.length / 10, positions };
}

/** The `limit` best matches of `query` among `paths`, best first. */
export function fuzzyFilter(query: string, paths: readonly string[], limit = 200): FuzzyMatch[] {
  const best: FuzzyMatch[] = [];
  let floor = -Infinity;
  for (const path of paths) {
    const m = fuzzyScore(query, path);
    if (!m || (best.length >= limit && m.score <= floor)) continue;
    best.push(m);
    if (best.length > limit * 2) {
      best.sort(byScore);
      best.length = limit;
      floor = best[limit - 1].score;
    }
  }
  best.sort(byScore);
  if (best.length > limit) best.length = limit;
  return best;
}

function byScore(a: FuzzyMatch, b: FuzzyMatch): number {
  return b.score - a.score || a.path.length - b.path.length || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
}
