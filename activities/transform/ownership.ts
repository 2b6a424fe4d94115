// Folds objects a captured controller owns (Pod → ReplicaSet → Deployment, Job → CronJob, ...) under it: only
// roots are restored, and the target's controllers re-create the rest. Needs uids, so it runs before sanitize.
import { compareRefs, type KubeObject, type ObjectRef, refOf } from '../kube/object.js';

export interface OwnedObject {
  readonly ref: ObjectRef;
  /** The controller that owns it directly. */
  readonly ownerRef: ObjectRef;
  /** The root it is restored through (the Deployment of a Pod, the CronJob of a Job's Pod). */
  readonly rootRef: ObjectRef;
}

export interface FoldedObjects {
  readonly roots: KubeObject[];
  readonly owned: OwnedObject[];
}

/**
 * Only the controller reference counts: other owners (garbage-collection links) do not re-create the object.
 * An owner that was not captured leaves the object a root; sanitize then removes the dangling reference.
 * Returns the input objects themselves, sorted; nothing is copied or changed.
 */
export function foldOwned(objects: readonly KubeObject[]): FoldedObjects {
  const sorted = [...objects].sort((a, b) => compareRefs(refOf(a), refOf(b)));
  const byUid = new Map<string, KubeObject>();
  for (const obj of sorted) {
    if (obj.metadata.uid !== undefined && !byUid.has(obj.metadata.uid)) byUid.set(obj.metadata.uid, obj);
  }
  const controllerOf = (obj: KubeObject): KubeObject | undefined => {
    // A claim carries data, and a controller re-creating it on the target would create it empty: claims stay
    // roots even when an operator (a database operator, a StatefulSet retention policy) owns them.
    if (obj.apiVersion === 'v1' && obj.kind === 'PersistentVolumeClaim') return undefined;
    const owner = obj.metadata.ownerReferences?.find((o) => o.controller === true);
    const found = owner === undefined ? undefined : byUid.get(owner.uid);
    // A uid match with another kind or name is not the owner the reference describes.
    return found !== undefined && found.kind === owner?.kind && found.metadata.name === owner.name ? found : undefined;
  };

  // Owner chains are walked to their root. A cycle cannot come from Kubernetes controllers, but captured data
  // can be odd: the cycle's smallest ref is then treated as a root, so nothing silently disappears.
  const rootOf = new Map<KubeObject, KubeObject>();
  const resolve = (start: KubeObject): KubeObject => {
    const chain: KubeObject[] = [];
    let at: KubeObject | undefined = start;
    while (at !== undefined && !rootOf.has(at) && !chain.includes(at)) {
      chain.push(at);
      at = controllerOf(at);
    }
    let root: KubeObject;
    if (at === undefined) root = chain[chain.length - 1];
    else if (rootOf.has(at)) root = rootOf.get(at) as KubeObject;
    else {
      const cycle = chain.slice(chain.indexOf(at));
      root = cycle.reduce((min, o) => (compareRefs(refOf(o), refOf(min)) < 0 ? o : min));
      for (const o of cycle) rootOf.set(o, root);
    }
    for (const o of chain) if (!rootOf.has(o)) rootOf.set(o, root);
    return root;
  };

  const roots: KubeObject[] = [];
  const owned: OwnedObject[] = [];
  for (const obj of sorted) {
    const root = resolve(obj);
    const owner = controllerOf(obj);
    if (root === obj || owner === undefined) roots.push(obj);
    else owned.push({ ref: refOf(obj), ownerRef: refOf(owner), rootRef: refOf(root) });
  }
  return { roots, owned };
}
