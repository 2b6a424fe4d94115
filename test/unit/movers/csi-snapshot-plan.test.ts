// CSI snapshot planning: which claims are snapshotted first (their StorageClass's provisioner has a
// VolumeSnapshotClass) and the VolumeSnapshot and temporary claim for each. The local stack has no CSI
// driver (its volumes are hostPath), so this is tested as planning only.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../activities/kube/object.js';
import { planSnapshots, snapshotClassFor } from '../../../activities/movers/csi-snapshot-plan.js';

const claim = (name: string, storageClassName?: string, phase = 'Bound'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name, namespace: 'shop' },
  spec: {
    ...(storageClassName ? { storageClassName } : {}),
    accessModes: ['ReadWriteOnce'],
    volumeMode: 'Filesystem',
    resources: { requests: { storage: '10Gi' } },
  },
  status: { phase, capacity: { storage: '12Gi' } },
});
const storageClass = (name: string, provisioner: string, isDefault = false): KubeObject => ({
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name, ...(isDefault ? { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } : {}) },
  provisioner,
});
const snapClass = (name: string, driver: string, extra: Partial<KubeObject> = {}): KubeObject => ({
  apiVersion: 'snapshot.storage.k8s.io/v1',
  kind: 'VolumeSnapshotClass',
  metadata: { name },
  driver,
  deletionPolicy: 'Retain',
  ...extra,
});

const classes = [
  storageClass('ssd', 'pd.csi.storage.gke.io', true),
  storageClass('local', 'ferry.dev/hostpath'),
  storageClass('nfs', 'nfs.csi.k8s.io'),
];
const snapshotClasses = [
  snapClass('pd-retain', 'pd.csi.storage.gke.io'),
  snapClass('pd-delete', 'pd.csi.storage.gke.io', { deletionPolicy: 'Delete' }),
];

describe('CSI snapshot plan', () => {
  it('snapshots claims whose provisioner has a VolumeSnapshotClass, others move directly with the reason', () => {
    const plan = planSnapshots(
      [
        claim('db', 'ssd'),
        claim('cache', 'local'),
        claim('shared', 'nfs'),
        claim('legacy', 'gone'),
        claim('pending', 'ssd', 'Pending'),
        claim('implicit'),
      ],
      classes,
      snapshotClasses,
      'b1',
    );
    expect(plan.map((d) => [d.claim, d.method === 'direct' ? d.reason : d.snapshotClass])).toEqual([
      ['cache', 'no VolumeSnapshotClass for provisioner ferry.dev/hostpath'],
      ['db', 'pd-delete'],
      // a claim without a class gets the default StorageClass
      ['implicit', 'pd-delete'],
      ['legacy', 'StorageClass gone not found'],
      ['pending', 'the claim is Pending: nothing to snapshot'],
      ['shared', 'no VolumeSnapshotClass for provisioner nfs.csi.k8s.io'],
    ]);
  });

  it('builds the VolumeSnapshot and a temporary claim restored from it', () => {
    const [d] = planSnapshots([claim('db', 'ssd')], classes, snapshotClasses, 'b1');
    if (d.method !== 'csi-snapshot') throw new Error('expected a snapshot');
    expect(d.volumeSnapshot).toMatchObject({
      apiVersion: 'snapshot.storage.k8s.io/v1',
      kind: 'VolumeSnapshot',
      metadata: { namespace: 'shop', labels: { 'app.kubernetes.io/managed-by': 'ferry' } },
      spec: { volumeSnapshotClassName: 'pd-delete', source: { persistentVolumeClaimName: 'db' } },
    });
    expect(d.tempClaim).toMatchObject({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: d.volumeSnapshot.metadata.name, namespace: 'shop' },
      spec: {
        storageClassName: 'ssd',
        accessModes: ['ReadWriteOnce'],
        volumeMode: 'Filesystem',
        // the snapshot is as large as the volume's capacity, not its request
        resources: { requests: { storage: '12Gi' } },
        dataSource: { apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name: d.volumeSnapshot.metadata.name },
      },
    });
    expect(d.volumeSnapshot.metadata.name).toMatch(/^ferry-db-[0-9a-f]{10}$/);
    const [again] = planSnapshots([claim('db', 'ssd')], classes, snapshotClasses, 'b2');
    expect(again.method === 'csi-snapshot' && again.volumeSnapshot.metadata.name).not.toBe(d.volumeSnapshot.metadata.name);
  });

  it('prefers the default VolumeSnapshotClass, then one that deletes its content, then by name', () => {
    const driver = 'pd.csi.storage.gke.io';
    const def = snapClass('z-default', driver, {
      metadata: { name: 'z-default', annotations: { 'snapshot.storage.kubernetes.io/is-default-class': 'true' } },
    });
    expect(snapshotClassFor(driver, [...snapshotClasses, def])?.metadata.name).toBe('z-default');
    expect(snapshotClassFor(driver, snapshotClasses)?.metadata.name).toBe('pd-delete');
    expect(snapshotClassFor(driver, [snapClass('b', driver), snapClass('a', driver)])?.metadata.name).toBe('a');
    expect(snapshotClassFor('other', snapshotClasses)).toBeUndefined();
  });
});
