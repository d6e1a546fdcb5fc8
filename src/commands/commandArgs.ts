// A command's raw argument (a view's row, a script's or test's argument object, a URI, or nothing) read
// once into what it acts on (a typed target) and the options the command declares. Pure: no vscode.
// Design notes: docs/ui.md#srccommandscommandargsts

/** A container as an argument names it: by id (a row, `{ containerId }`) or by name (`{ containerName }`). */
export interface ContainerRef {
  readonly id?: string;
  readonly name?: string;
}

/** What a mount row carries of its mount (the fields commands read). */
export interface MountRef {
  readonly type?: string;
  readonly destination?: string;
  readonly volumeName?: string;
  readonly source?: string;
  readonly readOnly?: boolean;
}

/** What a command acts on. `U` is the URI type (vscode.Uri in the extension; anything in tests). */
export type CommandTarget<U> =
  /** The palette, or an argument object naming nothing: the command asks. */
  | { readonly kind: 'none' }
  /** A URI (the Explorer's context menu on a `docker-volume:` file or folder). */
  | { readonly kind: 'uri'; readonly uri: U }
  /** A row of the Disk Usage view. */
  | {
      readonly kind: 'usageEntry';
      readonly entry: 'file' | 'folder';
      readonly uri: U;
      readonly path?: string;
      readonly bytes?: number;
      readonly files?: number;
    }
  /** An engine's root row (several engines known). */
  | { readonly kind: 'engine'; readonly host: string; readonly current: boolean }
  /** A group row of the Volumes view (in use / unused, maybe one Compose project). */
  | { readonly kind: 'group'; readonly project?: string }
  /** Several volumes by name (`{ volumeNames }`). */
  | { readonly kind: 'volumes'; readonly volumeNames: readonly string[] }
  /** A volume: its row, `{ volumeName }`, or a volume's user row (which also names the container). */
  | { readonly kind: 'volume'; readonly volumeName: string; readonly container?: ContainerRef; readonly destination?: string }
  /** A container: its row, `{ containerId }` or `{ containerName }`. */
  | { readonly kind: 'container'; readonly container: ContainerRef }
  /** A mount of a container: its row (with `mount`, and `volumeName` for a volume mount), or `{ containerId | containerName, destination }`. */
  | { readonly kind: 'mount'; readonly container: ContainerRef; readonly destination?: string; readonly mount?: MountRef; readonly volumeName?: string };

/**
 * An option's type. 'string' is a non-empty string ('' counts as not given: the command asks);
 * 'text' is any string ('' included: a search for nothing); a list is an enumeration of strings.
 */
export type OptionType = 'string' | 'text' | 'boolean' | 'number' | 'strings' | 'stringOrStrings' | 'stringMap' | readonly string[];
export type OptionSchema = Readonly<Record<string, OptionType>>;

type ValueOf<T extends OptionType> = T extends 'string' | 'text'
  ? string
  : T extends 'boolean'
    ? boolean
    : T extends 'number'
      ? number
      : T extends 'strings'
        ? readonly string[]
        : T extends 'stringOrStrings'
          ? string | readonly string[]
          : T extends 'stringMap'
            ? Readonly<Record<string, string>>
            : T extends readonly (infer E)[]
              ? E
              : never;

/** The options a command declared, typed; an option not given is absent. */
export type CommandOptions<S extends OptionSchema> = { readonly [K in keyof S]?: ValueOf<S[K]> };

/** What an argument's value had to be (the runner words it for the user). */
export type Expected = Exclude<OptionType, readonly string[]> | 'object' | { readonly oneOf: readonly string[] };

/**
 * An argument of the wrong type: `{ stopContainers: 'yes' }`, `{ volumeName: 3 }`. Nothing has been
 * done yet when it is thrown (the runner parses before the command runs).
 */
export class ArgumentError extends Error {
  constructor(
    readonly key: string,
    readonly expected: Expected,
    readonly got: unknown,
  ) {
    super(`The argument "${key}" must be ${expectedText(expected)}; it was ${describeValue(got)}.`);
    this.name = 'ArgumentError';
  }
}

