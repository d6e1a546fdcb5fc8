// The archive endpoint's plain tar written to a file by one stage (backup's InspectingFileSink): the
// file holds exactly the bytes received, hashed and counted as they went; a truncated or damaged
// archive fails the stream.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { InspectingBlockWriter, InspectingFileSink } from '../../src/core/archive/archiveSink';
import { TruncatedArchiveError, CorruptArchiveError } from '../../src/core/archive/tarTap';

/** The bytes in chunks of the size the engine's answer arrives in (~22 KiB), some split mid-header. */
function chunks(b: Buffer, size = 22_000): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < b.length; i += size) out.push(b.subarray(i, i + size));
  return out;
}

suite('archive sink (backup through the archive endpoint, plain tar)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cv-sink-'));
  let tar: Buffer;

  suiteSetup(() => {
    const src = path.join(dir, 'src');
    mkdirSync(path.join(src, 'a/b'), { recursive: true });
    for (let i = 0; i < 300; i++) writeFileSync(path.join(src, 'a', `f${i}`), `${i}`.repeat(i * 7));
    writeFileSync(path.join(src, 'a/b/big'), Buffer.alloc(3 << 20, 7));
    tar = execFileSync('tar', ['-C', src, '--sort=name', '-cf', '-', '.'], { maxBuffer: 1 << 26 });
  });
  suiteTeardown(() => rmSync(dir, { recursive: true, force: true }));

  async function sinkInto(file: string, parts: Buffer[], lag = 8 << 20): Promise<InspectingFileSink> {
    const fh = await open(file, 'wx', 0o600);
    const sink = new InspectingFileSink(fh, lag);
    try {
      await pipeline(Readable.from(parts), sink);
    } finally {
      await fh.close();
    }
    return sink;
  }

  test('the file is the bytes received; hash, counts and size are those of the archive (a small lag: many batched writes)', async () => {
    for (const lag of [8 << 20, 64 << 10]) {
      const file = path.join(dir, `ok-${lag}.tar`);
      const sink = await sinkInto(file, chunks(tar), lag);
      assert.ok(readFileSync(file).equals(tar));
      assert.equal(sink.written, tar.length);
      assert.equal(await sink.insp.end(), createHash('sha256').update(tar).digest('hex'));
      assert.equal(sink.insp.check.stats.entries, 304); // ., a, a/b, a/b/big, 300 files
      assert.equal(
        sink.insp.check.stats.contentBytes,
        (3 << 20) + 7 * ((299 * 300) / 2) + [...Array(300).keys()].reduce((n, i) => n + (`${i}`.length - 1) * i * 7, 0),
      );
    }
  });

  test('an answer that ends early fails the stream with TruncatedArchiveError (backup says the engine truncated it)', async () => {
    await assert.rejects(sinkInto(path.join(dir, 'short.tar'), chunks(tar.subarray(0, tar.length - 20_000))), TruncatedArchiveError);
  });

  test('a damaged header fails the stream where it arrives', async () => {
    const bad = Buffer.from(tar);
    bad[512 * 3 + 10] ^= 0xff; // inside the third entry's header: its checksum no longer matches
    await assert.rejects(sinkInto(path.join(dir, 'bad.tar'), chunks(bad)), CorruptArchiveError);
  });

  /**
   * The block writer as the raw GET feeds it: every piece is a view of one buffer that is overwritten
   * as soon as `take` returns, and a false from `take` is honoured by waiting for `drained`.
   */
  async function blocksInto(file: string, bytes: Buffer, size: number): Promise<{ w: InspectingBlockWriter; pauses: number }> {
    const fh = await open(file, 'wx', 0o600);
    const w = new InspectingBlockWriter(fh);
    const reused = Buffer.alloc(size);
    let pauses = 0;
    try {
      for (let i = 0; i < bytes.length; i += size) {
        const n = bytes.copy(reused, 0, i, i + size);
        const more = w.take(reused.subarray(0, n));
        reused.fill(0xee); // the next read lands here
        if (!more) {
          pauses++;
          await w.drained();
        }
      }
      await w.end();
    } finally {
      await w.settle();
      await fh.close();
    }
    return { w, pauses };
  }

  test('the block writer (raw GET): pieces in a reused buffer, 1 MiB at a time with pauses and 22 KB at a time; the file is the bytes, hashed as they came', async () => {
    // One larger than two blocks, so that the writer asks for pauses.
    const src = path.join(dir, 'big-src');
    mkdirSync(src);
    writeFileSync(path.join(src, 'x'), Buffer.from(Array.from({ length: 11 << 20 }, (_, i) => (i * 7) % 253)));
    const large = execFileSync('tar', ['-C', src, '-cf', '-', '.'], { maxBuffer: 1 << 26 });
    for (const [name, bytes, size] of [
      ['small', tar, 22_000],
      ['large', large, 1 << 20],
    ] as const) {
      const file = path.join(dir, `blocks-${name}.tar`);
      const { w, pauses } = await blocksInto(file, bytes, size);
      assert.ok(readFileSync(file).equals(bytes), name);
      assert.equal(w.written, bytes.length);
      assert.equal(await w.insp.end(), createHash('sha256').update(bytes).digest('hex'));
      if (name === 'large') assert.ok(pauses > 0, 'the writer paused the reader at least once');
    }
  });

  test('the block writer: an archive cut short fails at its end with TruncatedArchiveError, a damaged header where it arrives', async () => {
    await assert.rejects(blocksInto(path.join(dir, 'blocks-short.tar'), tar.subarray(0, tar.length - 20_000), 22_000), TruncatedArchiveError);
    const bad = Buffer.from(tar);
    bad[512 * 3 + 10] ^= 0xff;
    await assert.rejects(blocksInto(path.join(dir, 'blocks-bad.tar'), bad, 22_000), CorruptArchiveError);
  });
});
