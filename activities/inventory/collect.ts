// Lists a cluster for the inventory: every selected type, page by page, a bounded number of types at once, each
// object reduced to its facts as it arrives, only those of selected namespaces kept, and each namespace handed to
// the model as soon as all of its objects are in. A type the identity may not list (or that fails) is a warning
// and the rest goes on; an unreachable cluster is an error.
import type { InventoryDocument } from '../../config/inventory.js';
import { mapLimit } from '../concurrency.js';
import type { Cluster, ResourceType } from '../kube/cluster.js';
import { KubeApiError } from '../kube/errors.js';
import type { KubeObject } from '../kube/object.js';
import { clusterKinds } from './dependencies.js';
import { extractFact, type ObjectFact, type Served } from './facts.js';
import { Interner } from './interner.js';
import { ListingFrontier, namespaceKey } from './listing-frontier.js';
import { isClusterGeneratedFact } from './membership.js';
import type { CompiledOptions } from './options.js';
import { readTillerRecord, type TillerRelease } from './tiller.js';

export interface Collection<C, T> {
  /** The selected namespaces' Namespace objects (see namespaces below when they could not be listed). */
  readonly namespaces: ObjectFact[];
  readonly clusterObjects: ObjectFact[];
  /** What the modeller's start made of them. */
  readonly context: C;
  /** What the modeller made of each selected namespace, by namespace name. */
  readonly models: T[];
  readonly services: Set<string>;
  readonly tiller: TillerRelease[];
  /** `<group>/<Kind>` of every type listed completely. */
  readonly listed: Set<string>;
  readonly types: InventoryDocument['types'];
  readonly warnings: string[];
}

/**
 * How to model a namespace from its facts. `start` is called once, as soon as the selected namespaces and the
 * cluster-scoped objects are in (they are listed first); `model` for each namespace as soon as every listing has
 * moved past it, and again at the end for a namespace whose objects came late.
 */
export interface NamespaceModeller<C, T> {
  start(early: { namespaces: readonly ObjectFact[]; clusterObjects: readonly ObjectFact[] }): C;
  model(namespace: string, facts: readonly ObjectFact[], context: C): T;
}

const typeName = (t: ResourceType) => `${t.plural}${t.group ? `.${t.group}` : ''}`;
const isNamespaceType = (t: ResourceType) => t.group === '' && t.kind === 'Namespace';
// cluster-scoped kinds the model reads; objects of other cluster-scoped types are only counted
const keptClusterKinds = new Set([...Object.entries(clusterKinds).map(([kind, group]) => `${group}/${kind}`), '/PersistentVolume']);
const isEarly = (t: ResourceType) => isNamespaceType(t) || (!t.namespaced && keptClusterKinds.has(`${t.group}/${t.kind}`));
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

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
    .sort((a, b) => Number(isEarly(types[b])) - Number(isEarly(types[a])) || numerousRank(types[a]) - numerousRank(types[b]) || a - b);
}

/** How a failed listing reads in the inventory's warnings; undefined for failures that must stop the inventory. */
function listFailure(t: ResourceType, e: unknown): string | undefined {
  if (!(e instanceof KubeApiError)) return undefined;
  const what = e.forbidden ? 'forbidden to this identity' : `${e.status} ${e.reason || 'error'}`;
  return `${typeName(t)}: cannot list (${what}); its objects are missing from the inventory`;
}

