// Objects as `kubectl get -o json` shows them on the source cluster (uids, managedFields, status and all), for
// an app in namespace legacy-shop: checkout (Deployment), ledger-db (StatefulSet), nightly-report (CronJob).
// Frozen, so every test also proves the code under test never mutates its input.
import type { KubeObject } from '../../../activities/kube/object.js';
import { deepFreeze } from './deep-freeze.js';

const ns = 'legacy-shop';
const created = '2025-03-04T10:15:22Z';
const managed = (manager: string, apiVersion: string, fields: Record<string, unknown>) => [
  { apiVersion, fieldsType: 'FieldsV1', fieldsV1: fields, manager, operation: 'Update', time: '2026-01-12T09:14:03Z' },
];
const lastApplied = (obj: Record<string, unknown>) => ({ 'kubectl.kubernetes.io/last-applied-configuration': `${JSON.stringify(obj)}\n` });
const fixture = (obj: KubeObject): KubeObject => deepFreeze(obj);

export const namespace = fixture({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: {
    name: ns,
    uid: '0b6a1c1e-5a43-4c1f-9d2e-6f1d7f0a2b11',
    resourceVersion: '412',
    creationTimestamp: created,
    labels: { 'kubernetes.io/metadata.name': ns, team: 'payments' },
    managedFields: managed('kubectl-create', 'v1', { 'f:metadata': { 'f:labels': { '.': {}, 'f:kubernetes.io/metadata.name': {} } } }),
  },
  spec: { finalizers: ['kubernetes'] },
  status: { phase: 'Active' },
});

export const serviceAccount = fixture({
  apiVersion: 'v1',
  kind: 'ServiceAccount',
  metadata: {
    name: 'checkout',
    namespace: ns,
    uid: 'a3f0c2d4-1b7e-4e55-8c1a-0d2e3f4a5b61',
    resourceVersion: '530',
    creationTimestamp: created,
  },
});

export const serviceAccountToken = fixture({
  apiVersion: 'v1',
  kind: 'Secret',
  type: 'kubernetes.io/service-account-token',
  metadata: {
    name: 'checkout-token',
    namespace: ns,
    uid: '7c1d9e2f-3a4b-4c5d-8e6f-7a8b9c0d1e21',
    resourceVersion: '545',
    creationTimestamp: created,
    annotations: {
      'kubernetes.io/service-account.name': 'checkout',
      'kubernetes.io/service-account.uid': 'a3f0c2d4-1b7e-4e55-8c1a-0d2e3f4a5b61',
    },
  },
  data: { 'ca.crt': 'LS0tLS1CRUdJTi...', namespace: 'bGVnYWN5LXNob3A=', token: 'ZXlKaGJHY2lPaUpTVXpJMU5pSXNJbXRwWkNJNklpSjk=' },
});

export const secret = fixture({
  apiVersion: 'v1',
  kind: 'Secret',
  type: 'Opaque',
  metadata: {
    name: 'checkout-db',
    namespace: ns,
    uid: '8d2e0f3a-4b5c-4d6e-9f7a-8b9c0d1e2f32',
    resourceVersion: '551',
    creationTimestamp: created,
    managedFields: managed('kubectl-create', 'v1', { 'f:data': { '.': {}, 'f:password': {} }, 'f:type': {} }),
  },
  data: { password: 'czNjcjN0' },
});

export const configMap = fixture({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: {
    name: 'checkout-config',
    namespace: ns,
    uid: '9e3f1a4b-5c6d-4e7f-8a9b-0c1d2e3f4a43',
    resourceVersion: '560',
    creationTimestamp: created,
  },
  data: { 'app.yaml': 'ledgerUrl: http://ledger.legacy-shop.svc:8080\n' },
});

export const roleBinding = fixture({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'RoleBinding',
  metadata: {
    name: 'checkout-reader',
    namespace: ns,
    uid: 'b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d54',
    resourceVersion: '571',
    creationTimestamp: created,
  },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'config-reader' },
  subjects: [
    { kind: 'ServiceAccount', name: 'checkout', namespace: ns },
    { kind: 'ServiceAccount', name: 'prometheus', namespace: 'monitoring' },
    { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'payments-devs' },
  ],
});

export const clusterRoleBinding = fixture({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRoleBinding',
  metadata: {
    name: 'legacy-shop-node-reader',
    uid: 'c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e65',
    resourceVersion: '580',
    creationTimestamp: created,
  },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
  subjects: [{ kind: 'ServiceAccount', name: 'checkout', namespace: ns }],
});

