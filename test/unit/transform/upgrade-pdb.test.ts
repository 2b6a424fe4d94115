// PodDisruptionBudgets to policy/v1: an empty v1beta1 selector keeps protecting no pod.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../activities/kube/object.js';
import { upgradePdb } from '../../../activities/transform/upgrade-pdb.js';
import { patched } from './apply-result.js';
import { deepFreeze } from './deep-freeze.js';
import { podDisruptionBudget } from './fixtures.js';
import { emptySelectorPdb, modernServedVersions, storefrontPdb } from './legacy-fixtures.js';

const ctx = { servedVersions: modernServedVersions };
const label = 'pdb.kubernetes.io/deprecated-v1beta1-empty-selector-match';
const withSelector = (selector: unknown): KubeObject => deepFreeze({ ...storefrontPdb, spec: { maxUnavailable: 1, selector } });

describe('upgradePdb', () => {
  const cases: [string, KubeObject, unknown, string][] = [
    [
      'an empty selector becomes the apiserver’s explicit match-none selector',
      emptySelectorPdb,
      { matchExpressions: [{ key: label, operator: 'Exists' }] },
      'policy/v1beta1 → policy/v1; empty selector, which matched no pods in v1beta1, made an explicit match-none selector',
    ],
    [
      'a selector with empty lists is empty too',
      withSelector({ matchLabels: {}, matchExpressions: [] }),
      { matchExpressions: [{ key: label, operator: 'Exists' }] },
      'policy/v1beta1 → policy/v1; empty selector, which matched no pods in v1beta1, made an explicit match-none selector',
    ],
    [
      'v1beta1’s spelling of match-all becomes v1’s {}',
      withSelector({ matchExpressions: [{ key: label, operator: 'DoesNotExist' }] }),
      {},
      'policy/v1beta1 → policy/v1; match-all selector written as v1 writes it, {}',
    ],
    ['a real selector is kept', storefrontPdb, { matchLabels: { app: 'storefront' } }, 'policy/v1beta1 → policy/v1'],
  ];
  it.each(cases)('%s', (_, obj, selector, reason) => {
    const result = upgradePdb.apply(obj, ctx);
    expect(result.kind === 'patch' && result.reason).toBe(reason);
    expect(patched(obj, result)).toEqual({ ...obj, apiVersion: 'policy/v1', spec: { ...(obj.spec as object), selector } });
  });

  it('keeps a missing selector missing: it matches nothing in both versions', () => {
    const none = deepFreeze({ ...storefrontPdb, spec: { maxUnavailable: 1 } });
    expect(patched(none, upgradePdb.apply(none, ctx))).toEqual({ ...none, apiVersion: 'policy/v1' });
  });

  it('keeps policy/v1 budgets', () => {
    expect(upgradePdb.apply(podDisruptionBudget, ctx)).toEqual({ kind: 'keep' });
  });
});
