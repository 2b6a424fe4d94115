import { describe, expect, it } from 'vitest';
import {
  decodeLean,
  decodeList,
  itemLayout,
  listContinue,
  listHead,
  listLayout,
  MemberSet,
  mainManagers,
  readLean,
} from '../../../activities/kube/list-body.js';

const body = (text: string) => Buffer.from(text, 'utf8');

// items as the API server writes them: compact JSON, strings holding brackets, quotes, escapes and multi-byte text
const items = [
  { metadata: { name: 'a', annotations: { note: 'has } and ] and { and [ inside' } }, data: { k: 'v' } },
  { metadata: { name: 'b' }, data: { quoted: 'say "hi" \\ back\\', path: 'C:\\dir\\' } },
  { metadata: { name: 'c' }, data: { city: 'Zürich 東京 🚀', items: '["not","the","list"]' } },
  { metadata: { name: 'd', labels: { items: 'x' } }, spec: { items: [{ a: 1 }, { b: [2, 3] }] } },
];
const list = (xs: unknown[], cont?: string) =>
  JSON.stringify({
    kind: 'ConfigMapList',
    apiVersion: 'v1',
    metadata: { resourceVersion: '7', ...(cont ? { continue: cont } : {}) },
    items: xs,
  });

describe('listLayout', () => {
  it('finds every item of the top-level items array, whatever its strings hold', () => {
    const b = body(list(items));
    const layout = listLayout(b);
    expect(layout?.spans.length).toBe(2 * items.length);
    const slices = items.map((_, i) => b.toString('utf8', layout?.spans[2 * i], layout?.spans[2 * i + 1]));
    expect(slices).toEqual(items.map((x) => JSON.stringify(x)));
  });

  it('takes only the top-level key "items", not one inside metadata or an item', () => {
    const text = JSON.stringify({ metadata: { items: [{ x: 1 }] }, kind: 'List', items: [{ n: 1 }, { items: [{ y: 2 }] }] });
    const b = body(text);
    const layout = listLayout(b);
    expect(layout?.spans).toHaveLength(4);
    expect(b.toString('utf8', layout?.spans[2], layout?.spans[3])).toBe('{"items":[{"y":2}]}');
  });

  it('answers undefined for bodies that are not a list object (the caller parses them whole)', () => {
    for (const text of ['{"kind":"Status","items":null}', '{"items":[{"a":1}]', '[{"a":1}]', '{"items":[{"a":"open string}]}', '']) {
      expect(listLayout(body(text))).toBeUndefined();
    }
  });

  it('handles whitespace between tokens (pretty-printed bodies)', () => {
    const b = body(JSON.stringify({ kind: 'List', items: items.slice(0, 2) }, null, 2));
    const layout = listLayout(b);
    expect(layout?.spans).toHaveLength(4);
    expect(JSON.parse(b.toString('utf8', layout?.spans[2], layout?.spans[3]))).toEqual(items[1]);
  });
});

describe('decodeList', () => {
  it('decodes each item on demand, its size in bytes as served, and the continue token', () => {
    const page = decodeList<Record<string, unknown>>(body(list(items, 'next-token')));
    expect(page.envelope.metadata?.continue).toBe('next-token');
    expect(page.length).toBe(items.length);
    expect(items.map((_, i) => page.item(i))).toEqual(items);
    expect(items.map((_, i) => page.size(i))).toEqual(items.map((x) => Buffer.byteLength(JSON.stringify(x))));
    // each call is a fresh object: a caller may change it without touching the next reader's
    expect(page.item(0)).not.toBe(page.item(0));
  });

  it('decodes an empty list, a list with null items and a body with no items (parsed whole)', () => {
    expect(decodeList(body(list([]))).length).toBe(0);
    expect(decodeList(body('{"kind":"Status","status":"Success"}')).length).toBe(0);
    const nullItems = decodeList(body('{"kind":"PodList","metadata":{"continue":""},"items":null}'));
    expect([nullItems.length, nullItems.envelope.metadata?.continue]).toEqual([0, '']);
  });

  it('throws on a body that is not JSON', () => {
    expect(() => decodeList(body('<html>bad gateway</html>'))).toThrow(SyntaxError);
  });
});

