// Test estates live in namespaces of their own; they are removed from both clusters afterwards.
import type { Cluster } from '../../activities/kube/cluster.js';

export async function removeNamespaces(clusters: readonly Cluster[], namespaces: readonly string[]): Promise<void> {
  for (const c of clusters) {
    for (const name of namespaces) await c.delete({ apiVersion: 'v1', kind: 'Namespace', name }).catch(() => false);
  }
}
