// A small cluster as objects, and the pure half of an inventory over it (facts → apps → document), as collect.ts
// feeds it after listing: namespaced objects of the selected namespaces, cluster-scoped ones, every Service, Tiller.
import { inventoryDocument } from '../../../activities/inventory/document.js';
import { extractFact } from '../../../activities/inventory/facts.js';
import { buildApps } from '../../../activities/inventory/model.js';
import { compileOptions, defaultInventoryOptions, type InventoryOptions } from '../../../activities/inventory/options.js';
import { latestTillerReleases, readTillerRecord } from '../../../activities/inventory/tiller.js';
import { groupOf, type KubeObject } from '../../../activities/kube/object.js';
import type { InventoryDocument } from '../../../config/inventory.js';
import { helm3ReleaseSecret, tillerConfigMap } from '../../../scripts/gen-estate/helm-records.js';
import { argoMarks, helm3Marks, inNamespace, object, podTemplate } from './objects.js';

export function inventoryOf(
  objects: readonly KubeObject[],
  opts: { options?: Partial<InventoryOptions>; unlisted?: readonly string[]; takenAt?: Date } = {},
): InventoryDocument {
  const options = { ...defaultInventoryOptions, ...opts.options };
  const compiled = compileOptions(options);
  const factOptions = { teamKeys: options.teamKeys };
  const unlisted = new Set(opts.unlisted ?? []);
  const visible = objects.filter((o) => !unlisted.has(`${groupOf(o.apiVersion)}/${o.kind}`));
  const namespaces = visible.filter(
    (o) => o.kind === 'Namespace' && compiled.namespaceNameSelected(o.metadata.name) && compiled.namespaceLabelsMatch(o.metadata.labels),
  );
  const selected = new Set(namespaces.map((n) => n.metadata.name));
  const listed = new Set(objects.map((o) => `${groupOf(o.apiVersion)}/${o.kind}`).filter((k) => !unlisted.has(k)));
  const model = buildApps({
    namespaces: namespaces.map((o) => extractFact(o, factOptions)),
    objects: visible.filter((o) => o.metadata.namespace && selected.has(o.metadata.namespace)).map((o) => extractFact(o, factOptions)),
    clusterObjects: visible.filter((o) => !o.metadata.namespace && o.kind !== 'Namespace').map((o) => extractFact(o, factOptions)),
    services: new Set(visible.filter((o) => o.kind === 'Service').map((o) => `${o.metadata.namespace}/${o.metadata.name}`)),
    tiller: latestTillerReleases(
      visible.flatMap((o) => {
        const r =
          o.kind === 'ConfigMap' && o.metadata.namespace === options.tillerNamespace
            ? readTillerRecord({
                namespace: o.metadata.namespace,
                name: o.metadata.name,
                labels: o.metadata.labels,
                data: o.data as Record<string, string>,
              })
            : undefined;
        return r ? [r] : [];
      }),
    ),
    listed,
    options: compiled,
  });
  return inventoryDocument({
    context: 'ferry-source',
    version: 'v1.36.3',
    takenAt: opts.takenAt ?? new Date('2026-01-01T00:00:00Z'),
    options,
    types: [],
    apps: model.apps,
    warnings: model.warnings,
  });
}

const shop = inNamespace('shop');
const finance = inNamespace('finance');
const auth = inNamespace('auth');
const system = inNamespace('kube-system');
const m = helm3Marks('checkout', 'shop');

/**
 * shop (team payments): Helm 3 release checkout (load balancer, ingress, claim on a CSI volume, references to
 * Secrets and ConfigMaps, one of them missing, a call into finance) and hand-made rest (ExternalName, RoleBinding).
 * finance (team annotation): Helm 2 release ledger-v1 with a custom resource and a ServiceAccount bound to a
 * ClusterRole that does not exist. auth: an Argo CD app with a hand-applied hotfix and a tracked StatefulSet.
 * kube-system: Tiller's records, one for a release whose objects are gone.
 */
