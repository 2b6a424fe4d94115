// NetworkPolicies from extensions/v1beta1 (removed in Kubernetes 1.16) to networking.k8s.io/v1: same schema and
// defaults (protocol TCP, policyTypes from the rules), only the group and version change.
import { type ApiUpgradeContext, type ApiUpgradeRoute, converted, upgradeTarget, workingCopy } from './api-version.js';
import type { Transform, TransformResult } from './types.js';

const route: ApiUpgradeRoute = { kinds: ['NetworkPolicy'], from: ['extensions/v1beta1'], to: 'networking.k8s.io/v1' };

export const upgradeNetworkPolicy: Transform<ApiUpgradeContext> = {
  name: 'upgrade-network-policy',
  apply(obj, ctx): TransformResult {
    const to = upgradeTarget(obj, ctx, route);
    if (to === undefined) return { kind: 'keep' };
    const out = workingCopy(obj);
    out.apiVersion = to;
    return converted(obj, out, []);
  },
};
