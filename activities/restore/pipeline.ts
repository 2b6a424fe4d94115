// The restore pipeline's pure middle: backed-up objects → the objects the target gets, in order.
import type { KubeObject } from '../kube/object.js';
import { remapNamespace } from '../transform/remap-namespace.js';
import { remapStorageClass } from '../transform/remap-storage-class.js';
import { orderForRestore } from '../transform/restore-order.js';
import { runTransforms, type TransformRun } from '../transform/runner.js';

export interface RestoreMaps {
  readonly namespaceMap: Readonly<Record<string, string>>;
  readonly storageClassMap: Readonly<Record<string, string>>;
}

export function prepareRestore(objects: readonly KubeObject[], maps: RestoreMaps): TransformRun & { ordered: KubeObject[] } {
  const run = runTransforms(objects, [remapNamespace, remapStorageClass], {
    namespaceMap: { ...maps.namespaceMap },
    storageClassMap: { ...maps.storageClassMap },
  });
  return { ...run, ordered: orderForRestore(run.objects) };
}
