// Restore activities: apply an app's transformed objects to the target with server-side apply, and
// put each volume's verified data into the claim the target bound for it.
import { createReadStream } from 'node:fs';
import type { ActivityDeps } from '../deps.js';
import { unpackInto } from '../movers/hostpath-tar.js';
import { ClaimNotBound, claimHostPath } from '../movers/volume-path.js';
import type { BackupRef } from '../stores/layout.js';
import type { RestoreResult, VolumeBackup, VolumeRestore } from '../../workflows/types.js';
import { readIndex, readManifests, withVerifiedDownload } from './backup-reader.js';
import { prepareRestore, type RestoreMaps } from './pipeline.js';
import { waitFor } from './wait.js';

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

    /** Restores each volume into the target claim of the same name; a retry resumes after the last volume done. */
    async restoreVolumes(input: RestoreInput & { targetNamespace: string; volumes: readonly VolumeBackup[] }): Promise<VolumeRestore[]> {
      const store = deps.store(input.storeUrl);
      const cluster = deps.cluster(input.target);
      const progress = deps.progress();
      const index = await readIndex(store, input);
      const done: VolumeRestore[] = [...(progress.lastDetails<{ done: VolumeRestore[] }>()?.done ?? [])];
      for (const v of [...input.volumes].sort((a, b) => (a.claim < b.claim ? -1 : 1))) {
        if (done.some((d) => d.claim === v.claim)) continue;
        const dir = await waitFor(
          `${input.target}: claim ${input.targetNamespace}/${v.claim} bound`,
          async () => {
            progress.heartbeat({ done, waitingFor: v.claim });
            try {
              return await claimHostPath(cluster, input.targetNamespace, v.claim);
            } catch (e) {
              if (e instanceof ClaimNotBound) return undefined;
              throw e;
            }
          },
          deps.readyTimeoutMs,
        );
        await withVerifiedDownload(store, index, v.key, (file) => unpackInto(dir, createReadStream(file)));
        done.push({ claim: v.claim, files: v.files, bytes: v.bytes });
        progress.heartbeat({ done });
      }
      return done.sort((a, b) => (a.claim < b.claim ? -1 : 1));
    },
  };
}
