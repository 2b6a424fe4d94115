// Restore activity for volume data: each volume's verified data into the claim the target bound for it.
import { createReadStream } from 'node:fs';
import type { VolumeBackup, VolumeRestore } from '../../workflows/types.js';
import type { ActivityDeps } from '../deps.js';
import { unpackInto } from '../movers/hostpath-tar.js';
import { ClaimNotBound, claimHostPath } from '../movers/volume-path.js';
import { readIndex, withVerifiedDownload } from './backup-reader.js';
import type { RestoreInput } from './restore-activities.js';
import { waitFor } from './wait.js';

export function createVolumeRestoreActivities(deps: ActivityDeps) {
  return {
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
