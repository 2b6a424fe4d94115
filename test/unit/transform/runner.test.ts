// The runner: transforms in order on copies, every change attributed, drops and failures reported per object,
// output sorted; and the whole restore pipeline (fold, sanitize, remaps) over one captured app.
import jsonPatch from 'fast-json-patch';
import { describe, expect, it } from 'vitest';
import { type KubeObject, refKey, refOf } from '../../../activities/kube/object.js';
import { foldOwned } from '../../../activities/transform/ownership.js';
import { remapNamespace } from '../../../activities/transform/remap-namespace.js';
import { remapStorageClass } from '../../../activities/transform/remap-storage-class.js';
import { orderForRestore } from '../../../activities/transform/restore-order.js';
import { runTransforms } from '../../../activities/transform/runner.js';
import { sanitize, sanitizeContext } from '../../../activities/transform/sanitize.js';
import type { Transform } from '../../../activities/transform/types.js';
import * as fixtures from './fixtures.js';
import {
  claim,
  configMap,
  deployment,
  endpoints,
  event,
  pod,
  replicaSet,
  secret,
  service,
  serviceAccountToken,
  statefulSet,
  volume,
} from './fixtures.js';

const label = (key: string, value: string): Transform<unknown> => ({
  name: `label-${key}`,
  apply: () => ({ kind: 'patch', patches: [{ op: 'add', path: `/metadata/labels/${key}`, value }] }),
});
const ensureLabels: Transform<unknown> = {
  name: 'ensure-labels',
  apply: (obj) =>
    obj.metadata.labels
      ? { kind: 'keep' }
      : { kind: 'patch', patches: [{ op: 'add', path: '/metadata/labels', value: {} }], reason: 'no labels' },
};
const dropSecrets: Transform<unknown> = {
  name: 'drop-secrets',
  apply: (obj) => (obj.kind === 'Secret' ? { kind: 'drop', reason: 'secrets move separately' } : { kind: 'keep' }),
};

describe('runTransforms', () => {
  it('applies transforms in order and attributes each change', () => {
    const run = runTransforms([secret, configMap], [ensureLabels, label('stage', 'one'), dropSecrets, label('stage', 'two')], {});
    expect(run.objects.map((o) => o.metadata.labels)).toEqual([{ stage: 'two' }]);
    expect(run.changes.map((c) => [c.ref.kind, c.transform, c.reason])).toEqual([
      ['ConfigMap', 'ensure-labels', 'no labels'],
      ['ConfigMap', 'label-stage', undefined],
      ['ConfigMap', 'label-stage', undefined],
      ['Secret', 'ensure-labels', 'no labels'],
      ['Secret', 'label-stage', undefined],
    ]);
    expect(run.dropped).toEqual([
      {
        ref: { group: '', kind: 'Secret', namespace: 'legacy-shop', name: 'checkout-db' },
        transform: 'drop-secrets',
        reason: 'secrets move separately',
      },
    ]);
    expect(run.failed).toEqual([]);
  });

  it('returns plain copies that share nothing with the input or the change records', () => {
    const run = runTransforms([configMap], [ensureLabels, label('stage', 'one')], {});
    const [out] = run.objects;
    expect(out).not.toBe(configMap);
    expect(Object.isFrozen(out)).toBe(false);
    out.metadata.name = 'renamed';
    expect(configMap.metadata.name).toBe('checkout-config');
    expect(run.changes[1].patches).toEqual([{ op: 'add', path: '/metadata/labels/stage', value: 'one' }]);
  });

  it('leaves out an object whose patch does not apply, reporting it, and carries on with the others', () => {
    const removeMissing: Transform<unknown> = {
      name: 'remove-missing',
      apply: (obj) => (obj.kind === 'ConfigMap' ? { kind: 'patch', patches: [{ op: 'remove', path: '/spec/nothing' }] } : { kind: 'keep' }),
    };
    const run = runTransforms([configMap, secret], [removeMissing, ensureLabels, label('stage', 'one')], {});
    expect(run.objects.map((o) => o.kind)).toEqual(['Secret']);
    expect(run.failed).toEqual([
      {
        ref: { group: '', kind: 'ConfigMap', namespace: 'legacy-shop', name: 'checkout-config' },
        transform: 'remove-missing',
        message: 'OPERATION_PATH_UNRESOLVABLE: Cannot perform the operation at a path that does not exist (remove /spec/nothing)',
      },
    ]);
    expect(run.changes.map((c) => c.ref.kind)).toEqual(['Secret', 'Secret']);
  });

  it('never copies the document into a failure message: it may be a Secret', () => {
    const badSecretPatch: Transform<unknown> = {
      name: 'bad-secret-patch',
      apply: () => ({ kind: 'patch', patches: [{ op: 'test', path: '/data/password', value: 'guess' }] }),
    };
    const [failure] = runTransforms([secret], [badSecretPatch], {}).failed;
    expect(failure.message).toMatch(/^TEST_OPERATION_FAILED: .* \(test \/data\/password\)$/);
    const { password } = secret.data as Record<string, string>;
    expect(failure.message).not.toContain(password);
  });

  it('reports a transform that mutates instead of patching', () => {
    const mutating: Transform<unknown> = {
      name: 'mutating',
      apply: (obj) => {
        (obj.metadata as { name: string }).name = 'changed';
        return { kind: 'keep' };
      },
    };
    const run = runTransforms([configMap], [mutating], {});
    expect(run.objects).toEqual([]);
    expect(run.failed).toMatchObject([{ transform: 'mutating', message: expect.stringMatching(/read only|read-only/) }]);
  });

  it('sorts its output by the refs objects have after transforming', () => {
    const rename: Transform<unknown> = {
      name: 'rename',
      apply: (obj) => ({
        kind: 'patch',
        patches: [{ op: 'replace', path: '/metadata/name', value: obj.kind === 'ConfigMap' ? 'zz' : 'aa' }],
      }),
    };
    const a: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'shop' } };
    const b: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b', namespace: 'shop' } };
    const s: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'b', namespace: 'shop' } };
    const run = runTransforms([s, b, a], [rename], {});
    expect(run.objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['ConfigMap/zz', 'ConfigMap/zz', 'Secret/aa']);
    expect(run.changes.map((c) => `${c.ref.kind}/${c.ref.name}`)).toEqual(['ConfigMap/a', 'ConfigMap/b', 'Secret/b']);
  });
});

