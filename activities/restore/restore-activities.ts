// Restore activities for objects: preflight against the target, then apply an app's transformed
// objects in restore order with server-side apply, honouring the existing-object policy.
import type { ExistingObjectPolicy, NamespacePolicy, RestoreMode, RestoreResult, VolumeBackup } from '../../workflows/types.js';
import { maxProblemsInHistory } from '../../workflows/types.js';
import { permanentFailures } from '../backup/permanent.js';
import type { ActivityDeps } from '../deps.js';
import type { BackupRef } from '../stores/layout.js';
import { applyObjects, countEntries } from './apply-objects.js';
import { findBackup } from './backup-catalog.js';
import { readManifests } from './backup-reader.js';
import { prepareRestore, type RestoreMaps } from './pipeline.js';
import { PreflightFailed, preflight } from './preflight.js';
import { gatherTargetFacts } from './target-facts.js';

export interface RestoreInput extends BackupRef {
  readonly appId: string;
  readonly storeUrl: string;
  readonly target: string;
}

export interface RestorePolicyInput {
  readonly mode: RestoreMode;
  readonly existingObjects: ExistingObjectPolicy;
  readonly existingNamespaces: NamespacePolicy;
}

export class TransformsFailed extends Error {
  constructor(
    readonly app: string,
    readonly failures: readonly string[],
  ) {
    super(`${app}: transforms failed: ${failures.slice(0, 10).join('; ')}`);
    this.name = 'TransformsFailed';
  }
}

export function createRestoreActivities(deps: ActivityDeps) {
  const prepare = async (input: RestoreInput & RestoreMaps) => {
    const store = deps.store(input.storeUrl);
    const cluster = deps.cluster(input.target);
    // decrypted here, in the worker: Secret values never leave it in clear except to the target cluster
    const { doc } = await permanentFailures(() => readManifests(store, input, { keys: deps.encryption }));
    const prepared = prepareRestore(doc.objects, input, new Set(await cluster.servedGroupVersions()));
    if (prepared.failed.length > 0) {
      throw new TransformsFailed(
        input.appId,
        prepared.failed.map((f) => `${f.ref.kind} ${f.ref.namespace ?? ''}/${f.ref.name}: ${f.transform}: ${f.message}`),
      );
    }
    return { cluster, doc, prepared };
  };

  return {
    /** Resolves a backup (or the latest complete one) to what a restore needs: its id and its volumes. */
    async describeBackup(input: { storeUrl: string; campaign: string; namespace: string; app: string; backupId: string }): Promise<{
      backupId: string;
      sourceCluster: string;
      volumes: VolumeBackup[];
    }> {
      const { ref, index } = await findBackup(deps.store(input.storeUrl), input, input.backupId);
      return { backupId: ref.backupId, sourceCluster: index.sourceCluster, volumes: [...index.volumes] };
    },

    /** Every check at once, before anything is written; throws PreflightFailed listing all problems. */
    async preflightRestore(input: RestoreInput & RestoreMaps & RestorePolicyInput): Promise<{ checkedObjects: number }> {
      const { cluster, doc, prepared } = await prepare(input);
      const facts = await gatherTargetFacts(cluster, prepared.ordered, () => deps.progress().heartbeat());
      const problems = preflight(
        {
          original: doc.objects,
          transformed: prepared.ordered,
          storageClassMap: input.storageClassMap,
          namespacePolicy: input.existingNamespaces,
          checkNamespaces: input.mode !== 'data-only',
        },
        facts,
      );
      if (problems.length > 0) throw new PreflightFailed(input.target, input.appId, problems);
      return { checkedObjects: prepared.ordered.length };
    },

    async restoreManifests(input: RestoreInput & RestoreMaps & RestorePolicyInput): Promise<RestoreResult> {
      const { cluster, prepared } = await prepare(input);
      const progress = deps.progress();
      const entries = await applyObjects(cluster, prepared.ordered, {
        policy: input.existingObjects,
        onProgress: (done) => progress.heartbeat({ done }),
      });
      const counts = countEntries(entries);
      return {
        ...counts,
        problems: entries
          .filter((e) => e.action === 'failed')
          .slice(0, maxProblemsInHistory)
          .map((e) => ({ object: e.object, reason: e.reason ?? 'failed' })),
        changedByTransforms: prepared.changes.length,
        dropped: prepared.dropped.length,
      };
    },
  };
}
