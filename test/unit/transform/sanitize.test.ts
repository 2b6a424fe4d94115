// What sanitize strips or drops, kind by kind, on objects as the source cluster returns them.
import jsonPatch from 'fast-json-patch';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../activities/kube/object.js';
import { type Segment, valueAt } from '../../../activities/transform/pointer.js';
import { sanitize, sanitizeContext } from '../../../activities/transform/sanitize.js';
import {
  claim,
  configMap,
  debugPod,
  deployment,
  endpointSlice,
  endpoints,
  event,
  externalService,
  headlessService,
  job,
  loadBalancerService,
  manualEndpointSlice,
  manualEndpoints,
  manualSelectorJob,
  namespace,
  pod,
  replicaSet,
  secret,
  service,
  serviceAccountToken,
  volume,
} from './fixtures.js';

const captured = [
  service,
  loadBalancerService,
  headlessService,
  externalService,
  endpoints,
  endpointSlice,
  manualEndpoints,
  manualEndpointSlice,
];
const ctx = sanitizeContext(captured);

function sanitized(obj: KubeObject): KubeObject {
  const result = sanitize.apply(obj, ctx);
  if (result.kind === 'drop') throw new Error(`dropped: ${result.reason}`);
  return result.kind === 'keep' ? obj : jsonPatch.applyPatch(obj, result.patches, true, false).newDocument;
}

const serverFields: Segment[][] = [
  ['metadata', 'uid'],
  ['metadata', 'resourceVersion'],
  ['metadata', 'creationTimestamp'],
  ['metadata', 'managedFields'],
  ['metadata', 'ownerReferences'],
  ['metadata', 'generation'],
  ['status'],
];
/** The server-populated fields this fixture has (each has some; not every kind has every one). */
const identity = (obj: KubeObject) => serverFields.filter((path) => valueAt(obj, path) !== undefined);

