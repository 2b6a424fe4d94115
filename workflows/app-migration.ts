// One app's migration: backup manifests and volumes to the store, restore both on the target,
// verify. Each step is an activity with its own retry policy.
import { ApplicationFailure, proxyActivities, setHandler, defineQuery, upsertSearchAttributes, log } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { short, transfer, waiting } from './activity-options.js';
import { FerryPhase } from './search-attributes.js';
import type { AppPhase, AppPlan, AppResult } from './types.js';

const api = proxyActivities<Activities>(short);
const data = proxyActivities<Activities>(transfer);
const slow = proxyActivities<Activities>(waiting);

export const appPhaseQuery = defineQuery<AppPhase>('phase');

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
    const volumes = claims.length > 0 ? await data.backupVolumes({ ...ref, source: plan.source, claims }) : [];
    // the index goes last: a backup without it is incomplete and is never restored
    await api.sealBackup({ ...ref, source: plan.source, manifests, volumes });

    enter('Restore');
    const maps = { namespaceMap: plan.namespaceMap, storageClassMap: plan.storageClassMap };
    await api.restoreManifests({ ...ref, target: plan.target, ...maps });
    const restored =
      volumes.length > 0 ? await data.restoreVolumes({ ...ref, target: plan.target, targetNamespace: plan.targetNamespace, volumes }) : [];

    enter('Verify');
    const verified = await slow.verifyApp({ ...ref, ...maps, target: plan.target, targetNamespace: plan.targetNamespace, volumes });

    enter('Completed');
    return {
      id: plan.app.id,
      team: plan.app.team,
      status: 'Succeeded',
      objects: verified.objectsChecked,
      volumes: restored.length,
      files: restored.reduce((n, v) => n + v.files, 0),
      bytes: restored.reduce((n, v) => n + v.bytes, 0),
    };
  } catch (err) {
    enter('Failed');
    const message = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
    log.warn('app migration failed', { app: plan.app.id, error: message });
    if (err instanceof ApplicationFailure && err.type === 'Cancelled') throw err;
    return { id: plan.app.id, team: plan.app.team, status: 'Failed', objects: 0, volumes: 0, files: 0, bytes: 0, error: message };
  }
}