const checkoutUid = 'd3e4f5a6-b7c8-4d9e-8f0a-1b2c3d4e5f76';
const checkoutLabels = { app: 'checkout', team: 'payments' };
const checkoutPodSpec = {
  serviceAccountName: 'checkout',
  containers: [
    {
      name: 'checkout',
      image: 'registry.example.com/shop/checkout:4.2.1',
      ports: [{ containerPort: 8080, name: 'http', protocol: 'TCP' }],
      env: [
        { name: 'REDIS_ADDR', value: 'redis.legacy-shop.svc.cluster.local:6379' },
        { name: 'LEDGER_URL', value: 'http://ledger.legacy-shop.svc:8080/api' },
        { name: 'REPLICA_HOSTS', value: 'ledger-db-0.ledger-db.legacy-shop.svc,ledger-db-1.ledger-db.legacy-shop.svc' },
        { name: 'SEARCH_URL', value: 'http://search.search.svc.cluster.local' },
        { name: 'DATA_DIR', value: '/var/lib/legacy-shop.svc' },
        { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'checkout-db', key: 'password' } } },
      ],
      resources: { requests: { cpu: '100m', memory: '128Mi' } },
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
      imagePullPolicy: 'IfNotPresent',
    },
  ],
  initContainers: [
    {
      name: 'wait-for-db',
      image: 'busybox:1.36',
      command: ['sh', '-c', 'until nc -z $DB_HOST 5432; do sleep 1; done'],
      env: [{ name: 'DB_HOST', value: 'ledger-db.legacy-shop.svc.cluster.local' }],
    },
  ],
  restartPolicy: 'Always',
  dnsPolicy: 'ClusterFirst',
  schedulerName: 'default-scheduler',
  terminationGracePeriodSeconds: 30,
};

export const deployment = fixture({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'checkout',
    namespace: ns,
    uid: checkoutUid,
    resourceVersion: '90817',
    generation: 7,
    creationTimestamp: created,
    labels: checkoutLabels,
    annotations: {
      'deployment.kubernetes.io/revision': '7',
      ...lastApplied({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'checkout', namespace: ns } }),
    },
    managedFields: managed('kubectl-client-side-apply', 'apps/v1', { 'f:spec': { 'f:replicas': {}, 'f:template': {} } }),
  },
  spec: {
    replicas: 3,
    revisionHistoryLimit: 10,
    selector: { matchLabels: { app: 'checkout' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    template: { metadata: { labels: checkoutLabels }, spec: checkoutPodSpec },
  },
  status: { availableReplicas: 3, observedGeneration: 7, readyReplicas: 3, replicas: 3, updatedReplicas: 3 },
});

const replicaSetUid = 'e4f5a6b7-c8d9-4e0f-9a1b-2c3d4e5f6a87';
export const replicaSet = fixture({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: {
    name: 'checkout-7d9f8c6b5',
    namespace: ns,
    uid: replicaSetUid,
    resourceVersion: '90815',
    generation: 2,
    creationTimestamp: created,
    labels: { ...checkoutLabels, 'pod-template-hash': '7d9f8c6b5' },
    annotations: { 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/revision': '7' },
    ownerReferences: [
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'checkout', uid: checkoutUid, controller: true, blockOwnerDeletion: true },
    ],
  },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'checkout', 'pod-template-hash': '7d9f8c6b5' } },
    template: { metadata: { labels: { ...checkoutLabels, 'pod-template-hash': '7d9f8c6b5' } }, spec: checkoutPodSpec },
  },
  status: { replicas: 3, readyReplicas: 3, availableReplicas: 3, fullyLabeledReplicas: 3, observedGeneration: 2 },
});

const apiAccessVolume = {
  name: 'kube-api-access-x7k2p',
  projected: {
    defaultMode: 420,
    sources: [
      { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
    ],
  },
};
const apiAccessMount = { name: 'kube-api-access-x7k2p', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true };

export const pod = fixture({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'checkout-7d9f8c6b5-x2kqp',
    generateName: 'checkout-7d9f8c6b5-',
    namespace: ns,
    uid: 'f5a6b7c8-d9e0-4f1a-8b2c-3d4e5f6a7b98',
    resourceVersion: '90790',
    creationTimestamp: created,
    labels: { ...checkoutLabels, 'pod-template-hash': '7d9f8c6b5' },
    ownerReferences: [
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        name: 'checkout-7d9f8c6b5',
        uid: replicaSetUid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ],
  },
  spec: {
    ...checkoutPodSpec,
    containers: [{ ...checkoutPodSpec.containers[0], volumeMounts: [apiAccessMount] }],
    nodeName: 'kwok-node-1',
    priority: 0,
    enableServiceLinks: true,
    preemptionPolicy: 'PreemptLowerPriority',
    volumes: [apiAccessVolume],
  },
  status: { phase: 'Running', podIP: '10.244.1.17', hostIP: '172.18.0.3', qosClass: 'Burstable', startTime: created },
});

