// The marks each deployment tool leaves, the mechanism an app is given from them (and from field managers), and
// the team that owns it: tables of the labels and annotations real clusters carry.
import { describe, expect, it } from 'vitest';
import { type Markable, markOf } from '../../../activities/inventory/marks.js';
import { appMechanism, mechanismOfManager } from '../../../activities/inventory/mechanism.js';
import { DEFAULT_TEAM_KEYS } from '../../../activities/inventory/options.js';
import { type Labelled, teamOf } from '../../../activities/inventory/team.js';

describe('markOf', () => {
  const cases: { name: string; object: Markable; mark: { app: string; mechanism: string; rule: string; gitops: boolean } | undefined }[] = [
    {
      name: 'Argo CD annotation tracking',
      object: {
        kind: 'Deployment',
        labels: { 'app.kubernetes.io/instance': 'shop-api' },
        annotations: { 'argocd.argoproj.io/tracking-id': 'shop-api:apps/Deployment:shop/api' },
      },
      mark: { app: 'shop-api', mechanism: 'argocd', rule: 'argocd-tracking-id', gitops: true },
    },
    {
      name: 'Argo CD apps-in-any-namespace tracking ids keep the namespace prefix',
      object: { kind: 'Service', annotations: { 'argocd.argoproj.io/tracking-id': 'team-a_checkout:/Service:shop/checkout' } },
      mark: { app: 'team-a_checkout', mechanism: 'argocd', rule: 'argocd-tracking-id', gitops: true },
    },
    {
      name: 'Argo CD custom instance label',
      object: { kind: 'ConfigMap', labels: { 'argocd.argoproj.io/instance': 'flags' } },
      mark: { app: 'flags', mechanism: 'argocd', rule: 'argocd-instance-label', gitops: true },
    },
    {
      name: 'Argo CD rendering a Helm chart: Argo CD wins over the chart labels',
      object: {
        kind: 'Deployment',
        labels: { 'app.kubernetes.io/managed-by': 'Helm', 'app.kubernetes.io/instance': 'redis', 'helm.sh/chart': 'redis-17.1.0' },
        annotations: { 'argocd.argoproj.io/tracking-id': 'cache:apps/Deployment:shop/redis' },
      },
      mark: { app: 'cache', mechanism: 'argocd', rule: 'argocd-tracking-id', gitops: true },
    },
    {
      name: 'Flux Kustomization',
      object: {
        kind: 'Deployment',
        labels: { 'kustomize.toolkit.fluxcd.io/name': 'apps', 'kustomize.toolkit.fluxcd.io/namespace': 'flux-system' },
      },
      mark: { app: 'apps', mechanism: 'flux', rule: 'flux-kustomization', gitops: true },
    },
    {
      name: 'Flux HelmRelease over the Helm release it drives',
      object: {
        kind: 'StatefulSet',
        labels: {
          'helm.toolkit.fluxcd.io/name': 'db',
          'helm.toolkit.fluxcd.io/namespace': 'flux-system',
          'app.kubernetes.io/managed-by': 'Helm',
        },
        annotations: { 'meta.helm.sh/release-name': 'shop-db', 'meta.helm.sh/release-namespace': 'shop' },
      },
      mark: { app: 'db', mechanism: 'flux', rule: 'flux-helmrelease', gitops: true },
    },
    {
      name: 'Helm 3 release annotation',
      object: { kind: 'Service', annotations: { 'meta.helm.sh/release-name': 'metrics', 'meta.helm.sh/release-namespace': 'mon' } },
      mark: { app: 'metrics', mechanism: 'helm3', rule: 'helm3-annotation', gitops: false },
    },
    {
      name: 'Helm 3 release record Secret',
      object: {
        kind: 'Secret',
        secretType: 'helm.sh/release.v1',
        labels: { name: 'metrics', owner: 'helm', status: 'deployed', version: '3' },
      },
      mark: { app: 'metrics', mechanism: 'helm3', rule: 'helm3-record', gitops: false },
    },
    {
      name: 'Helm 3 release record ConfigMap (configmap storage driver)',
      object: { kind: 'ConfigMap', labels: { name: 'metrics', owner: 'helm', status: 'deployed', version: '1' } },
      mark: { app: 'metrics', mechanism: 'helm3', rule: 'helm3-record', gitops: false },
    },
    {
      name: 'an Opaque Secret labelled like a record is no record',
      object: { kind: 'Secret', secretType: 'Opaque', labels: { name: 'x', owner: 'helm' } },
      mark: undefined,
    },
    {
      name: 'Helm 3.0/3.1 labels without annotations',
      object: { kind: 'Deployment', labels: { 'app.kubernetes.io/managed-by': 'Helm', 'app.kubernetes.io/instance': 'old-release' } },
      mark: { app: 'old-release', mechanism: 'helm3', rule: 'helm3-labels', gitops: false },
    },
    {
      name: 'Helm 2 chart conventions',
      object: { kind: 'Deployment', labels: { heritage: 'Tiller', release: 'billing', chart: 'billing-0.3.1', app: 'billing' } },
      mark: { app: 'billing', mechanism: 'helm2', rule: 'helm2-labels', gitops: false },
    },
    {
      name: 'a release label without heritage is no Helm 2 mark',
      object: { kind: 'Deployment', labels: { release: 'stable' } },
      mark: undefined,
    },
    {
      name: 'part-of beats instance',
      object: { kind: 'Deployment', labels: { 'app.kubernetes.io/part-of': 'webshop', 'app.kubernetes.io/instance': 'orders' } },
      mark: { app: 'webshop', mechanism: 'manual', rule: 'part-of-label', gitops: false },
    },
    {
      name: 'instance alone',
      object: { kind: 'Deployment', labels: { 'app.kubernetes.io/instance': 'orders' } },
      mark: { app: 'orders', mechanism: 'manual', rule: 'instance-label', gitops: false },
    },
    { name: 'nothing', object: { kind: 'Deployment', labels: { app: 'web' } }, mark: undefined },
  ];
  it.each(cases)('$name', ({ object, mark }) => {
    const found = markOf(object);
    expect(found && { app: found.app, mechanism: found.mechanism, rule: found.rule, gitops: found.gitops }).toEqual(mark);
  });

  it('keeps app names usable as key segments', () => {
    expect(markOf({ kind: 'Service', annotations: { 'argocd.argoproj.io/tracking-id': 'a/b c:/Service:ns/x' } })?.app).toBe('a-b-c');
  });
});

