// Storage class remapping of claims and claim templates, and the preflight list of classes without a mapping.
import { describe, expect, it } from 'vitest';
import { type KubeObject, refKey } from '../../../activities/kube/object.js';
import { remapStorageClass, type StorageClassContext, unmappedStorageClasses } from '../../../activities/transform/remap-storage-class.js';
import type { TransformResult } from '../../../activities/transform/types.js';
import { claim, classlessClaim, deployment, legacyClaim, statefulSet, staticClaim } from './fixtures.js';

const map = { standard: 'premium-rwo', 'fast-ssd': 'premium-rwo' };
const ctx: StorageClassContext = { storageClassMap: map, sourceDefaultClass: 'standard', targetDefaultClass: 'premium-rwo' };

describe('remapStorageClass', () => {
  const cases: [string, KubeObject, StorageClassContext, TransformResult][] = [
    [
      'a claim with a mapped class',
      claim,
      ctx,
      {
        kind: 'patch',
        patches: [{ op: 'replace', path: '/spec/storageClassName', value: 'premium-rwo' }],
        reason: 'storage class fast-ssd → premium-rwo',
      },
    ],
    [
      'a claim without a class gets the mapped source default, explicitly',
      classlessClaim,
      ctx,
      {
        kind: 'patch',
        patches: [{ op: 'add', path: '/spec/storageClassName', value: 'premium-rwo' }],
        reason: 'storage class standard → premium-rwo',
      },
    ],
    [
      'a claim without a class and no source default gets the target default, explicitly',
      classlessClaim,
      { storageClassMap: map, targetDefaultClass: 'standard-rwo' },
      {
        kind: 'patch',
        patches: [{ op: 'add', path: '/spec/storageClassName', value: 'standard-rwo' }],
        reason: 'storage class (none, target default) → standard-rwo',
      },
    ],
    ['a claim without a class and no defaults at all is left to the target', classlessClaim, { storageClassMap: map }, { kind: 'keep' }],
    [
      'the deprecated annotation, which Kubernetes reads first',
      legacyClaim,
      ctx,
      {
        kind: 'patch',
        patches: [{ op: 'replace', path: '/metadata/annotations/volume.beta.kubernetes.io~1storage-class', value: 'premium-rwo' }],
        reason: 'storage class standard → premium-rwo',
      },
    ],
    [
      'every claim template of a StatefulSet',
      statefulSet,
      ctx,
      {
        kind: 'patch',
        patches: [
          { op: 'replace', path: '/spec/volumeClaimTemplates/0/spec/storageClassName', value: 'premium-rwo' },
          { op: 'add', path: '/spec/volumeClaimTemplates/1/spec/storageClassName', value: 'premium-rwo' },
        ],
        reason: 'storage class fast-ssd → premium-rwo, standard → premium-rwo',
      },
    ],
    ['an unmapped class is left for preflight to report', claim, { storageClassMap: { standard: 'premium-rwo' } }, { kind: 'keep' }],
    ['an explicit "" without a mapping', staticClaim, ctx, { kind: 'keep' }],
    [
      'an explicit "" mapped',
      staticClaim,
      { storageClassMap: { '': 'standard-rwo' } },
      {
        kind: 'patch',
        patches: [{ op: 'replace', path: '/spec/storageClassName', value: 'standard-rwo' }],
        reason: 'storage class "" → standard-rwo',
      },
    ],
    ['an identity mapping', claim, { storageClassMap: { 'fast-ssd': 'fast-ssd' } }, { kind: 'keep' }],
    ['objects without claims', deployment, ctx, { kind: 'keep' }],
  ];
  it.each(cases)('%s', (_, obj, context, expected) => {
    expect(remapStorageClass.apply(obj, context)).toEqual(expected);
  });
});

describe('unmappedStorageClasses', () => {
  const objects = [statefulSet, claim, legacyClaim, classlessClaim, staticClaim, deployment];
  const summary = (m: Record<string, string>, sourceDefault?: string) =>
    unmappedStorageClasses(objects, m, sourceDefault).map((u) => [u.storageClass, u.objects.map(refKey)]);

  it('lists every unmapped class with its users, sorted', () => {
    expect(summary({}, 'standard')).toEqual([
      ['', ['/PersistentVolumeClaim/legacy-shop/archive']],
      ['fast-ssd', ['/PersistentVolumeClaim/legacy-shop/data-ledger-db-0', 'apps/StatefulSet/legacy-shop/ledger-db']],
      [
        'standard',
        [
          '/PersistentVolumeClaim/legacy-shop/cache',
          '/PersistentVolumeClaim/legacy-shop/uploads',
          'apps/StatefulSet/legacy-shop/ledger-db',
        ],
      ],
    ]);
  });

  it('does not list classless claims when the source default is unknown: the target default provisions them', () => {
    expect(summary({ 'fast-ssd': 'premium-rwo' })).toEqual([
      ['', ['/PersistentVolumeClaim/legacy-shop/archive']],
      ['standard', ['/PersistentVolumeClaim/legacy-shop/uploads']],
    ]);
  });

  it('is empty when the map covers everything', () => {
    expect(summary({ ...map, '': 'standard-rwo' }, 'standard')).toEqual([]);
  });
});