/** What was given instead, short: a JSON value cut at 40 characters, or its type. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') return typeof v;
  let s: string | undefined;
  try {
    s = JSON.stringify(v);
  } catch {
    s = undefined;
  }
  if (s === undefined) return typeof v;
  return s.length > 40 ? `${s.slice(0, 39)}…` : s;
}

function expectedText(e: Expected): string {
  if (typeof e === 'object') return `one of ${e.oneOf.map((x) => `"${x}"`).join(', ')}`;
  return e;
}

/**
 * The engine the rows a command is run on belong to: the current one (its rows carry no address; also
 * the palette and argument objects that name none), the one at `host` (the rows under another engine's
 * root, or an argument object's `engineHost`), or several at once (a multiple selection across roots,
 * which the runner refuses).
 */
export type ArgsEngine = { readonly kind: 'current' } | { readonly kind: 'host'; readonly host: string } | { readonly kind: 'mixed' };

export interface ParsedArgs<U, S extends OptionSchema> {
  readonly target: CommandTarget<U>;
  readonly options: CommandOptions<S>;
  /** The views' multiple selection (VS Code's second argument), each row a target. */
  readonly selection?: readonly CommandTarget<U>[];
  /** The argument is a view's row (it has a `kind`), not an argument object of a script or test. */
  readonly fromRow: boolean;
  /** Which engine the rows are of (every argument and every row of the selection). */
  readonly engine: ArgsEngine;
}

/**
 * A command's arguments as VS Code or a caller passes them — (row or argument object, selection) —
 * read once. Keys neither a target nor a declared option are ignored: a row carries more than any
 * one command reads, and tests spread a row into an argument object with the options beside it.
 */
export function parseCommandArgs<U, S extends OptionSchema>(args: readonly unknown[], schema: S, isUri: (x: unknown) => x is U): ParsedArgs<U, S> {
  const [raw, second] = args;
  return {
    target: parseTarget(raw, isUri),
    // A URI's own fields (`path`, `query`: '' for the Explorer's folders) are not options.
    options: isUri(raw) ? {} : parseOptions(raw, schema),
    ...(Array.isArray(second) ? { selection: second.map((s) => parseTarget(s, isUri)) } : {}),
    fromRow: isRecord(raw) && typeof raw.kind === 'string',
    engine: argsEngine(args),
  };
}

/** The kinds of the views' rows that belong to an engine (an engine root names its engine otherwise). */
const ENGINE_ROW_KINDS = new Set(['volume', 'container', 'mount', 'volumeUser', 'group']);

/**
 * The engine of every argument and selected row: a string `engineHost` names it ('' the current one),
 * a row of the current engine carries none; anything else names no engine.
 */
function argsEngine(args: readonly unknown[]): ArgsEngine {
  const hosts = new Set<string>();
  for (const a of args.flatMap((x): unknown[] => (Array.isArray(x) ? (x as unknown[]) : [x]))) {
    if (!isRecord(a)) continue;
    if (typeof a.engineHost === 'string') hosts.add(a.engineHost);
    else if (ENGINE_ROW_KINDS.has(String(a.kind))) hosts.add('');
  }
  if (hosts.size > 1) return { kind: 'mixed' };
  const [host] = hosts;
  return host ? { kind: 'host', host } : { kind: 'current' };
}

function isRecord(x: unknown): x is Readonly<Record<string, unknown>> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

/** A string key of a target: '' and absent are "not given"; another type is refused. */
function str(o: Readonly<Record<string, unknown>>, key: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw new ArgumentError(key, 'string', v);
  return v;
}

function mountRef(v: unknown): MountRef | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isRecord(v)) throw new ArgumentError('mount', 'object', v);
  const s = (k: string) => (typeof v[k] === 'string' ? v[k] : undefined);
  return {
    type: s('type'),
    destination: s('destination'),
    volumeName: s('volumeName'),
    source: s('source'),
    ...(typeof v.readOnly === 'boolean' ? { readOnly: v.readOnly } : {}),
  };
}