export const debugPod = fixture({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'toolbox',
    namespace: ns,
    uid: 'a6b7c8d9-e0f1-4a2b-9c3d-4e5f6a7b8ca9',
    resourceVersion: '91002',
    creationTimestamp: created,
    labels: { run: 'toolbox' },
  },
  spec: {
    containers: [
      {
        name: 'toolbox',
        image: 'busybox:1.36',
        command: ['sleep', 'infinity'],
        volumeMounts: [{ name: 'scratch', mountPath: '/scratch' }, apiAccessMount],
      },
    ],
    ephemeralContainers: [{ name: 'debugger-8vq2z', image: 'busybox:1.36', targetContainerName: 'toolbox' }],
    nodeName: 'kwok-node-2',
    priority: 1000,
    priorityClassName: 'shop-high',
    volumes: [{ name: 'scratch', emptyDir: {} }, apiAccessVolume],
  },
  status: { phase: 'Running', podIP: '10.244.2.9' },
});

const checkoutServiceUid = 'b7c8d9e0-f1a2-4b3c-8d4e-5f6a7b8c9dba';
export const service = fixture({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: {
    name: 'checkout',
    namespace: ns,
    uid: checkoutServiceUid,
    resourceVersion: '612',
    creationTimestamp: created,
    labels: { app: 'checkout' },
    managedFields: managed('kubectl-client-side-apply', 'v1', { 'f:spec': { 'f:ports': {}, 'f:selector': {} } }),
  },
  spec: {
    type: 'ClusterIP',
    clusterIP: '10.96.14.203',
    clusterIPs: ['10.96.14.203'],
    internalTrafficPolicy: 'Cluster',
    ipFamilies: ['IPv4'],
    ipFamilyPolicy: 'SingleStack',
    ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' }],
    selector: { app: 'checkout' },
    sessionAffinity: 'None',
  },
  status: { loadBalancer: {} },
});

export const loadBalancerService = fixture({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: {
    name: 'checkout-public',
    namespace: ns,
    uid: 'c8d9e0f1-a2b3-4c4d-9e5f-6a7b8c9d0ecb',
    resourceVersion: '633',
    creationTimestamp: created,
  },
  spec: {
    type: 'LoadBalancer',
    allocateLoadBalancerNodePorts: true,
    clusterIP: '10.96.201.7',
    clusterIPs: ['10.96.201.7'],
    externalTrafficPolicy: 'Local',
    healthCheckNodePort: 31544,
    ports: [
      { name: 'https', nodePort: 30443, port: 443, protocol: 'TCP', targetPort: 8443 },
      { name: 'http', nodePort: 30080, port: 80, protocol: 'TCP', targetPort: 8080 },
    ],
    selector: { app: 'checkout' },
  },
  status: { loadBalancer: { ingress: [{ ip: '203.0.113.40' }] } },
});

export const headlessService = fixture({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: {
    name: 'ledger-db',
    namespace: ns,
    uid: 'd9e0f1a2-b3c4-4d5e-8f6a-7b8c9d0e1fdc',
    resourceVersion: '640',
    creationTimestamp: created,
  },
  spec: {
    clusterIP: 'None',
    clusterIPs: ['None'],
    ports: [{ name: 'postgres', port: 5432, protocol: 'TCP', targetPort: 5432 }],
    selector: { app: 'ledger-db' },
    type: 'ClusterIP',
  },
  status: { loadBalancer: {} },
});

/** A Service without a selector: its Endpoints are written by hand and must be restored. */
export const externalService = fixture({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: {
    name: 'legacy-billing',
    namespace: ns,
    uid: 'e0f1a2b3-c4d5-4e6f-9a7b-8c9d0e1f2aed',
    resourceVersion: '655',
    creationTimestamp: created,
  },
  spec: {
    clusterIP: '10.96.77.12',
    clusterIPs: ['10.96.77.12'],
    ports: [{ port: 443, protocol: 'TCP', targetPort: 443 }],
    type: 'ClusterIP',
  },
});

