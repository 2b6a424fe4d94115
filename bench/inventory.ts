// `npm run bench -- inventory [--apps 500] [--teams 20] [--seed 1] [--prefix bench] [--concurrency 16] [--rounds 21]
// [--context ferry-source] [--node-options "..."] [--no-profile] [--discovery-order] [--clean]`: Ferry's inventory
// against a raw paginated LIST of the same types in the same order at the same concurrency (the physical limit:
// discovery, then every page fetched and decoded, nothing kept), in the same run. The inventory builds its model in a
// thread of its own (inventory-thread.ts); the raw LIST decodes on the thread that lists; CPU time counts every thread
// of the process. Generates the synthetic estate first unless it is already there; --clean deletes it after.
// Every measured round runs in a process of its own (after an unmeasured warm-up round, whose time is reported as the
// cold figure), so one round's heap never counts in another's peak RSS. They run with Ferry's process profile
// (activities/process-profile.ts), as the worker and the CLI do, unless --no-profile; --node-options passes more V8
// flags (e.g. a container's heap limit).
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { mapLimit } from '../activities/concurrency.js';
import { listingOrder } from '../activities/inventory/collect.js';
import { compileOptions, defaultInventoryOptions, type InventoryOptions } from '../activities/inventory/options.js';
import { takeInventory } from '../activities/inventory/take-inventory.js';
import { Cluster } from '../activities/kube/cluster.js';
import { allocatorEnv, nodeOptions, profiledEnv, withoutProfile } from '../activities/process-profile.js';
import { cliEnv } from '../cli/env.js';
import { formatBytes } from '../cli/progress.js';
import { applyEstate, deleteEstate, type EstateTarget, estatePresent } from '../scripts/gen-estate/apply.js';
import { buildEstate } from '../scripts/gen-estate/build.js';

const minObjects = 20_000;
const mainModule = fileURLToPath(new URL('./main.ts', import.meta.url));
const launcher = fileURLToPath(new URL('../scripts/launch.mjs', import.meta.url));

type Mode = 'raw' | 'inventory';

interface Round {
  readonly mode: Mode;
  readonly ms: number;
  /** The process's first (unmeasured, warm-up) round: what a one-shot `ferry inventory` does, its code not yet compiled. */
  readonly coldMs: number;
  /** CPU time of the process (all threads) during the round: less at the mercy of the machine's other load. */
  readonly cpuMs: number;
  readonly peakRss: number;
  readonly maxRss: number;
  /** raw: objects listed; inventory: objects in the estate's apps. */
  readonly objects: number;
  readonly apps: number;
  readonly types: number;
}

/** Discovery and every page of every type the inventory lists, decoded and counted, nothing kept. */
async function rawList(
  target: EstateTarget,
  options: InventoryOptions,
  discoveryOrder: boolean,
): Promise<{ objects: number; types: number }> {
  const cluster = Cluster.fromKubeconfig(target.context, target.kubeconfig);
  const selection = compileOptions(options);
  try {
    const types = (await cluster.discover()).types.filter((t) => selection.typeSelected(t));
    // in the order the inventory lists them (the same requests, started in the same order), unless asked otherwise
    const order = discoveryOrder ? types.map((_, i) => i) : listingOrder(types);
    const counts = await mapLimit(order, options.concurrency, async (i) => {
      let n = 0;
      for await (const _ of cluster.list(types[i], { pageSize: options.pageSize })) n++;
      return n;
    });
    return { objects: counts.reduce((a, b) => a + b, 0), types: types.length };
  } finally {
    cluster.close();
  }
}

async function inventory(
  target: EstateTarget,
  options: InventoryOptions,
  prefix: string,
): Promise<{ objects: number; apps: number; types: number }> {
  const cluster = Cluster.fromKubeconfig(target.context, target.kubeconfig);
  try {
    const doc = await takeInventory(cluster, options, { now: () => new Date() });
    const apps = doc.apps.filter((a) => a.namespace.startsWith(`${prefix}-`));
    return { objects: apps.reduce((n, a) => n + a.counts.objects, 0), apps: apps.length, types: doc.types.length };
  } finally {
    cluster.close();
  }
}

