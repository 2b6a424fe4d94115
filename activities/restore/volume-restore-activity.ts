// Restore activity for volume data: each volume's snapshot into the claim the target bound for it,
// every file verified against its sha256 before it takes its name. A retry resumes after the last volume done.
import type { VolumeBackup, VolumeRestore } from '../../workflows/types.js';
import { BackupIncomplete } from '../backup/errors.js';
import { permanentFailures } from '../backup/permanent.js';
import { moverFor } from '../backup/volume-backup-activity.js';
import type { ActivityDeps } from '../deps.js';
import { ClaimNotBound, claimHostPath } from '../movers/volume-path.js';
import { indexedObject, readIndex } from './backup-reader.js';
import type { RestoreInput } from './restore-activities.js';
import { waitFor } from './wait.js';

export function createVolumeRestoreActivities(deps: ActivityDeps) {
  return {
    /** Restores each volume into the target claim of the same name; a retry resumes after the last volume done. */
    async restoreVolumes(input: RestoreInput & { targetNamespace: string; volumes: readonly VolumeBackup[] }): Promise<VolumeRestore[]> {
      return permanentFailures(async () => {
        const store = deps.store(input.storeUrl);
        const cluster = deps.cluster(input.target);
        const progress = deps.progress();
        // only a complete backup is restored, and only the snapshots its index lists, with the digest it lists
        const index = await readIndex(store, input);
        const mover = moverFor(deps, input.storeUrl);
        const done: VolumeRestore[] = [...(progress.lastDetails<{ done: VolumeRestore[] }>()?.done ?? [])];
        for (const v of [...input.volumes].sort((a, b) => (a.claim < b.claim ? -1 : 1))) {
          if (done.some((d) => d.claim === v.claim)) continue;
          const listed = indexedObject(store, index, v.snapshot.key);
          if (listed.sha256 !== v.snapshot.sha256) {
            throw new BackupIncomplete(
              store.url,
              v.snapshot.key,
              `listed in the index with sha256 ${listed.sha256}, not ${v.snapshot.sha256}`,
            );
          }
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
          const restored = await mover.restore({
            snapshot: listed,
            dir,
            onProgress: (p) => progress.heartbeat({ done, current: v.claim, ...p }),
          });
          done.push({ claim: v.claim, files: restored.files, bytes: restored.bytes });
          progress.heartbeat({ done });
        }
        return done.sort((a, b) => (a.claim < b.claim ? -1 : 1));
      });
    },
  };
}
