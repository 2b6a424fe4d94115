// Backup activity for volume data: each claim's files streamed to the store, resumable per claim.
import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import type { VolumeBackup } from '../../workflows/types.js';
import type { ActivityDeps } from '../deps.js';
import { packDirectory } from '../movers/hostpath-tar.js';
import { claimHostPath } from '../movers/volume-path.js';
import { volumeKey } from '../stores/layout.js';
import type { BackupRefInput } from './backup-activities.js';
import { encodeDocument } from './manifests.js';

function hashTap(): { tap: Transform; digest: () => { sha256: string; size: number } } {
  const h = createHash('sha256');
  let size = 0;
  let sha256 = '';
  const tap = new Transform({
    transform(chunk: Buffer, _e, cb) {
      h.update(chunk);
      size += chunk.length;
      cb(null, chunk);
    },
    flush(cb) {
      sha256 = h.digest('hex');
      cb();
    },
  });
  return { tap, digest: () => ({ sha256, size }) };
}

export function createVolumeBackupActivities(deps: ActivityDeps) {
  return {
    /** Streams each claim's files to the store; a retry resumes after the last claim it heartbeated. */
    async backupVolumes(input: BackupRefInput & { source: string; claims: readonly string[] }): Promise<VolumeBackup[]> {
      const cluster = deps.cluster(input.source);
      const store = deps.store(input.storeUrl);
      const progress = deps.progress();
      const done: VolumeBackup[] = [...(progress.lastDetails<{ done: VolumeBackup[] }>()?.done ?? [])];
      for (const claim of [...input.claims].sort()) {
        if (done.some((d) => d.claim === claim)) continue;
        const dir = await claimHostPath(cluster, input.namespace, claim);
        let files = 0;
        const { stream, result } = packDirectory(dir, () => {
          files++;
          progress.heartbeat({ done, current: claim, files });
        });
        const { tap, digest } = hashTap();
        const key = volumeKey(input, claim, 'data.tar');
        await Promise.all([store.put(key, stream.pipe(tap), { contentType: 'application/x-tar' }), result]);
        const packed = await result;
        const list = encodeDocument({ claim, files: packed.files });
        const listKey = volumeKey(input, claim, 'files.json.gz');
        await store.put(listKey, list.body, { contentType: 'application/gzip', size: list.body.length });
        const tar = digest();
        done.push({
          claim,
          key,
          sha256: tar.sha256,
          size: tar.size,
          listKey,
          listSha256: list.sha256,
          listSize: list.body.length,
          files: packed.files.length,
          bytes: packed.bytes,
        });
        progress.heartbeat({ done });
      }
      return done.sort((a, b) => (a.claim < b.claim ? -1 : 1));
    },
  };
}
