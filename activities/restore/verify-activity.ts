// Verification after restore: every expected object exists on the target with the digest of what
// was applied, every workload is Ready within the deadline, and every restored file has the sha256
// it had on the source. Object differences are data (PartiallyFailed); bad files are an error.

import { maxProblemsInHistory, type ObjectProblem, type RestoreMode, type VerifyResult, type VolumeBackup } from '../../workflows/types.js';
import { ChecksumMismatch } from '../backup/errors.js';
import { permanentFailures } from '../backup/permanent.js';
import { moverFor } from '../backup/volume-backup-activity.js';
import type { ActivityDeps } from '../deps.js';
import type { KubeObject } from '../kube/object.js';
import { compareDigests, digestDirectory } from '../movers/file-tree.js';
import { claimHostPath } from '../movers/volume-path.js';
import { indexedObject, readManifests } from './backup-reader.js';
import { generatedByControlPlane, managedByFerry } from './existing-objects.js';
import { checkObject } from './object-digest.js';
import { prepareRestore, type RestoreMaps } from './pipeline.js';
import { isWorkload, notReadyReason } from './readiness.js';
import type { RestoreInput } from './restore-activities.js';
import { waitFor } from './wait.js';

const describe = (o: KubeObject) => `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;

export function createVerifyActivities(deps: ActivityDeps) {
  return {
    async verifyApp(
      input: RestoreInput & RestoreMaps & { targetNamespace: string; volumes: readonly VolumeBackup[]; mode?: RestoreMode },
    ): Promise<VerifyResult> {
      const store = deps.store(input.storeUrl);
      const cluster = deps.cluster(input.target);
      const progress = deps.progress();
      // decrypted like restoreManifests does, so Secrets compare with what was applied
      const { index, doc } = await permanentFailures(() => readManifests(store, input, { keys: deps.encryption }));
      const expected = prepareRestore(doc.objects, input, new Set(await cluster.servedGroupVersions())).ordered;

      // in a data-only restore the objects are the pipeline's, not Ferry's: only their readiness counts
      const mismatched: ObjectProblem[] = [];
      const dataOnly = input.mode === 'data-only';
      let objectsChecked = 0;
      for (const o of dataOnly ? [] : expected) {
        const live = await cluster.get({ ...o, ...o.metadata });
        objectsChecked++;
        if (!live) {
          mismatched.push({ object: describe(o), reason: 'missing on the target' });
          continue;
        }
        // someone else's object that the policy left alone is checked for presence only
        if (!managedByFerry(live) && !generatedByControlPlane(live)) continue;
        const check = checkObject(o, live);
        if (check.expectedDigest !== check.liveDigest) {
          mismatched.push({ object: describe(o), reason: `differs from what was applied at ${check.differences.slice(0, 5).join(', ')}` });
        }
      }

      const present = await Promise.all(
        expected.filter(isWorkload).map(async (w) => ((await cluster.get({ ...w, ...w.metadata })) ? w : undefined)),
      );
      const workloads = present.filter((w): w is KubeObject => w !== undefined);
      let pending: string[] = [];
      await waitFor(
        `${input.target}: workloads of ${input.appId} Ready`,
        async () => {
          pending = [];
          for (const w of workloads) {
            const live = await cluster.get({ ...w, ...w.metadata });
            const reason = live ? notReadyReason(live) : 'gone';
            if (reason) pending.push(`${describe(w)}: ${reason}`);
          }
          progress.heartbeat({ pending });
          return pending.length === 0 ? true : undefined;
        },
        deps.readyTimeoutMs,
        () => pending.join('; '),
      );

      let filesVerified = 0;
      // every file as the backup's snapshot lists it (sha256 per file), read through the data mover
      const mover = input.volumes.length > 0 ? moverFor(deps, input.storeUrl) : undefined;
      for (const v of input.volumes) {
        const files = await permanentFailures(async () => mover!.files(indexedObject(store, index, v.snapshot.key)));
        const dir = await claimHostPath(cluster, input.targetNamespace, v.claim);
        const problems = compareDigests(files, await digestDirectory(dir));
        if (problems.length > 0)
          throw new ChecksumMismatch(`${input.target}: claim ${input.targetNamespace}/${v.claim}`, {
            problem: `restored files differ from the backup: ${problems.slice(0, 10).join('; ')}`,
          });
        filesVerified += files.length;
      }
      return { objectsChecked, workloadsReady: workloads.length, filesVerified, mismatched: mismatched.slice(0, maxProblemsInHistory) };
    },
  };
}
