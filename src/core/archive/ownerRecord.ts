// Each entry's owner as an archive says, collected while its headers are read, and compared after a
// restore with a listing of the volume: an engine (or a tar) that squashes owners without an error
// (rootless Podman's ids beyond the user's range) is caught. Metadata only.
import { CoreError, msg } from '../message';
import { displayName, pathComponents } from './tarReader';
import type { TarHeader } from './tarWalker';

/** A path whose stored owner is not the archive's. */
export interface OwnerMismatch {
  /** For messages (displayName). */
  readonly path: string;
  readonly wanted: string;
  readonly got: string;
}

/** What the comparison found: how many paths differ, and the first few. */
export interface OwnerComparison {
  readonly count: number;
  readonly examples: readonly OwnerMismatch[];
}

export class OwnerRecord {
  /** Paths kept one by one up to this many; beyond it only the distinct owners are compared. */
  static readonly MAX = 1_000_000;
  /** Normalised binary path -> "uid:gid"; a hard link's path has its target's inode: not kept. */
  private readonly byPath = new Map<string, string>();
  private readonly distinct = new Set<string>();
  private overflowed = false;

  constructor(private readonly max = OwnerRecord.MAX) {}

  get overflow(): boolean {
    return this.overflowed;
  }

  add(h: TarHeader): void {
    const p = pathComponents(h.entry?.path ?? Buffer.from(h.name, 'utf8').toString('latin1'));
    if (h.type === 'link') {
      this.byPath.delete(p); // a later entry of the same name replaces the earlier one
      return;
    }
    const owner = `${h.uid}:${h.gid}`;
    this.distinct.add(owner);
    if (this.overflowed) return;
    if (this.byPath.size >= this.max && !this.byPath.has(p)) {
      this.overflowed = true;
      this.byPath.clear();
      return;
    }
    this.byPath.set(p, owner);
  }

  /**
   * Compares with a listing of the folder the archive's `prefix` (utf8, '' = its root) went to:
   * `find . -print0`, one more NUL, then a line "uid:gid" per name in the same order (OWNER_LISTING).
   * Paths the archive does not name (folders tar made on the way) are not compared. Beyond MAX
   * entries, every owner the archive names must still be on some path.
   */
  compare(listing: Buffer, prefix: string): OwnerComparison {
    const split = listing.indexOf('\0\0');
    if (split < 0) throw new CoreError(msg('restore.ownerListing', { detail: 'no separator' }));
    const names = listing.toString('latin1', 0, split).split('\0');
    const owners = listing
      .toString('latin1', split + 2)
      .split('\n')
      .filter((l) => l !== '');
    if (names.length !== owners.length) throw new CoreError(msg('restore.ownerListing', { detail: `${names.length} names, ${owners.length} owners` }));
    const base = pathComponents(Buffer.from(prefix, 'utf8').toString('latin1'));
    const examples: OwnerMismatch[] = [];
    let count = 0;
    const seen = new Set<string>();
    for (let i = 0; i < names.length; i++) {
      const got = owners[i].trim();
      seen.add(got);
      if (this.overflowed) continue;
      const rel = pathComponents(names[i]);
      const p = base && rel ? `${base}/${rel}` : base || rel;
      const wanted = this.byPath.get(p);
      if (wanted === undefined || wanted === got) continue;
      count++;
      if (examples.length < 5) examples.push({ path: displayName(rel) || '/', wanted, got });
    }
    if (this.overflowed) {
      for (const wanted of this.distinct) {
        if (seen.has(wanted)) continue;
        count++;
        if (examples.length < 5) examples.push({ path: '*', wanted, got: [...seen].slice(0, 3).join(', ') });
      }
    }
    return { count, examples };
  }
}
