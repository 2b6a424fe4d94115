// Restore activity for manifests: apply an app's transformed objects to the target with server-side apply.

import type { RestoreResult } from '../../workflows/types.js';
import type { ActivityDeps } from '../deps.js';
import type { BackupRef } from '../stores/layout.js';
import { readManifests } from './backup-reader.js';
import { prepareRestore, type RestoreMaps } from './pipeline.js';

export interface RestoreInput extends BackupRef {
  readonly appId: string;
  readonly storeUrl: string;
  readonly target: string;
}

export function createRestoreActivities(deps: ActivityDeps) {
  return {
    async restoreManifests(input: RestoreInput & RestoreMaps): Promise<RestoreResult> {
      const store = deps.store(input.storeUrl);
      const cluster = deps.cluster(input.target);
      const { doc } = await readManifests(store, input);
      const prepared = prepareRestore(doc.objects, input);
      if (prepared.failed.length > 0) {
        throw new Error(
          `transforms failed: ${prepared.failed.map((f) => `${f.ref.kind} ${f.ref.name}: ${f.transform}: ${f.message}`).join('; ')}`,
        );
      }
      const progress = deps.progress();
      let applied = 0;
      for (const obj of prepared.ordered) {
        await cluster.apply(obj);
        applied++;
        progress.heartbeat({ applied });
      }
      return { applied, changedByTransforms: prepared.changes.length, dropped: prepared.dropped.length };
    },
  };
}