/** What the argument names, in the order the commands always read it: a row's kind first, then the keys. */
export function parseTarget<U>(raw: unknown, isUri: (x: unknown) => x is U): CommandTarget<U> {
  if (isUri(raw)) return { kind: 'uri', uri: raw };
  if (!isRecord(raw)) return { kind: 'none' };
  const o = raw;
  if (o.kind === 'engine' && isRecord(o.engine) && typeof o.engine.host === 'string') {
    return { kind: 'engine', host: o.engine.host, current: o.current === true };
  }
  if ((o.kind === 'file' || o.kind === 'folder') && isUri(o.uri)) {
    const f = isRecord(o.folder) ? o.folder : isRecord(o.file) ? o.file : {};
    const n = (k: string) => (typeof f[k] === 'number' ? f[k] : undefined);
    return { kind: 'usageEntry', entry: o.kind, uri: o.uri, path: typeof f.path === 'string' ? f.path : undefined, bytes: n('bytes'), files: n('files') };
  }
  if (o.kind === 'group') return { kind: 'group', project: str(o, 'project') };
  const volumeName = str(o, 'volumeName');
  const id = str(o, 'containerId');
  const name = str(o, 'containerName');
  const container: ContainerRef | undefined =
    id !== undefined || name !== undefined ? { ...(id !== undefined ? { id } : {}), ...(name !== undefined ? { name } : {}) } : undefined;
  const mount = mountRef(o.mount);
  const destination = mount?.destination ?? str(o, 'destination');
  if (mount !== undefined || o.kind === 'mount') {
    return {
      kind: 'mount',
      container: container ?? {},
      ...(destination !== undefined ? { destination } : {}),
      ...(mount ? { mount } : {}),
      ...(volumeName !== undefined ? { volumeName } : {}),
    };
  }
  if (volumeName !== undefined) {
    return { kind: 'volume', volumeName, ...(container ? { container } : {}), ...(destination !== undefined ? { destination } : {}) };
  }
  if (container) return destination !== undefined ? { kind: 'mount', container, destination } : { kind: 'container', container };
  if (o.volumeNames !== undefined && o.volumeNames !== null) {
    if (!Array.isArray(o.volumeNames) || !o.volumeNames.every((x) => typeof x === 'string')) throw new ArgumentError('volumeNames', 'strings', o.volumeNames);
    return { kind: 'volumes', volumeNames: o.volumeNames };
  }
  return { kind: 'none' };
}

/** The declared options of an argument object, each checked against its type; absent or null is not given. */
export function parseOptions<S extends OptionSchema>(raw: unknown, schema: S): CommandOptions<S> {
  if (!isRecord(raw)) return {};
  const out: Record<string, unknown> = {};
  for (const [key, type] of Object.entries(schema)) {
    const v = raw[key];
    if (v === undefined || v === null) continue;
    const value = optionValue(key, type, v);
    if (value !== undefined) out[key] = value;
  }
  return out as CommandOptions<S>;
}

function optionValue(key: string, type: OptionType, v: unknown): unknown {
  const isStrings = (x: unknown): x is string[] => Array.isArray(x) && x.every((e) => typeof e === 'string');
  if (typeof type !== 'string') {
    if (typeof v === 'string' && type.includes(v)) return v;
    throw new ArgumentError(key, { oneOf: type }, v);
  }
  switch (type) {
    case 'string':
      if (typeof v !== 'string') break;
      return v === '' ? undefined : v;
    case 'text':
      if (typeof v === 'string') return v;
      break;
    case 'boolean':
      if (typeof v === 'boolean') return v;
      break;
    case 'number':
      if (typeof v === 'number' && Number.isFinite(v)) return v;
      break;
    case 'strings':
      if (isStrings(v)) return v;
      break;
    case 'stringOrStrings':
      if (typeof v === 'string' || isStrings(v)) return v;
      break;
    case 'stringMap':
      if (isRecord(v) && Object.values(v).every((e) => typeof e === 'string')) return v;
      break;
  }
  throw new ArgumentError(key, type, v);
}