// managedFields as the API server writes them: fieldsV1 keys that look like the keys the scan looks for
const managedFields = [
  {
    manager: 'kubectl-client-side-apply',
    operation: 'Update',
    apiVersion: 'v1',
    fieldsType: 'FieldsV1',
    fieldsV1: { 'f:metadata': { 'f:labels': { 'f:manager': {}, 'f:subresource': {} } }, 'f:data': { '.': {}, 'f:x': {} } },
  },
  { manager: 'kube-controller-manager', operation: 'Update', subresource: 'status', fieldsV1: { 'f:status': {} } },
  { manager: 'argocd-controller', operation: 'Apply', fieldsV1: { manager: 'not this one', 'k:{"manager":"x"}': {} } },
  { manager: 'kubectl-client-side-apply', operation: 'Update', time: '2026-01-01T00:00:00Z' },
  { manager: 'jenkins "ci" 東京', operation: 'Update' },
];

describe('decodeLean', () => {
  const lean = (obj: unknown, space?: number) => {
    const b = body(JSON.stringify(obj, null, space));
    return decodeLean<Record<string, unknown>>(b, 0, b.length);
  };
  const strip = (obj: { metadata: Record<string, unknown> }) => {
    const { managedFields: _, ...metadata } = obj.metadata;
    return { ...obj, metadata };
  };

  it('decodes an object without its managedFields, wherever they sit in metadata, and names their managers', () => {
    const shapes = [
      { metadata: { name: 'first', managedFields }, data: { k: 'v' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'middle', managedFields, labels: { a: 'b' } }, data: {} },
      { metadata: { name: 'last', uid: 'u', managedFields } },
      { metadata: { managedFields } },
      { spec: { managedFields: [{ manager: 'in spec' }] }, metadata: { name: 'after-spec', managedFields } },
    ];
    for (const obj of shapes) {
      for (const space of [undefined, 2]) {
        const got = lean(obj, space);
        expect(got.object).toEqual(strip(obj));
        // the main resource's writers, each once, sorted; not the status writer, not fieldsV1's look-alike keys
        expect(got.managers).toEqual(['argocd-controller', 'jenkins "ci" 東京', 'kubectl-client-side-apply']);
      }
    }
  });

  it('leaves an object without managedFields as it is, and managedFields outside metadata too', () => {
    for (const obj of [
      { metadata: { name: 'none' }, data: { managedFields: '[]' } },
      { spec: { metadata: { managedFields: [{ manager: 'template' }] } }, metadata: { name: 'n' } },
      { metadata: { name: 'null', managedFields: null } },
      { metadata: { name: 'empty', managedFields: [] } },
    ]) {
      const b = body(JSON.stringify(obj));
      const got = decodeLean<Record<string, unknown>>(b, 0, b.length);
      expect(got.object).toEqual(Array.isArray(obj.metadata.managedFields) ? strip(obj as never) : obj);
      expect(got.managers).toEqual([]);
    }
    const b = body(JSON.stringify({ metadata: { name: 'null', managedFields: null } }));
    expect(itemLayout(b, 0, b.length).metadata?.cuts).toEqual([]);
  });

  it('gives the same through decodeList, for list pages and for bodies parsed whole', () => {
    const objs = [
      { metadata: { name: 'a', managedFields }, data: { k: 'v' } },
      { metadata: { name: 'b' }, data: { k: 'w' } },
    ];
    for (const page of [
      decodeList<{ metadata: Record<string, unknown> }>(body(list(objs))),
      decodeList<{ metadata: Record<string, unknown> }>(body(JSON.stringify({ items: objs }, null, 1).replace('"items"', '"items" '))),
    ]) {
      expect([0, 1].map((i) => page.lean(i).object)).toEqual(objs.map(strip));
      expect(page.lean(0).managers).toEqual(['argocd-controller', 'jenkins "ci" 東京', 'kubectl-client-side-apply']);
      expect(page.lean(1).managers).toEqual([]);
    }
  });
});

