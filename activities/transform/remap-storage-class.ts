// Points claims and StatefulSet claim templates at the target's StorageClasses (campaign storageClassMap).
// A class without a mapping is left as is here and reported by unmappedStorageClasses, which preflight runs.
import { compareRefs, groupOf, type KubeObject, type ObjectRef, refOf } from '../kube/object.js';
import { asArray, asString, pointer, type Segment, valueAt } from './pointer.js';
import { type Patch, patchOrKeep, type Transform, type TransformResult } from './types.js';

export interface StorageClassContext {
  /** Source class → target class; the key '' maps claims that asked for no class (statically bound). */
  readonly storageClassMap: Readonly<Record<string, string>>;
  /** What a claim without a class got on the source. */
  readonly sourceDefaultClass?: string;
  /** What a claim without a class gets on the target: written explicitly when there was no source default. */
  readonly targetDefaultClass?: string;
}

// Deprecated, but still honoured by Kubernetes ahead of spec.storageClassName, and found on old claims.
const betaClassAnnotation = 'volume.beta.kubernetes.io/storage-class';

/** Paths of the claims an object holds: a PVC is one, a StatefulSet has one per volumeClaimTemplate. */
function claimPaths(obj: Readonly<KubeObject>): Segment[][] {
  const group = groupOf(obj.apiVersion);
  if (group === '' && obj.kind === 'PersistentVolumeClaim') return [[]];
  if (group === 'apps' && obj.kind === 'StatefulSet') {
    return asArray(valueAt(obj, ['spec', 'volumeClaimTemplates'])).map((_, i) => ['spec', 'volumeClaimTemplates', i]);
  }
  return [];
}

/**
 * The class a claim used on the source: '' when it explicitly asked for none (bound to a pre-made volume),
 * undefined when it named none and the source had no default either.
 */
export function sourceStorageClass(claim: unknown, sourceDefaultClass?: string): string | undefined {
  return (
    asString(valueAt(claim, ['metadata', 'annotations', betaClassAnnotation])) ??
    asString(valueAt(claim, ['spec', 'storageClassName'])) ??
    sourceDefaultClass
  );
}

function claimPatches(obj: Readonly<KubeObject>, at: readonly Segment[], ctx: StorageClassContext): { patches: Patch[]; change?: string } {
  const claim = at.length === 0 ? obj : valueAt(obj, at);
  const source = sourceStorageClass(claim, ctx.sourceDefaultClass);
  const target =
    source === undefined ? ctx.targetDefaultClass : Object.hasOwn(ctx.storageClassMap, source) ? ctx.storageClassMap[source] : undefined;
  if (target === undefined) return { patches: [] };
  const annotated = valueAt(claim, ['metadata', 'annotations', betaClassAnnotation]);
  const named = valueAt(claim, ['spec', 'storageClassName']);
  const patches: Patch[] = [];
  if (annotated !== undefined && annotated !== target) {
    patches.push({ op: 'replace', path: pointer(...at, 'metadata', 'annotations', betaClassAnnotation), value: target });
  }
  const classPath = pointer(...at, 'spec', 'storageClassName');
  if (named !== undefined && named !== target) {
    patches.push({ op: 'replace', path: classPath, value: target });
  } else if (named === undefined && annotated === undefined && valueAt(claim, ['spec']) !== undefined) {
    // A claim that named no class at all gets one explicitly, so the target's default cannot decide silently.
    patches.push({ op: 'add', path: classPath, value: target });
  }
  const from = source === undefined ? '(none, target default)' : source === '' ? '""' : source;
  return patches.length === 0 ? { patches } : { patches, change: `${from} → ${target}` };
}

export const remapStorageClass: Transform<StorageClassContext> = {
  name: 'remap-storage-class',
  apply(obj, ctx): TransformResult {
    const results = claimPaths(obj).map((at) => claimPatches(obj, at, ctx));
    const changes = [...new Set(results.flatMap((r) => (r.change === undefined ? [] : [r.change])))];
    return patchOrKeep(
      results.flatMap((r) => r.patches),
      `storage class ${changes.join(', ')}`,
    );
  },
};

export interface UnmappedStorageClass {
  /** '' for claims that explicitly asked for no class: without their source volume they would never bind. */
  readonly storageClass: string;
  readonly objects: ObjectRef[];
}

/**
 * Every source class the map does not cover, with the claims and StatefulSets using it, sorted. Claims with no
 * class and no known source default are not listed: the target's default class provisions them.
 */
export function unmappedStorageClasses(
  objects: readonly Readonly<KubeObject>[],
  storageClassMap: Readonly<Record<string, string>>,
  sourceDefaultClass?: string,
): UnmappedStorageClass[] {
  const users = new Map<string, ObjectRef[]>();
  for (const obj of objects) {
    const classes = new Set(
      claimPaths(obj).flatMap((at) => {
        const cls = sourceStorageClass(at.length === 0 ? obj : valueAt(obj, at), sourceDefaultClass);
        return cls === undefined || Object.hasOwn(storageClassMap, cls) ? [] : [cls];
      }),
    );
    for (const cls of classes) users.set(cls, [...(users.get(cls) ?? []), refOf(obj)]);
  }
  return [...users.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([storageClass, refs]) => ({ storageClass, objects: refs.sort(compareRefs) }));
}
