// The restore order as a table: realistic objects of every tier, shuffled, come out by tier, kind order, then ref.
import { describe, expect, it } from 'vitest';
import { type KubeObject, refKey, refOf } from '../../../activities/kube/object.js';
import { orderForRestore, RESTORE_TIERS, tierOf } from '../../../activities/transform/restore-order.js';
import {
  certificate,
  claim,
  clusterRoleBinding,
  configMap,
  cronJob,
  customResourceDefinition,
  debugPod,
  deployment,
  headlessService,
  horizontalPodAutoscaler,
  ingress,
  job,
  lease,
  limitRange,
  namespace,
  networkPolicy,
  podDisruptionBudget,
  priorityClass,
  role,
  roleBinding,
  secret,
  service,
  serviceAccount,
  statefulSet,
  storageClass,
  validatingWebhook,
  volumeSnapshot,
} from './fixtures.js';

const expected: [KubeObject, string][] = [
  [customResourceDefinition, 'definitions'],
  [namespace, 'namespaces'],
  [serviceAccount, 'identity'],
  [role, 'identity'],
  [roleBinding, 'identity'],
  [clusterRoleBinding, 'identity'],
  [configMap, 'configuration'],
  [secret, 'configuration'],
  [limitRange, 'limits'],
  [storageClass, 'classes'],
  [priorityClass, 'classes'],
  [claim, 'claims'],
  [service, 'services'],
  [headlessService, 'services'],
  [deployment, 'workloads'],
  [statefulSet, 'workloads'],
  [job, 'workloads'],
  [cronJob, 'workloads'],
  [debugPod, 'workloads'],
  [podDisruptionBudget, 'scaling'],
  [horizontalPodAutoscaler, 'scaling'],
  [networkPolicy, 'network policies'],
  [ingress, 'ingresses'],
  [lease, 'other built-in'],
  [certificate, 'custom resources'],
  [volumeSnapshot, 'custom resources'],
  [validatingWebhook, 'admission and aggregation'],
];

describe('orderForRestore', () => {
  it.each(expected.map(([obj, tier]) => [refKey(refOf(obj)), tier]))('%s restores with %s', (key, tier) => {
    const [obj] = expected.find(([o]) => refKey(refOf(o)) === key) ?? [];
    expect(obj && RESTORE_TIERS[tierOf({ group: refOf(obj).group, kind: obj.kind })].name).toBe(tier);
  });

  it('sorts by tier, kind order within the tier, then ref, whatever the input order', () => {
    const objects = expected.map(([o]) => o);
    const want = objects.map((o) => refKey(refOf(o)));
    for (const input of [objects, [...objects].reverse(), [...objects.slice(11), ...objects.slice(0, 11)]]) {
      expect(orderForRestore(input).map((o) => refKey(refOf(o)))).toEqual(want);
    }
  });

  it('returns a new array of the same objects', () => {
    const input = [deployment, namespace];
    const out = orderForRestore(input);
    expect(out).toEqual([namespace, deployment]);
    expect(out[0]).toBe(namespace);
    expect(input).toEqual([deployment, namespace]);
  });

  it('gives every tier a reason and lists each kind once', () => {
    const kinds = RESTORE_TIERS.flatMap((t) => t.kinds.map((k) => `${k.group}/${k.kind}`));
    expect(new Set(kinds).size).toBe(kinds.length);
    for (const tier of RESTORE_TIERS) expect(tier.reason.length).toBeGreaterThan(20);
  });
});
