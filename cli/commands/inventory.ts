// `ferry inventory --context CTX [--json | --table] [filters]`: what really runs on a cluster, grouped into apps;
// `ferry inventory diff A.json B.json [--json] [--exit-code]`: what changed between two inventories.
import { readFile } from 'node:fs/promises';
import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';
import { diffInventories, type InventoryDiff } from '../../activities/inventory/diff.js';
import { defaultInventoryOptions, InvalidInventoryOption, type InventoryOptions } from '../../activities/inventory/options.js';
import { takeInventory } from '../../activities/inventory/take-inventory.js';
import { Cluster } from '../../activities/kube/cluster.js';
import { type InventoryDocument, parseInventory } from '../../config/inventory.js';
import type { Io } from '../io.js';
import { formatBytes } from '../progress.js';

export const inventoryUsage = `  ferry inventory --context CTX [--json | --table] [-n GLOB]... [--exclude-namespace GLOB]... [-l SELECTOR]
        [--app-selector SELECTOR] [--include-type T]... [--exclude-type T]... [--include-system] [--system-namespace NS]...
        [--team-key KEY]... [--tiller-namespace NS] [--concurrency N] [--kubeconfig FILE]
                                                   what runs on a cluster, grouped into apps (table, or the JSON document)
  ferry inventory diff A.json B.json [--json] [--exit-code]
                                                   apps and objects added, removed and changed between two inventories`;

/** Bad input to `ferry inventory`: exit code 2, the message names the option or file. */
export class InventoryUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InventoryUsageError';
  }
}

