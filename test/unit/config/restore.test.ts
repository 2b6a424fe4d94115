// Table tests of the restore-transform config: defaults, a full valid config, and each rule's error and path.
import { describe, expect, it } from 'vitest';
import { imagePrefixProblem, parseRestoreTransforms } from '../../../config/restore.js';

const full = {
  imageRegistryMap: { 'docker.io': 'mirror.example.com/hub', 'registry.old.example:5000/shop': 'registry.new.example/shop' },
  labels: {
    add: { 'ferry.dev/migrated': 'true' },
    remove: ['legacy'],
    scope: [{ group: 'apps', kind: 'Deployment' }, { labelSelector: 'team in (payments)' }],
    podTemplates: true,
  },
  annotations: { add: { 'sidecar.istio.io/inject': 'false' }, scope: [{ kind: 'Deployment', name: 'store*' }] },
  ingressHostMap: { 'shop.old.example': 'shop.new.example', '.old.example': '.new.example', '*.cdn.old.example': '*.cdn.new.example' },
  patches: [
    {
      target: { group: 'apps', kind: 'Deployment', name: 'checkout' },
      patch: [
        { op: 'test', path: '/spec/replicas', value: 3 },
        { op: 'replace', path: '/spec/replicas', value: 1 },
        { op: 'add', path: '/metadata/annotations/ferry.dev~1note', value: null },
      ],
    },
    { target: { group: '', kind: 'ConfigMap' }, patch: [{ op: 'move', from: '/data/a', path: '/data/b' }] },
  ],
};

describe('parseRestoreTransforms', () => {
  it('fills defaults for an empty or missing config, frozen', () => {
    const parsed = parseRestoreTransforms(undefined);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    expect(parsed.config).toEqual({
      imageRegistryMap: {},
      labels: { add: {}, remove: [], scope: [], podTemplates: false },
      annotations: { add: {}, remove: [], scope: [], podTemplates: false },
      ingressHostMap: {},
      patches: [],
    });
    expect(Object.isFrozen(parsed.config.labels.scope)).toBe(true);
  });

  it('accepts a full config as given', () => {
    const parsed = parseRestoreTransforms(full);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    expect(parsed.config).toEqual({ ...full, annotations: { ...full.annotations, remove: [], podTemplates: false } });
    expect(Object.isFrozen(parsed.config.patches[0].patch[0])).toBe(true);
  });

  const rejected: [string, object, string, RegExp][] = [
    [
      'an image prefix without a registry host',
      { imageRegistryMap: { library: 'mirror.example.com' } },
      'imageRegistryMap.library',
      /registry host/,
    ],
    [
      'index.docker.io',
      { imageRegistryMap: { 'index.docker.io': 'mirror.example.com' } },
      'imageRegistryMap["index.docker.io"]',
      /docker\.io/,
    ],
    ['an upper-case repository', { imageRegistryMap: { 'docker.io': 'mirror.example.com/Hub' } }, 'imageRegistryMap["docker.io"]', /"Hub"/],
    ['a bad label key', { labels: { add: { 'Bad_Prefix.io/x': 'y' } } }, 'labels.add["Bad_Prefix.io/x"]', /prefix/],
    ['a bad label value', { labels: { add: { team: 'pay ments' } } }, 'labels.add.team', /label value/],
    ['a key added and removed', { annotations: { add: { a: 'b' }, remove: ['a'] } }, 'annotations.remove[0]', /also in add/],
    ['a bad scope selector', { labels: { scope: [{ labelSelector: 'team in (' }] } }, 'labels.scope[0].labelSelector', /character/],
    ['a lowercase kind', { labels: { scope: [{ kind: 'deployment' }] } }, 'labels.scope[0].kind', /CamelCase/],
    ['an unknown scope field', { labels: { scope: [{ namespace: 'shop' }] } }, 'labels.scope[0].namespace', /unknown field/],
    ['a suffix mapped to a host', { ingressHostMap: { '.old.example': 'new.example' } }, 'ingressHostMap[".old.example"]', /suffix/],
    ['a wildcard mapped to a host', { ingressHostMap: { '*.old.example': 'new.example' } }, 'ingressHostMap["*.old.example"]', /wildcard/],
    ['an upper-case host', { ingressHostMap: { 'Shop.example': 'shop.example' } }, 'ingressHostMap["Shop.example"]', /lowercase host/],
    [
      'a patch for every object',
      { patches: [{ target: {}, patch: [{ op: 'remove', path: '/status' }] }] },
      'patches[0].target',
      /at least one/,
    ],
    ['an empty patch', { patches: [{ target: { kind: 'Secret' }, patch: [] }] }, 'patches[0].patch', /at least one operation/],
    [
      'an unknown op',
      { patches: [{ target: { kind: 'Secret' }, patch: [{ op: 'merge', path: '/a' }] }] },
      'patches[0].patch[0].op',
      /one of add/,
    ],
    [
      'a bad pointer',
      { patches: [{ target: { kind: 'Secret' }, patch: [{ op: 'remove', path: 'spec/a' }] }] },
      'patches[0].patch[0].path',
      /JSON Pointer/,
    ],
    [
      'a bad escape',
      { patches: [{ target: { kind: 'Secret' }, patch: [{ op: 'remove', path: '/a~2b' }] }] },
      'patches[0].patch[0].path',
      /~0/,
    ],
    [
      'an add without value',
      { patches: [{ target: { kind: 'Secret' }, patch: [{ op: 'add', path: '/a' }] }] },
      'patches[0].patch[0].value',
      /./,
    ],
    [
      'a move without from',
      { patches: [{ target: { kind: 'Secret' }, patch: [{ op: 'move', path: '/a' }] }] },
      'patches[0].patch[0].from',
      /./,
    ],
    ['an unknown top-level field', { sanitize: false }, 'sanitize', /unknown field/],
  ];
  it.each(rejected)('rejects %s', (_, input, path, message) => {
    const parsed = parseRestoreTransforms(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      const issue = parsed.issues.find((i) => i.path === path);
      expect(issue, `${path} in ${JSON.stringify(parsed.issues)}`).toBeDefined();
      expect(issue?.message).toMatch(message);
    }
  });

  it('reports every problem at once', () => {
    const parsed = parseRestoreTransforms({ imageRegistryMap: { library: 'x' }, ingressHostMap: { '.a.example': 'b.example' } });
    expect(parsed.ok === false && parsed.issues.map((i) => i.path)).toEqual(['imageRegistryMap.library', 'ingressHostMap[".a.example"]']);
  });
});

describe('imagePrefixProblem', () => {
  it.each(['docker.io', 'docker.io/library', 'registry.example.com:5000/team/app', 'localhost:5000', 'mirror.example.com/hub/'])(
    'accepts %s',
    (prefix) => {
      expect(imagePrefixProblem(prefix)).toBeUndefined();
    },
  );
});
