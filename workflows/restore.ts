// A standalone restore of one app's backup onto a target cluster (DR, or a restore outside a
// campaign): the same restore steps a campaign runs, on a backup that already exists.
import { defineQuery, proxyActivities, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { short } from './activity-options.js';
import { restoreApp, restoreSummary } from './restore-app.js';
import { FerryApp, FerryPhase, FerryTarget } from './search-attributes.js';
import type { AppPhase, AppResult, RestoreSettings } from './types.js';

const api = proxyActivities<Activities>(short);

export interface RestoreWorkflowInput {
  readonly storeUrl: string;
  /** The backup: campaign, source namespace and app, and an id or 'latest' (the newest complete one). */
  readonly campaign: string;
  readonly namespace: string;
  readonly app: string;
  readonly backupId: string;
  readonly target: string;
  readonly namespaceMap: Readonly<Record<string, string>>;
  readonly storageClassMap: Readonly<Record<string, string>>;
  readonly restore: RestoreSettings;
}

export const restorePhaseQuery = defineQuery<AppPhase>('phase');

/**
 * One restore of a backup into one target namespace at a time: the same restore started twice is the same
 * workflow, while restores of one backup into different namespaces (a DR copy beside the original) run side by side.
 */
export function restoreWorkflowId(input: Pick<RestoreWorkflowInput, 'target' | 'namespace' | 'app' | 'backupId' | 'namespaceMap'>): string {
  const into = input.namespaceMap[input.namespace] ?? input.namespace;
  return `restore/${input.target}/${into}/${input.namespace}/${input.app}/${input.backupId}`;
}

export async function restoreWorkflow(input: RestoreWorkflowInput): Promise<AppResult> {
  let phase: AppPhase = 'Pending';
  setHandler(restorePhaseQuery, () => phase);
  const enter = (p: AppPhase) => {
    phase = p;
    upsertSearchAttributes([{ key: FerryPhase, value: p }]);
  };
  const appId = `${input.namespace}/${input.app}`;
  upsertSearchAttributes([
    { key: FerryApp, value: appId },
    { key: FerryTarget, value: input.target },
  ]);
  try {
    const backup = await api.describeBackup(input);
    const outcome = await restoreApp(
      {
        ...input,
        appId,
        backupId: backup.backupId,
        targetNamespace: input.namespaceMap[input.namespace] ?? input.namespace,
      },
      backup.volumes,
      enter,
    );
    const status = outcome.problems.length > 0 ? 'PartiallyFailed' : 'Succeeded';
    enter(status === 'Succeeded' ? 'Completed' : 'PartiallyFailed');
    return {
      id: appId,
      team: '',
      status,
      objects: outcome.verified.objectsChecked,
      volumes: outcome.volumes.length,
      files: outcome.volumes.reduce((n, v) => n + v.files, 0),
      bytes: outcome.volumes.reduce((n, v) => n + v.bytes, 0),
      ...(outcome.problems.length > 0 ? { problems: outcome.problems } : {}),
      ...restoreSummary(outcome.objects),
    };
  } catch (err) {
    // unlike an app inside a campaign, a standalone restore that fails is a failed workflow
    enter('Failed');
    throw err;
  }
}