export async function runInventory(args: string[], env: NodeJS.ProcessEnv, io: Io): Promise<number> {
  try {
    return args[0] === 'diff' ? await runDiff(args.slice(1), io) : await runTake(args, env, io);
  } catch (e) {
    if (e instanceof InventoryUsageError || e instanceof InvalidInventoryOption) {
      io.err(`ferry inventory: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

function parse<T extends ParseArgsOptionsConfig>(args: string[], options: T) {
  try {
    return parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>({
      args,
      options,
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    throw new InventoryUsageError(e instanceof Error ? e.message : String(e));
  }
}

function wholeNumber(option: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n)) throw new InventoryUsageError(`--${option}: "${text}" is not a whole number`);
  return n;
}

async function runTake(args: string[], env: NodeJS.ProcessEnv, io: Io): Promise<number> {
  const { values, positionals } = parse(args, {
    context: { type: 'string', short: 'c' },
    json: { type: 'boolean', default: false },
    table: { type: 'boolean', default: false },
    namespace: { type: 'string', short: 'n', multiple: true },
    'exclude-namespace': { type: 'string', multiple: true },
    selector: { type: 'string', short: 'l' },
    'app-selector': { type: 'string' },
    'include-type': { type: 'string', multiple: true },
    'exclude-type': { type: 'string', multiple: true },
    'include-system': { type: 'boolean', default: false },
    'system-namespace': { type: 'string', multiple: true },
    'team-key': { type: 'string', multiple: true },
    'tiller-namespace': { type: 'string' },
    concurrency: { type: 'string' },
    kubeconfig: { type: 'string' },
  });
  if (positionals.length > 0) throw new InventoryUsageError(`unexpected argument "${positionals[0]}"\n${inventoryUsage}`);
  if (!values.context) throw new InventoryUsageError(`--context is required\n${inventoryUsage}`);
  if (values.json && values.table) throw new InventoryUsageError('--json and --table exclude each other');
  const d = defaultInventoryOptions;
  const options: InventoryOptions = {
    ...d,
    includeNamespaces: values.namespace ?? d.includeNamespaces,
    excludeNamespaces: values['exclude-namespace'] ?? d.excludeNamespaces,
    systemNamespaces: [...d.systemNamespaces, ...(values['system-namespace'] ?? [])],
    includeSystemNamespaces: values['include-system'] ?? false,
    namespaceSelector: values.selector,
    appSelector: values['app-selector'],
    includeTypes: values['include-type'] ?? [],
    excludeTypes: values['exclude-type'] ?? [],
    teamKeys: values['team-key'] ?? d.teamKeys,
    tillerNamespace: values['tiller-namespace'] ?? d.tillerNamespace,
    concurrency: wholeNumber('concurrency', values.concurrency, d.concurrency),
  };
  const cluster = Cluster.fromKubeconfig(values.context, values.kubeconfig ?? env.KUBECONFIG);
  try {
    const doc = await takeInventory(cluster, options, {
      now: () => new Date(),
      onProgress: (listed) => io.progress(`${values.context}: ${listed} objects listed`),
    });
    if (values.json) io.out(JSON.stringify(doc, null, 2));
    else for (const line of inventoryTable(doc)) io.out(line);
    return 0;
  } finally {
    cluster.close();
  }
}

function columns(rows: readonly (readonly string[])[], rightAligned: ReadonlySet<number>): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) =>
    r
      .map((cell, i) => (rightAligned.has(i) ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd(),
  );
}

/** The table a person reads: one line per app, then totals and the cluster-level warnings. Pure. */
export function inventoryTable(doc: InventoryDocument): string[] {
  const rows = doc.apps.map((a) => [
    a.id,
    a.team,
    a.gitops.status === 'partial' ? `${a.mechanism} (partial)` : a.mechanism,
    a.stateful ? 'yes' : 'no',
    a.volumes.length > 0 ? `${a.volumes.length} · ${formatBytes(a.capacityBytes)}` : '-',
    String(a.counts.objects),
    a.warnings.length > 0 ? String(a.warnings.length) : '-',
  ]);
  const s = doc.summary;
  const lines = columns([['APP', 'TEAM', 'MECHANISM', 'STATEFUL', 'VOLUMES', 'OBJECTS', 'WARNINGS'], ...rows], new Set([5, 6]));
  const mechanisms = Object.entries(s.byMechanism)
    .map(([m, n]) => `${m} ${n}`)
    .join(', ');
  lines.push(
    '',
    `${doc.cluster.context} (${doc.cluster.version}): ${s.apps} apps of ${s.teams} teams in ${s.namespaces} namespaces; ${s.objects} objects, ${formatBytes(s.bytes)}; volumes ${formatBytes(s.capacityBytes)}${mechanisms ? `; ${mechanisms}` : ''}`,
  );
  const appWarnings = doc.apps.reduce((n, a) => n + a.warnings.length, 0);
  if (appWarnings > 0) lines.push(`${appWarnings} app warnings: see --json (apps[].warnings)`);
  for (const w of doc.warnings) lines.push(`warning: ${w}`);
  return lines;
}

async function readInventory(file: string): Promise<InventoryDocument> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new InventoryUsageError(`${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InventoryUsageError(`${file}: not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  const parsed = parseInventory(json);
  if (!parsed.ok) {
    const problems = parsed.issues.slice(0, 10).map((i) => `  ${i.path.join('.') || '(document)'}: ${i.message}`);
    throw new InventoryUsageError(`${file}: not an inventory document:\n${problems.join('\n')}`);
  }
  return parsed.inventory;
}

async function runDiff(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {
    json: { type: 'boolean', default: false },
    'exit-code': { type: 'boolean', default: false },
  });
  if (positionals.length !== 2) throw new InventoryUsageError(`diff needs two inventory files\n${inventoryUsage}`);
  const [a, b] = await Promise.all(positionals.map(readInventory));
  const diff = diffInventories(a, b);
  if (values.json) io.out(JSON.stringify(diff, null, 2));
  else for (const line of diffLines(diff, a, b)) io.out(line);
  return values['exit-code'] && !diff.same ? 1 : 0;
}

/** The diff as a person reads it: `+` added, `-` removed, `~` changed. Pure. */
export function diffLines(diff: InventoryDiff, a: InventoryDocument, b: InventoryDocument): string[] {
  const header = `${a.cluster.context} ${a.takenAt} → ${b.cluster.context} ${b.takenAt}`;
  if (diff.same) return [header, 'no differences'];
  const lines = [header, `apps: +${diff.added.length} -${diff.removed.length} ~${diff.changed.length}`];
  for (const x of diff.added) lines.push(`+ ${x.id}  (${x.team}, ${x.mechanism}, ${x.objects} objects)`);
  for (const x of diff.removed) lines.push(`- ${x.id}  (${x.team}, ${x.mechanism}, ${x.objects} objects)`);
  for (const c of diff.changed) {
    lines.push(`~ ${c.id}`);
    for (const f of c.fields) {
      if ('before' in f) lines.push(`    ${f.field}: ${f.before} → ${f.after}`);
      else lines.push(`    ${f.field}: ${[...f.added.map((x) => `+${x}`), ...f.removed.map((x) => `-${x}`)].join(' ')}`);
    }
    const o = c.objects;
    if (o.added.length + o.removed.length + o.changed.length > 0) {
      lines.push(
        `    objects: ${[...o.added.map((x) => `+${x}`), ...o.removed.map((x) => `-${x}`), ...o.changed.map((x) => `~${x}`)].join(' ')}`,
      );
    }
  }
  return lines;
}
