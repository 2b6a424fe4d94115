// Puts the sample estate on a cluster as its pipelines would have, and writes each volume's files
// the way the apps would have: into the directory behind the claim.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Cluster } from '../../activities/kube/cluster.js';
import { ClaimNotBound, claimHostPath } from '../../activities/movers/volume-path.js';
import { waitFor } from '../../activities/restore/wait.js';
import type { EstateApp } from './estate.js';

const managerOf: Record<EstateApp['mechanism'], string> = {
  helm3: 'helm',
  argocd: 'argocd-controller',
  flux: 'kustomize-controller',
  manual: 'kubectl-client-side-apply',
};

export async function seedEstate(
  cluster: Cluster,
  apps: readonly EstateApp[],
  timeoutMs = 120_000,
): Promise<{ objects: number; files: number }> {
  let objects = 0;
  let files = 0;
  for (const app of apps) {
    const ordered = [...app.objects].sort((a, b) => (a.kind === 'Namespace' ? -1 : b.kind === 'Namespace' ? 1 : 0));
    for (const obj of ordered) {
      await cluster.apply(obj, { fieldManager: managerOf[app.mechanism] });
      objects++;
    }
  }
  for (const app of apps) {
    for (const [claim, content] of Object.entries(app.data).sort()) {
      const dir = await waitFor(
        `claim ${app.namespace}/${claim} bound`,
        async () => {
          try {
            return await claimHostPath(cluster, app.namespace, claim);
          } catch (e) {
            if (e instanceof ClaimNotBound) return undefined;
            throw e;
          }
        },
        timeoutMs,
      );
      for (const [path, bytes] of Object.entries(content).sort()) {
        const file = join(dir, path);
        await mkdir(dirname(file), { recursive: true });
        await writeFile(file, bytes);
        files++;
      }
    }
  }
  return { objects, files };
}
