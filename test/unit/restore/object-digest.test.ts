// Verification by digest: server defaults and status do not count, a changed applied field does.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../activities/kube/object.js';
import { claimUsers } from '../../../activities/restore/claim-users.js';
import { decide } from '../../../activities/restore/existing-objects.js';
import { asStored, canonicalJson, checkObject } from '../../../activities/restore/object-digest.js';

const expected: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } },
  },
};

const live = (over: (o: KubeObject & { spec: Record<string, unknown> }) => void = () => undefined): KubeObject => {
  const o = JSON.parse(JSON.stringify(expected));
  Object.assign(o.metadata, { uid: 'u', resourceVersion: '9', labels: { app: 'web', 'pod-template-hash': 'x' } });
  o.spec.strategy = { type: 'RollingUpdate' };
  o.spec.template.spec.containers[0].terminationMessagePath = '/dev/termination-log';
  o.status = { readyReplicas: 2 };
  over(o);
  return o;
};

describe('checkObject', () => {
  it('matches an object the server only defaulted and annotated', () => {
    const c = checkObject(expected, live());
    expect(c.liveDigest).toBe(c.expectedDigest);
    expect(c.differences).toEqual([]);
  });

  it('names the applied fields that changed', () => {
    const c = checkObject(
      expected,
      live((o) => {
        o.spec.replicas = 5;
        (o.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0].image = 'nginx:1.28';
      }),
    );
    expect(c.liveDigest).not.toBe(c.expectedDigest);
    expect(c.differences).toEqual(['/spec/replicas', '/spec/template/spec/containers/0/image']);
  });

  it('compares a Secret by the data the server stores for its stringData', () => {
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', namespace: 'shop' },
      stringData: { token: 'abc' },
    } as KubeObject;
    expect(asStored(secret)).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', namespace: 'shop' },
      data: { token: 'YWJj' },
    });
    const c = checkObject(secret, { ...secret, stringData: undefined, data: { token: 'YWJj' }, type: 'Opaque' } as KubeObject);
    expect(c.differences).toEqual([]);
  });

  it('digests key order away', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe('{"a":[{"c":3,"d":2}],"b":1}');
  });
});

describe('existing objects', () => {
  const managed = (...managers: string[]) =>
    ({ ...expected, metadata: { ...expected.metadata, managedFields: managers.map((manager) => ({ manager })) } }) as KubeObject;
  it.each([
    ['absent', undefined, 'fail', 'apply'],
    ['restored by Ferry before', managed('ferry', 'kube-controller-manager'), 'fail', 'apply'],
    ['made by the control plane (the default ServiceAccount)', managed('kube-controller-manager'), 'fail', 'apply'],
    ["someone else's, policy update", managed('argocd-controller'), 'update', 'apply'],
    ["someone else's, policy skip", managed('argocd-controller'), 'skip', 'skip'],
    ["someone else's, policy fail", managed('helm'), 'fail', 'fail'],
  ] as const)('%s → %s', (_name, obj, policy, action) => {
    expect(decide(obj, policy).action).toBe(action);
  });
});

describe('claimUsers', () => {
  const deploy = (name: string, claim?: string): KubeObject => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: { template: { spec: { volumes: claim ? [{ name: 'd', persistentVolumeClaim: { claimName: claim } }] : [] } } },
  });
  const sts: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db' },
    spec: { volumeClaimTemplates: [{ metadata: { name: 'data' } }] },
  };
  const ownedRs: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web-1', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'u', controller: true }] },
    spec: { template: { spec: { volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'web-data' } }] } } },
  };
  it('finds the workloads mounting the claims, by name or claim template, not owned ReplicaSets', () => {
    const users = claimUsers([deploy('web', 'web-data'), deploy('other'), sts, ownedRs], ['web-data', 'data-db-0']);
    expect(users.map((u) => `${u.kind}/${u.metadata.name}`)).toEqual(['Deployment/web', 'StatefulSet/db']);
  });
});

describe('null in what was applied', () => {
  it('counts as absent, as the API server treats it', () => {
    const withNull = {
      ...expected,
      spec: { ...(expected.spec as object), template: { metadata: { labels: { app: 'web' }, creationTimestamp: null } } },
    } as KubeObject;
    const served = {
      ...expected,
      spec: { ...(expected.spec as object), template: { metadata: { labels: { app: 'web' } } } },
    } as KubeObject;
    const c = checkObject(withNull, served);
    expect(c.differences).toEqual([]);
    expect(c.liveDigest).toBe(c.expectedDigest);
  });
});
