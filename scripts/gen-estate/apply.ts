// Puts a built estate on a cluster (server-side apply, a bounded number of objects at once, phase by phase, the way
// the tools would have), finds whether it is already there, and deletes everything it made.
import { setTimeout as delay } from 'node:timers/promises';
import { mapLimit } from '../../activities/concurrency.js';
import { Cluster } from '../../activities/kube/cluster.js';
import { ClusterUnreachable, KubeApiError } from '../../activities/kube/errors.js';
import { waitFor } from '../../activities/restore/wait.js';
import { type Estate, type EstateSpec, estateLabel, type Phase, type PlannedObject, tillerNamespace } from './build.js';

export interface EstateTarget {
  readonly context: string;
  /** Default: the kubeconfig loading rules (KUBECONFIG). */
  readonly kubeconfig?: string;
}

const phases: readonly Phase[] = ['cluster', 'namespaces', 'config', 'workloads', 'records'];
/** Where the marker that says "this estate is complete" lives: a system namespace, so it is in no inventory. */
const markerNamespace = 'kube-public';
const markerName = (prefix: string) => `ferry-estate-${prefix}`;

function open(target: EstateTarget): Cluster {
  return Cluster.fromKubeconfig(target.context, target.kubeconfig);
}

function describe(o: PlannedObject['object']): string {
  return `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
}

/** Transient answers (overload, restarts, a namespace still terminating from an earlier delete) are retried. */
async function withRetry<T>(what: string, fn: () => Promise<T>, attempts = 10): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      const transient =
        e instanceof ClusterUnreachable ||
        (e instanceof KubeApiError && ([409, 429, 500, 502, 503, 504].includes(e.status) || /being terminated/.test(e.message)));
      if (!transient || attempt >= attempts) {
        throw new Error(`${what}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
      }
      await delay(Math.min(200 * 2 ** attempt, 5_000));
    }
  }
}

function writeStatuses(cluster: Cluster, planned: readonly PlannedObject[], concurrency: number): Promise<unknown> {
  // no cloud controller runs here: the generator writes the address a cloud load balancer would have reported
  return mapLimit(
    planned.filter((p) => p.status),
    concurrency,
    (p) =>
      withRetry(`status of ${describe(p.object)}`, () =>
        cluster.mergePatch({ ...p.object, ...p.object.metadata }, { status: p.status }, 'status'),
      ),
  );
}

/** The custom resources' types are served (a fresh client each time: the port caches what a group serves). */
async function waitServed(target: EstateTarget, estate: Estate, timeoutMs: number): Promise<void> {
  const custom = estate.objects
    .filter((p) => p.object.kind === 'CustomResourceDefinition')
    .map((p) => {
      const spec = p.object.spec as { group: string; names: { kind: string } };
      return { apiVersion: `${spec.group}/v1`, kind: spec.names.kind };
    });
  await waitFor(
    `custom resource types of estate ${estate.spec.prefix} served`,
    async () => {
      const probe = open(target);
      try {
        for (const c of custom) if (!(await probe.resolve(c.apiVersion, c.kind))) return undefined;
        return true;
      } finally {
        probe.close();
      }
    },
    timeoutMs,
  );
}

async function waitNotTerminating(cluster: Cluster, estate: Estate, timeoutMs: number): Promise<void> {
  await waitFor(
    `namespaces of estate ${estate.spec.prefix} done terminating`,
    async () => {
      for (const ns of estate.namespaces) {
        const live = (await cluster.get({ apiVersion: 'v1', kind: 'Namespace', name: ns })) as { status?: { phase?: string } } | undefined;
        if (live?.status?.phase === 'Terminating') return undefined;
      }
      return true;
    },
    timeoutMs,
  );
}

export interface ApplyOptions {
  readonly concurrency?: number;
  readonly timeoutMs?: number;
  readonly onProgress?: (applied: number, total: number) => void;
}