export const endpoints = fixture({
  apiVersion: 'v1',
  kind: 'Endpoints',
  metadata: {
    name: 'checkout',
    namespace: ns,
    uid: 'f1a2b3c4-d5e6-4f7a-8b8c-9d0e1f2a3bfe',
    resourceVersion: '90801',
    creationTimestamp: created,
    labels: { app: 'checkout' },
    annotations: { 'endpoints.kubernetes.io/last-change-trigger-time': '2026-01-12T09:14:01Z' },
  },
  subsets: [{ addresses: [{ ip: '10.244.1.17', nodeName: 'kwok-node-1' }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }],
});

export const manualEndpoints = fixture({
  apiVersion: 'v1',
  kind: 'Endpoints',
  metadata: {
    name: 'legacy-billing',
    namespace: ns,
    uid: 'a2b3c4d5-e6f7-4a8b-9c9d-0e1f2a3b4c0f',
    resourceVersion: '660',
    creationTimestamp: created,
  },
  subsets: [{ addresses: [{ ip: '192.0.2.15' }], ports: [{ port: 443, protocol: 'TCP' }] }],
});

export const endpointSlice = fixture({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: {
    name: 'checkout-9fz4k',
    generateName: 'checkout-',
    namespace: ns,
    uid: 'b3c4d5e6-f7a8-4b9c-8d0e-1f2a3b4c5d10',
    resourceVersion: '90802',
    generation: 5,
    creationTimestamp: created,
    labels: {
      app: 'checkout',
      'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
      'kubernetes.io/service-name': 'checkout',
    },
    ownerReferences: [
      { apiVersion: 'v1', kind: 'Service', name: 'checkout', uid: checkoutServiceUid, controller: true, blockOwnerDeletion: true },
    ],
  },
  addressType: 'IPv4',
  endpoints: [{ addresses: ['10.244.1.17'], conditions: { ready: true, serving: true, terminating: false }, nodeName: 'kwok-node-1' }],
  ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
});

/** Created by hand for the selector-less Service; nothing on the target would re-create it. */
export const manualEndpointSlice = fixture({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: {
    name: 'legacy-billing-manual',
    namespace: ns,
    uid: 'c4d5e6f7-a8b9-4c0d-9e1f-2a3b4c5d6e21',
    resourceVersion: '661',
    creationTimestamp: created,
    labels: { 'kubernetes.io/service-name': 'legacy-billing', 'endpointslice.kubernetes.io/managed-by': 'ops.example.com' },
  },
  addressType: 'IPv4',
  endpoints: [{ addresses: ['192.0.2.15'] }],
  ports: [{ port: 443, protocol: 'TCP' }],
});

export const claim = fixture({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: {
    name: 'data-ledger-db-0',
    namespace: ns,
    uid: 'd5e6f7a8-b9c0-4d1e-8f2a-3b4c5d6e7f32',
    resourceVersion: '7024',
    creationTimestamp: created,
    labels: { app: 'ledger-db' },
    annotations: {
      'pv.kubernetes.io/bind-completed': 'yes',
      'pv.kubernetes.io/bound-by-controller': 'yes',
      'volume.beta.kubernetes.io/storage-provisioner': 'ferry.dev/hostpath',
      'volume.kubernetes.io/selected-node': 'kwok-node-1',
      'volume.kubernetes.io/storage-provisioner': 'ferry.dev/hostpath',
    },
    finalizers: ['kubernetes.io/pvc-protection'],
  },
  spec: {
    accessModes: ['ReadWriteOnce'],
    resources: { requests: { storage: '10Gi' } },
    storageClassName: 'fast-ssd',
    volumeMode: 'Filesystem',
    volumeName: 'pvc-d5e6f7a8-b9c0-4d1e-8f2a-3b4c5d6e7f32',
  },
  status: { accessModes: ['ReadWriteOnce'], capacity: { storage: '10Gi' }, phase: 'Bound' },
});

/** Created before the source had a default class, and pinned to the deprecated annotation. */
export const legacyClaim = fixture({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: {
    name: 'uploads',
    namespace: ns,
    uid: 'e6f7a8b9-c0d1-4e2f-9a3b-4c5d6e7f8a43',
    resourceVersion: '7101',
    creationTimestamp: '2019-06-01T08:00:00Z',
    annotations: { 'volume.beta.kubernetes.io/storage-class': 'standard' },
  },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '50Gi' } }, volumeMode: 'Filesystem' },
});

