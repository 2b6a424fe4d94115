// `ferry restore`: restores one app's backup onto a target through a workflow, or (--dry-run) shows,
// with the API server's own dry run, what it would create or change and which transforms apply.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { Cluster } from '../../activities/kube/cluster.js';
import { applyObjects, countEntries } from '../../activities/restore/apply-objects.js';
import { findBackup } from '../../activities/restore/backup-catalog.js';
import { readManifests } from '../../activities/restore/backup-reader.js';
import { prepareRestore } from '../../activities/restore/pipeline.js';
import { preflight } from '../../activities/restore/preflight.js';
import { gatherTargetFacts } from '../../activities/restore/target-facts.js';
import { openStore } from '../../activities/stores/open-store.js';
import { canonicalStoreUrl } from '../../activities/stores/store-url.js';
import { ConfigError } from '../../config/load.js';
import { parseRestoreTransforms, type RestoreTransformConfig } from '../../config/restore.js';
import { workerDeps } from '../../workers/deps.js';
import { controlTaskQueue } from '../../workflows/ids.js';
import { type RestoreWorkflowInput, restoreWorkflowId } from '../../workflows/restore.js';
import type { AppResult, ExistingObjectPolicy, NamespacePolicy, RestoreMode, RestoreSummary } from '../../workflows/types.js';
import { temporalUiLink } from '../env.js';
import type { Io } from '../io.js';
import { checkClusters } from '../preflight.js';
import { connectClient } from '../temporal.js';
import { UsageError } from './usage-error.js';

function pairs(flag: string, value: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (value ?? '').split(',').filter(Boolean)) {
    const [k, v, ...rest] = part.split('=');
    if (!k || v === undefined || rest.length > 0) throw new UsageError(`--${flag}: "${part}" is not from=to`);
    out[k] = v;
  }
  return out;
}

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`--${flag}: "${value}" is not one of ${allowed.join(', ')}`);
  return value as T;
}

/** A YAML file of restore transforms (registry map, labels, annotations, Ingress hosts, JSON patches). */
export function loadTransforms(path: string): RestoreTransformConfig {
  const parsed = parseRestoreTransforms(parseYaml(readFileSync(path, 'utf8')));
  if (!parsed.ok) throw new ConfigError(path, parsed.issues);
  return parsed.config;
}