export async function applyEstate(target: EstateTarget, estate: Estate, opts: ApplyOptions = {}): Promise<{ applied: number }> {
  const concurrency = opts.concurrency ?? 24;
  const timeoutMs = opts.timeoutMs ?? 300_000;
  const cluster = open(target);
  let applied = 0;
  try {
    await waitNotTerminating(cluster, estate, timeoutMs);
    for (const phase of phases) {
      if (phase === 'workloads') await waitServed(target, estate, timeoutMs);
      const batch = estate.objects.filter((p) => p.phase === phase);
      await mapLimit(batch, concurrency, async (p) => {
        await withRetry(`apply ${describe(p.object)}`, () => cluster.apply(p.object, { fieldManager: p.manager }));
        if (++applied % 250 === 0) opts.onProgress?.(applied, estate.objects.length);
      });
      if (phase === 'config') await writeStatuses(cluster, batch, concurrency);
    }
    opts.onProgress?.(applied, estate.objects.length);
    await cluster.apply(
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: markerName(estate.spec.prefix), namespace: markerNamespace, labels: { [estateLabel]: estate.spec.prefix } },
        data: { spec: JSON.stringify(estate.spec), objects: String(estate.objects.length) },
      },
      { fieldManager: 'ferry-gen-estate' },
    );
    return { applied };
  } finally {
    cluster.close();
  }
}

/** True when this very estate (same spec) was applied completely and its namespaces are still there. */
export async function estatePresent(target: EstateTarget, spec: EstateSpec): Promise<boolean> {
  const cluster = open(target);
  try {
    const marker = (await cluster.get({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: markerNamespace,
      name: markerName(spec.prefix),
    })) as { data?: { spec?: string } } | undefined;
    if (marker?.data?.spec !== JSON.stringify(spec)) return false;
    const nsType = await cluster.resolve('v1', 'Namespace');
    if (!nsType) return false;
    let active = 0;
    for await (const ns of cluster.list(nsType, { labelSelector: `${estateLabel}=${spec.prefix}` })) {
      if ((ns as { status?: { phase?: string } }).status?.phase === 'Active') active++;
    }
    return active > 0;
  } finally {
    cluster.close();
  }
}

// What an estate makes outside its namespaces, all labelled with the estate.
const labelledOutside: readonly { apiVersion: string; kind: string; namespace?: string }[] = [
  { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole' },
  { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass' },
  { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass' },
  // estates of earlier versions of this generator brought their own service range
  { apiVersion: 'networking.k8s.io/v1', kind: 'ServiceCIDR' },
  { apiVersion: 'v1', kind: 'ConfigMap', namespace: tillerNamespace },
  { apiVersion: 'v1', kind: 'ConfigMap', namespace: markerNamespace },
];

/** Deletes every namespace and outside object labelled with the estate's prefix; with `wait`, until the namespaces are gone. */
export async function deleteEstate(
  target: EstateTarget,
  prefix: string,
  opts: { concurrency?: number; wait?: boolean; timeoutMs?: number } = {},
): Promise<{ deleted: number }> {
  const cluster = open(target);
  const selector = `${estateLabel}=${prefix}`;
  let deleted = 0;
  try {
    const nsType = await cluster.resolve('v1', 'Namespace');
    const namespaces: string[] = [];
    if (nsType) for await (const ns of cluster.list(nsType, { labelSelector: selector })) namespaces.push(ns.metadata.name);
    await mapLimit(namespaces.sort(), opts.concurrency ?? 24, async (name) => {
      if (await withRetry(`delete Namespace ${name}`, () => cluster.delete({ apiVersion: 'v1', kind: 'Namespace', name }))) deleted++;
    });
    for (const t of labelledOutside) {
      const type = await cluster.resolve(t.apiVersion, t.kind);
      if (!type) continue;
      const found: { name: string; namespace?: string }[] = [];
      for await (const o of cluster.list(type, { labelSelector: selector, namespace: t.namespace }))
        found.push({ name: o.metadata.name, namespace: o.metadata.namespace });
      await mapLimit(found, opts.concurrency ?? 24, async (o) => {
        if (await withRetry(`delete ${t.kind} ${o.name}`, () => cluster.delete({ apiVersion: t.apiVersion, kind: t.kind, ...o })))
          deleted++;
      });
    }
    if (opts.wait && nsType) {
      await waitFor(
        `namespaces of estate ${prefix} gone`,
        async () => {
          for await (const _ of cluster.list(nsType, { labelSelector: selector, pageSize: 1 })) return undefined;
          return true;
        },
        opts.timeoutMs ?? 300_000,
      );
    }
    return { deleted };
  } finally {
    cluster.close();
  }
}
