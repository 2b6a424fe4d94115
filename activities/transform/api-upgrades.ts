// The API-version upgrades a restore runs, one transform per family: each converts the kinds it knows when the
// target no longer serves their captured version, and leaves everything else alone.
import type { ApiUpgradeContext } from './api-version.js';
import { dropPodSecurityPolicy } from './drop-psp.js';
import type { Transform } from './types.js';
import { upgradeCrd } from './upgrade-crd.js';
import { upgradeCronJob } from './upgrade-cronjob.js';
import { upgradeHpa } from './upgrade-hpa.js';
import { upgradeIngress } from './upgrade-ingress.js';
import { upgradeNetworkPolicy } from './upgrade-network-policy.js';
import { upgradePdb } from './upgrade-pdb.js';
import { upgradeRbac } from './upgrade-rbac.js';
import { upgradeWorkloads } from './upgrade-workloads.js';

export { ApiConversionFailed, type ApiUpgradeContext, UnservedApiVersion } from './api-version.js';

/** Each touches kinds no other does, so their order only decides which one reports first. */
export const API_UPGRADES: readonly Transform<ApiUpgradeContext>[] = [
  dropPodSecurityPolicy,
  upgradeCrd,
  upgradeRbac,
  upgradeWorkloads,
  upgradeCronJob,
  upgradeHpa,
  upgradePdb,
  upgradeIngress,
  upgradeNetworkPolicy,
];
