// Verification after restore: every expected object exists on the target, every workload is
// Ready within the deadline, and every restored file has the sha256 it had on the source.

import type { VerifyResult, VolumeBackup } from '../../workflows/types.js';
import { ChecksumMismatch } from '../backup/errors.js';
import type { ActivityDeps } from '../deps.js';
import type { KubeObject } from '../kube/object.js';
import { compareDigests, digestDirectory } from '../movers/hostpath-tar.js';
import { claimHostPath } from '../movers/volume-path.js';
import { readFileList, readManifests } from './backup-reader.js';
import { prepareRestore, type RestoreMaps } from './pipeline.js';
import { isWorkload, notReadyReason } from './readiness.js';
import type { RestoreInput } from './restore-activities.js';
import { waitFor } from './wait.js';

export class ObjectsMissing extends Error {
  constructor(
    readonly context: string,
    readonly missing: readonly string[],
  ) {
    super(`${context}: ${missing.length} expected object(s) missing after restore: ${missing.slice(0, 20).join(', ')}`);
    this.name = 'ObjectsMissing';
  }
}

const describe = (o: KubeObject) => `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;

export function createVerifyActivities(deps: ActivityDeps) {
  return {
    async verifyApp(
      input: RestoreInput & RestoreMaps & { targetNamespace: string; volumes: readonly VolumeBackup[] },
    ): Promise<VerifyResult> {
      const store = deps.store(input.storeUrl);
      const cluster = deps.cluster(input.target);
      const progress = deps.progress();
      const { index, doc } = await readManifests(store, input);
      const expected = prepareRestore(doc.objects, input).ordered;

      const missing: string[] = [];
      for (const o of expected) {
        if (!(await cluster.get({ ...o, ...o.metadata }))) missing.push(describe(o));
      }
      if (missing.length > 0) throw new ObjectsMissing(input.target, missing);

      const workloads = expected.filter(isWorkload);
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
      for (const v of input.volumes) {
        const files = await readFileList(store, index, v.listKey);
        const dir = await claimHostPath(cluster, input.targetNamespace, v.claim);
        const problems = compareDigests(files, await digestDirectory(dir));
        if (problems.length > 0)
          throw new ChecksumMismatch(
            `${input.target}: claim ${input.targetNamespace}/${v.claim}: ${problems.slice(0, 10).join('; ')}`,
            'the backup',
            'the restored files',
          );
        filesVerified += files.length;
      }
      return { objectsChecked: expected.length, workloadsReady: workloads.length, filesVerified };
    },
  };
}