export const classlessClaim = fixture({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: {
    name: 'cache',
    namespace: ns,
    uid: 'f7a8b9c0-d1e2-4f3a-8b4c-5d6e7f8a9b54',
    resourceVersion: '7150',
    creationTimestamp: created,
  },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeMode: 'Filesystem' },
});

/** Bound by hand to a pre-made volume: `storageClassName: ""` turns dynamic provisioning off. */
export const staticClaim = fixture({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: {
    name: 'archive',
    namespace: ns,
    uid: 'a8b9c0d1-e2f3-4a4b-9c5d-6e7f8a9b0c65',
    resourceVersion: '7160',
    creationTimestamp: created,
  },
  spec: { accessModes: ['ReadOnlyMany'], resources: { requests: { storage: '200Gi' } }, storageClassName: '', volumeName: 'nfs-archive' },
});

export const volume = fixture({
  apiVersion: 'v1',
  kind: 'PersistentVolume',
  metadata: {
    name: 'pvc-d5e6f7a8-b9c0-4d1e-8f2a-3b4c5d6e7f32',
    uid: 'b9c0d1e2-f3a4-4b5c-8d6e-7f8a9b0c1d76',
    resourceVersion: '7020',
    creationTimestamp: created,
    annotations: { 'pv.kubernetes.io/provisioned-by': 'ferry.dev/hostpath' },
    finalizers: ['kubernetes.io/pv-protection'],
  },
  spec: {
    accessModes: ['ReadWriteOnce'],
    capacity: { storage: '10Gi' },
    claimRef: {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      name: 'data-ledger-db-0',
      namespace: ns,
      uid: 'd5e6f7a8-b9c0-4d1e-8f2a-3b4c5d6e7f32',
    },
    hostPath: { path: '/var/lib/ferry/volumes/pvc-d5e6f7a8', type: 'DirectoryOrCreate' },
    persistentVolumeReclaimPolicy: 'Delete',
    storageClassName: 'fast-ssd',
    volumeMode: 'Filesystem',
  },
  status: { phase: 'Bound' },
});

const ledgerUid = 'c0d1e2f3-a4b5-4c6d-9e7f-8a9b0c1d2e87';
export const statefulSet = fixture({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: {
    name: 'ledger-db',
    namespace: ns,
    uid: ledgerUid,
    resourceVersion: '88123',
    generation: 3,
    creationTimestamp: created,
    labels: { app: 'ledger-db' },
  },
  spec: {
    replicas: 2,
    serviceName: 'ledger-db',
    selector: { matchLabels: { app: 'ledger-db' } },
    template: {
      metadata: { labels: { app: 'ledger-db' } },
      spec: {
        containers: [
          {
            name: 'postgres',
            image: 'postgres:16.4',
            env: [{ name: 'PRIMARY_HOST', value: 'ledger-db-0.ledger-db.legacy-shop.svc.cluster.local' }],
            volumeMounts: [
              { name: 'data', mountPath: '/var/lib/postgresql/data' },
              { name: 'wal', mountPath: '/var/lib/postgresql/wal' },
            ],
          },
        ],
      },
    },
    volumeClaimTemplates: [
      {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: 'data' },
        spec: {
          accessModes: ['ReadWriteOnce'],
          resources: { requests: { storage: '10Gi' } },
          storageClassName: 'fast-ssd',
          volumeMode: 'Filesystem',
        },
        status: { phase: 'Pending' },
      },
      {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: 'wal' },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '2Gi' } }, volumeMode: 'Filesystem' },
        status: { phase: 'Pending' },
      },
    ],
    persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
    podManagementPolicy: 'OrderedReady',
    updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
  },
  status: { availableReplicas: 2, currentReplicas: 2, readyReplicas: 2, replicas: 2, currentRevision: 'ledger-db-6c7b8d9f4' },
});

export const controllerRevision = fixture({
  apiVersion: 'apps/v1',
  kind: 'ControllerRevision',
  metadata: {
    name: 'ledger-db-6c7b8d9f4',
    namespace: ns,
    uid: 'd1e2f3a4-b5c6-4d7e-8f8a-9b0c1d2e3f98',
    resourceVersion: '88100',
    creationTimestamp: created,
    labels: { app: 'ledger-db', 'controller.kubernetes.io/hash': '6c7b8d9f4' },
    ownerReferences: [
      { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'ledger-db', uid: ledgerUid, controller: true, blockOwnerDeletion: true },
    ],
  },
  data: { spec: { template: { $patch: 'replace' } } },
  revision: 1,
});