describe('decodeLean, the last-applied annotation', () => {
  const lastApplied = 'kubectl.kubernetes.io/last-applied-configuration';
  const applied = '{"kind":"ConfigMap","metadata":{"annotations":{"a":"}"}},"data":{"k":"v"}}\n';

  it('leaves it out wherever it sits among the annotations and managedFields, keeping the rest', () => {
    const shapes = [
      { metadata: { name: 'only', annotations: { [lastApplied]: applied } } },
      { metadata: { name: 'first', annotations: { [lastApplied]: applied, note: 'x' }, managedFields } },
      { metadata: { name: 'middle', annotations: { a: '1', [lastApplied]: applied, z: '2' }, uid: 'u' } },
      { metadata: { managedFields, annotations: { a: '1', [lastApplied]: applied } }, data: { k: 'v' } },
      { metadata: { annotations: { [lastApplied]: applied }, managedFields } },
      { metadata: { name: 'number', annotations: { [lastApplied]: 7 } } },
    ];
    for (const obj of shapes) {
      for (const space of [undefined, 2]) {
        const b = body(JSON.stringify(obj, null, space));
        const got = decodeLean<{ metadata: { annotations: Record<string, unknown> } }>(b, 0, b.length).object;
        const { [lastApplied]: dropped, ...kept } = obj.metadata.annotations;
        // only a string (what kubectl writes) is left out
        expect(got.metadata.annotations).toEqual(typeof dropped === 'string' ? kept : obj.metadata.annotations);
        expect(decodeList<typeof got>(body(list([obj]))).lean(0).object).toEqual(got);
      }
    }
  });
});

describe('decodeLean, the managers', () => {
  it('gives objects written by the same managers one list, which cannot change', () => {
    const reversed = [...managedFields].reverse();
    const objs = [
      { metadata: { name: 'a', managedFields } },
      { metadata: { name: 'b', managedFields: reversed } },
      { metadata: { name: 'c', managedFields: managedFields.slice(0, 1) } },
    ];
    const b = body(list(objs));
    const lean: (readonly string[])[] = [];
    readLean(b, new MemberSet([]), (item) => lean.push(item.managers));
    expect(lean[0]).toEqual(mainManagers(managedFields));
    expect(lean[1]).toBe(lean[0]);
    expect(lean[2]).toEqual(mainManagers(managedFields.slice(0, 1)));
    expect(Object.isFrozen(lean[0])).toBe(true);
  });
});

