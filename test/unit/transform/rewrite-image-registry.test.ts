// Image registry rewriting: how references normalise and match, and the exact patches on every pod template.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../activities/kube/object.js';
import { normalizeImage, rewriteImage } from '../../../activities/transform/image-reference.js';
import { rewriteImageRegistry } from '../../../activities/transform/rewrite-image-registry.js';
import type { TransformResult } from '../../../activities/transform/types.js';
import { configMap, cronJob, debugPod, deployment } from './fixtures.js';
import { extensionsDeployment } from './legacy-fixtures.js';

describe('normalizeImage', () => {
  const cases: [string, string][] = [
    ['nginx', 'docker.io/library/nginx'],
    ['nginx:1.25', 'docker.io/library/nginx:1.25'],
    ['nginx@sha256:0123abcd', 'docker.io/library/nginx@sha256:0123abcd'],
    ['bitnami/redis:7.2', 'docker.io/bitnami/redis:7.2'],
    ['docker.io/nginx', 'docker.io/library/nginx'],
    ['index.docker.io/library/nginx:1.25', 'docker.io/library/nginx:1.25'],
    ['quay.io/prometheus/node-exporter:v1.7.0', 'quay.io/prometheus/node-exporter:v1.7.0'],
    ['localhost/app', 'localhost/app'],
    ['registry:5000/team/app:2', 'registry:5000/team/app:2'],
  ];
  it.each(cases)('%s is %s', (image, normalized) => {
    expect(normalizeImage(image)).toBe(normalized);
  });
});

describe('rewriteImage', () => {
  const map = {
    'docker.io': 'mirror.example.com/hub',
    'docker.io/library/postgres': 'registry.new.example/db/postgres',
    'registry.example.com/shop': 'registry.new.example/shop',
    'quay.io': 'quay.io',
  };
  const cases: [string, string | undefined][] = [
    ['nginx:1.25', 'mirror.example.com/hub/library/nginx:1.25'],
    ['bitnami/redis:7.2', 'mirror.example.com/hub/bitnami/redis:7.2'],
    ['postgres:16.4', 'registry.new.example/db/postgres:16.4'],
    ['postgres-exporter:0.15', 'mirror.example.com/hub/library/postgres-exporter:0.15'],
    ['registry.example.com/shop/checkout:4.2.1', 'registry.new.example/shop/checkout:4.2.1'],
    ['registry.example.com/shopping/cart:1', undefined],
    ['registry.example.com/shop@sha256:00ff', 'registry.new.example/shop@sha256:00ff'],
    ['quay.io/prometheus/node-exporter:v1.7.0', undefined],
    ['gcr.io/distroless/static', undefined],
    ['', undefined],
  ];
  it.each(cases)('%s → %s', (image, rewritten) => {
    expect(rewriteImage(image, map)).toBe(rewritten);
  });
});

describe('rewriteImageRegistry', () => {
  const ctx = {
    imageRegistryMap: {
      'docker.io': 'mirror.example.com/hub',
      'registry.example.com/shop': 'registry.new.example/shop',
      'registry.old.example': 'registry.new.example',
    },
  };
  const cases: [string, KubeObject, TransformResult][] = [
    [
      'containers and init containers of a Deployment',
      deployment,
      {
        kind: 'patch',
        patches: [
          { op: 'replace', path: '/spec/template/spec/initContainers/0/image', value: 'mirror.example.com/hub/library/busybox:1.36' },
          { op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'registry.new.example/shop/checkout:4.2.1' },
        ],
        reason:
          'images busybox:1.36 → mirror.example.com/hub/library/busybox:1.36, registry.example.com/shop/checkout:4.2.1 → registry.new.example/shop/checkout:4.2.1',
      },
    ],
    [
      'the job template of a CronJob',
      cronJob,
      {
        kind: 'patch',
        patches: [
          { op: 'replace', path: '/spec/jobTemplate/spec/template/spec/containers/0/image', value: 'registry.new.example/shop/report:1.9' },
        ],
        reason: 'images registry.example.com/shop/report:1.9 → registry.new.example/shop/report:1.9',
      },
    ],
    [
      'ephemeral containers of a Pod, one image listed once',
      debugPod,
      {
        kind: 'patch',
        patches: [
          { op: 'replace', path: '/spec/containers/0/image', value: 'mirror.example.com/hub/library/busybox:1.36' },
          { op: 'replace', path: '/spec/ephemeralContainers/0/image', value: 'mirror.example.com/hub/library/busybox:1.36' },
        ],
        reason: 'images busybox:1.36 → mirror.example.com/hub/library/busybox:1.36',
      },
    ],
    [
      'an extensions/v1beta1 Deployment a target still serves, leaving unmapped registries',
      extensionsDeployment,
      {
        kind: 'patch',
        patches: [
          { op: 'replace', path: '/spec/template/spec/initContainers/0/image', value: 'registry.new.example/shop/assets:2019.03' },
          { op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'mirror.example.com/hub/library/nginx:1.15.8' },
        ],
        reason:
          'images nginx:1.15.8 → mirror.example.com/hub/library/nginx:1.15.8, registry.old.example/shop/assets:2019.03 → registry.new.example/shop/assets:2019.03',
      },
    ],
    ['objects without pods', configMap, { kind: 'keep' }],
  ];
  it.each(cases)('%s', (_, obj, result) => {
    expect(rewriteImageRegistry.apply(obj, ctx)).toEqual(result);
  });

  it('keeps everything with an empty map', () => {
    expect(rewriteImageRegistry.apply(deployment, { imageRegistryMap: {} })).toEqual({ kind: 'keep' });
  });
});
