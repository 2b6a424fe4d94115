// Lists a cluster for the inventory: every selected type, page by page, a bounded number of types at once, each page
// handed to a ListingSink (inventory-builder.ts) as it comes, while the next one is already requested: a listing
// holds a page or two of bytes per type, never a type's objects. A type the identity may not list (or that fails)
// is a warning and the rest goes on; an unreachable cluster is an error.
import { mapLimit } from '../concurrency.js';
import type { Cluster, ResourceType } from '../kube/cluster.js';
import { KubeApiError } from '../kube/errors.js';
import { isEarlyType, type ListingSink } from './inventory-builder.js';

const typeName = (t: ResourceType) => `${t.plural}${t.group ? `.${t.group}` : ''}`;

// The types a cluster usually has the most objects of, most first: a type's pages come one after the other (each
// needs the last one's continue token), so the longest chains are started first, not behind dozens of short ones.
const numerous = ['ConfigMap', 'Secret', 'Pod', 'ReplicaSet', 'EndpointSlice', 'Endpoints', 'ServiceAccount', 'RoleBinding', 'Role'];
const numerousRank = (t: ResourceType) => {
  const i = t.group === '' || t.group.endsWith('.k8s.io') ? numerous.indexOf(t.kind) : -1;
  return i < 0 ? numerous.length : i;
};

/**
 * The order `types` (indices into them) are listed in: the Namespaces and the cluster-scoped types the model reads
 * (it starts once they are in), then the usually numerous types, then the rest as discovered.
 */
export function listingOrder(types: readonly ResourceType[]): number[] {
  return types
    .map((_, i) => i)
    .sort(
      (a, b) => Number(isEarlyType(types[b])) - Number(isEarlyType(types[a])) || numerousRank(types[a]) - numerousRank(types[b]) || a - b,
    );
}

/** How a failed listing reads in the inventory's warnings; undefined for failures that must stop the inventory. */
function listFailure(t: ResourceType, e: unknown): string | undefined {
  if (!(e instanceof KubeApiError)) return undefined;
  const what = e.forbidden ? 'forbidden to this identity' : `${e.status} ${e.reason || 'error'}`;
  return `${typeName(t)}: cannot list (${what}); its objects are missing from the inventory`;
}

/**
 * Lists every type of `types` (listing `i` lists `types[i]`) into `sink`, `concurrency` types at once. Continue
 * tokens expire (410 Gone) when a listing outlives etcd's compaction: that type is listed again.
 */
export async function collect(
  cluster: Cluster,
  types: readonly ResourceType[],
  opts: { readonly concurrency: number; readonly pageSize: number },
  sink: ListingSink,
): Promise<void> {
  const listAll = async (i: number): Promise<void> => {
    const t = types[i];
    for (let attempt = 1; ; attempt++) {
      try {
        for await (const body of cluster.listBodies(t, { pageSize: opts.pageSize })) await sink.page(i, body);
        sink.ended(i);
        return;
      } catch (e) {
        if (e instanceof KubeApiError && e.status === 410 && attempt < 3) {
          sink.restarted(i);
          continue;
        }
        const warning = listFailure(t, e);
        if (warning === undefined) throw e;
        sink.failed(i, warning);
        return;
      }
    }
  };
  await mapLimit(listingOrder(types), opts.concurrency, listAll);
}
