import type { ManifestBackup, StoredObject, VolumeBackup } from '../../workflows/types.js';
import type { ActivityDeps } from '../deps.js';
import type { KubeObject } from '../kube/object.js';
import { type BackupRef, indexKey, manifestsKey, rawManifestsKey } from '../stores/layout.js';
import type { ObjectStore } from '../stores/object-store.js';
import { BackupIncomplete } from './errors.js';
import { captureApp, encodeDocument, type ManifestDocument, restorableObjects } from './manifests.js';

export interface BackupRefInput {
  readonly campaign: string;
  readonly appId: string;
  readonly namespace: string;
  readonly app: string;
  readonly storeUrl: string;
  readonly backupId: string;
}

export interface BackupIndex {
  readonly apiVersion: 'ferry.dev/v1alpha1';
  readonly kind: 'BackupIndex';
  readonly campaign: string;
  readonly app: string;
  readonly backupId: string;
  readonly sourceCluster: string;
  readonly completedAt: string;
  readonly objects: readonly StoredObject[];
  readonly volumes: readonly VolumeBackup[];
}

/** Stores an app's objects: the restorable set and the raw capture (for audit). Shared by backups and imports. */
export async function writeManifests(
  store: ObjectStore,
  ref: BackupRef,
  source: string,
  raw: readonly KubeObject[],
): Promise<ManifestBackup> {
  const { objects } = restorableObjects(raw);
  const doc: ManifestDocument = {
    apiVersion: 'ferry.dev/v1alpha1',
    kind: 'ManifestBackup',
    cluster: source,
    namespace: ref.namespace,
    objects,
  };
  const enc = encodeDocument(doc);
  const rawEnc = encodeDocument({ ...doc, kind: 'RawCapture', objects: raw });
  const key = manifestsKey(ref);
  const rawKey = rawManifestsKey(ref);
  await store.put(rawKey, rawEnc.body, { contentType: 'application/gzip', size: rawEnc.body.length });
  await store.put(key, enc.body, { contentType: 'application/gzip', size: enc.body.length });
  return {
    manifests: { key, sha256: enc.sha256, size: enc.body.length },
    raw: { key: rawKey, sha256: rawEnc.sha256, size: rawEnc.body.length },
    objects: objects.length,
  };
}

export function createBackupActivities(deps: ActivityDeps) {
  return {
    async backupManifests(input: BackupRefInput & { source: string }): Promise<ManifestBackup> {
      const cluster = deps.cluster(input.source);
      const progress = deps.progress();
      const { raw } = await captureApp(cluster, input.namespace, (listed) => progress.heartbeat({ listed }));
      return writeManifests(deps.store(input.storeUrl), input, input.source, raw);
    },

    /** Writes the index last: until it exists the backup is visibly incomplete and is never restored. */
    async sealBackup(
      input: BackupRefInput & {
        source: string;
        manifests: ManifestBackup;
        volumes: readonly VolumeBackup[];
      },
    ): Promise<{ key: string }> {
      const store = deps.store(input.storeUrl);
      const stored: StoredObject[] = [
        input.manifests.manifests,
        input.manifests.raw,
        ...input.volumes.flatMap((v) => [
          { key: v.key, size: v.size, sha256: v.sha256 },
          { key: v.listKey, size: v.listSize, sha256: v.listSha256 },
        ]),
      ];
      // every object must be there, whole, before the index claims it is
      for (const o of stored) {
        const info = await store.head(o.key);
        if (!info || info.size !== o.size)
          throw new BackupIncomplete(store.url, o.key, info ? `size ${info.size}, expected ${o.size}` : 'missing');
      }
      const index: BackupIndex = {
        apiVersion: 'ferry.dev/v1alpha1',
        kind: 'BackupIndex',
        campaign: input.campaign,
        app: input.appId,
        backupId: input.backupId,
        sourceCluster: input.source,
        completedAt: deps.now().toISOString(),
        objects: stored.sort((a, b) => (a.key < b.key ? -1 : 1)),
        volumes: input.volumes,
      };
      const key = indexKey(input);
      await store.put(key, JSON.stringify(index, null, 2), { contentType: 'application/json' });
      return { key };
    },
  };
}
