// Pure reading of who owns an app and how it was deployed, from the objects as they run.

import type { Mechanism } from '../../workflows/types.js';
import type { KubeObject } from '../kube/object.js';

export const teamKeys = ['ferry.dev/team', 'team', 'owner', 'app.kubernetes.io/team'];

function teamFrom(labels: Record<string, string> | undefined, annotations: Record<string, string> | undefined): string | undefined {
  for (const k of teamKeys) {
    const v = labels?.[k] ?? annotations?.[k];
    if (v) return v;
  }
  return undefined;
}

/** The namespace's team label wins; else the team most objects carry; else "unowned". */
export function detectTeam(namespace: KubeObject | undefined, objects: readonly KubeObject[]): string {
  const fromNs = namespace && teamFrom(namespace.metadata.labels, namespace.metadata.annotations);
  if (fromNs) return fromNs;
  const counts = new Map<string, number>();
  for (const o of objects) {
    const t = teamFrom(o.metadata.labels, o.metadata.annotations);
    if (t) counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  const best = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
  return best?.[0] ?? 'unowned';
}

/** The deployment mechanism, from the marks each tool leaves on what it deploys. */
export function detectMechanism(objects: readonly KubeObject[]): Mechanism {
  const has = (p: (o: KubeObject) => boolean) => objects.some(p);
  if (has((o) => o.kind === 'Secret' && (o as { type?: string }).type === 'helm.sh/release.v1')) return 'helm3';
  if (has((o) => o.kind === 'ConfigMap' && o.metadata.labels?.OWNER === 'TILLER')) return 'helm2';
  if (
    has(
      (o) =>
        Boolean(o.metadata.annotations?.['argocd.argoproj.io/tracking-id']) || Boolean(o.metadata.labels?.['argocd.argoproj.io/instance']),
    )
  )
    return 'argocd';
  if (
    has((o) =>
      Object.keys(o.metadata.labels ?? {}).some(
        (k) => k.startsWith('kustomize.toolkit.fluxcd.io/') || k.startsWith('helm.toolkit.fluxcd.io/'),
      ),
    )
  )
    return 'flux';
  if (has((o) => o.metadata.labels?.['app.kubernetes.io/managed-by'] === 'Helm')) return 'helm3';
  return 'manual';
}