export async function collect<C, T>(
  cluster: Cluster,
  types: readonly ResourceType[],
  selection: CompiledOptions,
  modeller: NamespaceModeller<C, T>,
  onProgress?: (listed: number) => void,
): Promise<Collection<C, T>> {
  const { options } = selection;
  const factOptions = { teamKeys: options.teamKeys, interner: new Interner() };
  const warnings: string[] = [];
  const listed = new Set<string>();
  const counts = new Map<ResourceType, number>();
  let total = 0;
  const progress = () => {
    if (++total % 1000 === 0) onProgress?.(total);
  };

  // Facts as they come, by type: a namespace's facts are put together type by type whenever they are modelled, so
  // the model sees them in one order however the listings interleave. The types in the order of their kind and
  // apiVersion, each type's objects in the order listed (by name): the order the model sorts an app's objects in,
  // which then finds them sorted.
  const namespaceTypeIndex = types.findIndex(isNamespaceType);
  let namespaceObjects: ObjectFact[] | undefined;
  const clusterFacts: ObjectFact[][] = types.map(() => []);
  const byNamespace = new Map<string, ObjectFact[][]>();
  const slot = new Array<number>(types.length);
  types
    .map((t, i) => ({ key: [t.kind, t.apiVersion], i }))
    .sort((a, b) => compare(a.key[0], b.key[0]) || compare(a.key[1], b.key[1]))
    .forEach(({ i }, k) => {
      slot[i] = k;
    });
  const services = new Set<string>();
  const tiller: TillerRelease[] = [];

  // Namespaces are modelled while the rest is still listed (see NamespaceModeller): in key order, each once every
  // listing has passed it. One whose objects come after it was modelled (a listing out of order, or listed again)
  // is modelled again at the end.
  const frontier = new ListingFrontier(types.length);
  types.forEach((t, i) => {
    if (!t.namespaced) frontier.ended(i);
  });
  let earlyLeft = types.filter(isEarly).length;
  let context: { value: C } | undefined;
  let selectedNamespaces: ObjectFact[] = [];
  /** Selected namespace names in key order, and how many of them have been modelled in that order. */
  let pending: string[] = [];
  let next = 0;
  const models = new Map<string, T>();
  const stale = new Set<string>();
  const factsOf = (ns: string) => (byNamespace.get(ns) ?? []).flat();
  const model = (ns: string, c: C) => models.set(ns, modeller.model(ns, factsOf(ns), c));
  const modelReady = () => {
    if (!context) return;
    while (next < pending.length && frontier.passed(pending[next])) model(pending[next++], context.value);
  };
  const startModel = (namespaces: ObjectFact[]) => {
    selectedNamespaces = namespaces;
    context = { value: modeller.start({ namespaces, clusterObjects: clusterFacts.flat() }) };
    pending = namespaces.map((n) => n.name).sort((a, b) => compare(namespaceKey(a), namespaceKey(b)));
    modelReady();
  };
  const earlyDone = (t: ResourceType) => {
    if (!isEarly(t) || --earlyLeft > 0 || !namespaceObjects) return;
    startModel(namespaceObjects.filter((n) => selection.namespaceLabelsMatch(n.labels)));
  };
  const forget = (i: number) => {
    clusterFacts[i] = [];
    if (i === namespaceTypeIndex) namespaceObjects = undefined;
    for (const [ns, perType] of byNamespace) {
      if (perType[slot[i]] === undefined) continue;
      perType[slot[i]] = [];
      if (models.has(ns)) stale.add(ns);
    }
  };

  // Each page is reduced to facts as soon as it is in, object by object (each decoded, reduced and dropped), while
  // the next page is already requested: a listing holds a page or two of bytes per type, never a type's objects.
  // Continue tokens expire (410 Gone) when a listing outlives etcd's compaction: that type is listed again.
  const listAll = async (i: number, onItem: (o: KubeObject, served: Served) => ObjectFact | undefined): Promise<void> => {
    const t = types[i];
    for (let attempt = 1; ; attempt++) {
      let n = 0;
      let lastNamespace: string | undefined;
      try {
        for await (const page of cluster.listPages(t, { pageSize: options.pageSize, lean: true })) {
          for (let k = 0; k < page.length; k++) {
            n++;
            progress();
            // managedFields are most of an object's metadata and the inventory wants only their managers' names
            const { object, managers, members } = page.lean(k);
            const f = onItem(object, { bytes: page.size(k), managers, members });
            const ns = object.metadata.namespace;
            if (t.namespaced && ns !== undefined && ns !== lastNamespace) {
              frontier.saw(i, ns);
              lastNamespace = ns;
            }
            if (!f) continue;
            if (i === namespaceTypeIndex) {
              namespaceObjects ??= [];
              namespaceObjects.push(f);
            } else if (!t.namespaced) clusterFacts[i].push(f);
            else if (ns !== undefined) {
              let perType = byNamespace.get(ns);
              if (!perType) {
                perType = [];
                byNamespace.set(ns, perType);
              }
              perType[slot[i]] ??= [];
              perType[slot[i]].push(f);
              if (models.has(ns)) stale.add(ns);
            }
          }
          if (t.namespaced) modelReady();
        }
        counts.set(t, n);
        listed.add(`${t.group}/${t.kind}`);
        frontier.ended(i);
        earlyDone(t);
        modelReady();
        return;
      } catch (e) {
        forget(i);
        if (e instanceof KubeApiError && e.status === 410 && attempt < 3) {
          frontier.restarted(i);
          continue;
        }
        const warning = listFailure(t, e);
        if (warning === undefined) throw e;
        warnings.push(warning);
        counts.set(t, n);
        frontier.ended(i);
        earlyDone(t);
        modelReady();
        return;
      }
    }
  };

  // Every type is listed at once (listingOrder); objects are kept by namespace name (known before any listing), and
  // the namespace label selector applies once Namespaces are in.
  await mapLimit(listingOrder(types), options.concurrency, (i) => {
    const t = types[i];
    if (isNamespaceType(t)) {
      return listAll(i, (o, served) =>
        selection.namespaceNameSelected(o.metadata.name) ? extractFact(o, factOptions, served) : undefined,
      );
    }
    const isService = t.group === '' && t.kind === 'Service';
    const isConfigMap = t.group === '' && t.kind === 'ConfigMap';
    const keepClusterScoped = keptClusterKinds.has(`${t.group}/${t.kind}`);
    return listAll(i, (o, served) => {
      const ns = o.metadata.namespace;
      if (!t.namespaced) return keepClusterScoped ? extractFact(o, factOptions, served) : undefined;
      if (ns === undefined) return undefined;
      if (isService) services.add(`${ns}/${o.metadata.name}`);
      if (isConfigMap && ns === options.tillerNamespace) {
        const record = readTillerRecord({
          namespace: ns,
          name: o.metadata.name,
          labels: o.metadata.labels,
          data: o.data as Record<string, string> | undefined,
        });
        if (record) tiller.push(record);
      }
      if (
        !selection.namespaceNameSelected(ns) ||
        (isConfigMap && isClusterGeneratedFact({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name }))
      ) {
        return undefined;
      }
      return extractFact(o, factOptions, served);
    });
  });
  onProgress?.(total);

  if (!context) {
    if (namespaceTypeIndex < 0) warnings.push('namespaces: the cluster serves no Namespace type');
    if (options.namespaceSelector) {
      warnings.push(
        `namespaceSelector "${options.namespaceSelector}": Namespaces could not be listed, so namespaces are selected by name only`,
      );
    }
    // namespaces that could not be listed are known by the objects in them
    startModel(
      [...byNamespace.keys()]
        .filter((ns) => factsOf(ns).length > 0)
        .sort()
        .map((name) => ({ apiVersion: 'v1', kind: 'Namespace', group: '', name, bytes: 0, managers: [] })),
    );
  }
  const known = (context as { value: C }).value;
  for (const ns of pending) if (!models.has(ns) || stale.has(ns)) model(ns, known);

  const typeRows = [...types]
    .sort((a, b) => (a.apiVersion + a.kind < b.apiVersion + b.kind ? -1 : 1))
    .map((t) => ({ apiVersion: t.apiVersion, kind: t.kind, plural: t.plural, namespaced: t.namespaced, objects: counts.get(t) ?? 0 }));
  return {
    namespaces: selectedNamespaces,
    clusterObjects: clusterFacts.flat(),
    context: known,
    models: [...models.keys()].sort(compare).map((ns) => models.get(ns) as T),
    services,
    tiller,
    listed,
    types: typeRows,
    warnings: warnings.sort(),
  };
}
