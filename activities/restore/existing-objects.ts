// What a restore does with an object that already exists on the target: the campaign's policy,
// unless Ferry itself restored it before (then re-applying it is what makes a re-run idempotent).
import type { KubeObject } from '../kube/object.js';

export type ExistingObjectPolicy = 'skip' | 'update' | 'fail';

export const fieldManager = 'ferry';

export type Decision = { action: 'apply' } | { action: 'skip'; reason: string } | { action: 'fail'; reason: string };

/** Managers that create objects in every namespace by themselves (the `default` ServiceAccount). */
const controlPlaneManagers = new Set(['kube-controller-manager', 'kube-apiserver']);

function managers(live: KubeObject): string[] {
  return ((live.metadata as { managedFields?: { manager?: string }[] }).managedFields ?? []).map((f) => f.manager ?? '');
}

export function managedByFerry(live: KubeObject): boolean {
  return managers(live).includes(fieldManager);
}

/**
 * What the control plane puts in every namespace. Its controllers may create these without recording a
 * field manager (a namespace's `default` ServiceAccount has no managedFields), so they are known by name.
 */
const perNamespaceDefaults = new Set(['v1/ServiceAccount/default', 'v1/ConfigMap/kube-root-ca.crt']);

/** Made by the control plane alone: restoring over it is merging, not taking someone's object. */
export function generatedByControlPlane(live: KubeObject): boolean {
  const m = managers(live);
  if (m.length === 0)
    return live.metadata.namespace !== undefined && perNamespaceDefaults.has(`${live.apiVersion}/${live.kind}/${live.metadata.name}`);
  return m.every((x) => controlPlaneManagers.has(x));
}

export function decide(live: KubeObject | undefined, policy: ExistingObjectPolicy): Decision {
  if (!live || managedByFerry(live) || generatedByControlPlane(live)) return { action: 'apply' };
  switch (policy) {
    case 'update':
      return { action: 'apply' };
    case 'skip':
      return { action: 'skip', reason: 'exists on the target and was not restored by Ferry (policy: skip)' };
    case 'fail':
      return { action: 'fail', reason: 'exists on the target and was not restored by Ferry (policy: fail)' };
  }
}
