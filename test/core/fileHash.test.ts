// A file's sha256 taken on another thread from the bytes a restore streams (archive/fileHash.ts
// FileShaTap): the same digest as a plain hash of the file, however the reader stops.
import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileShaTap, sha256OfFile } from '../../src/core/archive/fileHash';

suite('sha256 of a file on another thread', () => {
  let dir = '';
  let file = '';
  let data = Buffer.alloc(0);
  suiteSetup(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cv-filehash-'));
    file = path.join(dir, 'f');
    data = randomBytes((9 << 20) + 12345); // more than the tap's buffers hold at once
    writeFileSync(file, data);
  });
  suiteTeardown(() => rmSync(dir, { recursive: true, force: true }));
  const want = () => createHash('sha256').update(data).digest('hex');
  async function withTap(f: string, use: (tap: FileShaTap) => Promise<void>): Promise<void> {
    const tap = new FileShaTap(f);
    try {
      await use(tap);
    } finally {
      tap.dispose();
    }
  }

  test('read: every byte in order, each handed to the hashing thread once the next is asked for; the digest is the file’s', async () => {
    await withTap(file, async (tap) => {
      const got: Buffer[] = [];
      let last: Buffer | undefined;
      let moved = 0;
      for await (const b of tap.read()) {
        // The piece before went to the hashing thread (moved, not copied): it reads as empty here now.
        if (last?.length === 0) moved++;
        got.push(Buffer.from(b)); // copied before the next is asked for, as the PUT does
        last = b;
      }
      assert.ok(Buffer.concat(got).equals(data));
      assert.equal(moved, got.length - 1, 'every piece but the last was handed over');
      assert.equal(await tap.digest(), want());
    });
  });

  test('read stopped part way (the tar ended before the file): digest reads the rest', async () => {
    await withTap(file, async (tap) => {
      let n = 0;
      for await (const b of tap.read()) {
        n += b.length;
        if (n > 3 << 20) break;
      }
      assert.equal(await tap.digest(), want());
      assert.equal(await sha256OfFile(file), want());
    });
  });

  test('tap of a stream (a compressed file before it is inflated), and a changed byte changes the digest', async () => {
    await withTap(file, async (tap) => {
      let n = 0;
      for await (const b of tap.tap(createReadStream(file, { highWaterMark: 64 << 10 }) as AsyncIterable<Buffer>)) n += b.length;
      assert.equal(n, data.length);
      assert.equal(await tap.digest(), want());
    });
    const other = path.join(dir, 'g');
    const changed = Buffer.from(data);
    changed[5 << 20] ^= 1;
    writeFileSync(other, changed);
    await withTap(other, async (tap2) => {
      for await (const b of tap2.read()) void b;
      assert.notEqual(await tap2.digest(), want());
    });
  });

  test('cancelled: digest rejects at once; a file that is not there: a clear error', async () => {
    const ac = new AbortController();
    ac.abort(new Error('stop'));
    await withTap(file, (tap) => assert.rejects(tap.digest(ac.signal), /stop/));
    await withTap(path.join(dir, 'missing'), (gone) => assert.rejects(gone.digest(), /ENOENT|no such file/i));
  });
});