describe('decodeLean, only some members', () => {
  const obj = {
    metadata: {
      name: 'web',
      namespace: 'shop',
      uid: 'u-1',
      resourceVersion: '12',
      labels: { app: 'web', 'app.kubernetes.io/instance': 'shop' },
      annotations: { 'meta.helm.sh/release-name': 'shop' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'r-1', controller: true }],
      managedFields,
    },
    spec: { replicas: 2 },
    status: { ready: 2 },
    data: { url: 'http://db.shop.svc:5432' },
    kind: 'Pod',
  };
  const decode = (o: unknown, only: MemberSet) => {
    const b = body(JSON.stringify(o));
    return { b, lean: decodeLean<Record<string, unknown>>(b, 0, b.length, undefined, only) };
  };
  const text = (b: Buffer, t: { spans: readonly number[] } | undefined) => t && b.toString('utf8', t.spans[0], t.spans[1]);

  it('decodes the identity and owners of metadata and the members named; labels and annotations come apart as served', () => {
    const { b, lean } = decode(obj, new MemberSet(['spec', 'status']));
    expect(lean.object).toEqual({
      metadata: { name: 'web', namespace: 'shop', uid: 'u-1', ownerReferences: obj.metadata.ownerReferences },
      spec: { replicas: 2 },
      status: { ready: 2 },
    });
    expect(JSON.parse(text(b, lean.labels) ?? '')).toEqual(obj.metadata.labels);
    expect(JSON.parse(text(b, lean.annotations) ?? '')).toEqual(obj.metadata.annotations);
    expect(lean.managers).toEqual(['argocd-controller', 'jenkins "ci" 東京', 'kubectl-client-side-apply']);
    // the members' text for digests is the same whatever is decoded
    expect(lean.members?.spans).toEqual(decodeLean(b, 0, b.length).members?.spans);
  });

  it('decodes a member named with `containing` only when its text holds one of those strings', () => {
    const only = new MemberSet([{ name: 'data', containing: ['.svc'] }]);
    expect(decode(obj, only).lean.object.data).toEqual(obj.data);
    expect(decode({ ...obj, data: { url: 'http://db.example.com' } }, only).lean.object.data).toBeUndefined();
    expect(decode(obj, new MemberSet([])).lean.object).toEqual({
      metadata: { name: 'web', namespace: 'shop', uid: 'u-1', ownerReferences: obj.metadata.ownerReferences },
    });
  });

  it('decodes a member named with `keysOnly` as its keys, every value null, served or decoded whole alike', () => {
    const only = new MemberSet(['type', { name: 'data', keysOnly: true }]);
    // empty values: the keys' text with null is longer than the object's; escapes and nesting in values are skipped
    const many = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, '']));
    const secret = {
      metadata: { name: 's', namespace: 'shop' },
      type: 'Opaque',
      data: { 'tls.crt': 'LS0t{"x":[1]}', 'we"ird': 'c2VjcmV0\\"', nested: { a: ['}', '"'] }, ...many },
    };
    const { b, lean } = decode(secret, only);
    const keys = Object.fromEntries(Object.keys(secret.data).map((k) => [k, null]));
    expect(lean.object).toEqual({ metadata: { name: 's', namespace: 'shop' }, type: 'Opaque', data: keys });
    expect(b.toString().includes('c2VjcmV0')).toBe(true);
    expect(JSON.stringify(lean.object).includes('c2VjcmV0')).toBe(false);
    // an object of another shape than a list's is decoded whole, then reduced the same way
    const whole = body(JSON.stringify({ items: [secret] }).replace('"items"', '"items" '));
    expect(decodeList<Record<string, unknown>>(whole).lean(0, only).object).toEqual({
      metadata: { name: 's', namespace: 'shop' },
      type: 'Opaque',
      data: keys,
    });
    // a value that is not an object is kept as it is
    expect(decode({ ...secret, data: 'x' }, only).lean.object.data).toBe('x');
  });

  it('decodes a member named with `unlessControlledBy` unless the object has a controller of one of those kinds', () => {
    const only = new MemberSet([{ name: 'spec', unlessControlledBy: ['ReplicaSet'] }]);
    const owner = (kind: string, controller: boolean) => ({ kind, name: 'o', uid: 'u-o', controller });
    const pod = (owners?: object[]) => ({ metadata: { name: 'p', ownerReferences: owners }, spec: { containers: [] } });
    const viaList = (o: object) => decode(o, only).lean.object.spec;
    const whole = (o: object) =>
      decodeList<Record<string, unknown>>(body(JSON.stringify({ items: [o] }).replace('"items"', '"items" '))).lean(0, only).object.spec;
    for (const read of [viaList, whole]) {
      expect(read(pod([owner('ReplicaSet', true)]))).toBeUndefined();
      expect(read(pod([owner('ReplicaSet', false)]))).toEqual({ containers: [] });
      expect(read(pod([owner('Deployment', true)]))).toEqual({ containers: [] });
      expect(read(pod())).toEqual({ containers: [] });
    }
  });

  it('decodes annotations in place when one is left out, and strings with escapes', () => {
    const lastApplied = 'kubectl.kubernetes.io/last-applied-configuration';
    const o = { metadata: { name: 'we"ird', namespace: 'n', annotations: { a: '1', [lastApplied]: '{}' } } };
    const { lean } = decode(o, new MemberSet([]));
    expect(lean.object.metadata).toEqual({ name: 'we"ird', namespace: 'n', annotations: { a: '1' } });
    expect(lean.annotations).toBeUndefined();
    expect(lean.labels).toBeUndefined();
  });
});

describe('listContinue', () => {
  it('reads the continue token of a whole page, wherever its metadata is', () => {
    expect(listContinue(body(list(items, 'tok')))).toBe('tok');
    expect(listContinue(body(list(items)))).toBeUndefined();
    expect(listContinue(body(JSON.stringify({ items, metadata: { continue: 'after' } })))).toBe('after');
    expect(listContinue(body('{"metadata":{"continue":""},"items":null}'))).toBeUndefined();
    expect(() => listContinue(body('not json'))).toThrow(SyntaxError);
  });
});