export function smallCluster(): KubeObject[] {
  const checkoutPod = {
    serviceAccountName: 'checkout',
    priorityClassName: 'high',
    imagePullSecrets: [{ name: 'regcred' }],
    containers: [
      {
        name: 'checkout',
        image: 'registry.example/checkout:2.1',
        envFrom: [{ configMapRef: { name: 'checkout-env' } }, { configMapRef: { name: 'optional-flags', optional: true } }],
        env: [
          { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'checkout-db', key: 'password' } } },
          { name: 'LEDGER_URL', value: 'http://ledger.finance.svc.cluster.local:8080/v1' },
          { name: 'GHOST_URL', value: 'grpc://ghost.nowhere.svc:9090' },
        ],
      },
    ],
    volumes: [
      { name: 'config', configMap: { name: 'checkout-config' } },
      { name: 'cache', persistentVolumeClaim: { claimName: 'checkout-cache' } },
    ],
  };
  const sts = auth('StatefulSet', 'sessions', {
    ...argoMarks('auth', 'auth', 'StatefulSet', 'sessions', 'apps'),
    body: {
      spec: {
        ...podTemplate({ containers: [] }),
        volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { storageClassName: 'standard' } }],
      },
    },
  });
  return [
    object('Namespace', 'shop', { labels: { 'ferry.dev/team': 'payments' } }),
    object('Namespace', 'finance', { annotations: { team: 'finance' } }),
    object('Namespace', 'auth', { labels: { team: 'identity' } }),
    object('Namespace', 'kube-system'),
    shop('Deployment', 'checkout', { ...m, managers: ['helm'], body: { spec: podTemplate(checkoutPod) } }),
    shop('Service', 'checkout', {
      labels: m.labels,
      annotations: { ...m.annotations, 'external-dns.alpha.kubernetes.io/hostname': 'shop.example.com,www.shop.example.com' },
      body: {
        spec: { type: 'LoadBalancer', ports: [{ port: 443, targetPort: 8443, nodePort: 31443 }] },
        status: { loadBalancer: { ingress: [{ ip: '203.0.113.7' }] } },
      },
    }),
    shop('Ingress', 'checkout', {
      ...m,
      body: {
        spec: {
          ingressClassName: 'nginx',
          tls: [{ hosts: ['shop.example.com'], secretName: 'checkout-tls' }],
          rules: [
            {
              host: 'shop.example.com',
              http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'checkout', port: { number: 443 } } } }] },
            },
          ],
        },
      },
    }),
    shop('ServiceAccount', 'checkout', m),
    shop('ServiceAccount', 'default'),
    shop('Secret', 'checkout-db', {
      ...m,
      body: { type: 'Opaque', data: { password: Buffer.from('hunter2-not-real').toString('base64') } },
    }),
    shop('Secret', 'checkout-tls', { ...m, body: { type: 'kubernetes.io/tls', data: { 'tls.crt': 'Y2VydA==', 'tls.key': 'a2V5' } } }),
    shop('ConfigMap', 'checkout-env', { ...m, body: { data: { LOG_LEVEL: 'info' } } }),
    shop('ConfigMap', 'checkout-config', { ...m, body: { data: { 'app.yaml': 'payments: http://payments.billing.svc.cluster.local\n' } } }),
    shop('ConfigMap', 'kube-root-ca.crt', { body: { data: { 'ca.crt': 'x' } } }),
    shop('PersistentVolumeClaim', 'checkout-cache', {
      ...m,
      body: {
        spec: {
          storageClassName: 'fast-ssd',
          accessModes: ['ReadWriteOnce'],
          resources: { requests: { storage: '5Gi' } },
          volumeName: 'pv-1',
        },
        status: { phase: 'Bound', capacity: { storage: '5Gi' } },
      },
    }),
    helm3ReleaseSecret({ name: 'checkout', namespace: 'shop', chart: 'app', chartVersion: '1.2.3', revision: 1, status: 'deployed' }),
    shop('Service', 'legacy-ledger', { body: { spec: { type: 'ExternalName', externalName: 'ledger.finance.svc.cluster.local' } } }),
    shop('RoleBinding', 'readers', {
      body: {
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
        subjects: [{ kind: 'ServiceAccount', name: 'checkout', namespace: 'shop' }],
      },
    }),
    finance('Service', 'ledger', { labels: { heritage: 'Tiller', release: 'ledger-v1' }, body: { spec: { ports: [{ port: 8080 }] } } }),
    finance('ServiceAccount', 'ledger', { labels: { heritage: 'Tiller', release: 'ledger-v1' } }),
    finance('Database', 'orders', {
      apiVersion: 'db.example.com/v1',
      labels: { heritage: 'Tiller', release: 'ledger-v1' },
      body: { spec: { size: 'small' } },
    }),
    auth('ServiceAccount', 'default'),
    sts,
    auth('Pod', 'sessions-0', { owner: sts }),
    auth('PersistentVolumeClaim', 'data-sessions-0', {
      body: { spec: { storageClassName: 'standard', resources: { requests: { storage: '1Gi' } } }, status: { phase: 'Pending' } },
    }),
    auth('Secret', 'hotfix', { body: { type: 'Opaque', data: { patch: 'eA==' } } }),
    system('ConfigMap', 'coredns', { body: { data: { Corefile: '.:53' } } }),
    tillerConfigMap('kube-system', {
      name: 'ledger-v1',
      namespace: 'finance',
      chart: 'ledger',
      chartVersion: '0.9.0',
      revision: 3,
      status: 'deployed',
    }),
    tillerConfigMap('kube-system', {
      name: 'ledger-v1',
      namespace: 'finance',
      chart: 'ledger',
      chartVersion: '0.8.0',
      revision: 2,
      status: 'superseded',
    }),
    tillerConfigMap('kube-system', {
      name: 'gone',
      namespace: 'finance',
      chart: 'old',
      chartVersion: '0.1.0',
      revision: 1,
      status: 'deployed',
    }),
    object('PersistentVolume', 'pv-1', {
      body: {
        spec: {
          capacity: { storage: '5Gi' },
          csi: { driver: 'ebs.csi.aws.com', volumeHandle: 'vol-0abc' },
          persistentVolumeReclaimPolicy: 'Delete',
          storageClassName: 'fast-ssd',
        },
      },
    }),
    object('CustomResourceDefinition', 'databases.db.example.com', {
      body: { spec: { group: 'db.example.com', names: { kind: 'Database', plural: 'databases' }, scope: 'Namespaced' } },
    }),
    object('ClusterRoleBinding', 'ledger-reader', {
      body: {
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'ledger-reader' },
        subjects: [{ kind: 'ServiceAccount', name: 'ledger', namespace: 'finance' }],
      },
    }),
    object('ClusterRole', 'view'),
    object('PriorityClass', 'high', { body: { value: 1000 } }),
    object('StorageClass', 'fast-ssd', { body: { provisioner: 'ebs.csi.aws.com' } }),
    object('StorageClass', 'standard', { body: { provisioner: 'ebs.csi.aws.com' } }),
    object('IngressClass', 'nginx', { body: { spec: { controller: 'k8s.io/ingress-nginx' } } }),
  ];
}
