// Grouping a namespace into apps, the one rule inventory and backup share: marks of each tool, owner folding,
// the namespace-named app for the rest, and where the default ServiceAccount goes.
import { describe, expect, it } from 'vitest';
import { groupNamespace, memberFactOf } from '../../../activities/inventory/membership.js';
import type { KubeObject } from '../../../activities/kube/object.js';
import { helm3ReleaseSecret, tillerConfigMap } from '../../../scripts/gen-estate/helm-records.js';
import { argoMarks, helm3Marks, inNamespace, podTemplate } from './objects.js';

const ns = 'shop';
const o = inNamespace(ns);
const name = (x: KubeObject) => `${x.kind}/${x.metadata.name}`;

function grouped(objects: readonly KubeObject[]): Record<string, { objects: string[]; generated: string[] }> {
  const out: Record<string, { objects: string[]; generated: string[] }> = {};
  for (const app of groupNamespace(ns, objects.map(memberFactOf))) {
    out[app.name] = { objects: app.objects.map((i) => name(objects[i])), generated: app.generated.map((i) => name(objects[i])) };
  }
  return out;
}

// a Deployment with its ReplicaSet and Pod, a Service with its Endpoints and EndpointSlice
function deploymentChain(app: string, marks: { labels?: Record<string, string>; annotations?: Record<string, string> } = {}) {
  const deploy = o('Deployment', app, { ...marks, body: { spec: podTemplate({ containers: [{ name: app, image: 'x' }] }) } });
  const rs = o('ReplicaSet', `${app}-5d8f7c9b4`, { owner: deploy, labels: marks.labels });
  const pod = o('Pod', `${app}-5d8f7c9b4-x2x9q`, { owner: rs, labels: marks.labels });
  const svc = o('Service', app, marks);
  const endpoints = o('Endpoints', app, { labels: marks.labels });
  const slice = o('EndpointSlice', `${app}-8hj2k`, { owner: svc, labels: marks.labels });
  return [deploy, rs, pod, svc, endpoints, slice];
}

const defaultSa = o('ServiceAccount', 'default');
const rootCa = o('ConfigMap', 'kube-root-ca.crt', { body: { data: { 'ca.crt': 'x' } } });