describe('itemLayout members', () => {
  const members = (obj: unknown) => {
    const b = body(JSON.stringify(obj));
    const m = itemLayout(b, 0, b.length).members;
    return m && Array.from({ length: m.length / 2 }, (_, i) => b.toString('utf8', m[2 * i], m[2 * i + 1]));
  };

  it('gives the text of every member but apiVersion, kind, metadata and status', () => {
    expect(members({ metadata: { name: 'a', managedFields }, spec: { x: 1 }, status: { ready: true } })).toEqual(['"spec":{"x":1}']);
    expect(members({ metadata: { name: 'a' }, data: { k: '"status":{}' }, binaryData: {} })).toEqual([
      '"data":{"k":"\\"status\\":{}"},"binaryData":{}',
    ]);
    expect(members({ apiVersion: 'x/v1', data: [1], kind: 'T', metadata: { name: 'a', managedFields, uid: 'u' }, spec: 'z' })).toEqual([
      '"data":[1]',
      '"spec":"z"',
    ]);
    expect(members({ metadata: { name: 'a' } })).toEqual([]);
    expect(members({ metadata: { name: 'a' }, status: { phase: 'Bound' } })).toEqual([]);
  });

  it('skips status wherever it is, reads a nested status as part of its member, and gives up without metadata', () => {
    expect(members({ metadata: { name: 'a' }, spec: { nested: 1, status: { x: 1 } } })).toEqual(['"spec":{"nested":1,"status":{"x":1}}']);
    expect(members({ metadata: { name: 'a' }, status: {}, zone: 'b' })).toEqual(['"zone":"b"']);
    expect(members({ spec: 1, metadata: { name: 'a' }, status: 2, zone: 'b', data: 'c' })).toEqual(['"spec":1', '"zone":"b","data":"c"']);
    // the caller reads the object instead
    expect(members({ spec: 1 })).toBeUndefined();
    expect(members({ metadata: 'a', spec: 1 })).toBeUndefined();
  });
});

describe('readLean', () => {
  const objs = [
    ...items,
    { metadata: { name: 'a', namespace: 'n', managedFields, labels: { x: '}{]["' } }, data: { k: '"status":{}' }, spec: { s: 1 } },
    { metadata: { name: 'b', annotations: { a: '1' } }, status: { phase: 'Bound' }, spec: { nested: { status: 1 } } },
    { spec: 1 },
    { metadata: { name: 'c', managedFields: null }, items: [{ metadata: {} }] },
    { metadata: { name: 'd', managedFields }, status: {} },
  ];
  const only = new MemberSet(['spec']);

  it('hands over each item in order as decodeLean decodes it alone, with its span', () => {
    for (const text of [list(objs), JSON.stringify({ kind: 'List', items: objs }, null, 2)]) {
      const b = body(text);
      const seen: unknown[] = [];
      expect(
        readLean<Record<string, unknown>>(b, only, (item, start, end) => {
          const alone = decodeLean<Record<string, unknown>>(b, start, end, undefined, only);
          expect(item.object).toEqual(alone.object);
          expect(item.managers).toEqual(alone.managers);
          // texts are only valid during the call: read them now
          expect(item.members?.spans).toEqual(alone.members?.spans);
          expect(item.labels && b.toString('utf8', item.labels.spans[0], item.labels.spans[1])).toEqual(
            alone.labels && b.toString('utf8', alone.labels.spans[0], alone.labels.spans[1]),
          );
          seen.push(JSON.parse(b.toString('utf8', start, end)));
        }),
      ).toBe(true);
      expect(seen).toEqual(objs);
    }
  });

  it('answers false for a body that is not a list object, and throws for one cut short after items were read', () => {
    expect(readLean(body('{"kind":"Status","status":"Failure"}'), only, () => undefined)).toBe(false);
    const text = list(objs);
    expect(() => readLean(body(text.slice(0, text.length - 30)), only, () => undefined)).toThrow(/ends before its items do/);
  });
});

describe('listHead', () => {
  it('reads the continue token from the first bytes of a page, as soon as they reach the items', () => {
    const text = list(items, 'eyJ0b2tlbiI6IjEyMyJ9');
    const at = text.indexOf('"items"');
    for (let n = 0; n < at + 8; n++) expect(listHead(body(text.slice(0, n)))).toBeUndefined();
    expect(listHead(body(text.slice(0, at + 8)))).toEqual({ continue: 'eyJ0b2tlbiI6IjEyMyJ9' });
    expect(listHead(body(text))).toEqual({ continue: 'eyJ0b2tlbiI6IjEyMyJ9' });
  });

  it('answers {} on a last page, and undefined for what is not a list or has its items first', () => {
    expect(listHead(body(list(items)))).toEqual({});
    expect(listHead(body(JSON.stringify({ metadata: { continue: '' }, items: [] }, null, 2)))).toEqual({});
    expect(listHead(body('{"kind":"Status","status":"Failure","code":410}'))).toBeUndefined();
    expect(listHead(body('[{"items":[]}]'))).toBeUndefined();
    // a key inside metadata named items is not the list's
    expect(listHead(body('{"metadata":{"items":[1],"continue":"x"},"items":[]}'))).toEqual({ continue: 'x' });
    expect(listHead(body('{"items":[],"metadata":{"continue":"x"}}'))).toEqual({});
  });
});