describe('the restore pipeline over one captured app', () => {
  const captured = Object.values(fixtures);
  const folded = foldOwned(captured);
  const ctx = {
    ...sanitizeContext(captured),
    namespaceMap: { 'legacy-shop': 'shop' },
    storageClassMap: { standard: 'premium-rwo', 'fast-ssd': 'premium-rwo', '': 'standard-rwo' },
    sourceDefaultClass: 'standard',
  };
  const run = runTransforms(folded.roots, [sanitize, remapNamespace, remapStorageClass], ctx);
  const byKey = new Map(run.objects.map((o) => [refKey(refOf(o)), o]));

  it('restores no controller-made objects and drops what the target regenerates', () => {
    expect(folded.owned.map((o) => refKey(o.ref))).toContain(
      refKey({ group: 'apps', kind: 'ReplicaSet', namespace: 'legacy-shop', name: replicaSet.metadata.name }),
    );
    expect(folded.owned.map((o) => refKey(o.ref))).toContain(
      refKey({ group: '', kind: 'Pod', namespace: 'legacy-shop', name: pod.metadata.name }),
    );
    expect(run.dropped.map((d) => d.ref.name).sort()).toEqual(
      [endpoints, event, serviceAccountToken, volume].map((o) => o.metadata.name).sort(),
    );
    expect(run.failed).toEqual([]);
  });

  it('produces objects ready for the target', () => {
    const checkout = byKey.get('apps/Deployment/shop/checkout');
    expect(checkout?.metadata).toEqual({
      name: 'checkout',
      namespace: 'shop',
      labels: deployment.metadata.labels,
      // the source controller's revision bookkeeping is dropped; the team's annotations stay
      annotations: Object.fromEntries(
        Object.entries(deployment.metadata.annotations ?? {}).filter(([k]) => k !== 'deployment.kubernetes.io/revision'),
      ),
    });
    expect(checkout?.status).toBeUndefined();
    expect(byKey.get('/Service/shop/checkout')?.spec).not.toHaveProperty('clusterIP');
    expect(byKey.get('/PersistentVolumeClaim/shop/data-ledger-db-0')?.spec).toEqual({
      ...(claim.spec as object),
      storageClassName: 'premium-rwo',
      volumeName: undefined,
    });
    expect(byKey.get('apps/StatefulSet/shop/ledger-db')).toBeDefined();
    expect(run.objects.every((o) => o.metadata.namespace === undefined || o.metadata.namespace === 'shop')).toBe(true);
    expect(run.objects.some((o) => o.metadata.uid !== undefined || o.metadata.managedFields !== undefined)).toBe(false);
  });

  it('records, per object, which transform made which change', () => {
    const forStatefulSet = run.changes.filter((c) => c.ref.kind === 'StatefulSet' && c.ref.name === statefulSet.metadata.name);
    expect(forStatefulSet.map((c) => c.transform)).toEqual(['sanitize', 'remap-namespace', 'remap-storage-class']);
    // replaying the recorded patches on the captured object gives exactly the restored one
    const replayed = forStatefulSet.reduce<KubeObject>(
      (obj, c) => jsonPatch.applyPatch(obj, c.patches, true, false).newDocument,
      statefulSet,
    );
    expect(replayed).toEqual(byKey.get('apps/StatefulSet/shop/ledger-db'));
  });

  it('orders the result for restore', () => {
    const ordered = orderForRestore(run.objects).map((o) => o.kind);
    expect(ordered.slice(0, 2)).toEqual(['CustomResourceDefinition', 'Namespace']);
    expect(ordered.indexOf('PersistentVolumeClaim')).toBeLessThan(ordered.indexOf('StatefulSet'));
    expect(ordered.at(-1)).toBe('ValidatingWebhookConfiguration');
  });

  it('never touched the captured objects', () => {
    expect(service.metadata.uid).toBeDefined();
    expect(Object.isFrozen(service.spec)).toBe(true);
  });
});
