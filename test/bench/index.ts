// `npm run bench`: runs every benchmark module in this folder (each default-exports an async
// function that prints its own table), or only those whose file name contains an argument.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.js') && (only.length === 0 || only.some((o) => f.includes(o))))
    .sort();
  console.log(
    `benchmarks on ${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
  );
  let failed = 0;
  for (const f of files) {
    console.log(`\n## ${f.replace(/\.bench\.js$/, '')}`);
    const mod = (await import(path.join(__dirname, f))) as { default: () => Promise<void> };
    try {
      await mod.default();
    } catch (e) {
      failed++;
      console.error(`benchmark ${f} failed: ${e instanceof Error ? e.stack : String(e)}`);
    }
  }
  if (failed) process.exitCode = 1;
}

void main();
