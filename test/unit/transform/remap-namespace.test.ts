// Namespace remapping: the exact patches for each kind of reference to a namespace, and what is left alone.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../activities/kube/object.js';
import { remapNamespace } from '../../../activities/transform/remap-namespace.js';
import type { Patch } from '../../../activities/transform/types.js';
import {
  clusterRoleBinding,
  configMap,
  cronJob,
  deployment,
  namespace,
  networkPolicy,
  roleBinding,
  statefulSet,
  storageClass,
} from './fixtures.js';

const ctx = { namespaceMap: { 'legacy-shop': 'shop', search: 'search', billing: 'payments' } };
const moveNs: Patch = { op: 'replace', path: '/metadata/namespace', value: 'shop' };

describe('remapNamespace', () => {
  const cases: [string, KubeObject, Patch[]][] = [
    ['a namespaced object', configMap, [moveNs]],
    [
      'the Namespace itself and its name label',
      namespace,
      [
        { op: 'replace', path: '/metadata/name', value: 'shop' },
        { op: 'replace', path: '/metadata/labels/kubernetes.io~1metadata.name', value: 'shop' },
      ],
    ],
    [
      'ServiceAccount subjects of a RoleBinding, not other namespaces or groups',
      roleBinding,
      [moveNs, { op: 'replace', path: '/subjects/0/namespace', value: 'shop' }],
    ],
    [
      'ServiceAccount subjects of a ClusterRoleBinding',
      clusterRoleBinding,
      [{ op: 'replace', path: '/subjects/0/namespace', value: 'shop' }],
    ],
    [
      'service host names in env of containers and init containers, not paths or other namespaces',
      deployment,
      [
        moveNs,
        { op: 'replace', path: '/spec/template/spec/initContainers/0/env/0/value', value: 'ledger-db.shop.svc.cluster.local' },
        { op: 'replace', path: '/spec/template/spec/containers/0/env/0/value', value: 'redis.shop.svc.cluster.local:6379' },
        { op: 'replace', path: '/spec/template/spec/containers/0/env/1/value', value: 'http://ledger.shop.svc:8080/api' },
        {
          op: 'replace',
          path: '/spec/template/spec/containers/0/env/2/value',
          value: 'ledger-db-0.ledger-db.shop.svc,ledger-db-1.ledger-db.shop.svc',
        },
      ],
    ],
    [
      'StatefulSet pod host names',
      statefulSet,
      [
        moveNs,
        { op: 'replace', path: '/spec/template/spec/containers/0/env/0/value', value: 'ledger-db-0.ledger-db.shop.svc.cluster.local' },
      ],
    ],
    [
      'CronJob job templates',
      cronJob,
      [moveNs, { op: 'replace', path: '/spec/jobTemplate/spec/template/spec/containers/0/env/0/value', value: 'ledger-db.shop.svc' }],
    ],
    [
      'NetworkPolicy namespace selectors on the name label',
      networkPolicy,
      [
        moveNs,
        { op: 'replace', path: '/spec/ingress/0/from/0/namespaceSelector/matchLabels/kubernetes.io~1metadata.name', value: 'shop' },
        { op: 'replace', path: '/spec/egress/0/to/0/namespaceSelector/matchExpressions/0/values/1', value: 'shop' },
      ],
    ],
  ];
  it.each(cases)('rewrites %s', (_, obj, patches) => {
    const result = remapNamespace.apply(obj, ctx);
    expect(result).toEqual({ kind: 'patch', patches, reason: 'namespace map billing → payments, legacy-shop → shop' });
  });

  it('keeps cluster-scoped objects that name no namespace', () => {
    expect(remapNamespace.apply(storageClass, ctx)).toEqual({ kind: 'keep' });
  });

  it('keeps everything when the map is empty or only identities', () => {
    expect(remapNamespace.apply(deployment, { namespaceMap: {} })).toEqual({ kind: 'keep' });
    expect(remapNamespace.apply(deployment, { namespaceMap: { 'legacy-shop': 'legacy-shop' } })).toEqual({ kind: 'keep' });
  });

  it('keeps objects of namespaces not in the map', () => {
    expect(remapNamespace.apply(configMap, { namespaceMap: { billing: 'payments' } })).toEqual({ kind: 'keep' });
  });
});
