// One app's migration: back its manifests and volumes up to the store, seal the backup with its
// index, then restore both on the target and verify. Each step is an activity with its own retries.
import { ApplicationFailure, defineQuery, log, patched, proxyActivities, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { short, transfer } from './activity-options.js';
import { restoreApp, restoreSummary } from './restore-app.js';
import { FerryPhase } from './search-attributes.js';
import type { AppPhase, AppPlan, AppResult, VolumeBackup } from './types.js';

const api = proxyActivities<Activities>(short);
const data = proxyActivities<Activities>(transfer);

export const appPhaseQuery = defineQuery<AppPhase>('phase');

export function failureMessage(err: unknown): string {
  return err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
}

export async function appMigrationWorkflow(plan: AppPlan): Promise<AppResult> {
  let phase: AppPhase = 'Pending';
  setHandler(appPhaseQuery, () => phase);
  const enter = (p: AppPhase) => {
    phase = p;
    upsertSearchAttributes([{ key: FerryPhase, value: p }]);
  };
  const ref = {
    campaign: plan.campaign,
    appId: plan.app.id,
    namespace: plan.app.namespace,
    app: plan.app.name,
    storeUrl: plan.storeUrl,
    backupId: plan.backupId,
  };
  const claims = plan.app.volumes.map((v) => v.claim);
  try {
    enter('Backup');
    const manifests = await api.backupManifests({ ...ref, source: plan.source });
    // pre/post hooks (pod annotations) around the volume data: e.g. a dump before, a cleanup after
    const hooks = patched('backup-hooks');
    const hookInput = { appId: ref.appId, namespace: ref.namespace, app: ref.app, source: plan.source };
    const pre = hooks ? await api.runBackupHooks({ ...hookInput, phase: 'pre' }) : [];
    let volumes: VolumeBackup[];
    try {
      volumes = claims.length > 0 ? await data.backupVolumes({ ...ref, source: plan.source, claims }) : [];
    } catch (err) {
      // post hooks undo what pre hooks did (unfreeze, unlock) even when the copy failed; the copy's error wins
      if (pre.length > 0) await api.runBackupHooks({ ...hookInput, phase: 'post' }).catch(() => []);
      throw err;
    }
    const post = hooks ? await api.runBackupHooks({ ...hookInput, phase: 'post' }) : [];
    // the index goes last: a backup without it is incomplete and is never restored
    await api.sealBackup({ ...ref, source: plan.source, manifests, volumes, ...(hooks ? { hooks: [...pre, ...post] } : {}) });

    const outcome = await restoreApp(
      {
        ...ref,
        target: plan.target,
        targetNamespace: plan.targetNamespace,
        namespaceMap: plan.namespaceMap,
        storageClassMap: plan.storageClassMap,
        restore: plan.restore,
      },
      volumes,
      enter,
    );
    const status = outcome.problems.length > 0 ? 'PartiallyFailed' : 'Succeeded';
    enter(status === 'Succeeded' ? 'Completed' : 'PartiallyFailed');
    return {
      id: plan.app.id,
      team: plan.app.team,
      status,
      objects: outcome.verified.objectsChecked,
      volumes: outcome.volumes.length,
      files: outcome.volumes.reduce((n, v) => n + v.files, 0),
      bytes: outcome.volumes.reduce((n, v) => n + v.bytes, 0),
      ...(outcome.problems.length > 0 ? { problems: outcome.problems } : {}),
      ...restoreSummary(outcome.objects),
      ...(manifests.warnings && manifests.warnings.length > 0 ? { warnings: manifests.warnings } : {}),
    };
  } catch (err) {
    enter('Failed');
    const message = failureMessage(err);
    log.warn('app migration failed', { app: plan.app.id, error: message });
    if (err instanceof ApplicationFailure && err.type === 'Cancelled') throw err;
    return { id: plan.app.id, team: plan.app.team, status: 'Failed', objects: 0, volumes: 0, files: 0, bytes: 0, error: message };
  }
}
