// The restore half of an app's migration, shared by campaigns and by standalone restores:
// preflight → objects → volume data (around scaled-down users in a data-only restore) → verify.
import { patched, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { short, transfer, waiting } from './activity-options.js';
import type {
  AppPhase,
  ObjectProblem,
  RestoreResult,
  RestoreSettings,
  RestoreSummary,
  VerifyResult,
  VolumeBackup,
  VolumeRestore,
} from './types.js';
import { maxProblemsInHistory } from './types.js';

const api = proxyActivities<Activities>(short);
const data = proxyActivities<Activities>(transfer);
const slow = proxyActivities<Activities>(waiting);

export interface RestoreRequest {
  readonly campaign: string;
  readonly appId: string;
  readonly namespace: string;
  readonly app: string;
  readonly storeUrl: string;
  readonly backupId: string;
  readonly target: string;
  readonly targetNamespace: string;
  readonly namespaceMap: Readonly<Record<string, string>>;
  readonly storageClassMap: Readonly<Record<string, string>>;
  readonly restore: RestoreSettings;
}

export interface RestoreOutcome {
  readonly objects?: RestoreResult;
  readonly volumes: readonly VolumeRestore[];
  readonly verified: VerifyResult;
  readonly problems: readonly ObjectProblem[];
}

export async function restoreApp(
  req: RestoreRequest,
  volumes: readonly VolumeBackup[],
  enter: (p: AppPhase) => void,
): Promise<RestoreOutcome> {
  const ref = {
    campaign: req.campaign,
    appId: req.appId,
    namespace: req.namespace,
    app: req.app,
    storeUrl: req.storeUrl,
    backupId: req.backupId,
  };
  const maps = { namespaceMap: req.namespaceMap, storageClassMap: req.storageClassMap, transforms: req.restore.transforms };
  const { mode } = req.restore;
  const policy = { mode, existingObjects: req.restore.existingObjects, existingNamespaces: req.restore.existingNamespaces };

  // a data-only restore writes no objects: the pipeline owns them, so there is nothing to preflight
  if (mode !== 'data-only' && patched('restore-preflight')) {
    enter('Preflight');
    await api.preflightRestore({ ...ref, target: req.target, ...maps, ...policy });
  }

  enter('Restore');
  const objects = mode === 'data-only' ? undefined : await api.restoreManifests({ ...ref, target: req.target, ...maps, ...policy });
  let restored: VolumeRestore[] = [];
  if (mode !== 'manifests-only' && volumes.length > 0) {
    const volumeInput = { ...ref, target: req.target, targetNamespace: req.targetNamespace, volumes: [...volumes] };
    if (mode === 'data-only') {
      const scaled = await slow.scaleDownClaimUsers({
        target: req.target,
        targetNamespace: req.targetNamespace,
        claims: volumes.map((v) => v.claim),
      });
      try {
        restored = await data.restoreVolumes(volumeInput);
      } finally {
        // compensation: the pipeline's workloads come back whatever happened to the copy
        await api.scaleUp({ target: req.target, workloads: scaled });
      }
    } else {
      restored = await data.restoreVolumes(volumeInput);
    }
  }

  enter('Verify');
  const verified = await slow.verifyApp({
    ...ref,
    ...maps,
    target: req.target,
    targetNamespace: req.targetNamespace,
    volumes: mode === 'manifests-only' ? [] : [...volumes],
    mode,
  });
  const problems = [...(objects?.problems ?? []), ...verified.mismatched].slice(0, maxProblemsInHistory);
  return { objects, volumes: restored, verified, problems };
}

/** The part of a restore's result an app's result carries: counts and the report's key, never per-object detail. */
export function restoreSummary(objects: RestoreResult | undefined): { restore?: RestoreSummary } {
  if (!objects) return {};
  const { created, changed, unchanged, skipped, failed, reportKey, reportError } = objects;
  return {
    restore: {
      created,
      changed,
      unchanged,
      skipped,
      failed,
      ...(reportKey === undefined ? {} : { reportKey }),
      ...(reportError === undefined ? {} : { reportError }),
    },
  };
}
