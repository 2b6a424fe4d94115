// Backup activity for volume data: each claim's files into the store's chunk repository through the
// data mover, one snapshot per claim. A retry skips the claims already done and the packs already stored.
import type { VolumeBackup } from '../../workflows/types.js';
import type { ActivityDeps } from '../deps.js';
import { ChunkMover } from '../movers/chunk-mover.js';
import type { VolumeBackupSummary } from '../movers/data-mover.js';
import { claimHostPath } from '../movers/volume-path.js';
import { snapshotKey } from '../stores/layout.js';
import type { BackupRefInput } from './backup-activities.js';
import { lockPlan } from './immutability.js';
import { permanentFailures } from './permanent.js';

/** The mover a worker uses for a store: encrypted with the worker's key when it has one, locked per policy. */
export function moverFor(deps: ActivityDeps, storeUrl: string): ChunkMover {
  const store = deps.store(storeUrl);
  return new ChunkMover({ store, keys: deps.encryption, now: deps.now, lock: lockPlan(deps.backupLock, store.capabilities, deps.now()) });
}

export function volumeRecord(claim: string, s: VolumeBackupSummary): VolumeBackup {
  return {
    claim,
    snapshot: s.snapshot,
    files: s.files,
    bytes: s.bytes,
    uploadedBytes: s.uploadedBytes,
    chunks: s.chunks,
    newChunks: s.newChunks,
  };
}

export function createVolumeBackupActivities(deps: ActivityDeps) {
  return {
    /** Backs each claim up; heartbeats bytes and files, and a retry resumes after the last claim it finished. */
    async backupVolumes(input: BackupRefInput & { source: string; claims: readonly string[] }): Promise<VolumeBackup[]> {
      return permanentFailures(async () => {
        const cluster = deps.cluster(input.source);
        const progress = deps.progress();
        const mover = moverFor(deps, input.storeUrl);
        const done: VolumeBackup[] = [...(progress.lastDetails<{ done: VolumeBackup[] }>()?.done ?? [])];
        for (const claim of [...input.claims].sort()) {
          if (done.some((d) => d.claim === claim)) continue;
          progress.heartbeat({ done, current: claim });
          const dir = await claimHostPath(cluster, input.namespace, claim);
          const summary = await mover.backup({
            claim,
            dir,
            snapshotKey: snapshotKey(input, claim),
            onProgress: (p) => progress.heartbeat({ done, current: claim, ...p }),
          });
          done.push(volumeRecord(claim, summary));
          progress.heartbeat({ done });
        }
        return done.sort((a, b) => (a.claim < b.claim ? -1 : 1));
      });
    },
  };
}
