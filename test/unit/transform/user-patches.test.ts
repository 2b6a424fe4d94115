// User JSON patches: targeted, applied in order, and a failing one names the entry, the op and the object.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../activities/kube/object.js';
import { compileMatcher } from '../../../activities/transform/object-match.js';
import { runTransforms } from '../../../activities/transform/runner.js';
import { applyUserPatches, type UserPatch, type UserPatchContext, UserPatchFailed } from '../../../activities/transform/user-patches.js';
import { patched } from './apply-result.js';
import { configMap, deployment, secret, statefulSet } from './fixtures.js';

const replicas: UserPatch = {
  target: compileMatcher({ group: 'apps', kind: 'Deployment', name: 'check*' }),
  patch: [
    { op: 'test', path: '/spec/replicas', value: 3 },
    { op: 'replace', path: '/spec/replicas', value: 1 },
  ],
};
const annotate: UserPatch = {
  target: compileMatcher({ labelSelector: 'team=payments' }),
  patch: [{ op: 'add', path: '/metadata/annotations/ferry.dev~1owner', value: 'payments' }],
};
const dataKey: UserPatch = {
  target: compileMatcher({ group: '', kind: 'ConfigMap' }),
  patch: [{ op: 'move', from: '/data/app.yaml', path: '/data/config.yaml' }],
};

describe('applyUserPatches', () => {
  const ctx = { userPatches: [replicas, annotate, dataKey] };
  const cases: [string, KubeObject, string, (out: KubeObject) => void][] = [
    [
      'every matching entry, in order',
      deployment,
      'patches [0], [1]',
      (out) => {
        expect((out.spec as Record<string, unknown>).replicas).toBe(1);
        expect(out.metadata.annotations?.['ferry.dev/owner']).toBe('payments');
      },
    ],
    [
      'a core-group target',
      configMap,
      'patches [2]',
      (out) => {
        expect(out.data).toEqual({ 'config.yaml': 'ledgerUrl: http://ledger.legacy-shop.svc:8080\n' });
      },
    ],
  ];
  it.each(cases)('%s', (_, obj, reason, check) => {
    const result = applyUserPatches.apply(obj, ctx);
    expect(result.kind === 'patch' && result.reason).toBe(reason);
    check(patched(obj, result));
  });

  it('keeps objects no target selects', () => {
    expect(applyUserPatches.apply(statefulSet, ctx)).toEqual({ kind: 'keep' });
  });

  it('fails an object a patch does not apply to, naming entry, operation and object, never the data', () => {
    const failing: UserPatchContext = {
      userPatches: [
        annotate,
        { target: compileMatcher({ kind: 'Secret' }), patch: [{ op: 'test', path: '/data/password', value: 'guess' }] },
      ],
    };
    const call = () => applyUserPatches.apply(secret, failing);
    expect(call).toThrow(UserPatchFailed);
    expect(call).toThrow(
      'patches[1].patch[0] (test /data/password) does not apply to /Secret/legacy-shop/checkout-db: TEST_OPERATION_FAILED: Test operation failed',
    );
    const run = runTransforms([secret], [applyUserPatches], failing);
    expect(run.objects).toEqual([]);
    expect(run.failed.map((f) => f.transform)).toEqual(['user-patches']);
    expect(run.failed[0].message).not.toContain((secret.data as Record<string, string>).password);
  });

  it('names the failing operation within an entry', () => {
    const second: UserPatchContext = {
      userPatches: [{ target: compileMatcher({ kind: 'Deployment' }), patch: [replicas.patch[1], { op: 'remove', path: '/spec/paused' }] }],
    };
    expect(() => applyUserPatches.apply(deployment, second)).toThrow(/^patches\[0\]\.patch\[1\] \(remove \/spec\/paused\) does not apply/);
  });
});