export const statefulPod = fixture({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'ledger-db-0',
    namespace: ns,
    uid: 'e2f3a4b5-c6d7-4e8f-9a9b-0c1d2e3f4aa9',
    resourceVersion: '88130',
    creationTimestamp: created,
    labels: { app: 'ledger-db', 'apps.kubernetes.io/pod-index': '0', 'statefulset.kubernetes.io/pod-name': 'ledger-db-0' },
    ownerReferences: [
      { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'ledger-db', uid: ledgerUid, controller: true, blockOwnerDeletion: true },
    ],
  },
  spec: {
    containers: [{ name: 'postgres', image: 'postgres:16.4' }],
    hostname: 'ledger-db-0',
    subdomain: 'ledger-db',
    nodeName: 'kwok-node-1',
  },
  status: { phase: 'Running' },
});

const cronJobUid = 'f3a4b5c6-d7e8-4f9a-8b0c-1d2e3f4a5bba';
export const cronJob = fixture({
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name: 'nightly-report', namespace: ns, uid: cronJobUid, resourceVersion: '95001', generation: 1, creationTimestamp: created },
  spec: {
    schedule: '0 2 * * *',
    concurrencyPolicy: 'Forbid',
    jobTemplate: {
      metadata: { creationTimestamp: null },
      spec: {
        template: {
          metadata: { creationTimestamp: null },
          spec: {
            restartPolicy: 'OnFailure',
            containers: [
              { name: 'report', image: 'registry.example.com/shop/report:1.9', env: [{ name: 'DB', value: 'ledger-db.legacy-shop.svc' }] },
            ],
          },
        },
      },
    },
  },
  status: { lastScheduleTime: '2026-01-12T02:00:00Z', lastSuccessfulTime: '2026-01-12T02:03:41Z' },
});

const cronRunUid = 'a4b5c6d7-e8f9-4a0b-9c1d-2e3f4a5b6ccb';
export const cronJobRun = fixture({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: {
    name: 'nightly-report-29468280',
    namespace: ns,
    uid: cronRunUid,
    resourceVersion: '95020',
    generation: 1,
    creationTimestamp: '2026-01-12T02:00:00Z',
    labels: {
      'batch.kubernetes.io/controller-uid': cronRunUid,
      'batch.kubernetes.io/job-name': 'nightly-report-29468280',
      'controller-uid': cronRunUid,
      'job-name': 'nightly-report-29468280',
    },
    ownerReferences: [
      { apiVersion: 'batch/v1', kind: 'CronJob', name: 'nightly-report', uid: cronJobUid, controller: true, blockOwnerDeletion: true },
    ],
  },
  spec: {
    selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': cronRunUid } },
    template: {
      metadata: {
        labels: {
          'batch.kubernetes.io/controller-uid': cronRunUid,
          'batch.kubernetes.io/job-name': 'nightly-report-29468280',
          'controller-uid': cronRunUid,
          'job-name': 'nightly-report-29468280',
        },
      },
      spec: { restartPolicy: 'OnFailure', containers: [{ name: 'report', image: 'registry.example.com/shop/report:1.9' }] },
    },
  },
  status: { succeeded: 1, completionTime: '2026-01-12T02:03:41Z' },
});

const migrateUid = 'b5c6d7e8-f9a0-4b1c-8d2e-3f4a5b6c7ddc';
export const job = fixture({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: {
    name: 'migrate-schema',
    namespace: ns,
    uid: migrateUid,
    resourceVersion: '96010',
    generation: 1,
    creationTimestamp: created,
    labels: {
      app: 'ledger',
      'batch.kubernetes.io/controller-uid': migrateUid,
      'batch.kubernetes.io/job-name': 'migrate-schema',
      'controller-uid': migrateUid,
      'job-name': 'migrate-schema',
    },
  },
  spec: {
    backoffLimit: 6,
    completionMode: 'NonIndexed',
    completions: 1,
    parallelism: 1,
    selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': migrateUid } },
    suspend: false,
    template: {
      metadata: {
        labels: {
          app: 'ledger',
          'batch.kubernetes.io/controller-uid': migrateUid,
          'batch.kubernetes.io/job-name': 'migrate-schema',
          'controller-uid': migrateUid,
          'job-name': 'migrate-schema',
        },
      },
      spec: { restartPolicy: 'Never', containers: [{ name: 'migrate', image: 'registry.example.com/shop/ledger-migrate:2.0' }] },
    },
  },
  status: { succeeded: 1, ready: 0, uncountedTerminatedPods: {} },
});