/** One warm-up and one measured round of `mode` in this process; RSS sampled every 5 ms during the measured one. */
async function child(mode: Mode, target: EstateTarget, options: InventoryOptions, prefix: string, discoveryOrder: boolean): Promise<Round> {
  const once = () =>
    mode === 'raw' ? rawList(target, options, discoveryOrder).then((r) => ({ ...r, apps: 0 })) : inventory(target, options, prefix);
  const cold = performance.now();
  await once();
  const coldMs = performance.now() - cold;
  let peakRss = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 5);
  const started = performance.now();
  const cpu = process.cpuUsage();
  try {
    const r = await once();
    const ms = performance.now() - started;
    const used = process.cpuUsage(cpu);
    const cpuMs = (used.user + used.system) / 1000;
    return {
      mode,
      ms,
      coldMs,
      cpuMs,
      peakRss: Math.max(peakRss, process.memoryUsage.rss()),
      maxRss: process.resourceUsage().maxRSS * 1024,
      ...r,
    };
  } finally {
    clearInterval(timer);
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
      // a round takes a second or two here but its time varies by a fifth or more between rounds (two cores shared
      // with the API server and etcd, and with whatever else the host runs): medians of 11 moved by ±0.1 in their
      // ratio from run to run, medians of 21 hold stiller
      rounds: { type: 'string', default: '21' },
      context: { type: 'string' },
      'node-options': { type: 'string', default: '' },
      clean: { type: 'boolean', default: false },
      'no-profile': { type: 'boolean', default: false },
      // the raw LIST in discovery order instead of the inventory's (to see what the order is worth)
      'discovery-order': { type: 'boolean', default: false },
      child: { type: 'string' },
    },
  });
  const env = cliEnv();
  const target: EstateTarget = { context: values.context ?? env.FERRY_SOURCE_CONTEXT ?? 'ferry-source', kubeconfig: env.KUBECONFIG };
  const options: InventoryOptions = { ...defaultInventoryOptions, concurrency: Number(values.concurrency) };
  if (values.child === 'raw' || values.child === 'inventory') {
    process.stdout.write(`${JSON.stringify(await child(values.child, target, options, values.prefix, values['discovery-order']))}\n`);
    return;
  }

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

  const execution = promisify(execFile);
  const measure = async (mode: Mode): Promise<Round> => {
    // started as Ferry's processes are (scripts/launch.mjs, with the process profile), or with every default
    const start = values['no-profile'] ? ['--import', 'tsx'] : [launcher];
    const nodeArgs = [...values['node-options'].split(' ').filter(Boolean), ...start, mainModule, 'inventory', '--child', mode];
    const forwarded = [
      '--prefix',
      spec.prefix,
      '--concurrency',
      values.concurrency,
      '--context',
      target.context,
      ...(values['discovery-order'] ? ['--discovery-order'] : []),
    ];
    const { stdout } = await execution(process.execPath, [...nodeArgs, ...forwarded], {
      env: values['no-profile'] ? withoutProfile({ ...process.env, ...env }) : profiledEnv({ ...process.env, ...env }),
      maxBuffer: 1 << 20,
    });
    return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Round;
  };
  const raw: Round[] = [];
  const inv: Round[] = [];
  // rounds alternate, each pair in the order the last pair was not, so a change of load on the machine hits both alike
  for (let r = 0; r < Math.max(1, Number(values.rounds)); r++) {
    if (r % 2 === 0) raw.push(await measure('raw'));
    inv.push(await measure('inventory'));
    if (r % 2 === 1) raw.push(await measure('raw'));
  }
  const ms = (rounds: Round[]) => rounds.map((x) => x.ms.toFixed(0)).join(', ');
  const objects = inv[0].objects;
  out(
    `cluster ${target.context}: ${raw[0].objects} objects listed in ${raw[0].types} types, concurrency ${options.concurrency}, ${raw.length} rounds, ${
      values['no-profile']
        ? "Node's and glibc's defaults"
        : `process profile (${nodeOptions.join(' ')}, ${Object.entries(allocatorEnv)
            .map(([k, v]) => `${k}=${v}`)
            .join(' ')})`
    }${values['node-options'] ? `, node ${values['node-options']}` : ''}`,
  );
  out(
    `estate ${spec.prefix}: ${inv[0].apps} apps, ${objects} objects${objects < minObjects ? ` (fewer than ${minObjects}: use more --apps)` : ''}`,
  );
  out(`inventory  ${median(inv.map((x) => x.ms)).toFixed(0)} ms (median; rounds ${ms(inv)})`);
  out(
    `raw LIST   ${median(raw.map((x) => x.ms)).toFixed(0)} ms (median; rounds ${ms(raw)}; ${values['discovery-order'] ? 'discovery' : "the inventory's"} order)`,
  );
  out(`ratio      ${(median(inv.map((x) => x.ms)) / median(raw.map((x) => x.ms))).toFixed(2)} (target <= 1.3)`);
  // the same, round by round: each inventory against the raw LIST measured next to it, under the same load
  const pairs = inv.map((x, r) => x.ms / raw[r].ms).sort((a, b) => a - b);
  const quartile = (q: number) => pairs[Math.min(pairs.length - 1, Math.floor(q * pairs.length))].toFixed(2);
  out(`per round  ${median(pairs).toFixed(2)} (median of each round's ratio; middle half ${quartile(0.25)}–${quartile(0.75)})`);
  const cold = (rounds: Round[]) => median(rounds.map((x) => x.coldMs));
  out(
    `cold       inventory ${cold(inv).toFixed(0)} ms, raw LIST ${cold(raw).toFixed(0)} ms, ratio ${(cold(inv) / cold(raw)).toFixed(2)} (medians of each process's first, unmeasured round)`,
  );
  const cpu = (rounds: Round[]) => median(rounds.map((x) => x.cpuMs));
  out(
    `CPU time   inventory ${cpu(inv).toFixed(0)} ms, raw LIST ${cpu(raw).toFixed(0)} ms (medians; this process only: the API server's work is not in it)`,
  );
  const peak = (rounds: Round[]) => formatBytes(Math.max(...rounds.map((x) => x.peakRss)));
  out(
    `peak RSS   inventory ${peak(inv)} (target <= 300 MiB), raw LIST ${peak(raw)}; process maxRSS inventory ${formatBytes(Math.max(...inv.map((x) => x.maxRss)))}`,
  );

  if (values.clean) {
    const { deleted } = await deleteEstate(target, spec.prefix, { wait: false });
    out(`deleted estate ${spec.prefix} (${deleted} namespaces and objects)`);
  }
}
