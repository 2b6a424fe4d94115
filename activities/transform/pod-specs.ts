// Every pod spec an object carries, for transforms that touch all containers: pod-template.ts's kinds plus the
// legacy extensions group (objects the target still serves as captured), and every container list, ephemeral too.
import { groupOf, type KubeObject } from '../kube/object.js';
import { podSpecPath } from './pod-template.js';
import type { Segment } from './pointer.js';

// Served until Kubernetes 1.16: a target that still serves them gets them un-upgraded, and their pods still run images.
const legacyTemplateKinds = new Set(['extensions/Deployment', 'extensions/DaemonSet', 'extensions/ReplicaSet']);

/** Path of the PodSpec inside `obj`, or undefined for kinds that hold none. */
export function podSpecPathOf(obj: Readonly<KubeObject>): readonly Segment[] | undefined {
  const known = podSpecPath(obj);
  if (known !== undefined) return known;
  return legacyTemplateKinds.has(`${groupOf(obj.apiVersion)}/${obj.kind}`) ? ['spec', 'template', 'spec'] : undefined;
}

/** Path of the pod metadata the PodSpec at `specPath` belongs to: the object's own for a Pod. */
export function podMetadataPath(specPath: readonly Segment[]): readonly Segment[] {
  return specPath.length === 1 ? ['metadata'] : [...specPath.slice(0, -1), 'metadata'];
}

export const allContainerLists = ['initContainers', 'containers', 'ephemeralContainers'] as const;
