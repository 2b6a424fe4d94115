// Roles, ClusterRoles and their bindings from rbac.authorization.k8s.io/v1beta1 (removed in Kubernetes 1.22) to
// v1. The schemas are identical, subjects' apiGroup defaulting included, so the version is all that changes.
import { type ApiUpgradeContext, type ApiUpgradeRoute, converted, upgradeTarget, workingCopy } from './api-version.js';
import type { Transform, TransformResult } from './types.js';

const route: ApiUpgradeRoute = {
  kinds: ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'],
  from: ['rbac.authorization.k8s.io/v1beta1'],
  to: 'rbac.authorization.k8s.io/v1',
};

export const upgradeRbac: Transform<ApiUpgradeContext> = {
  name: 'upgrade-rbac',
  apply(obj, ctx): TransformResult {
    const to = upgradeTarget(obj, ctx, route);
    if (to === undefined) return { kind: 'keep' };
    const out = workingCopy(obj);
    out.apiVersion = to;
    return converted(obj, out, []);
  },
};