describe('appMechanism', () => {
  const m = (o: Markable) => markOf(o);
  const cases = [
    { name: 'no marks: manual, whoever applied it', marks: [undefined], managers: ['helm'], mechanism: 'manual' },
    {
      name: 'a GitOps mark wins over Helm marks in the same app',
      marks: [
        m({ kind: 'Secret', secretType: 'helm.sh/release.v1', labels: { name: 'x', owner: 'helm' } }),
        m({ kind: 'Deployment', labels: { 'argocd.argoproj.io/instance': 'x' } }),
      ],
      managers: [],
      mechanism: 'argocd',
    },
    {
      name: 'Helm 3 over Helm 2 (helm-2to3 leaves the old labels)',
      marks: [m({ kind: 'Deployment', labels: { heritage: 'Tiller', release: 'x' }, annotations: { 'meta.helm.sh/release-name': 'x' } })],
      managers: [],
      mechanism: 'helm3',
    },
    {
      name: 'instance labels written by the Argo CD controller are Argo CD (label tracking)',
      marks: [m({ kind: 'Deployment', labels: { 'app.kubernetes.io/instance': 'x' } })],
      managers: ['argocd-controller'],
      mechanism: 'argocd',
    },
    {
      name: 'instance labels written by Flux controllers are Flux',
      marks: [m({ kind: 'Deployment', labels: { 'app.kubernetes.io/instance': 'x' } })],
      managers: ['kube-controller-manager', 'kustomize-controller'],
      mechanism: 'flux',
    },
    {
      name: 'instance labels applied by a CI system are manual',
      marks: [m({ kind: 'Deployment', labels: { 'app.kubernetes.io/instance': 'x' } })],
      managers: ['jenkins', 'kubectl-client-side-apply'],
      mechanism: 'manual',
    },
  ] as const;
  it.each(cases)('$name', ({ marks, managers, mechanism }) => {
    expect(appMechanism(marks, managers).mechanism).toBe(mechanism);
  });

  it('knows the field managers of the deployment tools', () => {
    expect(
      ['argocd-application-controller', 'helm-controller', 'helm', 'Tiller', 'kubectl-client-side-apply'].map(mechanismOfManager),
    ).toEqual(['argocd', 'flux', 'helm3', 'helm2', undefined]);
  });
});

describe('teamOf', () => {
  const cases: { name: string; objects: Labelled[]; namespace: Labelled | undefined; team: { team: string; from: string } }[] = [
    {
      name: 'the most common team on the objects wins',
      objects: [{ labels: { team: 'search' } }, { labels: { 'ferry.dev/team': 'payments' } }, { labels: { team: 'payments' } }],
      namespace: { labels: { 'ferry.dev/team': 'platform' } },
      team: { team: 'payments', from: 'object' },
    },
    {
      name: 'a tie goes to the first name',
      objects: [{ labels: { team: 'search' } }, { labels: { team: 'payments' } }],
      namespace: undefined,
      team: { team: 'payments', from: 'object' },
    },
    {
      name: 'keys in order: ferry.dev/team before team on the same object',
      objects: [{ labels: { team: 'search', 'ferry.dev/team': 'identity' } }],
      namespace: undefined,
      team: { team: 'identity', from: 'object' },
    },
    {
      name: 'an annotation counts like a label',
      objects: [{ annotations: { 'app.kubernetes.io/team': 'data' } }],
      namespace: undefined,
      team: { team: 'data', from: 'object' },
    },
    {
      name: 'else the namespace label',
      objects: [{ labels: { app: 'web' } }],
      namespace: { labels: { 'ferry.dev/team': 'platform' } },
      team: { team: 'platform', from: 'namespace' },
    },
    {
      name: 'else the namespace annotation',
      objects: [],
      namespace: { annotations: { owner: 'sre' } },
      team: { team: 'sre', from: 'namespace' },
    },
    { name: 'else unowned', objects: [{ labels: { app: 'web' } }], namespace: { labels: {} }, team: { team: 'unowned', from: 'none' } },
  ];
  it.each(cases)('$name', ({ objects, namespace, team }) => {
    expect(teamOf(objects, namespace, DEFAULT_TEAM_KEYS)).toEqual(team);
  });

  it('reads the keys it is configured with, and only those', () => {
    expect(teamOf([{ labels: { 'acme.io/squad': 'rockets', team: 'x' } }], undefined, ['acme.io/squad'])).toEqual({
      team: 'rockets',
      from: 'object',
    });
  });
});
