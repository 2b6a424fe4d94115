// Lists a cluster for the inventory: every selected type, page by page, a bounded number of types at once, each
// object reduced to its facts as it arrives, and only those of selected namespaces kept. A type the
// identity may not list (or that fails) is a warning and the rest goes on; an unreachable cluster is an error.
import type { InventoryDocument } from '../../config/inventory.js';
import { mapLimit } from '../concurrency.js';
import type { Cluster, ResourceType } from '../kube/cluster.js';
import { KubeApiError } from '../kube/errors.js';
import type { KubeObject } from '../kube/object.js';
import { clusterKinds } from './dependencies.js';
import { extractFact, type ObjectFact, type Served } from './facts.js';
import { Interner } from './interner.js';
import { isClusterGeneratedFact } from './membership.js';
import type { CompiledOptions } from './options.js';
import { readTillerRecord, type TillerRelease } from './tiller.js';

export interface Collection {
  readonly namespaces: ObjectFact[];
  readonly objects: ObjectFact[];
  readonly clusterObjects: ObjectFact[];
  readonly services: Set<string>;
  readonly tiller: TillerRelease[];
  /** `<group>/<Kind>` of every type listed completely. */
  readonly listed: Set<string>;
  readonly types: InventoryDocument['types'];
  readonly warnings: string[];
}

const typeName = (t: ResourceType) => `${t.plural}${t.group ? `.${t.group}` : ''}`;
const isNamespaceType = (t: ResourceType) => t.group === '' && t.kind === 'Namespace';
// cluster-scoped kinds the model reads; objects of other cluster-scoped types are only counted
const keptClusterKinds = new Set([...Object.entries(clusterKinds).map(([kind, group]) => `${group}/${kind}`), '/PersistentVolume']);

/** How a failed listing reads in the inventory's warnings; undefined for failures that must stop the inventory. */
function listFailure(t: ResourceType, e: unknown): string | undefined {
  if (!(e instanceof KubeApiError)) return undefined;
  const what = e.forbidden ? 'forbidden to this identity' : `${e.status} ${e.reason || 'error'}`;
  return `${typeName(t)}: cannot list (${what}); its objects are missing from the inventory`;
}

export async function collect(
  cluster: Cluster,
  types: readonly ResourceType[],
  selection: CompiledOptions,
  onProgress?: (listed: number) => void,
): Promise<Collection> {
  const { options } = selection;
  const factOptions = { teamKeys: options.teamKeys, interner: new Interner() };
  const warnings: string[] = [];
  const listed = new Set<string>();
  const counts = new Map<ResourceType, number>();
  let total = 0;
  const progress = () => {
    if (++total % 1000 === 0) onProgress?.(total);
  };

  // Each page is reduced to facts as soon as it is in, object by object (each decoded, reduced and dropped), while
  // the next page is already requested: a listing holds a page or two of bytes per type, never a type's objects.
  // Continue tokens expire (410 Gone) when a listing outlives etcd's compaction: that type is listed again.
  const listAll = async (
    t: ResourceType,
    onItem: (o: KubeObject, served: Served) => ObjectFact | undefined,
  ): Promise<ObjectFact[] | undefined> => {
    for (let attempt = 1; ; attempt++) {
      const kept: ObjectFact[] = [];
      let n = 0;
      try {
        for await (const page of cluster.listPages(t, { pageSize: options.pageSize })) {
          for (let i = 0; i < page.length; i++) {
            n++;
            progress();
            // managedFields are most of an object's metadata and the inventory wants only their managers' names
            const { object, managers, members } = page.lean(i);
            const f = onItem(object, { bytes: page.size(i), managers, members });
            if (f) kept.push(f);
          }
        }
        counts.set(t, n);
        listed.add(`${t.group}/${t.kind}`);
        return kept;
      } catch (e) {
        if (e instanceof KubeApiError && e.status === 410 && attempt < 3) continue;
        const warning = listFailure(t, e);
        if (warning === undefined) throw e;
        warnings.push(warning);
        counts.set(t, n);
        return undefined;
      }
    }
  };

  // Every type is listed at once, Namespaces too: objects are kept by namespace name (known before any listing),
  // and the namespace label selector, which needs the Namespace objects, applies once everything is in.
  const services = new Set<string>();
  const tiller: TillerRelease[] = [];
  const perType = await mapLimit(types, options.concurrency, (t) => {
    if (isNamespaceType(t)) {
      return listAll(t, (o, served) =>
        selection.namespaceNameSelected(o.metadata.name) ? extractFact(o, factOptions, served) : undefined,
      );
    }
    const isService = t.group === '' && t.kind === 'Service';
    const isConfigMap = t.group === '' && t.kind === 'ConfigMap';
    const keepClusterScoped = keptClusterKinds.has(`${t.group}/${t.kind}`);
    return listAll(t, (o, served) => {
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

  const namespaceIndex = types.findIndex(isNamespaceType);
  const listedNamespaces = namespaceIndex >= 0 ? perType[namespaceIndex] : undefined;
  if (namespaceIndex < 0) warnings.push('namespaces: the cluster serves no Namespace type');
  let namespaces: ObjectFact[];
  if (listedNamespaces) namespaces = listedNamespaces.filter((n) => selection.namespaceLabelsMatch(n.labels));
  else {
    if (options.namespaceSelector) {
      warnings.push(
        `namespaceSelector "${options.namespaceSelector}": Namespaces could not be listed, so namespaces are selected by name only`,
      );
    }
    // namespaces that could not be listed are known by the objects in them
    const seen = new Set<string>();
    for (const list of perType) for (const f of list ?? []) if (f.namespace !== undefined) seen.add(f.namespace);
    namespaces = [...seen].sort().map((name) => ({ apiVersion: 'v1', kind: 'Namespace', group: '', name, bytes: 0, managers: [] }));
  }
  const selected = new Set(namespaces.map((n) => n.name));

  const objects: ObjectFact[] = [];
  const clusterObjects: ObjectFact[] = [];
  types.forEach((t, i) => {
    if (isNamespaceType(t)) return;
    for (const f of perType[i] ?? []) {
      if (!t.namespaced) clusterObjects.push(f);
      else if (f.namespace !== undefined && selected.has(f.namespace)) objects.push(f);
    }
  });

  const typeRows = [...types]
    .sort((a, b) => (a.apiVersion + a.kind < b.apiVersion + b.kind ? -1 : 1))
    .map((t) => ({ apiVersion: t.apiVersion, kind: t.kind, plural: t.plural, namespaced: t.namespaced, objects: counts.get(t) ?? 0 }));
  return { namespaces, objects, clusterObjects, services, tiller, listed, types: typeRows, warnings: warnings.sort() };
}
