// Takes the inventory of one cluster: version, discovery, listing (collect.ts), then the pure app model and
// document. The one entry point the activity, the CLI and the benchmark share.
import type { InventoryDocument } from '../../config/inventory.js';
import { type Cluster, discoveryWarning } from '../kube/cluster.js';
import { collect } from './collect.js';
import { inventoryDocument } from './document.js';
import { buildApps } from './model.js';
import { compileOptions, type InventoryOptions } from './options.js';
import { latestTillerReleases } from './tiller.js';

export interface TakeInventoryDeps {
  readonly now: () => Date;
  /** Objects listed so far; called every thousand objects and at the end. */
  readonly onProgress?: (listed: number) => void;
}

/** Throws InvalidInventoryOption before any request, ClusterUnreachable (naming the context) when the server does not answer. */
export async function takeInventory(cluster: Cluster, options: InventoryOptions, deps: TakeInventoryDeps): Promise<InventoryDocument> {
  const compiled = compileOptions(options);
  const takenAt = deps.now();
  // two independent requests: neither waits for the other
  const [version, discovery] = await Promise.all([cluster.version(), cluster.discover()]);
  const types = discovery.types.filter(compiled.typeSelected);
  const c = await collect(cluster, types, compiled, deps.onProgress);
  const tiller = latestTillerReleases(c.tiller);
  const model = buildApps({
    namespaces: c.namespaces,
    objects: c.objects,
    clusterObjects: c.clusterObjects,
    services: c.services,
    tiller,
    listed: c.listed,
    options: compiled,
  });
  return inventoryDocument({
    context: cluster.context,
    version,
    takenAt,
    options,
    types: c.types,
    apps: model.apps,
    warnings: [...discovery.failures.map(discoveryWarning), ...c.warnings, ...model.warnings],
  });
}
