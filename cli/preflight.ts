// Checks made before any workflow starts: both contexts exist and both clusters answer.
import { Cluster } from '../activities/kube/cluster.js';

export async function checkClusters(contexts: readonly string[], kubeconfig: string | undefined): Promise<Map<string, string>> {
  const versions = new Map<string, string>();
  for (const context of contexts) {
    const cluster = Cluster.fromKubeconfig(context, kubeconfig);
    try {
      versions.set(context, await cluster.version());
    } finally {
      cluster.close();
    }
  }
  return versions;
}
