// Restore activities for objects: preflight against the target, then apply an app's transformed
// objects in restore order with server-side apply, honouring the existing-object policy, and store
// the restore's report (every object's fate) beside the backups.
import { randomUUID } from 'node:crypto';
import type { ExistingObjectPolicy, NamespacePolicy, RestoreMode, RestoreResult, VolumeBackup } from '../../workflows/types.js';
import { maxProblemsInHistory } from '../../workflows/types.js';
import { permanentFailures } from '../backup/permanent.js';
import type { ActivityDeps } from '../deps.js';
import { type BackupRef, restoreIdOf, restoreReportKey } from '../stores/layout.js';
import { type ObjectStore, permanentStoreErrors, StoreError } from '../stores/object-store.js';
import { applyObjects, countEntries } from './apply-objects.js';
import { findBackup } from './backup-catalog.js';
import { readManifests } from './backup-reader.js';
import { prepareRestore, type RestoreMaps } from './pipeline.js';
import { PreflightFailed, preflight } from './preflight.js';
import { buildRestoreReport, type RestoreReport, writeRestoreReport } from './restore-report.js';
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
    const { index, doc } = await permanentFailures(() => readManifests(store, input, { keys: deps.encryption }));
    const prepared = prepareRestore(doc.objects, input, new Set(await cluster.servedGroupVersions()));
    if (prepared.failed.length > 0) {
      throw new TransformsFailed(
        input.appId,
        prepared.failed.map((f) => `${f.ref.kind} ${f.ref.namespace ?? ''}/${f.ref.name}: ${f.transform}: ${f.message}`),
      );
    }
    return { store, cluster, index, doc, prepared };
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
      const startedAt = deps.now();
      const execution = deps.execution?.();
      const restoreId = execution ? restoreIdOf(execution) : localRestoreId(startedAt);
      // named before anything is applied: a target no key can hold fails the restore before it writes
      const reportKey = await permanentFailures(async () => restoreReportKey(input, input.target, restoreId));
      const { store, cluster, index, doc, prepared } = await prepare(input);
      const progress = deps.progress();
      const entries = await applyObjects(cluster, prepared.ordered, {
        policy: input.existingObjects,
        onProgress: (done) => progress.heartbeat({ done }),
      });
      const counts = countEntries(entries);
      const report = buildRestoreReport({
        restoreId,
        ...(execution ? { workflow: execution } : {}),
        app: { id: input.appId, campaign: input.campaign, namespace: input.namespace, name: input.app },
        backupId: input.backupId,
        store: store.url,
        source: index.sourceCluster,
        target: input.target,
        mode: input.mode,
        existingObjects: input.existingObjects,
        existingNamespaces: input.existingNamespaces,
        namespaceMap: input.namespaceMap,
        storageClassMap: input.storageClassMap,
        ...(input.transforms ? { transforms: input.transforms } : {}),
        startedAt,
        finishedAt: deps.now(),
        restored: prepared.ordered,
        entries,
        origins: prepared.orderedOrigins,
        changes: prepared.changes,
        dropped: prepared.dropped,
        captured: doc.objects,
      });
      return {
        ...counts,
        problems: entries
          .filter((e) => e.action === 'failed')
          .slice(0, maxProblemsInHistory)
          .map((e) => ({ object: e.object, reason: e.reason ?? 'failed' })),
        changedByTransforms: prepared.changes.length,
        dropped: prepared.dropped.length,
        ...(await storeReport(store, reportKey, report)),
      };
    },
  };
}

/** A restore outside Temporal (a benchmark, a test calling the activity) has no run to be named after. */
function localRestoreId(startedAt: Date): string {
  return `local-${startedAt.toISOString().replace(/[-:.]/g, '')}-${randomUUID().slice(0, 8)}`;
}

/**
 * The objects are on the target whatever happens to the report: a store that refuses it for good (say,
 * credentials that may read backups but not write) leaves the restore done and says why there is no
 * report. A transient fault is thrown, so the activity retries, and its report overwrites this key.
 */
async function storeReport(
  store: ObjectStore,
  key: string,
  report: RestoreReport,
): Promise<{ reportKey: string } | { reportError: string }> {
  try {
    await writeRestoreReport(store, key, report);
    return { reportKey: key };
  } catch (e) {
    if (e instanceof StoreError && permanentStoreErrors.includes(e.name)) return { reportError: e.message };
    throw e;
  }
}
