// NetworkPolicies from extensions/v1beta1 to networking.k8s.io/v1: same schema, new group and version.
import { describe, expect, it } from 'vitest';
import { upgradeNetworkPolicy } from '../../../activities/transform/upgrade-network-policy.js';
import { patched } from './apply-result.js';
import { networkPolicy } from './fixtures.js';
import { extensionsNetworkPolicy, modernServedVersions } from './legacy-fixtures.js';

const ctx = { servedVersions: modernServedVersions };

describe('upgradeNetworkPolicy', () => {
  it('moves extensions/v1beta1 to networking.k8s.io/v1', () => {
    const result = upgradeNetworkPolicy.apply(extensionsNetworkPolicy, ctx);
    expect(result).toEqual({
      kind: 'patch',
      patches: [{ op: 'replace', path: '/apiVersion', value: 'networking.k8s.io/v1' }],
      reason: 'extensions/v1beta1 → networking.k8s.io/v1',
    });
    expect(patched(extensionsNetworkPolicy, result)).toEqual({ ...extensionsNetworkPolicy, apiVersion: 'networking.k8s.io/v1' });
  });

  it('keeps networking.k8s.io/v1', () => {
    expect(upgradeNetworkPolicy.apply(networkPolicy, ctx)).toEqual({ kind: 'keep' });
  });
});
