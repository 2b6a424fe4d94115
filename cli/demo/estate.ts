// A sample estate like a shared cluster really holds: four teams, apps deployed by Helm, by Argo CD,
// by Flux and by hand, stateless and stateful, with files in their volumes. Pure and deterministic.
import { gzipSync } from 'node:zlib';
import type { KubeObject } from '../../activities/kube/object.js';

export interface EstateApp {
  readonly namespace: string;
  readonly team: string;
  readonly mechanism: 'helm3' | 'argocd' | 'flux' | 'manual';
  readonly objects: KubeObject[];
  /** Claims whose volumes get files, and the files (path → content). */
  readonly data: Record<string, Record<string, Buffer>>;
}

const image = (name: string, tag: string) => `registry.internal.example/${name}:${tag}`;

function deployment(
  ns: string,
  name: string,
  opts: {
    replicas?: number;
    claim?: string;
    env?: Record<string, string>;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  } = {},
): KubeObject {
  const labels = { app: name, ...opts.labels };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns, labels, annotations: opts.annotations },
    spec: {
      replicas: opts.replicas ?? 2,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            {
              name,
              image: image(name, '1.4.2'),
              ports: [{ containerPort: 8080 }],
              env: Object.entries(opts.env ?? {}).map(([k, v]) => ({ name: k, value: v })),
              ...(opts.claim ? { volumeMounts: [{ name: 'data', mountPath: '/data' }] } : {}),
            },
          ],
          ...(opts.claim ? { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: opts.claim } }] } : {}),
        },
      },
    },
  };
}

function service(ns: string, name: string, labels: Record<string, string> = {}, headless = false): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns, labels: { app: name, ...labels } },
    spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }], ...(headless ? { clusterIP: 'None' } : {}) },
  };
}

function claim(ns: string, name: string, storageClassName: string, size: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: ns },
    spec: { storageClassName, accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } } },
  };
}

function configMap(ns: string, name: string, data: Record<string, string>, labels?: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns, labels }, data };
}

function secret(ns: string, name: string, data: Record<string, string>, labels?: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: ns, labels }, type: 'Opaque', stringData: data };
}

/** Namespaces of one estate carry its name, so a campaign can select exactly them. */
export const estateLabel = 'ferry.dev/estate';

function namespace(name: string, team: string, estate: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'ferry.dev/team': team, [estateLabel]: estate } } };
}

/** The release record Helm 3 keeps: a Secret whose data is the gzipped, base64-encoded release. */
function helmRelease(ns: string, release: string, chart: string, version: string): KubeObject {
  const record = {
    name: release,
    namespace: ns,
    version: 1,
    info: { status: 'deployed', description: 'Install complete' },
    chart: { metadata: { name: chart, version, apiVersion: 'v2' } },
    config: {},
    manifest: `# rendered manifests of ${chart}-${version}`,
  };
  const encoded = gzipSync(Buffer.from(JSON.stringify(record))).toString('base64');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: `sh.helm.release.v1.${release}.v1`,
      namespace: ns,
      labels: { name: release, owner: 'helm', status: 'deployed', version: '1' },
    },
    type: 'helm.sh/release.v1',
    data: { release: Buffer.from(encoded).toString('base64') },
  };
}

const helmMarks = (release: string, ns: string, chart: string) => ({
  labels: { 'app.kubernetes.io/managed-by': 'Helm', 'app.kubernetes.io/instance': release, 'helm.sh/chart': chart },
  annotations: { 'meta.helm.sh/release-name': release, 'meta.helm.sh/release-namespace': ns },
});

const argoMarks = (app: string, ns: string, kind: string, name: string) => ({
  labels: { 'app.kubernetes.io/instance': app },
  annotations: { 'argocd.argoproj.io/tracking-id': `${app}:apps/${kind}:${ns}/${name}` },
});

/** Files an app would have written: deterministic bytes, some text, some binary, nested directories. */
function files(seed: string, count: number, size: number): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (let i = 0; i < count; i++) {
    const buf = Buffer.alloc(size + i * 131);
    let x = [...seed].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7 + i);
    for (let j = 0; j < buf.length; j++) {
      x = (x * 1103515245 + 12345) >>> 0;
      buf[j] = x >>> 24;
    }
    out[`${i % 3 === 0 ? 'segments/' : ''}part-${String(i).padStart(3, '0')}.bin`] = buf;
  }
  out['README.txt'] = Buffer.from(`data of ${seed}\n`);
  return out;
}

