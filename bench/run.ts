/**
 * Benchmark runner: `npm run bench -- NAME [args…]` runs `bench/NAME.bench.ts`.
 *
 * Each benchmark module exports `run(args: string[]): Promise<void>` and prints its figures with
 * `report()` (one JSON object per line on stdout). Without a name, lists what exists.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((file) => file.endsWith('.bench.ts'))
  .map((file) => file.slice(0, -'.bench.ts'.length))
  .sort();

const [name, ...args] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  process.stderr.write(
    `${name ? `Unknown benchmark "${name}". ` : ''}Usage: npm run bench -- NAME\nAvailable: ${available.join(', ') || '(none yet)'}\n`,
  );
  process.exit(name ? 2 : 0);
}

const mod = (await import(pathToFileURL(join(here, `${name}.bench.ts`)).href)) as {
  run: (args: string[]) => Promise<void>;
};
await mod.run(args);
