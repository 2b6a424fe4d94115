// `npm run bench -- <name> [options]`: runs bench/<name>.ts, which prints its figures and their ratio
// to a baseline measured in the same run, on the local stack. Benchmarks report; tests assert.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
// a benchmark is a module exporting run(args); helpers beside them are named with a leading '_'
const available = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'main.ts' && !f.startsWith('_'))
  .map((f) => f.slice(0, -3))
  .sort();

const [name, ...args] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  process.stderr.write(`usage: npm run bench -- ${available.join(' | ') || '<name>'} [options]\n`);
  process.exitCode = 2;
} else {
  const mod = (await import(`./${name}.js`)) as { run?: (args: string[]) => Promise<void> };
  if (!mod.run) throw new Error(`bench/${name}.ts exports no run(args)`);
  await mod.run(args);
}
