// `npm run bench -- <name> [args]`: each benchmark prints its figures and their ratio to a baseline
// measured in the same run, on the local stack. Benchmarks are not tests: they report, they do not assert.
type Bench = (args: string[]) => Promise<void>;

const benches: Record<string, () => Promise<Bench>> = {
  inventory: async () => (await import('./inventory.js')).run,
  backup: async () => (await import('./backup.js')).run,
  restore: async () => (await import('./restore.js')).run,
};

const [name, ...args] = process.argv.slice(2);
const load = name ? benches[name] : undefined;
if (!load) {
  process.stderr.write(`usage: npm run bench -- ${Object.keys(benches).join(' | ')} [options]\n`);
  process.exitCode = 2;
} else {
  await (await load())(args);
}