export const manualSelectorJob = fixture({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: {
    name: 'reindex',
    namespace: ns,
    uid: 'c6d7e8f9-a0b1-4c2d-9e3f-4a5b6c7d8eed',
    resourceVersion: '96100',
    creationTimestamp: created,
    labels: { task: 'reindex' },
  },
  spec: {
    manualSelector: true,
    selector: { matchLabels: { task: 'reindex' } },
    template: {
      metadata: { labels: { task: 'reindex' } },
      spec: { restartPolicy: 'Never', containers: [{ name: 'reindex', image: 'registry.example.com/shop/search-tools:3.1' }] },
    },
  },
  status: { active: 1 },
});

export const event = fixture({
  apiVersion: 'v1',
  kind: 'Event',
  metadata: {
    name: 'checkout-7d9f8c6b5-x2kqp.17a9c3b1e5f0a2d4',
    namespace: ns,
    uid: 'd7e8f9a0-b1c2-4d3e-8f4a-5b6c7d8e9ffe',
    resourceVersion: '90791',
    creationTimestamp: created,
  },
  involvedObject: { apiVersion: 'v1', kind: 'Pod', name: 'checkout-7d9f8c6b5-x2kqp', namespace: ns },
  reason: 'Scheduled',
  message: 'Successfully assigned legacy-shop/checkout-7d9f8c6b5-x2kqp to kwok-node-1',
  type: 'Normal',
});

export const networkPolicy = fixture({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: {
    name: 'checkout-ingress',
    namespace: ns,
    uid: 'e8f9a0b1-c2d3-4e4f-9a5b-6c7d8e9f0a0f',
    resourceVersion: '700',
    generation: 1,
    creationTimestamp: created,
  },
  spec: {
    podSelector: { matchLabels: { app: 'checkout' } },
    policyTypes: ['Ingress', 'Egress'],
    ingress: [
      {
        from: [
          { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'legacy-shop' } } },
          { podSelector: { matchLabels: { app: 'gateway' } } },
        ],
      },
    ],
    egress: [
      {
        to: [
          {
            namespaceSelector: {
              matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['search', 'legacy-shop'] }],
            },
          },
        ],
      },
    ],
  },
});

export const ingress = fixture({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: {
    name: 'checkout',
    namespace: ns,
    uid: 'f9a0b1c2-d3e4-4f5a-8b6c-7d8e9f0a1b10',
    resourceVersion: '710',
    generation: 2,
    creationTimestamp: created,
  },
  spec: {
    ingressClassName: 'nginx',
    rules: [
      {
        host: 'shop.example.com',
        http: { paths: [{ path: '/checkout', pathType: 'Prefix', backend: { service: { name: 'checkout', port: { number: 80 } } } }] },
      },
    ],
  },
  status: { loadBalancer: { ingress: [{ ip: '203.0.113.41' }] } },
});

export const horizontalPodAutoscaler = fixture({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: {
    name: 'checkout',
    namespace: ns,
    uid: 'a0b1c2d3-e4f5-4a6b-9c7d-8e9f0a1b2c21',
    resourceVersion: '720',
    creationTimestamp: created,
  },
  spec: { maxReplicas: 10, minReplicas: 3, scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'checkout' } },
  status: { currentReplicas: 3, desiredReplicas: 3 },
});

export const podDisruptionBudget = fixture({
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  metadata: {
    name: 'ledger-db',
    namespace: ns,
    uid: 'b1c2d3e4-f5a6-4b7c-8d8e-9f0a1b2c3d32',
    resourceVersion: '730',
    generation: 1,
    creationTimestamp: created,
  },
  spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'ledger-db' } } },
  status: { currentHealthy: 2, desiredHealthy: 1, disruptionsAllowed: 1, expectedPods: 2 },
});

export const limitRange = fixture({
  apiVersion: 'v1',
  kind: 'LimitRange',
  metadata: {
    name: 'defaults',
    namespace: ns,
    uid: 'c2d3e4f5-a6b7-4c8d-9e9f-0a1b2c3d4e43',
    resourceVersion: '420',
    creationTimestamp: created,
  },
  spec: { limits: [{ type: 'Container', default: { cpu: '500m', memory: '256Mi' }, defaultRequest: { cpu: '100m', memory: '128Mi' } }] },
});

