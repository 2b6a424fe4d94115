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

export async function applyObjects(cluster: Cluster, objects: readonly KubeObject[], opts: ApplyOptions): Promise<RestoreEntry[]> {
  const entries: RestoreEntry[] = [];
  // in a dry run nothing is created, so objects in a namespace the same run would create cannot be checked by the server
  const namespacesCreatedHere = new Set<string>();
  let done = 0;
  for (const obj of objects) {
    const object = describeObject(obj);
    const key = { apiVersion: obj.apiVersion, kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name };
    try {
      const live = await cluster.get(key);
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
