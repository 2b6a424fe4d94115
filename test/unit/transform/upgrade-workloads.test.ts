// Workloads to apps/v1: the exact object each old version converts to, with the old defaults kept explicit.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../activities/kube/object.js';
import { ApiConversionFailed, UnservedApiVersion } from '../../../activities/transform/api-version.js';
import { upgradeWorkloads } from '../../../activities/transform/upgrade-workloads.js';
import { patched } from './apply-result.js';
import { deepFreeze } from './deep-freeze.js';
import { deployment } from './fixtures.js';
import {
  appsV1beta1Deployment,
  appsV1beta1StatefulSet,
  appsV1beta2ReplicaSet,
  extensionsDaemonSet,
  extensionsDeployment,
  modernServedVersions,
} from './legacy-fixtures.js';

const ctx = { servedVersions: modernServedVersions };
const spec = (obj: KubeObject) => obj.spec as Record<string, unknown>;
const without = (record: Record<string, unknown>, ...keys: string[]) =>
  Object.fromEntries(Object.entries(record).filter(([k]) => !keys.includes(k)));

describe('upgradeWorkloads', () => {
  const cases: [string, KubeObject, KubeObject, string][] = [
    [
      'extensions/v1beta1 Deployment: relabelled, its stored defaults (MaxInt32, 1 and 1) kept as they are',
      extensionsDeployment,
      { ...extensionsDeployment, apiVersion: 'apps/v1' },
      'extensions/v1beta1 → apps/v1',
    ],
    [
      'extensions/v1beta1 Deployment without stored defaults: the extensions meanings written explicitly',
      deepFreeze({
        ...extensionsDeployment,
        spec: without(spec(extensionsDeployment), 'progressDeadlineSeconds', 'revisionHistoryLimit', 'strategy'),
      }),
      {
        ...extensionsDeployment,
        apiVersion: 'apps/v1',
        spec: {
          ...without(spec(extensionsDeployment), 'progressDeadlineSeconds', 'revisionHistoryLimit', 'strategy'),
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 1 } },
          progressDeadlineSeconds: 2147483647,
          revisionHistoryLimit: 2147483647,
        },
      },
      'extensions/v1beta1 → apps/v1',
    ],
    [
      'extensions/v1beta1 Recreate Deployment: the rollingUpdate apps/v1 rejects is dropped',
      deepFreeze({
        ...extensionsDeployment,
        spec: { ...spec(extensionsDeployment), strategy: { type: 'Recreate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } } },
      }),
      { ...extensionsDeployment, apiVersion: 'apps/v1', spec: { ...spec(extensionsDeployment), strategy: { type: 'Recreate' } } },
      'extensions/v1beta1 → apps/v1; strategy.rollingUpdate dropped: apps/v1 rejects it with Recreate',
    ],
    [
      'apps/v1beta1 Deployment without a selector: selector and labels from the template, history limit 2, rollbackTo gone',
      appsV1beta1Deployment,
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'cart', namespace: 'legacy-shop', labels: { app: 'cart', tier: 'backend' } },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'cart', tier: 'backend' } },
          template: spec(appsV1beta1Deployment).template,
          revisionHistoryLimit: 2,
        },
      } as KubeObject,
      'apps/v1beta1 → apps/v1; spec.selector from the pod template labels, as the old version defaulted it; ' +
        'metadata.labels from the pod template labels, as the old version defaulted them; ' +
        'spec.rollbackTo dropped: a one-shot rollback request apps/v1 no longer has',
    ],
    [
      'extensions/v1beta1 DaemonSet: templateGeneration dropped, OnDelete kept',
      extensionsDaemonSet,
      { ...extensionsDaemonSet, apiVersion: 'apps/v1', spec: without(spec(extensionsDaemonSet), 'templateGeneration') },
      'extensions/v1beta1 → apps/v1; spec.templateGeneration dropped: apps/v1 tracks it in an annotation of its own',
    ],
    [
      'extensions/v1beta1 DaemonSet without an update strategy: OnDelete, its old default, made explicit',
      deepFreeze({ ...extensionsDaemonSet, spec: without(spec(extensionsDaemonSet), 'updateStrategy', 'templateGeneration') }),
      {
        ...extensionsDaemonSet,
        apiVersion: 'apps/v1',
        spec: { ...without(spec(extensionsDaemonSet), 'updateStrategy', 'templateGeneration'), updateStrategy: { type: 'OnDelete' } },
      },
      'extensions/v1beta1 → apps/v1',
    ],
    [
      'apps/v1beta1 StatefulSet: selector from the template, OnDelete made explicit',
      appsV1beta1StatefulSet,
      {
        ...appsV1beta1StatefulSet,
        apiVersion: 'apps/v1',
        metadata: { ...appsV1beta1StatefulSet.metadata, labels: { app: 'sessions' } },
        spec: { ...spec(appsV1beta1StatefulSet), selector: { matchLabels: { app: 'sessions' } }, updateStrategy: { type: 'OnDelete' } },
      },
      'apps/v1beta1 → apps/v1; spec.selector from the pod template labels, as the old version defaulted it; ' +
        'metadata.labels from the pod template labels, as the old version defaulted them',
    ],
    [
      'apps/v1beta2 ReplicaSet: same shape and defaults as apps/v1',
      appsV1beta2ReplicaSet,
      { ...appsV1beta2ReplicaSet, apiVersion: 'apps/v1' },
      'apps/v1beta2 → apps/v1',
    ],
  ];
  it.each(cases)('%s', (_, obj, expected, reason) => {
    const result = upgradeWorkloads.apply(obj, ctx);
    expect(result.kind === 'patch' && result.reason).toBe(reason);
    expect(patched(obj, result)).toEqual(expected);
  });

  it('leaves objects alone while the target still serves their version, and apps/v1 always', () => {
    const oldTarget = { servedVersions: new Set([...modernServedVersions, 'extensions/v1beta1']) };
    expect(upgradeWorkloads.apply(extensionsDeployment, oldTarget)).toEqual({ kind: 'keep' });
    expect(upgradeWorkloads.apply(deployment, ctx)).toEqual({ kind: 'keep' });
  });

  it('fails a workload that has neither a selector nor template labels', () => {
    const bare = deepFreeze({ ...appsV1beta1Deployment, spec: { template: { spec: {} } } });
    expect(() => upgradeWorkloads.apply(bare, ctx)).toThrow(ApiConversionFailed);
    expect(() => upgradeWorkloads.apply(bare, ctx)).toThrow(
      /apps\/Deployment\/legacy-shop\/cart from apps\/v1beta1: apps\/v1 requires spec.selector/,
    );
  });

  it('fails when the target serves neither version', () => {
    expect(() => upgradeWorkloads.apply(extensionsDeployment, { servedVersions: new Set(['v1']) })).toThrow(UnservedApiVersion);
  });
});