describe('groupNamespace', () => {
  const cases: { name: string; objects: KubeObject[]; apps: Record<string, { objects: string[]; generated: string[] }> }[] = [
    {
      name: 'an unmarked namespace is one app named after it; controllers made objects fold under their owners',
      objects: [...deploymentChain('web'), o('ConfigMap', 'web-settings'), defaultSa, rootCa],
      apps: {
        shop: {
          objects: ['ConfigMap/web-settings', 'Deployment/web', 'Service/web', 'ServiceAccount/default'],
          generated: ['EndpointSlice/web-8hj2k', 'Endpoints/web', 'Pod/web-5d8f7c9b4-x2x9q', 'ReplicaSet/web-5d8f7c9b4'],
        },
      },
    },
    {
      name: 'a Helm 3 release splits the namespace; its release records join it; the rest keeps the namespace name',
      objects: [
        ...deploymentChain('api', helm3Marks('payments-api', ns)),
        helm3ReleaseSecret({ name: 'payments-api', namespace: ns, chart: 'app', chartVersion: '1.2.3', revision: 1, status: 'superseded' }),
        helm3ReleaseSecret({ name: 'payments-api', namespace: ns, chart: 'app', chartVersion: '1.2.4', revision: 2, status: 'deployed' }),
        o('Secret', 'hand-made-token', { body: { type: 'Opaque', data: { token: 'eA==' } } }),
        defaultSa,
      ],
      apps: {
        'payments-api': {
          objects: [
            'Deployment/api',
            'Secret/sh.helm.release.v1.payments-api.v1',
            'Secret/sh.helm.release.v1.payments-api.v2',
            'Service/api',
          ],
          generated: ['EndpointSlice/api-8hj2k', 'Endpoints/api', 'Pod/api-5d8f7c9b4-x2x9q', 'ReplicaSet/api-5d8f7c9b4'],
        },
        shop: { objects: ['Secret/hand-made-token', 'ServiceAccount/default'], generated: [] },
      },
    },
    {
      name: 'a namespace holding only a release: the default ServiceAccount joins it, no empty app is made',
      objects: [o('ConfigMap', 'metrics-rules', helm3Marks('metrics', ns)), defaultSa, rootCa],
      apps: { metrics: { objects: ['ConfigMap/metrics-rules', 'ServiceAccount/default'], generated: [] } },
    },
    {
      name: 'an Argo CD app named like the namespace takes in the unmarked objects, which stay untracked there',
      objects: [
        o('Deployment', 'auth', argoMarks(ns, ns, 'Deployment', 'auth', 'apps')),
        o('Service', 'auth'),
        o('ConfigMap', 'auth-flags', { labels: { 'argocd.argoproj.io/instance': 'auth-flags-app' } }),
      ],
      apps: {
        'auth-flags-app': { objects: ['ConfigMap/auth-flags'], generated: [] },
        shop: { objects: ['Deployment/auth', 'Service/auth'], generated: [] },
      },
    },
    {
      name: 'a Flux HelmRelease takes the records of the Helm release it drives, though they carry no Flux label',
      objects: [
        o('Deployment', 'cache', {
          labels: { 'helm.toolkit.fluxcd.io/name': 'cache', 'helm.toolkit.fluxcd.io/namespace': 'flux-system' },
          annotations: { 'meta.helm.sh/release-name': 'shop-cache', 'meta.helm.sh/release-namespace': ns },
        }),
        helm3ReleaseSecret({ name: 'shop-cache', namespace: ns, chart: 'redis', chartVersion: '17.1.0', revision: 1, status: 'deployed' }),
        o('Deployment', 'admin', {
          labels: { 'kustomize.toolkit.fluxcd.io/name': 'admin', 'kustomize.toolkit.fluxcd.io/namespace': 'flux-system' },
        }),
      ],
      apps: {
        admin: { objects: ['Deployment/admin'], generated: [] },
        cache: { objects: ['Deployment/cache', 'Secret/sh.helm.release.v1.shop-cache.v1'], generated: [] },
      },
    },
    {
      name: 'Helm 2 objects group by their release label; the Tiller record lives elsewhere and is no member',
      objects: [
        o('Deployment', 'legacy', { labels: { heritage: 'Tiller', release: 'legacy-billing', chart: 'billing-0.3.1' } }),
        o('Service', 'legacy', { labels: { heritage: 'Tiller', release: 'legacy-billing' } }),
        tillerConfigMap('kube-system', {
          name: 'legacy-billing',
          namespace: ns,
          chart: 'billing',
          chartVersion: '0.3.1',
          revision: 1,
          status: 'deployed',
        }),
      ],
      apps: {
        'legacy-billing': { objects: ['Deployment/legacy', 'Service/legacy'], generated: [] },
        // a stray Tiller ConfigMap listed with the namespace: labels OWNER/NAME are not Helm 3's owner/name
        shop: { objects: ['ConfigMap/legacy-billing.v1'], generated: [] },
      },
    },
    {
      name: 'app.kubernetes.io/part-of wins over instance; both split a namespace of hand-applied apps',
      objects: [
        o('Deployment', 'orders', { labels: { 'app.kubernetes.io/part-of': 'webshop', 'app.kubernetes.io/instance': 'orders-1' } }),
        o('Deployment', 'cart', { labels: { 'app.kubernetes.io/part-of': 'webshop' } }),
        o('Deployment', 'reports', { labels: { 'app.kubernetes.io/instance': 'reports' } }),
      ],
      apps: {
        reports: { objects: ['Deployment/reports'], generated: [] },
        webshop: { objects: ['Deployment/cart', 'Deployment/orders'], generated: [] },
      },
    },
    {
      name: 'a StatefulSet keeps the claims of its templates (listed, not generated) and its ControllerRevisions and Pods',
      objects: (() => {
        const sts = o('StatefulSet', 'db', {
          ...helm3Marks('db', ns),
          body: { spec: { ...podTemplate({ containers: [] }), volumeClaimTemplates: [{ metadata: { name: 'data' } }] } },
        });
        return [
          sts,
          o('ControllerRevision', 'db-7c9d', { owner: sts }),
          o('Pod', 'db-0', { owner: sts }),
          o('PersistentVolumeClaim', 'data-db-0', { labels: { app: 'db' } }),
          o('PersistentVolumeClaim', 'data-db-1', { labels: { app: 'db' } }),
          o('PersistentVolumeClaim', 'scratch', {}),
        ];
      })(),
      apps: {
        db: {
          objects: ['PersistentVolumeClaim/data-db-0', 'PersistentVolumeClaim/data-db-1', 'StatefulSet/db'],
          generated: ['ControllerRevision/db-7c9d', 'Pod/db-0'],
        },
        shop: { objects: ['PersistentVolumeClaim/scratch'], generated: [] },
      },
    },
    {
      name: 'a CronJob keeps its Jobs and their Pods; a claim a controller owns stays listed',
      objects: (() => {
        const cron = o('CronJob', 'report', { labels: { 'app.kubernetes.io/instance': 'reporting' } });
        const job = o('Job', 'report-29000000', { owner: cron });
        return [cron, job, o('Pod', 'report-29000000-abcde', { owner: job }), o('PersistentVolumeClaim', 'report-cache', { owner: job })];
      })(),
      apps: {
        reporting: {
          objects: ['CronJob/report', 'PersistentVolumeClaim/report-cache'],
          generated: ['Job/report-29000000', 'Pod/report-29000000-abcde'],
        },
      },
    },
    {
      name: 'an owner reference whose uid names another kind is not followed (the object is still made by a controller)',
      objects: (() => {
        const deploy = o('Deployment', 'web', { labels: { 'app.kubernetes.io/instance': 'web' } });
        const rs = o('ReplicaSet', 'web-1', { owner: deploy });
        const refs = rs.metadata.ownerReferences ?? [];
        return [deploy, { ...rs, metadata: { ...rs.metadata, ownerReferences: refs.map((r) => ({ ...r, kind: 'StatefulSet' })) } }];
      })(),
      apps: { shop: { objects: [], generated: ['ReplicaSet/web-1'] }, web: { objects: ['Deployment/web'], generated: [] } },
    },
    {
      name: 'a Pod whose ReplicaSet was not listed (made while the namespace was listed) is generated, in the app its labels name',
      objects: (() => {
        const rs = o('ReplicaSet', 'risk-7cd7', { labels: { 'app.kubernetes.io/instance': 'risk' } });
        const pod = o('Pod', 'risk-7cd7-x1', { owner: rs, labels: { 'app.kubernetes.io/instance': 'risk' } });
        return [pod, o('ConfigMap', 'risk-settings', { labels: { 'app.kubernetes.io/instance': 'risk' } })];
      })(),
      apps: { risk: { objects: ['ConfigMap/risk-settings'], generated: ['Pod/risk-7cd7-x1'] } },
    },
    {
      name: 'an owner cycle (never made by controllers) still places every object',
      objects: (() => {
        const a = o('ConfigMap', 'a', { labels: { 'app.kubernetes.io/instance': 'loop' } });
        const b = o('ConfigMap', 'b', { owner: a });
        return [
          {
            ...a,
            metadata: {
              ...a.metadata,
              ownerReferences: b.metadata.ownerReferences?.map((r) => ({ ...r, name: 'b', uid: b.metadata.uid as string })),
            },
          },
          b,
        ];
      })(),
      apps: { loop: { objects: ['ConfigMap/a'], generated: ['ConfigMap/b'] } },
    },
    {
      name: 'an empty namespace is still an app',
      objects: [rootCa],
      apps: { shop: { objects: [], generated: [] } },
    },
  ];

  it.each(cases)('$name', ({ objects, apps }) => {
    expect(grouped(objects)).toEqual(apps);
  });

  it('gives the same apps whatever order the objects are listed in', () => {
    const objects = [...deploymentChain('api', helm3Marks('api', ns)), ...deploymentChain('web'), defaultSa, o('Secret', 'x')];
    expect(grouped([...objects].reverse())).toEqual(grouped(objects));
  });
});
