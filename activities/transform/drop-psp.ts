// PodSecurityPolicies are dropped for targets that no longer serve them (removed in Kubernetes 1.25 with no
// successor API): the reason tells the team what enforces the same rules there.
import type { ApiUpgradeContext } from './api-version.js';
import type { Transform, TransformResult } from './types.js';

const pspVersions = new Set(['policy/v1beta1', 'extensions/v1beta1']);

export const dropPodSecurityPolicy: Transform<ApiUpgradeContext> = {
  name: 'drop-pod-security-policy',
  apply(obj, ctx): TransformResult {
    if (obj.kind !== 'PodSecurityPolicy' || !pspVersions.has(obj.apiVersion) || ctx.servedVersions.has(obj.apiVersion))
      return { kind: 'keep' };
    return {
      kind: 'drop',
      reason:
        `the target does not serve ${obj.apiVersion} PodSecurityPolicy (removed in Kubernetes 1.25, no successor API): ` +
        `its rules are NOT enforced there; use Pod Security Admission namespace labels ` +
        `(pod-security.kubernetes.io/enforce: baseline or restricted) or a policy engine instead`,
    };
  },
};
