// The existing-object decision, table-driven: Ferry's own and the control plane's objects are re-applied
// whatever the policy; anyone else's are updated, skipped or failed as the policy says.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../activities/kube/object.js';
import { decide, type ExistingObjectPolicy, generatedByControlPlane } from '../../../activities/restore/existing-objects.js';

const object = (kind: string, name: string, managers: string[] | undefined): KubeObject => ({
  apiVersion: 'v1',
  kind,
  metadata: {
    name,
    namespace: 'shop',
    ...(managers === undefined ? {} : { managedFields: managers.map((manager) => ({ manager, operation: 'Apply' })) }),
  },
});

describe('decide', () => {
  it.each([
    { name: 'nothing there', live: undefined, policy: 'fail', expected: 'apply' },
    { name: "Ferry's own object", live: object('ConfigMap', 'settings', ['ferry', 'kubectl']), policy: 'fail', expected: 'apply' },
    {
      name: 'the kube-root-ca.crt ConfigMap',
      live: object('ConfigMap', 'kube-root-ca.crt', ['kube-controller-manager']),
      policy: 'fail',
      expected: 'apply',
    },
    // the serviceaccounts controller records no field manager for it
    {
      name: 'the default ServiceAccount, no managers',
      live: object('ServiceAccount', 'default', undefined),
      policy: 'fail',
      expected: 'apply',
    },
    {
      name: 'the default ServiceAccount, no managers (skip)',
      live: object('ServiceAccount', 'default', []),
      policy: 'skip',
      expected: 'apply',
    },
    {
      name: "someone's ServiceAccount, no managers",
      live: object('ServiceAccount', 'builder', undefined),
      policy: 'fail',
      expected: 'fail',
    },
    { name: "someone's ConfigMap", live: object('ConfigMap', 'settings', ['platform-team']), policy: 'update', expected: 'apply' },
    { name: "someone's ConfigMap (skip)", live: object('ConfigMap', 'settings', ['platform-team']), policy: 'skip', expected: 'skip' },
    { name: "someone's ConfigMap (fail)", live: object('ConfigMap', 'settings', ['platform-team']), policy: 'fail', expected: 'fail' },
    {
      name: 'a control-plane object someone else edited',
      live: object('ServiceAccount', 'default', ['kube-controller-manager', 'platform-team']),
      policy: 'fail',
      expected: 'fail',
    },
  ])('$name, policy $policy: $expected', ({ live, policy, expected }) => {
    expect(decide(live, policy as ExistingObjectPolicy).action).toBe(expected);
  });

  it('says which policy left an object alone', () => {
    expect(decide(object('ConfigMap', 'settings', ['platform-team']), 'skip')).toEqual({
      action: 'skip',
      reason: 'exists on the target and was not restored by Ferry (policy: skip)',
    });
  });

  it('knows the per-namespace defaults only inside a namespace', () => {
    const clusterScoped: KubeObject = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } };
    expect(generatedByControlPlane(clusterScoped)).toBe(false);
    expect(generatedByControlPlane(object('ServiceAccount', 'default', undefined))).toBe(true);
  });
});
