// PodDisruptionBudgets from policy/v1beta1 (removed in Kubernetes 1.25) to policy/v1, where an empty selector
// changed meaning: no pods in v1beta1, every pod of the namespace in v1.
import { type ApiUpgradeContext, type ApiUpgradeRoute, converted, recordAt, upgradeTarget, workingCopy } from './api-version.js';
import { asArray, asRecord } from './pointer.js';
import type { Transform, TransformResult } from './types.js';

const route: ApiUpgradeRoute = { kinds: ['PodDisruptionBudget'], from: ['policy/v1beta1'], to: 'policy/v1' };

// The apiserver's own stand-ins (k8s.io/kubernetes pkg/apis/policy/helper.go): a v1 selector requiring this label
// to exist matches no pod, and v1 stores it unchanged; v1beta1 showed a v1 "match all" as requiring its absence.
const pdbV1beta1Label = 'pdb.kubernetes.io/deprecated-v1beta1-empty-selector-match';
const matchNone = { matchExpressions: [{ key: pdbV1beta1Label, operator: 'Exists' }] };

const isEmptySelector = (selector: unknown): boolean => {
  const s = asRecord(selector);
  return (
    s !== undefined &&
    Object.keys(asRecord(s.matchLabels) ?? {}).length === 0 &&
    asArray(s.matchExpressions).length === 0 &&
    Object.keys(s).every((k) => k === 'matchLabels' || k === 'matchExpressions')
  );
};

const isV1beta1MatchAll = (selector: unknown): boolean => {
  const s = asRecord(selector);
  const [only, ...more] = asArray(s?.matchExpressions);
  const expr = asRecord(only);
  return (
    more.length === 0 &&
    Object.keys(asRecord(s?.matchLabels) ?? {}).length === 0 &&
    expr?.key === pdbV1beta1Label &&
    expr.operator === 'DoesNotExist'
  );
};

/**
 * An empty v1beta1 selector becomes the explicit match-none selector above (a null selector matches nothing in
 * both versions and stays null); the v1beta1 spelling of "match all" becomes v1's empty selector.
 */
export const upgradePdb: Transform<ApiUpgradeContext> = {
  name: 'upgrade-pdb',
  apply(obj, ctx): TransformResult {
    const to = upgradeTarget(obj, ctx, route);
    if (to === undefined) return { kind: 'keep' };
    const out = workingCopy(obj);
    out.apiVersion = to;
    const notes: string[] = [];
    const spec = recordAt(out, 'spec');
    if (spec !== undefined && isEmptySelector(spec.selector)) {
      spec.selector = structuredClone(matchNone);
      notes.push('empty selector, which matched no pods in v1beta1, made an explicit match-none selector');
    } else if (spec !== undefined && isV1beta1MatchAll(spec.selector)) {
      spec.selector = {};
      notes.push('match-all selector written as v1 writes it, {}');
    }
    return converted(obj, out, notes);
  },
};
