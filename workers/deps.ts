// The real adapters a worker gives its activities: clusters from the kubeconfig, stores from URLs,
// credentials only from this process's environment.
import type { ActivityDeps } from '../activities/deps.js';
import { Cluster } from '../activities/kube/cluster.js';
import { temporalProgress } from '../activities/progress.js';
import { openStore } from '../activities/stores/open-store.js';
import type { ObjectStore } from '../activities/stores/object-store.js';

export function workerDeps(env: NodeJS.ProcessEnv = process.env): ActivityDeps {
  const clusters = new Map<string, Cluster>();
  const stores = new Map<string, ObjectStore>();
  return {
    cluster(context) {
      let c = clusters.get(context);
      if (!c) {
        c = Cluster.fromKubeconfig(context, env.KUBECONFIG);
        clusters.set(context, c);
      }
      return c;
    },
    store(url) {
      let s = stores.get(url);
      if (!s) {
        s = openStore(url, { env });
        stores.set(url, s);
      }
      return s;
    },
    progress: temporalProgress,
    now: () => new Date(),
    readyTimeoutMs: Number(env.FERRY_READY_TIMEOUT_MS ?? 300_000),
  };
}
