// Rewrites any archive the reader understands as a plain POSIX tar that every extractor reads the same
// way: what the engine receives on the archive-endpoint path. Streaming with backpressure, bounded memory.
// Design notes: docs/data-operations.md#srccorearchivenormalisedtarts
import { pathComponents, TarReader, type TarEntry } from './tarReader';

const ZEROS = Buffer.alloc(1 << 20);
const FLAGS: Record<TarEntry['type'], string> = {
  file: '0',
  link: '1',
  symlink: '2',
  'character-device': '3',
  'block-device': '4',
  directory: '5',
  fifo: '6',
};
const MAX_OCTAL_11 = 0o77777777777;
const MAX_OCTAL_7 = 0o7777777;

function octal(h: Buffer, at: number, width: number, n: number): void {
  h.write(`${n.toString(8).padStart(width - 1, '0')}\0`, at, width, 'latin1');
}

/** A pax time: seconds (floor) and nanoseconds as "-618062399.750000000". */
export function paxTime(t: { sec: number; nsec: number }): string {
  if (t.nsec === 0) return String(t.sec);
  if (t.sec < 0) return `-${-t.sec - 1}.${String(1e9 - t.nsec).padStart(9, '0')}`;
  return `${t.sec}.${String(t.nsec).padStart(9, '0')}`;
}

function paxRecord(key: string, value: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(` ${key}=`, 'latin1'), value, Buffer.from('\n')]);
  let len = body.length + 1;
  while (String(len).length + body.length !== len) len = String(len).length + body.length;
  return Buffer.concat([Buffer.from(String(len), 'latin1'), body]);
}

function ustarHeader(name: Buffer, prefix: Buffer, flag: string, size: number, e: TarEntry, link: Buffer, mtime: number, uid: number, gid: number): Buffer {
  const h = Buffer.alloc(512);
  name.copy(h, 0);
  octal(h, 100, 8, e.mode & 0o7777);
  octal(h, 108, 8, uid);
  octal(h, 116, 8, gid);
  octal(h, 124, 12, size);
  octal(h, 136, 12, mtime);
  h.write(flag, 156, 1, 'latin1');
  link.copy(h, 157);
  h.write('ustar\x0000', 257, 8, 'latin1');
  octal(h, 329, 8, e.devmajor);
  octal(h, 337, 8, e.devminor);
  prefix.copy(h, 345);
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += h[i];
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'latin1');
  return h;
}

/** ustar's split of a long name into prefix and name, or undefined when it does not fit. */
function splitName(b: Buffer): [Buffer, Buffer] | undefined {
  if (b.length <= 100) return [b, Buffer.alloc(0)];
  for (let i = b.length - 1; i > 0; i--) {
    if (b[i] !== 0x2f) continue;
    if (i > 155) continue;
    if (b.length - i - 1 > 100) return undefined;
    if (b.length - i - 1 === 0) return undefined;
    return [b.subarray(i + 1), b.subarray(0, i)];
  }
  return undefined;
}

