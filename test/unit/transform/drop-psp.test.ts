// PodSecurityPolicies: dropped with a reason for targets without the API, kept for targets that still serve it.
import { describe, expect, it } from 'vitest';
import { dropPodSecurityPolicy } from '../../../activities/transform/drop-psp.js';
import { deepFreeze } from './deep-freeze.js';
import { role } from './fixtures.js';
import { modernServedVersions, podSecurityPolicy } from './legacy-fixtures.js';

describe('dropPodSecurityPolicy', () => {
  it('drops it with a reason naming what enforces the rules now', () => {
    const result = dropPodSecurityPolicy.apply(podSecurityPolicy, { servedVersions: modernServedVersions });
    expect(result).toEqual({
      kind: 'drop',
      reason:
        'the target does not serve policy/v1beta1 PodSecurityPolicy (removed in Kubernetes 1.25, no successor API): its rules are NOT ' +
        'enforced there; use Pod Security Admission namespace labels (pod-security.kubernetes.io/enforce: baseline or restricted) ' +
        'or a policy engine instead',
    });
  });

  it('drops the extensions/v1beta1 spelling too', () => {
    const old = deepFreeze({ ...podSecurityPolicy, apiVersion: 'extensions/v1beta1' });
    expect(dropPodSecurityPolicy.apply(old, { servedVersions: modernServedVersions }).kind).toBe('drop');
  });

  it('keeps it while the target serves it, and keeps other kinds', () => {
    expect(dropPodSecurityPolicy.apply(podSecurityPolicy, { servedVersions: new Set(['policy/v1beta1']) })).toEqual({ kind: 'keep' });
    expect(dropPodSecurityPolicy.apply(role, { servedVersions: modernServedVersions })).toEqual({ kind: 'keep' });
  });
});
