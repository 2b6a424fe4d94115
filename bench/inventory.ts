// `npm run bench -- inventory [--apps 500] [--teams 20] [--seed 1] [--prefix bench] [--concurrency 16] [--rounds 3]
// [--context ferry-source] [--clean]`: Ferry's inventory against a raw paginated LIST of the same types at the same
// concurrency (the physical limit: discovery, then every page fetched and decoded, nothing else), in the same run.
// Generates the synthetic estate first unless it is already there; --clean deletes it afterwards.
import { parseArgs } from 'node:util';
import { mapLimit } from '../activities/concurrency.js';
import { compileOptions, defaultInventoryOptions, type InventoryOptions } from '../activities/inventory/options.js';
import { takeInventory } from '../activities/inventory/take-inventory.js';
import { Cluster } from '../activities/kube/cluster.js';
import { cliEnv } from '../cli/env.js';
import { formatBytes } from '../cli/progress.js';
import { applyEstate, deleteEstate, type EstateTarget, estatePresent } from '../scripts/gen-estate/apply.js';
import { buildEstate } from '../scripts/gen-estate/build.js';

const minObjects = 20_000;

/** Peak RSS while `fn` runs, sampled every 5 ms (maxRSS would also count whatever ran before in this process). */
async function sampled<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number; peakRss: number }> {
  let peakRss = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 5);
  const started = performance.now();
  try {
    const value = await fn();
    const ms = performance.now() - started;
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    return { value, ms, peakRss };
  } finally {
    clearInterval(timer);
  }
}

/** Discovery and every page of every type the inventory lists, decoded and counted, nothing kept. */
async function rawList(target: EstateTarget, options: InventoryOptions): Promise<number> {
  const cluster = Cluster.fromKubeconfig(target.context, target.kubeconfig);
  try {
    const types = (await cluster.discover()).filter(compileOptions(options).typeSelected);
    const counts = await mapLimit(types, options.concurrency, async (t) => {
      let n = 0;
      for await (const _ of cluster.list(t, { pageSize: options.pageSize })) n++;
      return n;
    });
    return counts.reduce((a, b) => a + b, 0);
  } finally {
    cluster.close();
  }
}

async function inventory(target: EstateTarget, options: InventoryOptions) {
  const cluster = Cluster.fromKubeconfig(target.context, target.kubeconfig);
  try {
    return await takeInventory(cluster, options, { now: () => new Date() });
  } finally {
    cluster.close();
  }
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      apps: { type: 'string', default: '500' },
      teams: { type: 'string', default: '20' },
      seed: { type: 'string', default: '1' },
      prefix: { type: 'string', default: 'bench' },
      concurrency: { type: 'string', default: '16' },
      rounds: { type: 'string', default: '3' },
      context: { type: 'string' },
      clean: { type: 'boolean', default: false },
    },
  });
  const env = cliEnv();
  const target: EstateTarget = { context: values.context ?? env.FERRY_SOURCE_CONTEXT ?? 'ferry-source', kubeconfig: env.KUBECONFIG };
  const spec = { prefix: values.prefix, apps: Number(values.apps), teams: Number(values.teams), seed: values.seed };
  const out = (line: string) => process.stdout.write(`${line}\n`);

  if (await estatePresent(target, spec)) out(`estate ${spec.prefix} (${spec.apps} apps, seed ${spec.seed}) already on ${target.context}`);
  else {
    const estate = buildEstate(spec);
    const started = performance.now();
    const { applied } = await applyEstate(target, estate, { concurrency: 32 });
    const s = (performance.now() - started) / 1000;
    out(
      `generated estate ${spec.prefix}: ${estate.apps.length} apps, ${applied} objects in ${s.toFixed(1)}s (${Math.round(applied / s)}/s)`,
    );
  }

  const options: InventoryOptions = { ...defaultInventoryOptions, concurrency: Number(values.concurrency) };
  const rounds = Math.max(1, Number(values.rounds));
  // one unmeasured round of each warms the API server's caches and this process's JIT alike
  await rawList(target, options);
  await inventory(target, options);
  const rawMs: number[] = [];
  const invMs: number[] = [];
  let peakRss = 0;
  let listed = 0;
  let doc: Awaited<ReturnType<typeof inventory>> | undefined;
  for (let r = 0; r < rounds; r++) {
    const raw = await sampled(() => rawList(target, options));
    rawMs.push(raw.ms);
    listed = raw.value;
    const inv = await sampled(() => inventory(target, options));
    invMs.push(inv.ms);
    peakRss = Math.max(peakRss, inv.peakRss);
    doc = inv.value;
  }
  const estateApps = doc?.apps.filter((a) => a.namespace.startsWith(`${spec.prefix}-`)) ?? [];
  const estateObjects = estateApps.reduce((n, a) => n + a.counts.objects, 0);
  const ratio = median(invMs) / median(rawMs);
  out(
    `cluster ${target.context}: ${listed} objects listed in ${doc?.types.length ?? 0} types, concurrency ${options.concurrency}, ${rounds} rounds`,
  );
  out(
    `estate ${spec.prefix}: ${estateApps.length} apps, ${estateObjects} objects${estateObjects < minObjects ? ` (fewer than ${minObjects}: use more --apps)` : ''}`,
  );
  out(`inventory  ${median(invMs).toFixed(0)} ms (median; rounds ${invMs.map((m) => m.toFixed(0)).join(', ')})`);
  out(`raw LIST   ${median(rawMs).toFixed(0)} ms (median; rounds ${rawMs.map((m) => m.toFixed(0)).join(', ')})`);
  out(`ratio      ${ratio.toFixed(2)} (target <= 1.3)`);
  out(
    `peak RSS   ${formatBytes(peakRss)} during inventory (target <= 300 MiB); process maxRSS ${formatBytes(process.resourceUsage().maxRSS * 1024)}`,
  );

  if (values.clean) {
    const { deleted } = await deleteEstate(target, spec.prefix, { wait: false });
    out(`deleted estate ${spec.prefix} (${deleted} namespaces and objects)`);
  }
}
