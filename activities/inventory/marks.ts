// The marks deployment tools leave on what they deploy, read from one object: the app it belongs to and the
// tool that put it there. Pure; both grouping (membership.ts) and mechanism detection read these.
import type { Mechanism } from '../../workflows/types.js';

export const markKeys = {
  argoTrackingId: 'argocd.argoproj.io/tracking-id',
  argoInstance: 'argocd.argoproj.io/instance',
  fluxKustomizationName: 'kustomize.toolkit.fluxcd.io/name',
  fluxKustomizationNamespace: 'kustomize.toolkit.fluxcd.io/namespace',
  fluxHelmReleaseName: 'helm.toolkit.fluxcd.io/name',
  fluxHelmReleaseNamespace: 'helm.toolkit.fluxcd.io/namespace',
  helmReleaseName: 'meta.helm.sh/release-name',
  helmReleaseNamespace: 'meta.helm.sh/release-namespace',
  helmChart: 'helm.sh/chart',
  managedBy: 'app.kubernetes.io/managed-by',
  instance: 'app.kubernetes.io/instance',
  partOf: 'app.kubernetes.io/part-of',
} as const;

/** Annotations grouping reads; everything else may be dropped from an object's facts. */
export const groupingAnnotations: readonly string[] = [markKeys.argoTrackingId, markKeys.helmReleaseName, markKeys.helmReleaseNamespace];

/** The type of the Secrets where Helm 3 keeps its release records. */
export const helmReleaseSecretType = 'helm.sh/release.v1';

export type MarkRule =
  | 'argocd-tracking-id'
  | 'argocd-instance-label'
  | 'flux-kustomization'
  | 'flux-helmrelease'
  | 'helm3-annotation'
  | 'helm3-record'
  | 'helm3-labels'
  | 'helm2-labels'
  | 'part-of-label'
  | 'instance-label';

export interface Mark {
  /** The app the object belongs to, within its namespace. */
  readonly app: string;
  /** For `part-of-label` and `instance-label` marks, mechanism.ts looks further (field managers). */
  readonly mechanism: Mechanism;
  readonly rule: MarkRule;
  /** A git source (Argo CD, Flux) describes the object. */
  readonly gitops: boolean;
  /** Flux HelmRelease: the Helm release it drives, whose records must join the same app. */
  readonly helmRelease?: string;
  /** Flux: the namespace of the Kustomization or HelmRelease. */
  readonly sourceNamespace?: string;
}

export interface Markable {
  readonly kind: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly secretType?: string;
}

/** App names become store key segments and workflow ids: no '/', no blanks, no control characters. */
export function appName(raw: string | undefined): string | undefined {
  const name = raw
    ?.trim()
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .slice(0, 253);
  return name && name !== '.' && name !== '..' ? name : undefined;
}

/** A Helm 3 release record (Secret of type helm.sh/release.v1, or ConfigMap with the configmap driver): its release name. */
export function helmRecordRelease(o: Markable): string | undefined {
  const isRecord = (o.kind === 'Secret' && o.secretType === helmReleaseSecretType) || o.kind === 'ConfigMap';
  return isRecord && o.labels?.owner === 'helm' ? o.labels.name : undefined;
}

function mark(raw: string | undefined, mechanism: Mechanism, rule: MarkRule, extra?: Partial<Mark>): Mark | undefined {
  const app = appName(raw);
  return app ? { app, mechanism, rule, gitops: mechanism === 'argocd' || mechanism === 'flux', ...extra } : undefined;
}

const none: Readonly<Record<string, string>> = {};

/**
 * The strongest mark on the object, by precedence: a GitOps tool's tracking wins over the Helm release it may render
 * (Argo CD renders charts; Flux drives Helm), Helm over the generic app.kubernetes.io labels, which charts also set.
 */
export function markOf(o: Markable): Mark | undefined {
  const l = o.labels ?? none;
  const a = o.annotations ?? none;
  const tracking = a[markKeys.argoTrackingId];
  if (tracking) {
    // `<app>:<group>/<kind>:<namespace>/<name>`
    const found = mark(tracking.split(':')[0], 'argocd', 'argocd-tracking-id');
    if (found) return found;
  }
  if (l[markKeys.argoInstance]) return mark(l[markKeys.argoInstance], 'argocd', 'argocd-instance-label');
  if (l[markKeys.fluxKustomizationName]) {
    return mark(l[markKeys.fluxKustomizationName], 'flux', 'flux-kustomization', {
      sourceNamespace: l[markKeys.fluxKustomizationNamespace],
    });
  }
  if (l[markKeys.fluxHelmReleaseName]) {
    return mark(l[markKeys.fluxHelmReleaseName], 'flux', 'flux-helmrelease', {
      sourceNamespace: l[markKeys.fluxHelmReleaseNamespace],
      helmRelease: appName(a[markKeys.helmReleaseName]),
    });
  }
  if (a[markKeys.helmReleaseName]) return mark(a[markKeys.helmReleaseName], 'helm3', 'helm3-annotation');
  const record = helmRecordRelease(o);
  if (record) return mark(record, 'helm3', 'helm3-record');
  if (l.heritage?.toLowerCase() === 'tiller' && l.release) return mark(l.release, 'helm2', 'helm2-labels');
  // Helm 3.0 and 3.1 set the labels only, not the release annotations.
  if (l[markKeys.managedBy] === 'Helm' && l[markKeys.instance]) return mark(l[markKeys.instance], 'helm3', 'helm3-labels');
  if (l[markKeys.partOf]) return mark(l[markKeys.partOf], 'manual', 'part-of-label');
  if (l[markKeys.instance]) return mark(l[markKeys.instance], 'manual', 'instance-label');
  return undefined;
}
