// CronJobs from batch/v1beta1 (removed in Kubernetes 1.25) to batch/v1. v1 was promoted from v1beta1 with the
// same fields and the same defaults (history limits 3 and 1, concurrencyPolicy Allow), so the version is all
// that changes; the job template is the same batch/v1 JobSpec in both.
import { type ApiUpgradeContext, type ApiUpgradeRoute, converted, upgradeTarget, workingCopy } from './api-version.js';
import type { Transform, TransformResult } from './types.js';

const route: ApiUpgradeRoute = { kinds: ['CronJob'], from: ['batch/v1beta1'], to: 'batch/v1' };

export const upgradeCronJob: Transform<ApiUpgradeContext> = {
  name: 'upgrade-cronjob',
  apply(obj, ctx): TransformResult {
    const to = upgradeTarget(obj, ctx, route);
    if (to === undefined) return { kind: 'keep' };
    const out = workingCopy(obj);
    out.apiVersion = to;
    return converted(obj, out, []);
  },
};