/** The estate: 13 apps of 4 teams, every namespace name starting with `prefix`. */
export function buildEstate(prefix: string): EstateApp[] {
  const ns = (n: string) => `${prefix}-${n}`;
  const apps: EstateApp[] = [];
  const add = (
    name: string,
    team: string,
    mechanism: EstateApp['mechanism'],
    build: (n: string) => KubeObject[],
    data: EstateApp['data'] = {},
  ) => {
    const n = ns(name);
    apps.push({ namespace: n, team, mechanism, objects: [namespace(n, team, prefix), ...build(n)], data });
  };

  add('shop-web', 'payments', 'manual', (n) => [
    deployment(n, 'web', { replicas: 3, env: { API_URL: `http://api.${ns('shop-api')}.svc.cluster.local` } }),
    service(n, 'web'),
    configMap(n, 'web-settings', { theme: 'dark', currency: 'EUR' }),
  ]);
  add('shop-api', 'payments', 'argocd', (n) => [
    { ...deployment(n, 'api', argoMarks('shop-api', n, 'Deployment', 'api')) },
    { ...service(n, 'api'), metadata: { ...service(n, 'api').metadata, ...argoMarks('shop-api', n, 'Service', 'api') } },
    secret(n, 'api-credentials', { token: 'not-a-real-token' }),
  ]);
  add(
    'shop-db',
    'payments',
    'manual',
    (n) => [
      service(n, 'db', {}, true),
      {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: 'db', namespace: n, labels: { app: 'db' } },
        spec: {
          serviceName: 'db',
          replicas: 1,
          selector: { matchLabels: { app: 'db' } },
          template: {
            metadata: { labels: { app: 'db' } },
            spec: {
              containers: [
                { name: 'db', image: image('postgres', '16.4'), volumeMounts: [{ name: 'data', mountPath: '/var/lib/postgresql' }] },
              ],
            },
          },
          volumeClaimTemplates: [
            {
              metadata: { name: 'data' },
              spec: { storageClassName: 'standard', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '2Gi' } } },
            },
          ],
        },
      },
    ],
    { 'data-db-0': files('shop-db', 24, 64 * 1024) },
  );
  add('search-web', 'search', 'manual', (n) => [deployment(n, 'search-web'), service(n, 'search-web')]);
  add(
    'search-index',
    'search',
    'helm3',
    (n) => {
      const m = helmMarks('index', n, 'opensearch-2.1.0');
      return [
        helmRelease(n, 'index', 'opensearch', '2.1.0'),
        { ...deployment(n, 'index', { claim: 'index-data', replicas: 1, ...m }) },
        { ...claim(n, 'index-data', 'fast-ssd', '5Gi'), metadata: { name: 'index-data', namespace: n, ...m } },
        {
          ...configMap(n, 'index-config', { 'opensearch.yml': 'cluster.name: search\n' }),
          metadata: { name: 'index-config', namespace: n, ...m },
        },
      ];
    },
    { 'index-data': files('search-index', 16, 128 * 1024) },
  );
  add('search-crawler', 'search', 'manual', (n) => [
    configMap(n, 'crawler-seeds', { seeds: 'https://docs.example.com\n' }),
    {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'crawler', namespace: n },
      spec: {
        schedule: '0 3 * * *',
        jobTemplate: {
          spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'crawler', image: image('crawler', '0.9.1') }] } } },
        },
      },
    },
  ]);
  add('identity-auth', 'identity', 'argocd', (n) => [
    deployment(n, 'auth', argoMarks('identity-auth', n, 'Deployment', 'auth')),
    service(n, 'auth'),
    secret(n, 'auth-signing-key', { key: 'not-a-real-key' }),
  ]);
  add(
    'identity-ldap',
    'identity',
    'manual',
    (n) => [deployment(n, 'ldap', { replicas: 1, claim: 'ldap-data' }), claim(n, 'ldap-data', 'fast-ssd', '1Gi'), service(n, 'ldap')],
    { 'ldap-data': files('identity-ldap', 10, 32 * 1024) },
  );
  add('identity-admin', 'identity', 'flux', (n) => [
    deployment(n, 'admin', {
      labels: { 'kustomize.toolkit.fluxcd.io/name': 'identity-admin', 'kustomize.toolkit.fluxcd.io/namespace': 'flux-system' },
    }),
  ]);
  add('platform-metrics', 'platform', 'helm3', (n) => {
    const m = helmMarks('metrics', n, 'prometheus-25.8.0');
    return [
      helmRelease(n, 'metrics', 'prometheus', '25.8.0'),
      deployment(n, 'metrics', { replicas: 1, ...m }),
      { ...configMap(n, 'metrics-rules', { 'rules.yml': 'groups: []\n' }), metadata: { name: 'metrics-rules', namespace: n, ...m } },
    ];
  });
  add('platform-docs', 'platform', 'manual', (n) => [
    deployment(n, 'docs'),
    service(n, 'docs'),
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'docs', namespace: n },
      spec: {
        rules: [
          {
            host: 'docs.internal.example',
            http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'docs', port: { number: 80 } } } }] },
          },
        ],
      },
    },
  ]);
  add('platform-cache', 'platform', 'manual', (n) => [deployment(n, 'cache', { replicas: 2 }), service(n, 'cache')]);
  add(
    'legacy-reports',
    'platform',
    'manual',
    (n) => {
      // applied by hand years ago: kubectl left its last-applied annotation, no pipeline knows it
      const d = deployment(n, 'reports', { replicas: 1, claim: 'reports-archive' });
      d.metadata.annotations = { 'kubectl.kubernetes.io/last-applied-configuration': '{"kind":"Deployment"}' };
      return [d, claim(n, 'reports-archive', 'standard', '1Gi')];
    },
    { 'reports-archive': files('legacy-reports', 8, 256 * 1024) },
  );
  return apps;
}
