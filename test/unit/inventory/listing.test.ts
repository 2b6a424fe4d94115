// The order an inventory lists types in, and how far concurrent listings have come through the namespaces.
import { describe, expect, it } from 'vitest';
import { listingOrder } from '../../../activities/inventory/collect.js';
import { ListingFrontier, namespaceKey } from '../../../activities/inventory/listing-frontier.js';
import type { ResourceType } from '../../../activities/kube/cluster.js';

const type = (kind: string, group = '', namespaced = true): ResourceType => ({
  group,
  version: 'v1',
  apiVersion: group ? `${group}/v1` : 'v1',
  kind,
  plural: `${kind.toLowerCase()}s`,
  namespaced,
  verbs: ['list'],
});

describe('listingOrder', () => {
  it('lists what the model needs first, then the usually numerous types, then the rest as discovered', () => {
    const types = [
      type('Deployment', 'apps'),
      type('ConfigMap'),
      type('Widget', 'example.com'),
      type('StorageClass', 'storage.k8s.io', false),
      type('Secret'),
      // a custom type named like a numerous built-in one is not one
      type('ConfigMap', 'example.com'),
      type('Namespace', '', false),
      type('Pod'),
      type('Node', '', false),
    ];
    expect(listingOrder(types).map((i) => `${types[i].kind}.${types[i].group}`)).toEqual([
      'StorageClass.storage.k8s.io',
      'Namespace.',
      'ConfigMap.',
      'Secret.',
      'Pod.',
      'Deployment.apps',
      'Widget.example.com',
      'ConfigMap.example.com',
      'Node.',
    ]);
  });
});

describe('ListingFrontier', () => {
  it('passes a namespace once every listing has moved past it or ended', () => {
    const f = new ListingFrontier(3);
    f.ended(2);
    expect(f.passed('a')).toBe(false);
    f.saw(0, 'b');
    f.saw(1, 'a');
    expect(f.passed('a')).toBe(false);
    f.saw(1, 'c');
    expect(f.passed('a')).toBe(true);
    // listing 0 is still in b
    expect(f.passed('b')).toBe(false);
    f.ended(0);
    expect(f.passed('b')).toBe(true);
    expect(f.passed('c')).toBe(false);
    f.ended(1);
    expect(f.passed('zzz')).toBe(true);
  });

  it('orders namespaces as the storage keys do: a-b before a', () => {
    expect(namespaceKey('a-b') < namespaceKey('a')).toBe(true);
    const f = new ListingFrontier(1);
    f.saw(0, 'a');
    expect(f.passed('a-b')).toBe(true);
    expect(f.passed('a')).toBe(false);
  });

  it('holds a listing seen going back where it started until it ends, and forgets a listing started over', () => {
    const f = new ListingFrontier(1);
    f.saw(0, 'm');
    f.saw(0, 'c');
    expect(f.passed('a')).toBe(false);
    f.saw(0, 'z');
    expect(f.passed('a')).toBe(false);
    f.restarted(0);
    f.saw(0, 'd');
    expect(f.passed('c')).toBe(true);
    f.restarted(0);
    expect(f.passed('c')).toBe(false);
    f.ended(0);
    expect(f.passed('c')).toBe(true);
  });
});
