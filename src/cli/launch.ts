// The `container-volumes` command's entry: loads the CLI's bundle (cli-main.js) with V8's code cache
// kept in the user's cache folder, so a cron job does not compile 1 MB of JavaScript on every run.
// Any trouble with the cache (unwritable, stale, corrupt) only costs that saving.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { Script } from 'node:vm';

interface CliMain {
  start(argv: readonly string[]): void;
}

/** Where the cache lives: CONTAINER_VOLUMES_CODE_CACHE (a folder, or "off"), else XDG's cache folder. */
function cacheDir(): string | undefined {
  const set = process.env.CONTAINER_VOLUMES_CODE_CACHE;
  if (set === 'off') return undefined;
  if (set) return set;
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'container-volumes');
}

function load(file: string): CliMain {
  const dir = cacheDir();
  const plain = () => Module.createRequire(__filename)(file) as CliMain;
  if (!dir) return plain();
  const source = readFileSync(file, 'utf8');
  // The cache is only good for this exact bundle on this exact Node (V8 checks little more than the length).
  const key = createHash('sha256').update(source).update(process.version).update(process.arch).digest('hex').slice(0, 24);
  const cacheFile = path.join(dir, `cli-${key}.v8`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    /* first run of this bundle */
  }
  let script: Script;
  try {
    script = new Script(Module.wrap(source), { filename: file, cachedData });
  } catch {
    return plain(); // nothing of the bundle ran yet
  }
  if (!cachedData || script.cachedDataRejected) {
    // Written at exit: by then the functions this run needed are compiled, and go into the cache too.
    process.once('exit', () => writeCache(dir, cacheFile, script));
  }
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(file));
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
  wrapper.call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
  mod.loaded = true;
  return mod.exports as CliMain;
}

function writeCache(dir: string, cacheFile: string, script: Script): void {
  try {
    // Two levels made by hand (~/.cache may not exist yet): a recursive mkdir spins on some paths (/proc).
    for (const d of [path.dirname(dir), dir]) {
      try {
        mkdirSync(d, { mode: 0o700 });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
    }
    // Caches of other bundles (an older version) go; a new name each time, so readers never see half a file.
    for (const f of readdirSync(dir)) if (/^cli-[0-9a-f]{24}\.v8$/.test(f) && path.join(dir, f) !== cacheFile) unlinkSync(path.join(dir, f));
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    try {
      writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
      renameSync(tmp, cacheFile);
    } catch (e) {
      rmSync(tmp, { force: true }); // a full disk leaves no half file behind
      throw e;
    }
  } catch {
    /* a read-only or full cache folder: the next run compiles again, nothing else changes */
  }
}

load(path.join(__dirname, 'cli-main.js')).start(process.argv.slice(2));
