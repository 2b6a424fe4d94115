// Points every container of every pod template at the target's registries (a prefix map, longest prefix wins),
// for targets that cannot reach the source's registries or must pull through a mirror.
import type { KubeObject } from '../kube/object.js';
import { rewriteImage } from './image-reference.js';
import { allContainerLists, podSpecPathOf } from './pod-specs.js';
import { asArray, asRecord, asString, pointer, valueAt } from './pointer.js';
import { type Patch, patchOrKeep, type Transform, type TransformResult } from './types.js';

export interface ImageRegistryContext {
  /**
   * Reference prefix → replacement, matched against fully qualified references (`docker.io/library/nginx`
   * for `nginx`) on component boundaries: `docker.io` → `mirror.example.com/hub` moves every Docker Hub image.
   */
  readonly imageRegistryMap: Readonly<Record<string, string>>;
}

function imagePatches(obj: Readonly<KubeObject>, ctx: ImageRegistryContext): { patches: Patch[]; changes: string[] } {
  const spec = podSpecPathOf(obj);
  const patches: Patch[] = [];
  const changes = new Set<string>();
  if (spec === undefined) return { patches, changes: [] };
  for (const list of allContainerLists) {
    asArray(valueAt(obj, [...spec, list])).forEach((container, i) => {
      const image = asString(asRecord(container)?.image);
      const rewritten = image === undefined ? undefined : rewriteImage(image, ctx.imageRegistryMap);
      if (rewritten === undefined) return;
      patches.push({ op: 'replace', path: pointer(...spec, list, i, 'image'), value: rewritten });
      changes.add(`${image} → ${rewritten}`);
    });
  }
  return { patches, changes: [...changes].sort() };
}

export const rewriteImageRegistry: Transform<ImageRegistryContext> = {
  name: 'rewrite-image-registry',
  apply(obj, ctx): TransformResult {
    if (Object.keys(ctx.imageRegistryMap).length === 0) return { kind: 'keep' };
    const { patches, changes } = imagePatches(obj, ctx);
    return patchOrKeep(patches, `images ${changes.join(', ')}`);
  },
};