describe('sanitize', () => {
  it('knows which Services have selectors', () => {
    expect([...ctx.selectorServices].sort()).toEqual(['legacy-shop/checkout', 'legacy-shop/checkout-public', 'legacy-shop/ledger-db']);
  });

  const drops: [string, KubeObject, RegExp][] = [
    ['a PersistentVolume', volume, /provisions its own/],
    ['an Event', event, /history/],
    ['a ServiceAccount token Secret', serviceAccountToken, /signed by the source/],
    ['the Endpoints of a Service with a selector', endpoints, /endpoints controller regenerates it for Service checkout/],
    ['an EndpointSlice the controller manages', endpointSlice, /endpointslice-controller.k8s.io regenerates it/],
  ];
  it.each(drops)('drops %s', (_, obj, reason) => {
    const result = sanitize.apply(obj, ctx);
    expect(result.kind).toBe('drop');
    expect(result.kind === 'drop' && result.reason).toMatch(reason);
  });

  const cases: { name: string; obj: KubeObject; gone: Segment[][]; kept: [Segment[], unknown][] }[] = [
    {
      name: 'Deployment: identity and status go, last-applied-configuration stays',
      obj: deployment,
      gone: identity(deployment),
      kept: [
        [
          ['metadata', 'annotations', 'kubectl.kubernetes.io/last-applied-configuration'],
          deployment.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration'],
        ],
        [['spec', 'replicas'], 3],
      ],
    },
    {
      name: 'ReplicaSet: its ownerReferences (the Deployment uid of the source)',
      obj: replicaSet,
      gone: identity(replicaSet),
      kept: [[['metadata', 'labels', 'pod-template-hash'], '7d9f8c6b5']],
    },
    {
      name: 'ClusterIP Service: allocated IPs',
      obj: service,
      gone: [...identity(service), ['spec', 'clusterIP'], ['spec', 'clusterIPs']],
      kept: [
        [['spec', 'selector'], { app: 'checkout' }],
        [['spec', 'ipFamilyPolicy'], 'SingleStack'],
      ],
    },
    {
      name: 'LoadBalancer Service: IPs, node ports and the health check port',
      obj: loadBalancerService,
      gone: [
        ['spec', 'clusterIP'],
        ['spec', 'clusterIPs'],
        ['spec', 'healthCheckNodePort'],
        ['spec', 'ports', 0, 'nodePort'],
        ['spec', 'ports', 1, 'nodePort'],
        ['status'],
      ],
      kept: [
        [['spec', 'ports', 1, 'port'], 80],
        [['spec', 'externalTrafficPolicy'], 'Local'],
      ],
    },
    {
      name: 'headless Service keeps clusterIP None',
      obj: headlessService,
      gone: [['metadata', 'uid']],
      kept: [
        [['spec', 'clusterIP'], 'None'],
        [['spec', 'clusterIPs'], ['None']],
      ],
    },
    {
      name: 'hand-written Endpoints of a selector-less Service are kept',
      obj: manualEndpoints,
      gone: [['metadata', 'uid']],
      kept: [[['subsets', 0, 'addresses', 0, 'ip'], '192.0.2.15']],
    },
    {
      name: 'hand-written EndpointSlice is kept',
      obj: manualEndpointSlice,
      gone: [['metadata', 'uid']],
      kept: [[['endpoints', 0, 'addresses'], ['192.0.2.15']]],
    },
    {
      name: 'PVC: binding to the source volume and node',
      obj: claim,
      gone: [
        ...identity(claim),
        ['spec', 'volumeName'],
        ['metadata', 'annotations', 'pv.kubernetes.io/bind-completed'],
        ['metadata', 'annotations', 'pv.kubernetes.io/bound-by-controller'],
        ['metadata', 'annotations', 'volume.kubernetes.io/selected-node'],
        ['metadata', 'annotations', 'volume.beta.kubernetes.io/storage-provisioner'],
        ['metadata', 'annotations', 'volume.kubernetes.io/storage-provisioner'],
        // emptied by sanitizing, the map itself goes: a re-run must not turn "no map" into "{}"
        ['metadata', 'annotations'],
      ],
      kept: [
        [['spec', 'storageClassName'], 'fast-ssd'],
        [['metadata', 'finalizers'], ['kubernetes.io/pvc-protection']],
      ],
    },
    {
      name: 'Pod: node, computed priority and the injected token volume with its mount',
      obj: pod,
      gone: [
        ...identity(pod),
        ['spec', 'nodeName'],
        ['spec', 'priority'],
        ['spec', 'volumes', 0],
        ['spec', 'containers', 0, 'volumeMounts', 0],
      ],
      kept: [
        [['spec', 'volumes'], []],
        [['spec', 'serviceAccountName'], 'checkout'],
      ],
    },
    {
      name: 'Pod: ephemeral containers go, its own volumes stay',
      obj: debugPod,
      gone: [
        ['spec', 'ephemeralContainers'],
        ['spec', 'nodeName'],
        ['spec', 'priority'],
        ['spec', 'volumes', 1],
        ['spec', 'containers', 0, 'volumeMounts', 1],
      ],
      kept: [
        [['spec', 'volumes'], [{ name: 'scratch', emptyDir: {} }]],
        [['spec', 'containers', 0, 'volumeMounts'], [{ name: 'scratch', mountPath: '/scratch' }]],
        [['spec', 'priorityClassName'], 'shop-high'],
      ],
    },
    {
      name: 'Job: generated selector and controller-uid labels',
      obj: job,
      gone: [
        ...identity(job),
        ['spec', 'selector'],
        ['metadata', 'labels', 'controller-uid'],
        ['metadata', 'labels', 'batch.kubernetes.io/controller-uid'],
        ['spec', 'template', 'metadata', 'labels', 'controller-uid'],
        ['spec', 'template', 'metadata', 'labels', 'batch.kubernetes.io/job-name'],
      ],
      kept: [
        [['metadata', 'labels'], { app: 'ledger' }],
        [['spec', 'template', 'metadata', 'labels'], { app: 'ledger' }],
        [['spec', 'backoffLimit'], 6],
      ],
    },
    {
      name: 'Job with manualSelector keeps its selector',
      obj: manualSelectorJob,
      gone: [['status'], ['metadata', 'uid']],
      kept: [[['spec', 'selector'], { matchLabels: { task: 'reindex' } }]],
    },
    {
      name: 'Namespace: status only',
      obj: namespace,
      gone: identity(namespace),
      kept: [[['spec', 'finalizers'], ['kubernetes']]],
    },
    {
      name: 'Secret (Opaque): data kept',
      obj: secret,
      gone: [['metadata', 'managedFields']],
      kept: [[['data', 'password'], 'czNjcjN0']],
    },
  ];
  it.each(cases)('$name', ({ obj, gone, kept }) => {
    const out = sanitized(obj);
    for (const path of gone) expect(valueAt(obj, path), `fixture has ${path.join('.')}`).toBeDefined();
    for (const path of gone) expect(valueAt(out, path), path.join('.')).toBeUndefined();
    for (const [path, value] of kept) expect(valueAt(out, path), path.join('.')).toEqual(value);
  });

  it('escapes annotation keys in its patches', () => {
    // a team annotation keeps the map, so binding annotations are removed key by key
    const annotated = {
      ...claim,
      metadata: { ...claim.metadata, annotations: { ...claim.metadata.annotations, 'team.example/owner': 'search' } },
    };
    const result = sanitize.apply(annotated, ctx);
    expect(result.kind === 'patch' && result.patches.map((p) => p.path)).toContain(
      '/metadata/annotations/pv.kubernetes.io~1bind-completed',
    );
  });

  it('keeps what has nothing to strip', () => {
    const bare: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bare', namespace: 'shop' }, data: { a: 'b' } };
    expect(sanitize.apply(bare, ctx)).toEqual({ kind: 'keep' });
    expect(sanitized(configMap)).toEqual({ ...configMap, metadata: { name: 'checkout-config', namespace: 'legacy-shop' } });
  });
});

describe('sanitize: workload controller bookkeeping', () => {
  it("drops the source controller's revision annotations, keeping the team's", () => {
    const d: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'web',
        namespace: 'shop',
        annotations: { 'deployment.kubernetes.io/revision': '12', 'team.example/owner': 'payments' },
      },
      spec: {},
    };
    const result = sanitize.apply(d, { selectorServices: new Set() });
    expect(result.kind === 'patch' && result.patches).toEqual([
      { op: 'remove', path: '/metadata/annotations/deployment.kubernetes.io~1revision' },
    ]);
  });
});
