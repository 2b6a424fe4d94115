// Pure readiness of workloads, as a person reading `kubectl get` would judge it.
import type { KubeObject } from '../kube/object.js';

interface Workload {
  metadata: { generation?: number };
  spec?: { replicas?: number };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    updatedReplicas?: number;
    desiredNumberScheduled?: number;
    numberReady?: number;
    conditions?: { type: string; status: string }[];
  };
}

export const workloadKinds = new Set(['apps/Deployment', 'apps/StatefulSet', 'apps/DaemonSet', 'apps/ReplicaSet']);

export function isWorkload(obj: KubeObject): boolean {
  const group = obj.apiVersion.includes('/') ? obj.apiVersion.split('/')[0] : '';
  return workloadKinds.has(`${group}/${obj.kind}`);
}

/** Why a workload is not ready yet, or undefined when it is. */
export function notReadyReason(obj: KubeObject): string | undefined {
  const w = obj as unknown as Workload;
  const s = w.status ?? {};
  if ((s.observedGeneration ?? 0) < (w.metadata.generation ?? 0)) return 'controller has not seen the latest spec';
  if (obj.kind === 'DaemonSet') {
    return (s.numberReady ?? 0) >= (s.desiredNumberScheduled ?? 0)
      ? undefined
      : `${s.numberReady ?? 0}/${s.desiredNumberScheduled ?? 0} ready`;
  }
  const want = w.spec?.replicas ?? 1;
  if ((s.readyReplicas ?? 0) < want) return `${s.readyReplicas ?? 0}/${want} ready`;
  if (obj.kind === 'Deployment') {
    const available = s.conditions?.find((c) => c.type === 'Available');
    if (available?.status !== 'True') return 'not Available';
    if ((s.updatedReplicas ?? 0) < want) return `${s.updatedReplicas ?? 0}/${want} updated`;
  }
  return undefined;
}
