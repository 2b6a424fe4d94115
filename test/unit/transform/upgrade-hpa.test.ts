// HorizontalPodAutoscalers to autoscaling/v2: every v2beta1 metric source in v2's metric/target shape.
import { describe, expect, it } from 'vitest';
import { ApiConversionFailed } from '../../../activities/transform/api-version.js';
import { upgradeHpa } from '../../../activities/transform/upgrade-hpa.js';
import { patched } from './apply-result.js';
import { deepFreeze } from './deep-freeze.js';
import { horizontalPodAutoscaler } from './fixtures.js';
import { modernServedVersions, v2beta1Hpa, v2beta2Hpa } from './legacy-fixtures.js';

const ctx = { servedVersions: modernServedVersions };

describe('upgradeHpa', () => {
  it('converts every v2beta1 metric type', () => {
    const result = upgradeHpa.apply(v2beta1Hpa, ctx);
    expect(result.kind === 'patch' && result.reason).toBe(
      'autoscaling/v2beta1 → autoscaling/v2; metric targets in the v2 metric/target shape',
    );
    expect(patched(v2beta1Hpa, result)).toEqual({
      ...v2beta1Hpa,
      apiVersion: 'autoscaling/v2',
      spec: {
        maxReplicas: 12,
        minReplicas: 3,
        metrics: [
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
          { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '512Mi' } } },
          {
            type: 'Pods',
            pods: { metric: { name: 'http_requests_per_second' }, target: { type: 'AverageValue', averageValue: '100' } },
          },
          {
            type: 'Object',
            object: {
              describedObject: { apiVersion: 'extensions/v1beta1', kind: 'Ingress', name: 'storefront' },
              metric: { name: 'requests-per-second' },
              target: { type: 'Value', value: '2k' },
            },
          },
          {
            type: 'External',
            external: {
              metric: { name: 'queue_messages_ready', selector: { matchLabels: { queue: 'orders' } } },
              target: { type: 'AverageValue', averageValue: '30' },
            },
          },
          { type: 'External', external: { metric: { name: 'backlog_seconds' }, target: { type: 'Value', value: '120' } } },
        ],
        scaleTargetRef: { apiVersion: 'extensions/v1beta1', kind: 'Deployment', name: 'storefront' },
      },
    });
  });

  it('takes an Object metric’s per-pod averageValue over its total, as v2beta1 did', () => {
    const perPod = deepFreeze({
      ...v2beta1Hpa,
      spec: {
        maxReplicas: 4,
        scaleTargetRef: { kind: 'Deployment', name: 'cart' },
        metrics: [
          {
            type: 'Object',
            object: {
              metricName: 'hits',
              target: { kind: 'Service', name: 'cart' },
              targetValue: '1k',
              averageValue: '50',
              selector: { matchLabels: { v: '2' } },
            },
          },
          { type: 'ContainerResource', containerResource: { name: 'cpu', container: 'app', targetAverageUtilization: 80 } },
        ],
      },
    });
    expect((patched(perPod, upgradeHpa.apply(perPod, ctx)).spec as Record<string, unknown>).metrics).toEqual([
      {
        type: 'Object',
        object: {
          describedObject: { kind: 'Service', name: 'cart' },
          metric: { name: 'hits', selector: { matchLabels: { v: '2' } } },
          target: { type: 'AverageValue', averageValue: '50' },
        },
      },
      {
        type: 'ContainerResource',
        containerResource: { name: 'cpu', container: 'app', target: { type: 'Utilization', averageUtilization: 80 } },
      },
    ]);
  });

  it('relabels v2beta2, already in v2’s shape', () => {
    const result = upgradeHpa.apply(v2beta2Hpa, ctx);
    expect(patched(v2beta2Hpa, result)).toEqual({ ...v2beta2Hpa, apiVersion: 'autoscaling/v2' });
    expect(result).toEqual({
      kind: 'patch',
      patches: [{ op: 'replace', path: '/apiVersion', value: 'autoscaling/v2' }],
      reason: 'autoscaling/v2beta2 → autoscaling/v2',
    });
  });

  it('fails a metric it cannot read, naming it', () => {
    const broken = deepFreeze({ ...v2beta1Hpa, spec: { maxReplicas: 2, metrics: [{ type: 'Resource', resource: { name: 'cpu' } }] } });
    expect(() => upgradeHpa.apply(broken, ctx)).toThrow(ApiConversionFailed);
    expect(() => upgradeHpa.apply(broken, ctx)).toThrow(/spec.metrics\[0\]: a Resource metric without a target/);
    const unknown = deepFreeze({ ...v2beta1Hpa, spec: { maxReplicas: 2, metrics: [{ type: 'Magic' }] } });
    expect(() => upgradeHpa.apply(unknown, ctx)).toThrow(/spec.metrics\[0\]: unknown metric type "Magic"/);
  });

  it('keeps autoscaling/v2', () => {
    expect(upgradeHpa.apply(horizontalPodAutoscaler, ctx)).toEqual({ kind: 'keep' });
  });
});
