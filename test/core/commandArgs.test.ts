// The commands' argument parser (src/commands/commandArgs.ts), without VS Code or an engine: every
// target kind from the rows and argument objects the views, tests and scripts pass, the options'
// types, and the one error a wrong value gets.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ArgumentError, describeValue, parseCommandArgs, parseOptions, parseTarget } from '../../src/commands/commandArgs';

/** Stands in for vscode.Uri: the parser only knows it through the guard it is given. */
class FakeUri {
  readonly query = '';
  constructor(
    readonly scheme: string,
    readonly path: string,
  ) {}
}
const isUri = (x: unknown): x is FakeUri => x instanceof FakeUri;
const target = (raw: unknown) => parseTarget(raw, isUri);

const mount = { type: 'volume', name: 'data', source: '/var/lib/docker/volumes/data/_data', destination: '/data', volumeName: 'data', readOnly: false };
const volume = { name: 'data', labels: {}, users: [] };

suite('command arguments: targets', () => {
  test('nothing, a primitive or an array is no target (the command asks)', () => {
    for (const raw of [undefined, null, 'data', 3, true, [{ volumeName: 'data' }], {}, { volumeName: '' }]) {
      assert.deepEqual(target(raw), { kind: 'none' }, describeValue(raw));
    }
  });

  test("a URI (the Explorer's context menu)", () => {
    const uri = new FakeUri('docker-volume', '/a');
    const t = target(uri);
    assert.equal(t.kind, 'uri');
    assert.equal(t.kind === 'uri' && t.uri, uri);
  });

  test("a volume: its row, { volumeName }, and a volume's user row (with the container)", () => {
    assert.deepEqual(target({ kind: 'volume', volume, volumeName: 'data', engineHost: 'tcp://other:2375' }), { kind: 'volume', volumeName: 'data' });
    assert.deepEqual(target({ volumeName: 'data' }), { kind: 'volume', volumeName: 'data' });
    assert.deepEqual(
      target({
        kind: 'volumeUser',
        volumeName: 'data',
        use: { containerId: 'c1', containerName: 'db', destination: '/data' },
        containerId: 'c1',
        containerName: 'db',
      }),
      { kind: 'volume', volumeName: 'data', container: { id: 'c1', name: 'db' } },
    );
    // A volume named beside a container and a mount path is still about the volume (the graph focuses it).
    assert.deepEqual(target({ volumeName: 'data', containerId: 'c1', destination: '/data' }), {
      kind: 'volume',
      volumeName: 'data',
      container: { id: 'c1' },
      destination: '/data',
    });
  });

  test('a container: its row, { containerId }, { containerName }', () => {
    assert.deepEqual(target({ kind: 'container', container: { id: 'c1' }, containerId: 'c1', containerName: 'db' }), {
      kind: 'container',
      container: { id: 'c1', name: 'db' },
    });
    assert.deepEqual(target({ containerId: 'c1' }), { kind: 'container', container: { id: 'c1' } });
    assert.deepEqual(target({ containerName: 'db', image: 'busybox' }), { kind: 'container', container: { name: 'db' } });
  });

  test('a mount: its row (with the volume of a volume mount), or a container and a destination', () => {
    assert.deepEqual(target({ kind: 'mount', containerId: 'c1', containerName: 'db', mount, volumeName: 'data' }), {
      kind: 'mount',
      container: { id: 'c1', name: 'db' },
      destination: '/data',
      volumeName: 'data',
      mount: { type: 'volume', destination: '/data', volumeName: 'data', source: mount.source, readOnly: false },
    });
    const bind = target({
      kind: 'mount',
      containerId: 'c1',
      containerName: 'db',
      mount: { type: 'bind', source: '/srv', destination: '/srv', readOnly: true },
    });
    assert.equal(bind.kind, 'mount');
    assert.equal(bind.kind === 'mount' && bind.volumeName, undefined);
    assert.equal(bind.kind === 'mount' && bind.mount?.readOnly, true);
    assert.deepEqual(target({ containerName: 'db', destination: '/logs', newName: 'logs' }), {
      kind: 'mount',
      container: { name: 'db' },
      destination: '/logs',
    });
  });

  test("an engine's root row, a group row, several volumes by name", () => {
    assert.deepEqual(target({ kind: 'engine', engine: { host: 'tcp://other:2375', name: 'other' }, to: 'other', current: false }), {
      kind: 'engine',
      host: 'tcp://other:2375',
      current: false,
    });
    assert.deepEqual(target({ kind: 'group', group: 'inuse', project: 'shop', volumes: [volume] }), { kind: 'group', project: 'shop' });
    assert.deepEqual(target({ kind: 'group', group: 'unused', volumes: [] }), { kind: 'group', project: undefined });
    assert.deepEqual(target({ volumeNames: ['a', 'b'], dir: '/tmp' }), { kind: 'volumes', volumeNames: ['a', 'b'] });
  });

  test('a Disk Usage row: a file (one entry) or a folder (its files)', () => {
    const uri = new FakeUri('docker-volume', '/a/b');
    assert.deepEqual(target({ kind: 'file', file: { path: '/a/b', bytes: 5 }, uri }), {
      kind: 'usageEntry',
      entry: 'file',
      uri,
      path: '/a/b',
      bytes: 5,
      files: undefined,
    });
    assert.deepEqual(target({ kind: 'folder', folder: { path: '/a', bytes: 10, files: 3 }, uri }), {
      kind: 'usageEntry',
      entry: 'folder',
      uri,
      path: '/a',
      bytes: 10,
      files: 3,
    });
    // Without a URI it is not a Disk Usage row (a search result's `file` is no target either).
    assert.deepEqual(target({ kind: 'file', file: { path: '/a/b' } }), { kind: 'none' });
  });

  test('a target key of the wrong type is refused, naming the key', () => {
    const refused = (raw: unknown, key: string, expected: unknown) =>
      assert.throws(
        () => target(raw),
        (e: unknown) => {
          assert.ok(e instanceof ArgumentError, String(e));
          assert.equal(e.key, key);
          assert.deepEqual(e.expected, expected);
          return true;
        },
      );
    refused({ volumeName: 3 }, 'volumeName', 'string');
    refused({ containerId: { id: 'c1' } }, 'containerId', 'string');
    refused({ containerName: 'db', destination: ['/data'] }, 'destination', 'string');
    refused({ containerId: 'c1', mount: '/data' }, 'mount', 'object');
    refused({ volumeNames: ['a', 1] }, 'volumeNames', 'strings');
    refused({ volumeNames: 'a' }, 'volumeNames', 'strings');
  });
});

