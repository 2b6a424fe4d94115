// Backup activities: manifests (Secrets sealed), then volume data, then the index that marks the backup
// complete; plus the hooks around the volume step and pruning by retention.
import type { HookOutcome, ManifestBackup, StoredObject, VolumeBackup } from '../../workflows/types.js';
import { maxProblemsInHistory } from '../../workflows/types.js';
import type { ActivityDeps } from '../deps.js';
import type { KubeObject } from '../kube/object.js';
import { type BackupRef, indexKey, manifestsKey, rawManifestsKey } from '../stores/layout.js';
import type { ObjectStore } from '../stores/object-store.js';
import type { SecretsEncoding } from './encryption.js';
import { BackupIncomplete } from './errors.js';
import { createHookActivities } from './hooks-activity.js';
import { lockPlan } from './immutability.js';
import { captureApp, encodeDocument, type ManifestDocument, restorableObjects } from './manifests.js';
import { permanentFailures } from './permanent.js';
import { createPruneActivities } from './prune-activity.js';
import { protectSecrets, type SecretsPolicy } from './secrets-policy.js';

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
  /** Every object of the backup with its size and sha256 (volume snapshots included; they name their packs). */
  readonly objects: readonly StoredObject[];
  readonly volumes: readonly VolumeBackup[];
  /** How Secret values in the manifests are stored: the key id (never the key) they were sealed under. */
  readonly encryption?: SecretsEncoding;
  /** Until when every object of the backup is locked by the store (absent: not locked). */
  readonly retainUntil?: string;
  /** Backup hooks that ran around the volume step. */
  readonly hooks?: readonly HookOutcome[];
  /** What the capture could not see: a backup with warnings may lack objects of those types. */
  readonly warnings?: readonly string[];
}

export interface WriteManifestsOptions extends SecretsPolicy {
  /** Lock both objects until then (stores with retention only). */
  readonly retainUntil?: Date;
}

/**
 * Stores an app's objects: the restorable set and the raw capture (for audit), Secret values sealed in both.
 * Shared by backups and imports. Without a key in `opts`, Secrets are refused unless `allowPlaintext`.
 */
export async function writeManifests(
  store: ObjectStore,
  ref: BackupRef,
  source: string,
  raw: readonly KubeObject[],
  opts: WriteManifestsOptions = {},
): Promise<ManifestBackup> {
  const what = `${store.url} backup ${ref.namespace}/${ref.app} ${ref.backupId}`;
  const restorable = protectSecrets(restorableObjects(raw).objects, opts, what);
  const rawSealed = protectSecrets(raw, opts, what);
  const doc: ManifestDocument = {
    apiVersion: 'ferry.dev/v1alpha1',
    kind: 'ManifestBackup',
    cluster: source,
    namespace: ref.namespace,
    objects: restorable.objects,
    secrets: restorable.secrets,
  };
  const enc = encodeDocument(doc);
  const rawEnc = encodeDocument({ ...doc, kind: 'RawCapture', objects: rawSealed.objects });
  const key = manifestsKey(ref);
  const rawKey = rawManifestsKey(ref);
  const put = { contentType: 'application/gzip', retainUntil: opts.retainUntil };
  // both at once: neither is referenced until the index is written, so their order does not matter
  await Promise.all([
    store.put(rawKey, rawEnc.body, { ...put, size: rawEnc.body.length }),
    store.put(key, enc.body, { ...put, size: enc.body.length }),
  ]);
  return {
    manifests: { key, sha256: enc.sha256, size: enc.body.length },
    raw: { key: rawKey, sha256: rawEnc.sha256, size: rawEnc.body.length },
    objects: restorable.objects.length,
    ...(restorable.secrets.encryption === 'none' ? {} : { encryptionKeyId: restorable.secrets.keyId }),
  };
}

export function createBackupActivities(deps: ActivityDeps) {
  return {
    async backupManifests(input: BackupRefInput & { source: string }): Promise<ManifestBackup> {
      const cluster = deps.cluster(input.source);
      const progress = deps.progress();
      const { raw, warnings } = await captureApp(cluster, { namespace: input.namespace, app: input.app }, (listed) =>
        progress.heartbeat({ listed }),
      );
      const store = deps.store(input.storeUrl);
      const written = await permanentFailures(() =>
        writeManifests(store, input, input.source, raw, {
          keys: deps.encryption,
          allowPlaintext: deps.allowPlaintextSecrets,
          retainUntil: lockPlan(deps.backupLock, store.capabilities, deps.now())?.backupUntil,
        }),
      );
      return warnings.length > 0 ? { ...written, warnings: warnings.slice(0, maxProblemsInHistory) } : written;
    },

    /** Writes the index last: until it exists the backup is visibly incomplete and is never restored. */
    async sealBackup(
      input: BackupRefInput & {
        source: string;
        manifests: ManifestBackup;
        volumes: readonly VolumeBackup[];
        hooks?: readonly HookOutcome[];
      },
    ): Promise<{ key: string }> {
      const store = deps.store(input.storeUrl);
      // packs are shared and immutable: the index lists each snapshot's digest, and the snapshot its chunks
      const stored: StoredObject[] = [input.manifests.manifests, input.manifests.raw, ...input.volumes.map((v) => v.snapshot)];
      // every object must be there, whole, before the index claims it is
      await permanentFailures(async () => {
        for (const o of stored) {
          const info = await store.head(o.key);
          if (!info || info.size !== o.size)
            throw new BackupIncomplete(store.url, o.key, info ? `size ${info.size}, expected ${o.size}` : 'missing');
        }
      });
      const lock = lockPlan(deps.backupLock, store.capabilities, deps.now());
      const keyId = input.manifests.encryptionKeyId;
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
        encryption: keyId ? { encryption: 'AES-256-GCM', keyId } : { encryption: 'none' },
        ...(lock ? { retainUntil: lock.backupUntil.toISOString() } : {}),
        ...(input.hooks && input.hooks.length > 0 ? { hooks: input.hooks } : {}),
        ...(input.manifests.warnings && input.manifests.warnings.length > 0 ? { warnings: input.manifests.warnings } : {}),
      };
      const key = indexKey(input);
      await store.put(key, JSON.stringify(index, null, 2), { contentType: 'application/json', retainUntil: lock?.backupUntil });
      return { key };
    },

    ...createHookActivities(deps),
    ...createPruneActivities(deps),
  };
}
