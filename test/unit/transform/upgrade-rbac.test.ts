// RBAC to rbac.authorization.k8s.io/v1: identical schemas, so the version is the only change.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../activities/kube/object.js';
import { upgradeRbac } from '../../../activities/transform/upgrade-rbac.js';
import { patched } from './apply-result.js';
import { role, roleBinding } from './fixtures.js';
import { betaRole, betaRoleBinding, modernServedVersions } from './legacy-fixtures.js';

const ctx = { servedVersions: modernServedVersions };
const to = 'rbac.authorization.k8s.io/v1';

describe('upgradeRbac', () => {
  it.each([betaRole, betaRoleBinding])('moves $kind to v1', (obj: KubeObject) => {
    const result = upgradeRbac.apply(obj, ctx);
    expect(result).toEqual({
      kind: 'patch',
      patches: [{ op: 'replace', path: '/apiVersion', value: to }],
      reason: `rbac.authorization.k8s.io/v1beta1 → ${to}`,
    });
    expect(patched(obj, result)).toEqual({ ...obj, apiVersion: to });
  });

  it('keeps v1', () => {
    expect(upgradeRbac.apply(role, ctx)).toEqual({ kind: 'keep' });
    expect(upgradeRbac.apply(roleBinding, ctx)).toEqual({ kind: 'keep' });
  });
});
