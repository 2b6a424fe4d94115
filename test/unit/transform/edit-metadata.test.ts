// Label and annotation edits: exact patches, scopes, pod templates, and the selector guard.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../activities/kube/object.js';
import { editAnnotations, editLabels, type MetadataEdit, SelectorLabelEdit } from '../../../activities/transform/edit-metadata.js';
import { compileMatcher } from '../../../activities/transform/object-match.js';
import type { TransformResult } from '../../../activities/transform/types.js';
import { configMap, cronJob, deployment, pod, statefulSet } from './fixtures.js';

const edit = (fields: Partial<MetadataEdit>): MetadataEdit => ({ add: {}, remove: [], scope: [], podTemplates: false, ...fields });

describe('editLabels', () => {
  const cases: [string, MetadataEdit, KubeObject, TransformResult][] = [
    [
      'adds a map to an object without labels',
      edit({ add: { 'ferry.dev/migrated': 'true', team: 'payments' } }),
      configMap,
      {
        kind: 'patch',
        patches: [{ op: 'add', path: '/metadata/labels', value: { 'ferry.dev/migrated': 'true', team: 'payments' } }],
        reason: 'labels +ferry.dev/migrated=true +team=payments',
      },
    ],
    [
      'adds, replaces and removes keys, escaping them',
      edit({ add: { team: 'checkout', 'ferry.dev/migrated': 'true' }, remove: ['app', 'absent'] }),
      deployment,
      {
        kind: 'patch',
        patches: [
          { op: 'remove', path: '/metadata/labels/app' },
          { op: 'add', path: '/metadata/labels/ferry.dev~1migrated', value: 'true' },
          { op: 'replace', path: '/metadata/labels/team', value: 'checkout' },
        ],
        reason: 'labels -absent -app +ferry.dev/migrated=true +team=checkout',
      },
    ],
    [
      'pod templates too, when asked',
      edit({ add: { 'ferry.dev/migrated': 'true' }, podTemplates: true }),
      statefulSet,
      {
        kind: 'patch',
        patches: [
          { op: 'add', path: '/metadata/labels/ferry.dev~1migrated', value: 'true' },
          { op: 'add', path: '/spec/template/metadata/labels/ferry.dev~1migrated', value: 'true' },
        ],
        reason: 'labels +ferry.dev/migrated=true',
      },
    ],
    [
      'the job template of a CronJob has no labels map yet',
      edit({ add: { team: 'payments' }, podTemplates: true }),
      cronJob,
      {
        kind: 'patch',
        patches: [
          { op: 'add', path: '/metadata/labels', value: { team: 'payments' } },
          { op: 'add', path: '/spec/jobTemplate/spec/template/metadata/labels', value: { team: 'payments' } },
        ],
        reason: 'labels +team=payments',
      },
    ],
    ['a Pod is its own template', edit({ add: { team: 'payments' }, podTemplates: true }), pod, { kind: 'keep' }],
    [
      'only objects in scope',
      edit({ add: { tier: 'db' }, scope: [compileMatcher({ kind: 'StatefulSet' }), compileMatcher({ labelSelector: 'app=ledger' })] }),
      deployment,
      { kind: 'keep' },
    ],
    [
      'objects any scope entry matches',
      edit({ add: { tier: 'web' }, scope: [compileMatcher({ kind: 'StatefulSet' }), compileMatcher({ labelSelector: 'app=checkout' })] }),
      deployment,
      { kind: 'patch', patches: [{ op: 'add', path: '/metadata/labels/tier', value: 'web' }], reason: 'labels +tier=web' },
    ],
    ['nothing already so', edit({ add: { app: 'checkout' } }), deployment, { kind: 'keep' }],
  ];
  it.each(cases)('%s', (_, labelEdit, obj, result) => {
    expect(editLabels.apply(obj, { labelEdit })).toEqual(result);
  });

  it('refuses to change a selector label in a pod template, which would orphan the pods', () => {
    const labelEdit = edit({ remove: ['app'], podTemplates: true });
    expect(() => editLabels.apply(deployment, { labelEdit })).toThrow(SelectorLabelEdit);
    expect(() => editLabels.apply(deployment, { labelEdit: edit({ add: { app: 'shop' }, podTemplates: true }) })).toThrow(
      'label "app" is in the selector of apps/Deployment/legacy-shop/checkout',
    );
    expect(editLabels.apply(deployment, { labelEdit: edit({ remove: ['app'] }) }).kind).toBe('patch');
  });
});

describe('editAnnotations', () => {
  it('edits annotations, on pod templates when asked', () => {
    const annotationEdit = edit({
      add: { 'sidecar.istio.io/inject': 'false' },
      remove: ['deployment.kubernetes.io/revision'],
      podTemplates: true,
    });
    expect(editAnnotations.apply(deployment, { annotationEdit })).toEqual({
      kind: 'patch',
      patches: [
        { op: 'remove', path: '/metadata/annotations/deployment.kubernetes.io~1revision' },
        { op: 'add', path: '/metadata/annotations/sidecar.istio.io~1inject', value: 'false' },
        { op: 'add', path: '/spec/template/metadata/annotations', value: { 'sidecar.istio.io/inject': 'false' } },
      ],
      reason: 'annotations -deployment.kubernetes.io/revision +sidecar.istio.io/inject=false',
    });
  });

  it('keeps everything when there is nothing to edit', () => {
    expect(editAnnotations.apply(deployment, { annotationEdit: edit({ podTemplates: true }) })).toEqual({ kind: 'keep' });
  });
});
