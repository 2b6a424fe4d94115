// What activities are given instead of reaching for globals: clusters and stores by name, progress.
import type { Cluster } from './kube/cluster.js';
import type { Progress } from './progress.js';
import type { ObjectStore } from './stores/object-store.js';

export interface ActivityDeps {
  /** A cluster by kubeconfig context name; the worker maps names to credentials. */
  readonly cluster: (context: string) => Cluster;
  /** A store by URL; credentials come from the worker's environment, never from the URL. */
  readonly store: (url: string) => ObjectStore;
  readonly progress: () => Progress;
  readonly now: () => Date;
  /** How long restores wait for workloads and volumes on the target. */
  readonly readyTimeoutMs: number;
}
