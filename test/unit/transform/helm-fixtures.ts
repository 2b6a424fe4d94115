// Helm 3 release objects as Helm 3.5 stored them on the old cluster (storage drivers "secret" and "configmap"),
// encoded here with node:zlib the way Helm encodes them, independently of the code under test; and Tiller's
// Helm v2 release ConfigMaps, encoded with Helm v2's protobuf schema.
import { gzipSync } from 'node:zlib';
import type { KubeObject } from '../../../activities/kube/object.js';
import { helm2ReleaseType } from '../../../activities/transform/helm2-proto.js';
import { deepFreeze } from './deep-freeze.js';

/** As Helm 3 stores a rendered chart: documents joined by `---`, each after its `# Source:` line. */
export const storefrontManifest = `---
# Source: storefront/templates/serviceaccount.yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: storefront
  namespace: legacy-shop
  labels:
    app.kubernetes.io/managed-by: Helm
---
# Source: storefront/templates/configmap.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: storefront
data:
  ledger: "http://ledger.legacy-shop.svc:8080"
---
# Source: storefront/templates/rolebinding.yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: storefront
  namespace: "legacy-shop"
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: storefront
subjects:
  - kind: ServiceAccount
    name: storefront
    namespace: 'legacy-shop'
  - kind: ServiceAccount
    name: prometheus
    namespace: monitoring
---
# Source: storefront/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: storefront
spec:
  selector:
    matchLabels:
      app: storefront
  template:
    metadata:
      labels:
        app: storefront
    spec:
      containers:
        - name: web
          image: "registry.old.example/shop/storefront:2.3.1"
          env:
            - name: LEDGER_URL
              value: http://ledger.legacy-shop.svc.cluster.local:8080 # the ledger API
            - name: FEATURE_FLAGS
              value: "yes"
`;

const migrateHook = `apiVersion: batch/v1
kind: Job
metadata:
  name: storefront-migrate
  namespace: legacy-shop
  annotations:
    "helm.sh/hook": pre-upgrade
    "helm.sh/hook-delete-policy": before-hook-creation
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: migrate
          image: "registry.old.example/shop/storefront:2.3.1"
          env:
            - name: DB_HOST
              value: ledger-db.legacy-shop.svc
`;

/** pkg/release.Release as Helm 3 marshals it, times in the local zone of the machine that ran helm. */
export const storefrontRelease = deepFreeze({
  name: 'storefront',
  info: {
    first_deployed: '2021-04-12T09:30:11.40212+02:00',
    last_deployed: '2021-09-01T14:02:55.118324+02:00',
    deleted: '',
    description: 'Upgrade complete',
    status: 'deployed',
    notes: 'Storefront is at https://shop.old.example\n',
  },
  chart: {
    metadata: {
      name: 'storefront',
      version: '2.3.1',
      description: 'The shop front end',
      apiVersion: 'v2',
      appVersion: '2.3.1',
      type: 'application',
    },
    lock: null,
    templates: [{ name: 'templates/deployment.yaml', data: 'YXBpVmVyc2lvbjogYXBwcy92MQpraW5kOiBEZXBsb3ltZW50Cg==' }],
    values: { replicaCount: 2, image: { repository: 'registry.old.example/shop/storefront', tag: '' } },
    schema: null,
    files: [],
  },
  config: { replicaCount: 3 },
  manifest: storefrontManifest,
  hooks: [
    {
      name: 'storefront-migrate',
      kind: 'Job',
      path: 'storefront/templates/migrate-job.yaml',
      manifest: migrateHook,
      events: ['pre-upgrade'],
      last_run: { started_at: '2021-09-01T14:02:40.00731+02:00', completed_at: '2021-09-01T14:02:54.90122+02:00', phase: 'Succeeded' },
      delete_policies: ['before-hook-creation'],
    },
  ],
  version: 4,
  namespace: 'legacy-shop',
});

/** Helm's payload: base64 of the gzipped JSON. */
const helmPayload = (release: unknown) => gzipSync(Buffer.from(JSON.stringify(release))).toString('base64');
const base64 = (text: string) => Buffer.from(text).toString('base64');

const releaseLabels = { name: 'storefront', owner: 'helm', status: 'deployed', version: '4', modifiedAt: '1630497775' };

export const releaseSecret: KubeObject = deepFreeze({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: {
    creationTimestamp: '2021-09-01T12:02:55Z',
    labels: releaseLabels,
    name: 'sh.helm.release.v1.storefront.v4',
    namespace: 'legacy-shop',
    resourceVersion: '61230021',
    uid: '3f6a1b2c-4d5e-4f70-8a9b-0c1d2e3f4a5b',
  },
  type: 'helm.sh/release.v1',
  data: { release: base64(helmPayload(storefrontRelease)) },
});

/** HELM_DRIVER=configmap: the same payload, without the Secret's extra base64. */
export const releaseConfigMap: KubeObject = deepFreeze({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { labels: releaseLabels, name: 'sh.helm.release.v1.storefront.v4', namespace: 'legacy-shop' },
  data: { release: helmPayload(storefrontRelease) },
});

/** An object of the release: Helm 3 refuses to touch it unless these annotations name the release. */
export const releaseServiceAccount: KubeObject = deepFreeze({
  apiVersion: 'v1',
  kind: 'ServiceAccount',
  metadata: {
    name: 'storefront',
    namespace: 'legacy-shop',
    labels: { 'app.kubernetes.io/managed-by': 'Helm' },
    annotations: { 'meta.helm.sh/release-name': 'storefront', 'meta.helm.sh/release-namespace': 'legacy-shop' },
  },
});

/** What Tiller's ConfigMap driver wrote: base64 of the gzipped protobuf, labels in capitals. */
export function tillerConfigMap(release: object, labels: Record<string, string>): KubeObject {
  const bytes = helm2ReleaseType.encode(helm2ReleaseType.fromObject(release)).finish();
  return deepFreeze({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: `${labels.NAME}.v${labels.VERSION}`,
      namespace: 'kube-system',
      labels: { OWNER: 'TILLER', ...labels },
      resourceVersion: '39120488',
      uid: '5b0c3d2e-c9a1-11e9-9a3f-42010a840031',
      creationTimestamp: '2019-08-28T13:46:40Z',
    },
    data: { release: gzipSync(bytes).toString('base64') },
  });
}