suite('command arguments: options', () => {
  const schema = {
    file: 'string',
    query: 'text',
    stopContainers: 'boolean',
    jobs: 'number',
    command: 'stringOrStrings',
    volumes: 'strings',
    names: 'stringMap',
    ifBusy: ['wait', 'refuse'],
  } as const;

  test('each declared type, typed as declared', () => {
    const o = parseOptions(
      { file: '/b.tar', query: '', stopContainers: false, jobs: 2, command: ['sh', '-c', 'true'], volumes: [], names: { '/data': 'x' }, ifBusy: 'refuse' },
      schema,
    );
    assert.deepEqual(o, {
      file: '/b.tar',
      query: '',
      stopContainers: false,
      jobs: 2,
      command: ['sh', '-c', 'true'],
      volumes: [],
      names: { '/data': 'x' },
      ifBusy: 'refuse',
    });
    const line: string | readonly string[] | undefined = parseOptions({ command: 'tail -f /x' }, schema).command;
    assert.equal(line, 'tail -f /x');
  });

  test("absent, null and an empty 'string' are not given (the command asks); 'text' keeps the empty string", () => {
    assert.deepEqual(parseOptions({ file: '', stopContainers: null }, schema), {});
    assert.deepEqual(parseOptions({ query: '' }, schema), { query: '' });
    assert.deepEqual(parseOptions(undefined, schema), {});
  });

  test('keys neither declared nor targets are ignored: rows carry more, scripts pass `confirmed`', () => {
    assert.deepEqual(parseOptions({ kind: 'volume', volume, volumeName: 'data', confirmed: true, engineHost: 'x', file: '/b.tar' }, schema), {
      file: '/b.tar',
    });
    assert.deepEqual(parseOptions({ confirmed: 'yes', stopContainers: true }, { stopContainers: 'boolean' }), { stopContainers: true });
  });

  test('a declared option of the wrong type is refused with one message naming the key, what it must be and what it was', () => {
    const cases: [Record<string, unknown>, string, unknown, RegExp][] = [
      [{ stopContainers: 'yes' }, 'stopContainers', 'boolean', /"stopContainers" must be boolean; it was "yes"/],
      [{ file: 42 }, 'file', 'string', /"file" must be string; it was 42/],
      [{ query: false }, 'query', 'text', /"query" must be text/],
      [{ jobs: '2' }, 'jobs', 'number', /"jobs" must be number; it was "2"/],
      [{ jobs: Number.NaN }, 'jobs', 'number', /"jobs" must be number/],
      [{ command: ['sh', 1] }, 'command', 'stringOrStrings', /"command" must be stringOrStrings/],
      [{ volumes: 'a' }, 'volumes', 'strings', /"volumes" must be strings/],
      [{ names: { '/data': 1 } }, 'names', 'stringMap', /"names" must be stringMap/],
      [{ names: ['x'] }, 'names', 'stringMap', /"names" must be stringMap/],
      [{ ifBusy: 'later' }, 'ifBusy', { oneOf: ['wait', 'refuse'] }, /"ifBusy" must be one of "wait", "refuse"; it was "later"/],
    ];
    for (const [raw, key, expected, text] of cases) {
      assert.throws(
        () => parseOptions(raw, schema),
        (e: unknown) => {
          assert.ok(e instanceof ArgumentError, `${JSON.stringify(raw)}: ${String(e)}`);
          assert.equal(e.key, key);
          assert.deepEqual(e.expected, expected);
          assert.match(e.message, text);
          return true;
        },
      );
    }
  });

  test('what was given is shown short', () => {
    assert.equal(describeValue('x'.repeat(100)).length, 40);
    assert.equal(describeValue(undefined), 'undefined');
    assert.equal(
      describeValue(() => 1),
      'function',
    );
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    assert.equal(describeValue(cyclic), 'object');
  });
});

