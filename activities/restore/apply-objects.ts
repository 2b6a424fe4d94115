// Applies a restore's objects in order with server-side apply (or its dry run), deciding for each
// existing object by policy, and reports what happened to every object: partial failure is data.
import type { Cluster } from '../kube/cluster.js';
import { KubeApiError } from '../kube/errors.js';
import type { KubeObject } from '../kube/object.js';
import { decide, type ExistingObjectPolicy, fieldManager } from './existing-objects.js';
import { asStored, differences } from './object-digest.js';

export type EntryAction = 'created' | 'changed' | 'unchanged' | 'skipped' | 'failed';

export interface RestoreEntry {
  /** `Kind namespace/name` as the target knows it. */
  readonly object: string;
  readonly action: EntryAction;
  /** Fields the apply changes (or would change), as JSON pointers. */
  readonly paths?: readonly string[];
  readonly reason?: string;
}

export interface ApplyOptions {
  readonly policy: ExistingObjectPolicy;
  readonly dryRun?: boolean;
  readonly onProgress?: (done: number) => void;
}

export const describeObject = (o: KubeObject) => `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;

/** Errors the API server gives for this object alone: the object fails, the restore goes on. */
function objectError(e: unknown): string | undefined {
  if (e instanceof KubeApiError && [400, 403, 404, 409, 422].includes(e.status))
    return `${e.status} ${e.reason}: ${e.message.split(': ').slice(2).join(': ') || e.message}`;
  return undefined;
}

const keyOf = (apiVersion: string, kind: string, namespace: string | undefined, name: string) =>
  `${apiVersion}/${kind}/${namespace ?? ''}/${name}`;

/**
 * What already exists on the target, read with one LIST per type and namespace instead of one GET per
 * object (a namespace that does not exist yet costs one GET): a restore of thousands of objects stays
 * close to the cost of the applies themselves.
 */
async function prefetch(cluster: Cluster, objects: readonly KubeObject[]): Promise<(o: KubeObject) => Promise<KubeObject | undefined>> {
  const live = new Map<string, KubeObject>();
  const listed = new Set<string>();
  const namespaces = [...new Set(objects.map((o) => o.metadata.namespace).filter((n): n is string => Boolean(n)))].sort();
  for (const ns of namespaces) {
    if (!(await cluster.get({ apiVersion: 'v1', kind: 'Namespace', name: ns }))) {
      for (const o of objects) if (o.metadata.namespace === ns) listed.add(`${o.apiVersion}/${o.kind}/${ns}`);
      continue;
    }
    for (const gvk of [...new Set(objects.filter((o) => o.metadata.namespace === ns).map((o) => `${o.apiVersion}\0${o.kind}`))].sort()) {
      const [apiVersion, kind] = gvk.split('\0');
      const type = await cluster.resolve(apiVersion, kind);
      if (!type) continue;
      for await (const item of cluster.list(type, { namespace: ns })) live.set(keyOf(apiVersion, kind, ns, item.metadata.name), item);
      listed.add(`${apiVersion}/${kind}/${ns}`);
    }
  }
  return async (o) => {
    const ns = o.metadata.namespace;
    if (ns && listed.has(`${o.apiVersion}/${o.kind}/${ns}`)) return live.get(keyOf(o.apiVersion, o.kind, ns, o.metadata.name));
    return cluster.get({ apiVersion: o.apiVersion, kind: o.kind, namespace: ns, name: o.metadata.name });
  };
}

export async function applyObjects(cluster: Cluster, objects: readonly KubeObject[], opts: ApplyOptions): Promise<RestoreEntry[]> {
  const entries: RestoreEntry[] = [];
  const liveOf = await prefetch(cluster, objects);
  // in a dry run nothing is created, so objects in a namespace the same run would create cannot be checked by the server
  const namespacesCreatedHere = new Set<string>();
  let done = 0;
  for (const obj of objects) {
    const object = describeObject(obj);
    try {
      const live = await liveOf(obj);
      const decision = decide(live, opts.policy);
      if (decision.action === 'skip') entries.push({ object, action: 'skipped', reason: decision.reason });
      else if (decision.action === 'fail') entries.push({ object, action: 'failed', reason: decision.reason });
      else if (opts.dryRun && obj.metadata.namespace && namespacesCreatedHere.has(obj.metadata.namespace)) {
        entries.push({ object, action: 'created', reason: 'in a namespace this restore creates' });
      } else {
        await cluster.apply(obj, { fieldManager, force: true, dryRun: opts.dryRun });
        if (!live) {
          entries.push({ object, action: 'created' });
          if (obj.kind === 'Namespace' && obj.apiVersion === 'v1') namespacesCreatedHere.add(obj.metadata.name);
        } else {
          const paths = differences(asStored(obj), live);
          entries.push(paths.length === 0 ? { object, action: 'unchanged' } : { object, action: 'changed', paths });
        }
      }
    } catch (e) {
      const reason = objectError(e);
      if (reason === undefined) throw e;
      entries.push({ object, action: 'failed', reason });
    }
    opts.onProgress?.(++done);
  }
  return entries;
}

export function countEntries(entries: readonly RestoreEntry[]): Record<EntryAction, number> {
  const counts: Record<EntryAction, number> = { created: 0, changed: 0, unchanged: 0, skipped: 0, failed: 0 };
  for (const e of entries) counts[e.action]++;
  return counts;
}
