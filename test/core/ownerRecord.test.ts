// The owners a restore compares (archive/ownerRecord.ts), on what other programs write: an archive
// made by GNU tar and a listing made by the real `find`/`xargs`/`stat` of OWNER_LISTING over a tree
// on this machine. Names with newlines and non-UTF-8 bytes, hard links, the root folder, a prefix.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chownSync, linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OwnerRecord } from '../../src/core/archive/ownerRecord';
import { TarWalker } from '../../src/core/archive/tarWalker';
import { OWNER_LISTING, ownersMatch } from '../../src/core/operations/ownerCheck';

suite('owners compared after a restore', () => {
  let tmp: string;
  let tree: string;
  const odd = Buffer.concat([Buffer.from('bad'), Buffer.from([0xff, 0x0a]), Buffer.from('name')]); // not UTF-8, a newline

  setup(function () {
    if (process.getuid?.() !== 0) this.skip(); // chown to other users
    tmp = mkdtempSync(path.join(os.tmpdir(), 'cv-owners-'));
    tree = path.join(tmp, 'tree');
    mkdirSync(path.join(tree, 'logs', 'www'), { recursive: true });
    writeFileSync(path.join(tree, 'logs', 'www', 'index.html'), 'hi\n');
    writeFileSync(path.join(tree, 'logs', 'new\nline'), 'x\n');
    writeFileSync(Buffer.concat([Buffer.from(path.join(tree, 'logs') + '/'), odd]), 'y\n');
    linkSync(path.join(tree, 'logs', 'www', 'index.html'), path.join(tree, 'logs', 'hard'));
    chownSync(path.join(tree, 'logs'), 1000, 1000);
    chownSync(path.join(tree, 'logs', 'www'), 33, 33);
    chownSync(path.join(tree, 'logs', 'www', 'index.html'), 33, 33);
    chownSync(path.join(tree, 'logs', 'new\nline'), 1000, 1001);
    chownSync(Buffer.concat([Buffer.from(path.join(tree, 'logs') + '/'), odd]), 7, 8);
  });
  teardown(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  function record(): OwnerRecord {
    const file = path.join(tmp, 'a.tar');
    execFileSync('tar', ['-c', '--numeric-owner', '-f', file, '-C', tree, '.']);
    const r = new OwnerRecord();
    const w = new TarWalker((h) => r.add(h));
    w.push(readFileSync(file));
    return r;
  }

  const listing = (dir: string) => execFileSync('sh', ['-c', OWNER_LISTING, 'owners', dir]);

  test('the same tree: no difference, from the archive root or under its folder', () => {
    const r = record();
    assert.deepEqual(r.compare(listing(tree), ''), { count: 0, examples: [] });
    assert.deepEqual(r.compare(listing(path.join(tree, 'logs')), 'logs'), { count: 0, examples: [] });
    ownersMatch(r, listing(tree), '');
  });

  test('owners changed after the archive was made (as a squashing engine leaves them): counted and named, the error says why', () => {
    const r = record();
    chownSync(path.join(tree, 'logs', 'new\nline'), 0, 0);
    chownSync(path.join(tree, 'logs'), 0, 0);
    chownSync(Buffer.concat([Buffer.from(path.join(tree, 'logs') + '/'), odd]), 0, 0);
    const got = r.compare(listing(path.join(tree, 'logs')), 'logs');
    assert.equal(got.count, 3);
    assert.deepEqual(
      got.examples.map((e) => `${e.path} ${e.wanted} ${e.got}`).sort(),
      ['/ 1000:1000 0:0', 'bad\ufffd?name 7:8 0:0', 'new?line 1000:1001 0:0'].sort(),
    );
    assert.throws(
      () => ownersMatch(r, listing(path.join(tree, 'logs')), 'logs'),
      /did not keep the archive's owners on 3 entries .*new\?line: 1000:1001 -> 0:0.*outside the range the engine's user namespace maps/,
    );
  });

  test('a hard link is not compared on its own (its inode is its target), a folder the archive does not name neither', () => {
    const r = record();
    mkdirSync(path.join(tree, 'logs', 'made-by-tar'));
    assert.equal(r.compare(listing(tree), '').count, 0);
    chownSync(path.join(tree, 'logs', 'hard'), 5, 5); // the target's inode: index.html differs, once
    const got = r.compare(listing(tree), '');
    assert.deepEqual(
      got.examples.map((e) => e.path),
      ['logs/www/index.html'],
    );
  });

  test('past its limit, every owner the archive names must still own some path', () => {
    const file = path.join(tmp, 'a.tar');
    execFileSync('tar', ['-c', '--numeric-owner', '-f', file, '-C', tree, '.']);
    const r = new OwnerRecord(2);
    new TarWalker((h) => r.add(h)).push(readFileSync(file));
    assert.ok(r.overflow);
    assert.equal(r.compare(listing(tree), '').count, 0);
    chownSync(path.join(tree, 'logs', 'new\nline'), 0, 0);
    const got = r.compare(listing(tree), '');
    assert.equal(got.count, 1);
    assert.equal(got.examples[0].wanted, '1000:1001');
  });
});