suite('command arguments: as VS Code passes them', () => {
  test("a row and the views' multiple selection: one target each, the row marked as a row", () => {
    const row = (name: string) => ({ kind: 'volume', volume: { ...volume, name }, volumeName: name });
    const p = parseCommandArgs([row('a'), [row('a'), row('b')]], { dir: 'string' }, isUri);
    assert.deepEqual(p.target, { kind: 'volume', volumeName: 'a' });
    assert.deepEqual(p.selection, [
      { kind: 'volume', volumeName: 'a' },
      { kind: 'volume', volumeName: 'b' },
    ]);
    assert.equal(p.fromRow, true);
    assert.deepEqual(p.options, {});
  });

  test('an argument object: target and options from the same object, not a row, no selection', () => {
    const p = parseCommandArgs(
      [{ volumeName: 'a', file: '/b.tar', format: 'tar', stopContainers: false }],
      { file: 'string', format: 'string', stopContainers: 'boolean' },
      isUri,
    );
    assert.deepEqual(p, {
      target: { kind: 'volume', volumeName: 'a' },
      options: { file: '/b.tar', format: 'tar', stopContainers: false },
      fromRow: false,
      engine: { kind: 'current' },
    });
    assert.deepEqual(parseCommandArgs([], {}, isUri), { target: { kind: 'none' }, options: {}, fromRow: false, engine: { kind: 'current' } });
  });

  test("a URI (the Explorer's context menu): its own fields are not options (Go to File would search for its empty `query`)", () => {
    const uri = new FakeUri('docker-volume', '/a');
    const p = parseCommandArgs([uri, [uri]], { query: 'text', path: 'string' }, isUri);
    assert.deepEqual(p.options, {});
    assert.deepEqual(p.target, { kind: 'uri', uri });
  });

  test("the rows' engine: the current one's rows carry no address, another's carry theirs; rows of two engines are mixed", () => {
    const here = (name: string) => ({ kind: 'volume', volume: { ...volume, name }, volumeName: name });
    const there = (name: string, host = 'tcp://other:2375') => ({ ...here(name), engineHost: host });
    const engine = (...args: unknown[]) => parseCommandArgs(args, {}, isUri).engine;
    // No row, or nothing that names an engine: the current one.
    assert.deepEqual(engine(), { kind: 'current' });
    assert.deepEqual(engine({ volumeName: 'a' }), { kind: 'current' });
    assert.deepEqual(engine(new FakeUri('docker-volume', '/a')), { kind: 'current' });
    assert.deepEqual(engine({ kind: 'engine', engine: { host: 'tcp://other:2375' }, current: false }), { kind: 'current' }, "an engine root's own commands");
    // Rows of the current engine, of every kind that belongs to one.
    for (const kind of ['volume', 'container', 'mount', 'volumeUser', 'group']) assert.deepEqual(engine({ kind }), { kind: 'current' }, kind);
    assert.deepEqual(engine(here('a'), [here('a'), here('b')]), { kind: 'current' });
    // Another engine's rows, and an argument object naming one ('' is the current engine).
    assert.deepEqual(engine(there('a')), { kind: 'host', host: 'tcp://other:2375' });
    assert.deepEqual(engine(there('a'), [there('a'), there('b')]), { kind: 'host', host: 'tcp://other:2375' });
    assert.deepEqual(engine({ volumeName: 'a', engineHost: 'unix:///x.sock' }), { kind: 'host', host: 'unix:///x.sock' });
    assert.deepEqual(engine({ volumeName: 'a', engineHost: '' }), { kind: 'current' });
    assert.deepEqual(engine({ volumeName: 'a', engineHost: 3 }), { kind: 'current' }, 'not an address');
    // A selection across roots, whichever row was clicked; two other engines are mixed too.
    assert.deepEqual(engine(there('a'), [there('a'), here('b')]), { kind: 'mixed' });
    assert.deepEqual(engine(here('b'), [here('b'), there('a')]), { kind: 'mixed' });
    assert.deepEqual(engine(there('a'), [there('a'), there('b', 'tcp://third:2375')]), { kind: 'mixed' });
  });

  test('no command file reads its raw argument: only the parser does', () => {
    const dir = path.resolve(__dirname, '../../../src/commands');
    const readers = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.ts') && f !== 'commandArgs.ts')
      .filter((f) => /\bargObject\(|\bstringArg\(|\brun\(services, arg\b/.test(fs.readFileSync(path.join(dir, f), 'utf8')));
    assert.deepEqual(readers, []);
  });
});
