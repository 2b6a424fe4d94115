// Pure: which workloads mount a claim, so a data-only restore can stop them while it writes.
import type { KubeObject } from '../kube/object.js';

interface PodSpecHolder {
  spec?: {
    replicas?: number;
    template?: { spec?: { volumes?: { persistentVolumeClaim?: { claimName?: string } }[] } };
    volumeClaimTemplates?: { metadata?: { name?: string } }[];
  };
}

const scalable = new Set(['apps/Deployment', 'apps/StatefulSet', 'apps/ReplicaSet']);

function isScalable(o: KubeObject): boolean {
  const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
  return scalable.has(`${group}/${o.kind}`) && !(o.metadata.ownerReferences?.some((r) => r.controller) ?? false);
}

/** Claims a workload uses: named in its pod template, or made from its claim templates (`<template>-<sts>-<ordinal>`). */
export function claimsOf(workload: KubeObject): (claim: string) => boolean {
  const h = workload as unknown as PodSpecHolder;
  const named = new Set((h.spec?.template?.spec?.volumes ?? []).map((v) => v.persistentVolumeClaim?.claimName).filter(Boolean));
  const templates = (h.spec?.volumeClaimTemplates ?? []).map((t) => t.metadata?.name).filter(Boolean);
  const pattern = new RegExp(
    `^(${templates.map((t) => String(t).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})-${workload.metadata.name}-\\d+$`,
  );
  return (claim) => named.has(claim) || (templates.length > 0 && pattern.test(claim));
}

/** Top-level scalable workloads (not ReplicaSets of a Deployment) that mount any of `claims`, sorted. */
export function claimUsers(workloads: readonly KubeObject[], claims: readonly string[]): KubeObject[] {
  return workloads
    .filter(isScalable)
    .filter((w) => {
      const uses = claimsOf(w);
      return claims.some(uses);
    })
    .sort((a, b) => (`${a.kind}/${a.metadata.name}` < `${b.kind}/${b.metadata.name}` ? -1 : 1));
}
