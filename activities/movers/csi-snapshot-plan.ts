// Crash-consistent backups on CSI storage: when a claim's StorageClass has a VolumeSnapshotClass for
// its provisioner, the backup snapshots the volume and moves data from a temporary claim restored from
// the snapshot, instead of reading a volume the app is writing. Pure: which claims, and the objects.
import { createHash } from 'node:crypto';
import type { KubeObject } from '../kube/object.js';

export type SnapshotDecision =
  | {
      readonly claim: string;
      readonly method: 'csi-snapshot';
      readonly snapshotClass: string;
      readonly volumeSnapshot: KubeObject;
      /** The claim the mover reads: restored from the snapshot, deleted (with the snapshot) afterwards. */
      readonly tempClaim: KubeObject;
    }
  | { readonly claim: string; readonly method: 'direct'; readonly reason: string };

interface ClaimShape {
  spec?: {
    storageClassName?: string;
    accessModes?: string[];
    volumeMode?: string;
    resources?: { requests?: { storage?: string } };
  };
  status?: { phase?: string; capacity?: { storage?: string } };
}

const defaultClassAnnotation = 'snapshot.storage.kubernetes.io/is-default-class';
const defaultStorageClassAnnotation = 'storageclass.kubernetes.io/is-default-class';
export const snapshotLabel = 'ferry.dev/backup-snapshot';

const short = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 10);

/**
 * The VolumeSnapshotClass for a CSI driver: the one marked default, else one that deletes its content with
 * the snapshot (a temporary snapshot must not leave disks behind), else the first by name. Undefined: none.
 */
export function snapshotClassFor(driver: string, classes: readonly KubeObject[]): KubeObject | undefined {
  const matching = classes
    .filter((c) => c.driver === driver)
    .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
  return (
    matching.find((c) => c.metadata.annotations?.[defaultClassAnnotation] === 'true') ??
    matching.find((c) => c.deletionPolicy === 'Delete') ??
    matching[0]
  );
}

/** How each claim is backed up (sorted by claim). `backupId` makes the temporary objects' names unique per backup. */
export function planSnapshots(
  claims: readonly KubeObject[],
  storageClasses: readonly KubeObject[],
  snapshotClasses: readonly KubeObject[],
  backupId: string,
): SnapshotDecision[] {
  const defaultStorageClass = storageClasses.find((c) => c.metadata.annotations?.[defaultStorageClassAnnotation] === 'true');
  return [...claims]
    .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1))
    .map((pvc): SnapshotDecision => {
      const claim = pvc.metadata.name;
      const spec = (pvc as ClaimShape).spec ?? {};
      const status = (pvc as ClaimShape).status ?? {};
      if (status.phase !== 'Bound')
        return { claim, method: 'direct', reason: `the claim is ${status.phase ?? 'not Bound'}: nothing to snapshot` };
      const className = spec.storageClassName ?? defaultStorageClass?.metadata.name;
      if (!className) return { claim, method: 'direct', reason: 'the claim has no StorageClass (statically provisioned)' };
      const storageClass = storageClasses.find((c) => c.metadata.name === className);
      if (!storageClass) return { claim, method: 'direct', reason: `StorageClass ${className} not found` };
      const provisioner = String(storageClass.provisioner ?? '');
      const snapshotClass = snapshotClassFor(provisioner, snapshotClasses);
      if (!snapshotClass) return { claim, method: 'direct', reason: `no VolumeSnapshotClass for provisioner ${provisioner}` };

      const name = `ferry-${claim.slice(0, 40).replace(/-+$/, '')}-${short(`${pvc.metadata.namespace}/${claim}/${backupId}`)}`;
      const labels = { 'app.kubernetes.io/managed-by': 'ferry', [snapshotLabel]: short(backupId) };
      const volumeSnapshot: KubeObject = {
        apiVersion: 'snapshot.storage.k8s.io/v1',
        kind: 'VolumeSnapshot',
        metadata: {
          name,
          namespace: pvc.metadata.namespace,
          labels,
          annotations: { 'ferry.dev/source-claim': claim, 'ferry.dev/backup-id': backupId },
        },
        spec: { volumeSnapshotClassName: snapshotClass.metadata.name, source: { persistentVolumeClaimName: claim } },
      };
      const tempClaim: KubeObject = {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name, namespace: pvc.metadata.namespace, labels, annotations: { 'ferry.dev/source-claim': claim } },
        spec: {
          storageClassName: className,
          // the mover is the only user: one node, read-only use
          accessModes: ['ReadWriteOnce'],
          ...(spec.volumeMode ? { volumeMode: spec.volumeMode } : {}),
          // a restored volume must be at least as large as the snapshot, which is the source's capacity
          resources: { requests: { storage: status.capacity?.storage ?? spec.resources?.requests?.storage ?? '1Gi' } },
          dataSource: { apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name },
        },
      };
      return { claim, method: 'csi-snapshot', snapshotClass: snapshotClass.metadata.name, volumeSnapshot, tempClaim };
    });
}
