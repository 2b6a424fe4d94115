// Where a claim's data lives on this machine: the hostPath of its bound PersistentVolume. Other
// volume kinds need the in-cluster mover, which runs as a Job next to the data.
import type { Cluster } from '../kube/cluster.js';

export class UnsupportedVolume extends Error {
  constructor(
    readonly context: string,
    readonly claim: string,
    readonly volumeKind: string,
  ) {
    super(`${context}: claim ${claim} is backed by a ${volumeKind} volume; the local mover reads hostPath volumes only`);
    this.name = 'UnsupportedVolume';
  }
}

export class ClaimNotBound extends Error {
  constructor(
    readonly context: string,
    readonly claim: string,
    readonly phase: string,
  ) {
    super(`${context}: claim ${claim} is ${phase}, not Bound`);
    this.name = 'ClaimNotBound';
  }
}

interface Claim {
  spec?: { volumeName?: string };
  status?: { phase?: string };
}
interface Volume {
  spec?: Record<string, unknown> & { hostPath?: { path?: string } };
}

/** The hostPath directory of a bound claim; throws ClaimNotBound (retryable) or UnsupportedVolume. */
export async function claimHostPath(cluster: Cluster, namespace: string, claim: string): Promise<string> {
  const pvc = (await cluster.get({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace, name: claim })) as Claim | undefined;
  const phase = pvc?.status?.phase ?? 'missing';
  if (!pvc || phase !== 'Bound' || !pvc.spec?.volumeName) throw new ClaimNotBound(cluster.context, `${namespace}/${claim}`, phase);
  const pv = (await cluster.get({ apiVersion: 'v1', kind: 'PersistentVolume', name: pvc.spec.volumeName })) as Volume | undefined;
  const path = pv?.spec?.hostPath?.path;
  if (!path) {
    const kind = Object.keys(pv?.spec ?? {}).find((k) =>
      ['csi', 'local', 'nfs', 'awsElasticBlockStore', 'gcePersistentDisk', 'azureDisk'].includes(k),
    );
    throw new UnsupportedVolume(cluster.context, `${namespace}/${claim}`, kind ?? 'unknown');
  }
  return path;
}
