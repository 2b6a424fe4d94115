// How an app got onto the cluster (helm3, helm2, argocd, flux, manual), from the marks its objects carry and,
// for apps grouped by app.kubernetes.io labels only, from the field managers that wrote them. Pure.
import type { Mechanism } from '../../workflows/types.js';
import type { Mark } from './marks.js';

const precedence: readonly Mechanism[] = ['argocd', 'flux', 'helm3', 'helm2'];

/** The tool a field manager name belongs to, when it is one of the deployment tools. */
export function mechanismOfManager(manager: string): Mechanism | undefined {
  if (/^argocd/i.test(manager)) return 'argocd';
  if (manager === 'kustomize-controller' || manager === 'helm-controller') return 'flux';
  if (manager === 'helm') return 'helm3';
  if (/^tiller$/i.test(manager)) return 'helm2';
  return undefined;
}

export interface AppMechanism {
  readonly mechanism: Mechanism;
  /** The mark the mechanism was read from; undefined when it came from field managers or nothing. */
  readonly mark?: Mark;
}

/**
 * A GitOps tool's marks win over Helm's (Argo CD renders charts, Flux drives Helm), Helm 3 over Helm 2 (a release
 * migrated with helm-2to3 keeps old labels). Apps grouped by app.kubernetes.io labels only are as their writers say.
 */
export function appMechanism(marks: readonly (Mark | undefined)[], managers: readonly string[]): AppMechanism {
  const present = marks.filter((m): m is Mark => m !== undefined);
  for (const mechanism of precedence) {
    const found = present
      .filter((m) => m.mechanism === mechanism)
      .sort((a, b) => (a.app < b.app ? -1 : a.app > b.app ? 1 : a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0))[0];
    if (found) return { mechanism, mark: found };
  }
  if (present.length > 0) {
    const written = [...new Set(managers.map(mechanismOfManager).filter((m): m is Mechanism => m !== undefined))];
    const inferred = precedence.find((m) => written.includes(m));
    if (inferred) return { mechanism: inferred };
  }
  return { mechanism: 'manual' };
}
