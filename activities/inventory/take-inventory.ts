// Takes the inventory of one cluster: version, discovery, listing (collect.ts) with each namespace modelled as
// soon as it is listed, then the rest of the pure app model and the document.
// The one entry point the activity, the CLI and the benchmark share.
import type { InventoryDocument } from '../../config/inventory.js';
import { type Cluster, discoveryWarning } from '../kube/cluster.js';
import { collect } from './collect.js';
import { inventoryDocument } from './document.js';
import { clusterContext, finishApps, modelNamespace } from './model.js';
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
  const c = await collect(
    cluster,
    types,
    compiled,
    {
      start: (early) => clusterContext(early.namespaces, early.clusterObjects, compiled),
      model: modelNamespace,
    },
    deps.onProgress,
  );
  const model = finishApps(c.models, c.context, { services: c.services, tiller: latestTillerReleases(c.tiller), listed: c.listed });
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
