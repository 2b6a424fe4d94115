// Deployments, DaemonSets, ReplicaSets and StatefulSets from extensions/v1beta1, apps/v1beta1 and apps/v1beta2
// (removed in Kubernetes 1.16) to apps/v1, keeping what the old version's defaults meant where apps/v1's differ.
import { type KubeObject, refKey, refOf } from '../kube/object.js';
import {
  ApiConversionFailed,
  type ApiUpgradeContext,
  type ApiUpgradeRoute,
  converted,
  ensureRecord,
  recordAt,
  upgradeTarget,
  workingCopy,
} from './api-version.js';
import type { Transform, TransformResult } from './types.js';

const route: ApiUpgradeRoute = {
  kinds: ['Deployment', 'DaemonSet', 'ReplicaSet', 'StatefulSet'],
  from: ['extensions/v1beta1', 'apps/v1beta1', 'apps/v1beta2'],
  to: 'apps/v1',
};

const maxInt32 = 2147483647;

/**
 * apps/v1 requires spec.selector, and it is immutable: the old versions defaulted it to the template's labels
 * (and the object's own labels too, in extensions/v1beta1 and apps/v1beta1), which is what is written here.
 */
function selectorFromTemplate(obj: KubeObject, spec: Record<string, unknown>, from: string, notes: string[]): void {
  const template = recordAt(spec, 'template');
  const templateMeta = template === undefined ? undefined : recordAt(template, 'metadata');
  const labels = templateMeta === undefined ? undefined : recordAt(templateMeta, 'labels');
  const hasLabels = labels !== undefined && Object.keys(labels).length > 0;
  if (spec.selector === undefined || spec.selector === null) {
    if (!hasLabels)
      throw new ApiConversionFailed(
        refKey(refOf(obj)),
        from,
        'apps/v1 requires spec.selector, and the pod template has no labels to take it from',
      );
    spec.selector = { matchLabels: { ...labels } };
    notes.push('spec.selector from the pod template labels, as the old version defaulted it');
  }
  if (from !== 'apps/v1beta2' && hasLabels && Object.keys(obj.metadata.labels ?? {}).length === 0) {
    obj.metadata.labels = { ...(labels as Record<string, string>) };
    notes.push('metadata.labels from the pod template labels, as the old version defaulted them');
  }
}

/**
 * extensions/v1beta1 meant "no deadline, keep every old ReplicaSet" by leaving progressDeadlineSeconds and
 * revisionHistoryLimit unset (the apiserver stored MaxInt32 for both), and rolled out 1 pod at a time; apps/v1
 * would default 600 s, 10 and 25%. The old meanings are kept, explicitly: a deadline the app never had would
 * mark slow rollouts failed in the pipelines that watch them, and it is exactly what the apiserver's own
 * conversion shows when such an object is read through apps/v1. Teams can lower them with a patch.
 * apps/v1beta1 defaulted revisionHistoryLimit to 2, also kept.
 */
function deploymentDefaults(spec: Record<string, unknown>, from: string, notes: string[]): void {
  if (spec.rollbackTo !== undefined) {
    delete spec.rollbackTo;
    notes.push('spec.rollbackTo dropped: a one-shot rollback request apps/v1 no longer has');
  }
  const strategy = recordAt(spec, 'strategy');
  if (strategy?.type === 'Recreate') {
    if (strategy.rollingUpdate !== undefined) {
      delete strategy.rollingUpdate;
      notes.push('strategy.rollingUpdate dropped: apps/v1 rejects it with Recreate');
    }
  } else if (from === 'extensions/v1beta1') {
    const rolling = ensureRecord(spec, 'strategy');
    rolling.type ??= 'RollingUpdate';
    const limits = ensureRecord(rolling, 'rollingUpdate');
    limits.maxUnavailable ??= 1;
    limits.maxSurge ??= 1;
  }
  if (from === 'extensions/v1beta1') {
    spec.progressDeadlineSeconds ??= maxInt32;
    spec.revisionHistoryLimit ??= maxInt32;
  } else if (from === 'apps/v1beta1') {
    spec.revisionHistoryLimit ??= 2;
  }
}

/** extensions/v1beta1 DaemonSets updated OnDelete unless told otherwise; apps/v1 would roll them. */
function daemonSetDefaults(spec: Record<string, unknown>, from: string, notes: string[]): void {
  if (spec.templateGeneration !== undefined) {
    delete spec.templateGeneration;
    notes.push('spec.templateGeneration dropped: apps/v1 tracks it in an annotation of its own');
  }
  if (from === 'extensions/v1beta1') ensureRecord(spec, 'updateStrategy').type ??= 'OnDelete';
}

/** apps/v1beta1 StatefulSets updated OnDelete unless told otherwise; apps/v1 would roll them. */
function statefulSetDefaults(spec: Record<string, unknown>, from: string): void {
  if (from === 'apps/v1beta1') ensureRecord(spec, 'updateStrategy').type ??= 'OnDelete';
}

export const upgradeWorkloads: Transform<ApiUpgradeContext> = {
  name: 'upgrade-workloads',
  apply(obj, ctx): TransformResult {
    const to = upgradeTarget(obj, ctx, route);
    if (to === undefined) return { kind: 'keep' };
    const out = workingCopy(obj);
    out.apiVersion = to;
    const spec = ensureRecord(out, 'spec');
    const notes: string[] = [];
    selectorFromTemplate(out, spec, obj.apiVersion, notes);
    if (obj.kind === 'Deployment') deploymentDefaults(spec, obj.apiVersion, notes);
    if (obj.kind === 'DaemonSet') daemonSetDefaults(spec, obj.apiVersion, notes);
    if (obj.kind === 'StatefulSet') statefulSetDefaults(spec, obj.apiVersion);
    return converted(obj, out, notes);
  },
};
