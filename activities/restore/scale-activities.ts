// Data-only restores write under workloads that a pipeline deployed: their users are scaled to zero
// first and back afterwards (a saga step: scaleUp runs even when the copy fails).
import type { ScaledWorkload } from '../../workflows/types.js';
import type { ActivityDeps } from '../deps.js';
import type { KubeObject } from '../kube/object.js';
import { ClaimNotBound, claimHostPath } from '../movers/volume-path.js';
import { claimUsers } from './claim-users.js';
import { waitFor } from './wait.js';

export interface ScaleDownInput {
  readonly target: string;
  readonly targetNamespace: string;
  readonly claims: readonly string[];
}

export function createScaleActivities(deps: ActivityDeps) {
  return {
    /**
     * Waits (bounded) for the pipeline's claims to be Bound, then scales every workload using them to
     * zero and waits for their pods to go. Returns the replicas to restore; a retry keeps the originals.
     */
    async scaleDownClaimUsers(input: ScaleDownInput): Promise<ScaledWorkload[]> {
      const cluster = deps.cluster(input.target);
      const progress = deps.progress();
      for (const claim of [...input.claims].sort()) {
        await waitFor(
          `${input.target}: claim ${input.targetNamespace}/${claim} created by the pipeline and Bound`,
          async () => {
            progress.heartbeat();
            try {
              return await claimHostPath(cluster, input.targetNamespace, claim);
            } catch (e) {
              if (e instanceof ClaimNotBound) return undefined;
              throw e;
            }
          },
          deps.readyTimeoutMs,
        );
      }
      const { types } = await cluster.discover();
      const workloads: KubeObject[] = [];
      for (const kind of ['Deployment', 'StatefulSet', 'ReplicaSet']) {
        const t = types.find((x) => x.group === 'apps' && x.kind === kind);
        if (t) for await (const w of cluster.list(t, { namespace: input.targetNamespace })) workloads.push(w);
      }
      const earlier = progress.lastDetails<{ scaled: ScaledWorkload[] }>()?.scaled ?? [];
      const scaled: ScaledWorkload[] = claimUsers(workloads, input.claims).map((w) => {
        const before = earlier.find((e) => e.kind === w.kind && e.name === w.metadata.name);
        const replicas = before?.replicas ?? (w as { spec?: { replicas?: number } }).spec?.replicas ?? 1;
        return { apiVersion: w.apiVersion, kind: w.kind, namespace: input.targetNamespace, name: w.metadata.name, replicas };
      });
      // remembered before anything changes, so a retry after a crash scales back to the real originals
      progress.heartbeat({ scaled });
      for (const w of scaled) await cluster.mergePatch(w, { spec: { replicas: 0 } }, 'scale');
      await waitFor(
        `${input.target}: users of the claims in ${input.targetNamespace} stopped`,
        async () => {
          progress.heartbeat({ scaled });
          for (const w of scaled) {
            const live = (await cluster.get(w)) as { status?: { replicas?: number } } | undefined;
            if ((live?.status?.replicas ?? 0) > 0) return undefined;
          }
          return true;
        },
        deps.readyTimeoutMs,
      );
      return scaled;
    },

    async scaleUp(input: { target: string; workloads: readonly ScaledWorkload[] }): Promise<void> {
      const cluster = deps.cluster(input.target);
      for (const w of input.workloads) await cluster.mergePatch(w, { spec: { replicas: w.replicas } }, 'scale');
    },
  };
}
