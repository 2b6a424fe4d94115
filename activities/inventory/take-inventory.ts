// Takes the inventory of one cluster: version and discovery, then every selected type listed (collect.ts) into the
// inventory's builder (in its own thread: inventory-thread.ts), which models each namespace as soon as it is listed,
// then the rest and the document. The one entry point the activity, the CLI and the benchmark share.
import type { InventoryDocument } from '../../config/inventory.js';
import { type Cluster, discoveryWarning } from '../kube/cluster.js';
import { collect } from './collect.js';
import { startInventoryThread, threadedBuilder } from './inventory-thread.js';
import { compileOptions, type InventoryOptions } from './options.js';

export interface TakeInventoryDeps {
  readonly now: () => Date;
  /** Objects listed so far; called every thousand objects and at the end. */
  readonly onProgress?: (listed: number) => void;
}

/** Throws InvalidInventoryOption before any request, ClusterUnreachable (naming the context) when the server does not answer. */
export async function takeInventory(cluster: Cluster, options: InventoryOptions, deps: TakeInventoryDeps): Promise<InventoryDocument> {
  const compiled = compileOptions(options);
  const takenAt = deps.now();
  // the builder's thread loads its code meanwhile
  startInventoryThread();
  // two independent requests: neither waits for the other
  const [version, discovery] = await Promise.all([cluster.version(), cluster.discover()]);
  const types = discovery.types.filter((t) => compiled.typeSelected(t));
  const builder = threadedBuilder(types, options, deps.onProgress);
  try {
    await collect(cluster, types, options, builder);
  } catch (e) {
    builder.drop();
    throw e;
  }
  return builder.finish({ context: cluster.context, version, takenAt, warnings: discovery.failures.map(discoveryWarning) });
}