/** The header block(s) of one entry in the normalised archive. */
export function entryHeaders(e: TarEntry): Buffer[] {
  const records: Buffer[] = [];
  const nameBytes = Buffer.from(e.path, 'latin1');
  const split = splitName(nameBytes);
  if (!split) records.push(paxRecord('path', nameBytes));
  const linkBytes = Buffer.from(e.linkpath ?? '', 'latin1');
  if (linkBytes.length > 100) records.push(paxRecord('linkpath', linkBytes));
  if (e.size > MAX_OCTAL_11) records.push(paxRecord('size', Buffer.from(String(e.size))));
  if (e.uid > MAX_OCTAL_7) records.push(paxRecord('uid', Buffer.from(String(e.uid))));
  if (e.gid > MAX_OCTAL_7) records.push(paxRecord('gid', Buffer.from(String(e.gid))));
  const t = e.mtime;
  const plainTime = t.nsec === 0 && t.sec >= 0 && t.sec <= MAX_OCTAL_11;
  if (!plainTime) records.push(paxRecord('mtime', Buffer.from(paxTime(t), 'latin1')));
  const [name, prefix] = split ?? [nameBytes.subarray(0, 100), Buffer.alloc(0)];
  const out: Buffer[] = [];
  if (records.length) {
    const data = Buffer.concat(records);
    const pe = { ...e, mode: 0o644 } as TarEntry;
    out.push(ustarHeader(Buffer.from('PaxHeader', 'latin1'), Buffer.alloc(0), 'x', data.length, pe, Buffer.alloc(0), 0, 0, 0));
    out.push(data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  out.push(
    ustarHeader(
      name,
      prefix,
      FLAGS[e.type],
      e.type === 'file' ? Math.min(e.size, MAX_OCTAL_11) : 0,
      e,
      linkBytes.subarray(0, 100),
      plainTime ? t.sec : Math.max(0, Math.min(t.sec, MAX_OCTAL_11)),
      Math.min(e.uid, MAX_OCTAL_7),
      Math.min(e.gid, MAX_OCTAL_7),
    ),
  );
  return out;
}

/** A run of `n` zero bytes in the output. */
interface Zeros {
  readonly zeros: number;
}

/**
 * The source archive (plain tar bytes), rewritten as described above. `onEntry` sees every entry
 * before it is written (throw to stop: nothing more is produced). The reader is returned through
 * `reader` for its counts once the generator is done.
 */
export async function* normalisedTar(
  source: AsyncIterable<Buffer>,
  onEntry: (e: TarEntry) => void,
  stats?: { reader?: TarReader },
  under?: string,
): AsyncGenerator<Buffer> {
  // Names (and hard links' targets) put under a folder: the engine then extracts at the container's
  // root, where its check that a relative symlink stays inside the extraction folder always holds
  // (GNU tar keeps `../x` symlinks at the top of a volume; the engine refuses them in the folder).
  const place = (p: string) => {
    const rest = pathComponents(p);
    return rest ? `${under}/${rest}` : (under ?? p);
  };
  const out: (Buffer | Zeros)[] = [];
  /** The current file: its sparse map, where the data stands, what is left. */
  let cur: { e: TarEntry; seg: number; segLeft: number; at: number; stored: number } | undefined;
  const finish = () => {
    if (!cur) return;
    const { e } = cur;
    if (cur.at < e.size) out.push({ zeros: e.size - cur.at });
    const pad = (512 - (e.size % 512)) % 512;
    if (pad) out.push({ zeros: pad });
    cur = undefined;
  };
  const reader = new TarReader({
    onEntry(e) {
      onEntry(e);
      out.push(
        ...entryHeaders(
          under === undefined ? e : { ...e, path: place(e.path), linkpath: e.type === 'link' && e.linkpath !== null ? place(e.linkpath) : e.linkpath },
        ),
      );
      if (e.type !== 'file') return;
      cur = { e, seg: -1, segLeft: 0, at: 0, stored: e.storedSize };
      if (cur.stored === 0) finish();
    },
    onData(chunk) {
      if (!cur) return;
      const c = cur;
      if (!c.e.sparse) {
        out.push(chunk);
        c.at += chunk.length;
      } else {
        let i = 0;
        while (i < chunk.length) {
          if (c.segLeft === 0) {
            const s = c.e.sparse[++c.seg];
            if (!s) break; // cannot happen: the reader checked the map against the stored size
            if (s.offset > c.at) out.push({ zeros: s.offset - c.at });
            c.at = s.offset;
            c.segLeft = s.length;
            continue;
          }
          const k = Math.min(c.segLeft, chunk.length - i);
          out.push(chunk.subarray(i, i + k));
          c.segLeft -= k;
          c.at += k;
          i += k;
        }
      }
      c.stored -= chunk.length;
      if (c.stored === 0) finish();
    },
  });
  if (stats) stats.reader = reader;
  const drain = function* (): Generator<Buffer> {
    for (const item of out.splice(0)) {
      if (Buffer.isBuffer(item)) {
        if (item.length) yield item;
        continue;
      }
      for (let left = item.zeros; left > 0; left -= ZEROS.length) yield ZEROS.subarray(0, Math.min(left, ZEROS.length));
    }
  };
  for await (const chunk of source) {
    reader.push(chunk);
    yield* drain();
    if (reader.ended) break;
  }
  reader.end();
  yield* drain();
  yield Buffer.alloc(1024);
}
