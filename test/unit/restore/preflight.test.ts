// Preflight reports every problem at once: unmapped and missing classes, unserved types, busy namespaces, quotas.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../activities/kube/object.js';
import { preflight, type TargetFacts } from '../../../activities/restore/preflight.js';
import { parseQuantity } from '../../../activities/restore/quantity.js';

const claim = (ns: string, name: string, sc: string, size: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name, namespace: ns },
  spec: { storageClassName: sc, accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } } },
});

const facts = (over: Partial<TargetFacts> = {}): TargetFacts => ({
  storageClasses: ['premium-rwo', 'standard-rwo'],
  served: new Set(['v1/PersistentVolumeClaim', 'v1/ConfigMap', 'apps/v1/Deployment']),
  namespaces: { shop: { exists: false, foreignObjects: [] } },
  quotas: [],
  existingClaims: new Set(),
  ...over,
});

const base = { storageClassMap: { standard: 'standard-rwo' }, namespacePolicy: 'fail' as const, checkNamespaces: true };

describe('preflight', () => {
  it('passes a restore the target can take', () => {
    const objs = [claim('shop', 'data', 'standard-rwo', '1Gi')];
    expect(preflight({ ...base, original: [claim('shop', 'data', 'standard', '1Gi')], transformed: objs }, facts())).toEqual([]);
  });

  it('lists every problem at once, each with its objects', () => {
    const original = [claim('shop', 'a', 'standard', '1Gi'), claim('shop', 'b', 'fast-ssd', '1Gi'), claim('shop', 'c', 'gold', '1Gi')];
    const transformed = [
      claim('shop', 'a', 'missing-class', '1Gi'),
      claim('shop', 'b', 'fast-ssd', '1Gi'),
      claim('shop', 'c', 'gold', '1Gi'),
      { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'shop' } },
      { apiVersion: 'extensions/v1beta1', kind: 'Ingress', metadata: { name: 'i', namespace: 'shop' } },
    ];
    const problems = preflight(
      { ...base, storageClassMap: { standard: 'missing-class' }, original, transformed },
      facts({ namespaces: { shop: { exists: true, foreignObjects: ['ConfigMap shop/theirs'] } } }),
    );
    expect(problems.map((p) => [p.check, p.message])).toEqual([
      ['storage-class', 'source StorageClass "fast-ssd" has no entry in storageClassMap'],
      ['storage-class', 'source StorageClass "gold" has no entry in storageClassMap'],
      ['storage-class', 'StorageClass "fast-ssd" does not exist on the target'],
      ['storage-class', 'StorageClass "gold" does not exist on the target'],
      ['storage-class', 'StorageClass "missing-class" does not exist on the target'],
      ['type', 'the target does not serve example.com/v1/Widget and its CustomResourceDefinition is not in the backup'],
      ['type', 'the target does not serve extensions/v1beta1/Ingress'],
      ['namespace', expect.stringContaining('namespace shop exists on the target with objects Ferry did not restore')],
    ]);
    expect(problems[0].objects).toEqual(['PersistentVolumeClaim shop/b']);
    expect(problems.at(-1)?.objects).toEqual(['ConfigMap shop/theirs']);
  });

  it('merges into a busy namespace when the policy says so, and skips the check for data-only restores', () => {
    const f = facts({ namespaces: { shop: { exists: true, foreignObjects: ['ConfigMap shop/theirs'] } } });
    const objs = [claim('shop', 'data', 'standard-rwo', '1Gi')];
    expect(
      preflight(
        { ...base, namespacePolicy: 'merge', original: objs, transformed: objs, storageClassMap: { 'standard-rwo': 'standard-rwo' } },
        f,
      ),
    ).toEqual([]);
    expect(
      preflight(
        { ...base, checkNamespaces: false, original: objs, transformed: objs, storageClassMap: { 'standard-rwo': 'standard-rwo' } },
        f,
      ),
    ).toEqual([]);
  });

  it('accepts a custom resource whose CRD is in the backup', () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: { group: 'example.com', names: { kind: 'Widget' } },
    };
    const widget = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'shop' } };
    const served = new Set(['apiextensions.k8s.io/v1/CustomResourceDefinition']);
    expect(preflight({ ...base, original: [crd, widget], transformed: [crd, widget] }, facts({ served }))).toEqual([]);
  });

  it('checks new claims against storage quotas, total and per class, ignoring claims already there', () => {
    const objs = [
      claim('shop', 'a', 'standard-rwo', '6Gi'),
      claim('shop', 'b', 'standard-rwo', '5Gi'),
      claim('shop', 'old', 'standard-rwo', '50Gi'),
    ];
    const f = facts({
      existingClaims: new Set(['shop/old']),
      quotas: [
        {
          namespace: 'shop',
          name: 'storage',
          hard: { 'requests.storage': '20Gi', 'standard-rwo.storageclass.storage.k8s.io/requests.storage': '15Gi' },
          used: { 'requests.storage': '10Gi', 'standard-rwo.storageclass.storage.k8s.io/requests.storage': '2Gi' },
        },
      ],
    });
    const problems = preflight({ ...base, storageClassMap: { 'standard-rwo': 'standard-rwo' }, original: objs, transformed: objs }, f);
    expect(problems).toHaveLength(1);
    expect(problems[0].check).toBe('quota');
    expect(problems[0].message).toBe(
      'ResourceQuota shop/storage: requests.storage would be 21.00Gi of 20Gi (used 10.00Gi, restore adds 11.00Gi)',
    );
    expect(problems[0].objects).toEqual(['PersistentVolumeClaim shop/a', 'PersistentVolumeClaim shop/b']);
  });
});

describe('parseQuantity', () => {
  it.each([
    ['1Gi', 2 ** 30],
    ['500Mi', 500 * 2 ** 20],
    ['1G', 1e9],
    ['1.5Ti', 1.5 * 2 ** 40],
    ['250m', 0.25],
    ['1e3', 1000],
    ['12', 12],
  ])('%s', (q, n) => expect(parseQuantity(q)).toBe(n));

  it('refuses what is not a quantity', () => {
    expect(() => parseQuantity('lots')).toThrow('not a Kubernetes quantity: "lots"');
  });
});