export function parseRestoreArgs(args: string[]): { input: RestoreWorkflowInput; dryRun: boolean; wait: boolean; taskQueue?: string } {
  const { values } = parseArgs({
    args,
    options: {
      store: { type: 'string' },
      campaign: { type: 'string' },
      app: { type: 'string' },
      backup: { type: 'string', default: 'latest' },
      target: { type: 'string' },
      'namespace-map': { type: 'string' },
      'storage-class-map': { type: 'string' },
      mode: { type: 'string' },
      existing: { type: 'string' },
      'existing-namespaces': { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      wait: { type: 'boolean', default: false },
      'task-queue': { type: 'string' },
      transforms: { type: 'string' },
    },
  });
  for (const required of ['store', 'campaign', 'app', 'target'] as const) {
    if (!values[required]) throw new UsageError(`--${required} is required`);
  }
  const [namespace, app, ...extra] = String(values.app).split('/');
  if (!namespace || !app || extra.length > 0) throw new UsageError(`--app: "${values.app}" is not namespace/app`);
  return {
    input: {
      storeUrl: String(values.store),
      campaign: String(values.campaign),
      namespace,
      app,
      backupId: String(values.backup),
      target: String(values.target),
      namespaceMap: pairs('namespace-map', values['namespace-map']),
      storageClassMap: pairs('storage-class-map', values['storage-class-map']),
      restore: {
        mode: oneOf<RestoreMode>('mode', values.mode, ['full', 'manifests-only', 'data-only'], 'full'),
        existingObjects: oneOf<ExistingObjectPolicy>('existing', values.existing, ['skip', 'update', 'fail'], 'update'),
        existingNamespaces: oneOf<NamespacePolicy>('existing-namespaces', values['existing-namespaces'], ['merge', 'fail'], 'merge'),
        ...(values.transforms ? { transforms: loadTransforms(values.transforms) } : {}),
      },
    },
    dryRun: values['dry-run'] ?? false,
    wait: values.wait ?? false,
    taskQueue: values['task-queue'],
  };
}

/** The dry run: nothing is written; every object's fate and every transform are printed. Exit 0 when it would succeed. */
export async function dryRunRestore(input: RestoreWorkflowInput, env: NodeJS.ProcessEnv, io: Io): Promise<number> {
  const store = openStore(input.storeUrl, { env });
  const { ref } = await findBackup(store, input, input.backupId);
  const { doc } = await readManifests(store, ref, { keys: workerDeps(env).encryption });
  const cluster = Cluster.fromKubeconfig(input.target, env.KUBECONFIG);
  try {
    const prepared = prepareRestore(
      doc.objects,
      { ...input, transforms: input.restore.transforms },
      new Set(await cluster.servedGroupVersions()),
    );
    io.out(`dry run: ${input.namespace}/${input.app} backup ${ref.backupId} onto ${input.target} (mode ${input.restore.mode})`);
    const facts = await gatherTargetFacts(cluster, prepared.ordered, () => undefined);
    const problems = preflight(
      {
        original: doc.objects,
        transformed: prepared.ordered,
        storageClassMap: input.storageClassMap,
        namespacePolicy: input.restore.existingNamespaces,
        checkNamespaces: input.restore.mode !== 'data-only',
      },
      facts,
    );
    io.out(problems.length === 0 ? 'preflight: ok' : `preflight: ${problems.length} problem(s)`);
    for (const p of problems) io.out(`  [${p.check}] ${p.message}${p.objects.length ? `: ${p.objects.join(', ')}` : ''}`);
    const entries =
      input.restore.mode === 'data-only'
        ? []
        : await applyObjects(cluster, prepared.ordered, { policy: input.restore.existingObjects, dryRun: true });
    for (const e of entries) {
      io.out(
        `  ${e.action.padEnd(9)} ${e.object}${e.paths?.length ? `  (${e.paths.slice(0, 8).join(', ')})` : ''}${e.reason ? `  ${e.reason}` : ''}`,
      );
    }
    if (prepared.changes.length + prepared.dropped.length > 0) io.out('transforms:');
    for (const c of prepared.changes) {
      const where = `${c.ref.kind} ${c.ref.namespace ? `${c.ref.namespace}/` : ''}${c.ref.name}`;
      io.out(`  ${where}: ${c.transform}${c.reason ? ` (${c.reason})` : ''}: ${c.patches.map((p) => `${p.op} ${p.path}`).join(', ')}`);
    }
    for (const d of prepared.dropped)
      io.out(`  ${d.ref.kind} ${d.ref.namespace ?? ''}/${d.ref.name}: dropped by ${d.transform}: ${d.reason}`);
    const counts = countEntries(entries);
    io.out(
      `would: ${counts.created} create, ${counts.changed} change, ${counts.unchanged} leave unchanged, ${counts.skipped} skip, ${counts.failed} fail`,
    );
    return problems.length === 0 && counts.failed === 0 ? 0 : 1;
  } finally {
    cluster.close();
  }
}

/** The restore's counts and where its report is: the store URL (never with credentials) and the key. */
export function reportLines(storeUrl: string, restore: RestoreSummary | undefined): string[] {
  if (!restore) return [];
  const lines = [
    `objects: ${restore.created} created, ${restore.changed} changed, ${restore.unchanged} unchanged, ${restore.skipped} skipped, ${restore.failed} failed`,
  ];
  const url = canonicalStoreUrl(storeUrl);
  if (restore.reportKey) lines.push(`report: ${url} ${restore.reportKey}`, `  ferry restore report '${url}' ${restore.reportKey}`);
  else if (restore.reportError) lines.push(`report: not written: ${restore.reportError}`);
  return lines;
}

export async function runRestore(args: string[], env: NodeJS.ProcessEnv, io: Io): Promise<number> {
  const { input, dryRun, wait, taskQueue } = parseRestoreArgs(args);
  await checkClusters([input.target], env.KUBECONFIG);
  if (dryRun) return dryRunRestore(input, env, io);
  const { client, close } = await connectClient(env);
  try {
    const workflowId = restoreWorkflowId(input);
    const handle = await client.workflow.start('restoreWorkflow', { taskQueue: taskQueue ?? controlTaskQueue, workflowId, args: [input] });
    io.out(`started ${workflowId}`);
    io.out(`Temporal UI: ${temporalUiLink(env, workflowId)}`);
    if (!wait) return 0;
    const result: AppResult = await handle.result();
    io.out(`${result.id}: ${result.status}, ${result.objects} objects verified, ${result.volumes} volumes (${result.files} files)`);
    for (const p of result.problems ?? []) io.out(`  ${p.object}: ${p.reason}`);
    for (const line of reportLines(input.storeUrl, result.restore)) io.out(line);
    return result.status === 'Succeeded' ? 0 : 1;
  } finally {
    await close();
  }
}
