// HorizontalPodAutoscalers from autoscaling/v2beta1 and v2beta2 (removed in Kubernetes 1.25 and 1.26) to
// autoscaling/v2. v2beta2 already has v2's shape; v2beta1's flat metric targets become v2's metric and target.
import { type KubeObject, refKey, refOf } from '../kube/object.js';
import {
  ApiConversionFailed,
  type ApiUpgradeContext,
  type ApiUpgradeRoute,
  converted,
  mutableRecord,
  recordAt,
  upgradeTarget,
  workingCopy,
} from './api-version.js';
import { asArray, asRecord } from './pointer.js';
import type { Transform, TransformResult } from './types.js';

const route: ApiUpgradeRoute = {
  kinds: ['HorizontalPodAutoscaler'],
  from: ['autoscaling/v2beta1', 'autoscaling/v2beta2'],
  to: 'autoscaling/v2',
};

type Target = Record<string, unknown>;

/** Resource and ContainerResource: a utilization percentage wins, as in the apiserver's own conversion. */
function resourceTarget(source: Readonly<Record<string, unknown>>): Target | undefined {
  if (source.targetAverageUtilization !== undefined) return { type: 'Utilization', averageUtilization: source.targetAverageUtilization };
  if (source.targetAverageValue !== undefined) return { type: 'AverageValue', averageValue: source.targetAverageValue };
  return undefined;
}

function metricIdentifier(name: unknown, selector: unknown): Record<string, unknown> {
  return selector === undefined ? { name } : { name, selector };
}

/** The v2 shape of one v2beta1 metric source, or a reason it has none. */
function convertSource(type: string, source: Readonly<Record<string, unknown>>): Record<string, unknown> | string {
  switch (type) {
    case 'Resource': {
      const target = resourceTarget(source);
      return target === undefined ? 'a Resource metric without a target' : { name: source.name, target };
    }
    case 'ContainerResource': {
      const target = resourceTarget(source);
      return target === undefined
        ? 'a ContainerResource metric without a target'
        : { name: source.name, container: source.container, target };
    }
    case 'Pods':
      return {
        metric: metricIdentifier(source.metricName, source.selector),
        target: { type: 'AverageValue', averageValue: source.targetAverageValue },
      };
    case 'Object': {
      // v2beta1 kept a total (targetValue) and, optionally, a per-pod value (averageValue) that then took over.
      const target =
        source.averageValue === undefined
          ? { type: 'Value', value: source.targetValue }
          : { type: 'AverageValue', averageValue: source.averageValue };
      return { describedObject: source.target, metric: metricIdentifier(source.metricName, source.selector), target };
    }
    case 'External': {
      const target =
        source.targetValue !== undefined
          ? { type: 'Value', value: source.targetValue }
          : { type: 'AverageValue', averageValue: source.targetAverageValue };
      return { metric: metricIdentifier(source.metricName, source.metricSelector), target };
    }
    default:
      return `unknown metric type ${type}`;
  }
}

const sourceField: Readonly<Record<string, string>> = {
  Resource: 'resource',
  ContainerResource: 'containerResource',
  Pods: 'pods',
  Object: 'object',
  External: 'external',
};

function convertMetrics(obj: Readonly<KubeObject>, spec: Record<string, unknown>): void {
  asArray(spec.metrics).forEach((entry, i) => {
    const fail = (reason: string): never => {
      throw new ApiConversionFailed(refKey(refOf(obj)), obj.apiVersion, `spec.metrics[${i}]: ${reason}`);
    };
    const metric = mutableRecord(entry) ?? fail('not an object');
    const type = typeof metric.type === 'string' ? metric.type : '';
    const field = Object.hasOwn(sourceField, type) ? sourceField[type] : fail(`unknown metric type "${type}"`);
    const source = asRecord(metric[field]) ?? fail(`a ${type} metric without its ${field} source`);
    const result = convertSource(type, source);
    metric[field] = typeof result === 'string' ? fail(result) : result;
  });
}

export const upgradeHpa: Transform<ApiUpgradeContext> = {
  name: 'upgrade-hpa',
  apply(obj, ctx): TransformResult {
    const to = upgradeTarget(obj, ctx, route);
    if (to === undefined) return { kind: 'keep' };
    const out = workingCopy(obj);
    out.apiVersion = to;
    const spec = recordAt(out, 'spec');
    const notes: string[] = [];
    if (obj.apiVersion === 'autoscaling/v2beta1' && spec !== undefined && asArray(spec.metrics).length > 0) {
      convertMetrics(obj, spec);
      notes.push('metric targets in the v2 metric/target shape');
    }
    return converted(obj, out, notes);
  },
};
