// Pure part of the local dynamic provisioner: the hostPath PersistentVolume that satisfies a claim.
import { join } from 'node:path';
import type { V1PersistentVolume, V1PersistentVolumeClaim, V1StorageClass } from '@kubernetes/client-node';

export const provisionerName = 'ferry.dev/hostpath';
export const provisionedByAnnotation = 'pv.kubernetes.io/provisioned-by';
const selectedProvisionerAnnotations = ['volume.kubernetes.io/storage-provisioner', 'volume.beta.kubernetes.io/storage-provisioner'];

/** True when the PV controller has handed this claim to our provisioner and it is still unbound. */
export function wantsVolume(claim: V1PersistentVolumeClaim, classes: ReadonlyMap<string, V1StorageClass>): boolean {
  if (claim.spec?.volumeName || claim.metadata?.deletionTimestamp) return false;
  const annotations = claim.metadata?.annotations ?? {};
  if (!selectedProvisionerAnnotations.some((a) => annotations[a] === provisionerName)) return false;
  const sc = classes.get(claim.spec?.storageClassName ?? '');
  return sc?.provisioner === provisionerName;
}

export function volumePath(root: string, cluster: string, claim: V1PersistentVolumeClaim): string {
  return join(root, cluster, `pvc-${claim.metadata?.uid}`);
}

export function volumeForClaim(claim: V1PersistentVolumeClaim, sc: V1StorageClass, path: string): V1PersistentVolume {
  const uid = claim.metadata?.uid;
  if (!uid) throw new Error(`claim ${claim.metadata?.namespace}/${claim.metadata?.name} has no uid`);
  const storage = claim.spec?.resources?.requests?.storage ?? '1Gi';
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: `pvc-${uid}`, annotations: { [provisionedByAnnotation]: provisionerName } },
    spec: {
      capacity: { storage },
      accessModes: claim.spec?.accessModes ?? ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? 'Delete',
      storageClassName: sc.metadata?.name,
      volumeMode: claim.spec?.volumeMode ?? 'Filesystem',
      hostPath: { path, type: 'DirectoryOrCreate' },
      claimRef: {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        namespace: claim.metadata?.namespace,
        name: claim.metadata?.name,
        uid,
      },
    },
  };
}

/** A released volume of ours whose class says Delete: its directory and PV go. */
export function shouldReclaim(pv: V1PersistentVolume): boolean {
  return (
    pv.metadata?.annotations?.[provisionedByAnnotation] === provisionerName &&
    pv.status?.phase === 'Released' &&
    pv.spec?.persistentVolumeReclaimPolicy === 'Delete'
  );
}
