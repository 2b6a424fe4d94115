// Reads what preflight needs to know of the target: StorageClasses, served types, the state of
// the namespaces a restore writes into, their quotas and the claims already there.
import { captureObjects } from '../inventory/capture.js';
import type { Cluster } from '../kube/cluster.js';
import type { KubeObject } from '../kube/object.js';
import { generatedByControlPlane, managedByFerry } from './existing-objects.js';
import type { NamespaceFacts, QuotaFacts, TargetFacts } from './preflight.js';

const describe = (o: KubeObject) => `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;

export async function gatherTargetFacts(cluster: Cluster, objects: readonly KubeObject[], heartbeat: () => void): Promise<TargetFacts> {
  const { types } = await cluster.discover();
  const find = (group: string, kind: string) => types.find((t) => t.group === group && t.kind === kind);
  const storageClasses: string[] = [];
  const scType = find('storage.k8s.io', 'StorageClass');
  if (scType) for await (const sc of cluster.list(scType)) storageClasses.push(sc.metadata.name);

  const served = new Set<string>();
  for (const key of new Set(objects.map((o) => `${o.apiVersion}/${o.kind}`))) {
    const slash = key.lastIndexOf('/');
    if (await cluster.resolve(key.slice(0, slash), key.slice(slash + 1))) served.add(key);
  }

  const namespaces: Record<string, NamespaceFacts> = {};
  const quotas: QuotaFacts[] = [];
  const existingClaims = new Set<string>();
  const quotaType = find('', 'ResourceQuota');
  const claimType = find('', 'PersistentVolumeClaim');
  for (const ns of [...new Set(objects.map((o) => o.metadata.namespace).filter((n): n is string => Boolean(n)))].sort()) {
    heartbeat();
    const exists = (await cluster.get({ apiVersion: 'v1', kind: 'Namespace', name: ns })) !== undefined;
    let foreignObjects: string[] = [];
    if (exists) {
      const { objects: present } = await captureObjects(cluster, types, ns);
      foreignObjects = present
        .filter((o) => !managedByFerry(o) && !generatedByControlPlane(o) && !(o.metadata.ownerReferences?.length ?? 0))
        .map(describe);
      if (quotaType) {
        for await (const q of cluster.list(quotaType, { namespace: ns })) {
          const status = (q as { status?: { hard?: Record<string, string>; used?: Record<string, string> } }).status;
          const hard = status?.hard ?? (q as { spec?: { hard?: Record<string, string> } }).spec?.hard ?? {};
          quotas.push({ namespace: ns, name: q.metadata.name, hard, used: status?.used ?? {} });
        }
      }
      if (claimType) for await (const c of cluster.list(claimType, { namespace: ns })) existingClaims.add(`${ns}/${c.metadata.name}`);
    }
    namespaces[ns] = { exists, foreignObjects };
  }
  return { storageClasses: storageClasses.sort(), served, namespaces, quotas, existingClaims };
}