export const storageClass = fixture({
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: {
    name: 'fast-ssd',
    uid: 'd3e4f5a6-b7c8-4d9e-8f0a-1b2c3d4e5f54',
    resourceVersion: '88',
    creationTimestamp: created,
    annotations: { 'storageclass.kubernetes.io/is-default-class': 'false' },
  },
  provisioner: 'ferry.dev/hostpath',
  reclaimPolicy: 'Delete',
  volumeBindingMode: 'WaitForFirstConsumer',
});

export const priorityClass = fixture({
  apiVersion: 'scheduling.k8s.io/v1',
  kind: 'PriorityClass',
  metadata: { name: 'shop-high', uid: 'e4f5a6b7-c8d9-4e0f-9a1b-2c3d4e5f6a65', resourceVersion: '95', creationTimestamp: created },
  value: 1000,
  globalDefault: false,
  preemptionPolicy: 'PreemptLowerPriority',
});

export const role = fixture({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'Role',
  metadata: {
    name: 'config-reader',
    namespace: ns,
    uid: 'f5a6b7c8-d9e0-4f1a-8b2c-3d4e5f6a7b76',
    resourceVersion: '565',
    creationTimestamp: created,
  },
  rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] }],
});

export const customResourceDefinition = fixture({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: {
    name: 'certificates.cert-manager.io',
    uid: 'a6b7c8d9-e0f1-4a2b-9c3d-4e5f6a7b8c87',
    resourceVersion: '150',
    generation: 1,
    creationTimestamp: created,
  },
  spec: {
    group: 'cert-manager.io',
    names: { kind: 'Certificate', listKind: 'CertificateList', plural: 'certificates', singular: 'certificate' },
    scope: 'Namespaced',
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
      },
    ],
  },
  status: { acceptedNames: { kind: 'Certificate', plural: 'certificates' }, storedVersions: ['v1'] },
});

export const certificate = fixture({
  apiVersion: 'cert-manager.io/v1',
  kind: 'Certificate',
  metadata: {
    name: 'shop-tls',
    namespace: ns,
    uid: 'b7c8d9e0-f1a2-4b3c-8d4e-5f6a7b8c9d98',
    resourceVersion: '800',
    generation: 1,
    creationTimestamp: created,
  },
  spec: { dnsNames: ['shop.example.com'], issuerRef: { kind: 'ClusterIssuer', name: 'letsencrypt' }, secretName: 'shop-tls' },
  status: { conditions: [{ type: 'Ready', status: 'True' }], notAfter: '2026-04-01T00:00:00Z' },
});

/** Served by the CRD in group snapshot.storage.k8s.io: a custom resource despite the k8s.io suffix. */
export const volumeSnapshot = fixture({
  apiVersion: 'snapshot.storage.k8s.io/v1',
  kind: 'VolumeSnapshot',
  metadata: {
    name: 'ledger-db-nightly',
    namespace: ns,
    uid: 'c8d9e0f1-a2b3-4c4d-9e5f-6a7b8c9d0ea9',
    resourceVersion: '810',
    creationTimestamp: created,
  },
  spec: { source: { persistentVolumeClaimName: 'data-ledger-db-0' }, volumeSnapshotClassName: 'hostpath-snapshots' },
});

export const lease = fixture({
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  metadata: {
    name: 'checkout-leader',
    namespace: ns,
    uid: 'd9e0f1a2-b3c4-4d5e-8f6a-7b8c9d0e1fba',
    resourceVersion: '91500',
    creationTimestamp: created,
  },
  spec: { holderIdentity: 'checkout-7d9f8c6b5-x2kqp', leaseDurationSeconds: 15 },
});

export const validatingWebhook = fixture({
  apiVersion: 'admissionregistration.k8s.io/v1',
  kind: 'ValidatingWebhookConfiguration',
  metadata: {
    name: 'cert-manager-webhook',
    uid: 'e0f1a2b3-c4d5-4e6f-9a7b-8c9d0e1f2acb',
    resourceVersion: '160',
    generation: 1,
    creationTimestamp: created,
  },
  webhooks: [
    {
      name: 'webhook.cert-manager.io',
      admissionReviewVersions: ['v1'],
      clientConfig: { service: { name: 'cert-manager-webhook', namespace: 'cert-manager', path: '/validate' } },
      sideEffects: 'None',
    },
  ],
});
