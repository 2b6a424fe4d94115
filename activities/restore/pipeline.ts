// The restore pipeline's pure middle: backed-up (sanitized) objects → the objects the target gets,
// transformed for the target (API versions it serves, maps, user transforms) and in restore order.
import { parseRestoreTransforms, type RestoreTransformConfig } from '../../config/restore.js';
import type { KubeObject } from '../kube/object.js';
import { helm3ReleaseKeys } from '../transform/helm2-to-helm3.js';
import { restoreTransforms } from '../transform/pipeline.js';
import { orderForRestore } from '../transform/restore-order.js';
import { type ObjectId, runTransforms, type TransformRun } from '../transform/runner.js';

export interface RestoreMaps {
  readonly namespaceMap: Readonly<Record<string, string>>;
  readonly storageClassMap: Readonly<Record<string, string>>;
  /** Registry, label, Ingress host and JSON-patch transforms; none when absent. */
  readonly transforms?: RestoreTransformConfig;
}

const noTransforms = (() => {
  const parsed = parseRestoreTransforms({});
  if (!parsed.ok) throw new Error('the empty restore transform config does not parse');
  return parsed.config;
})();

/**
 * `servedVersions`: every group/version the target serves (`v1`, `apps/v1`, …), from its discovery.
 * `orderedOrigins[i]` is `ordered[i]` as captured, for the restore report.
 */
export function prepareRestore(
  objects: readonly KubeObject[],
  maps: RestoreMaps,
  servedVersions: ReadonlySet<string>,
): TransformRun & { ordered: KubeObject[]; orderedOrigins: ObjectId[] } {
  const ctx = {
    servedVersions,
    namespaceMap: { ...maps.namespaceMap },
    storageClassMap: { ...maps.storageClassMap },
    helm3Releases: helm3ReleaseKeys(objects),
  };
  const run = runTransforms(objects, restoreTransforms(maps.transforms ?? noTransforms, ctx), ctx);
  const origin = new Map(run.objects.map((o, i) => [o, run.origins[i]]));
  // orderForRestore returns the same objects, reordered: each keeps its origin
  const ordered = orderForRestore(run.objects);
  return { ...run, ordered, orderedOrigins: ordered.map((o) => origin.get(o) as ObjectId) };
}
