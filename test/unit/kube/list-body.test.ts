import { describe, expect, it } from 'vitest';
import { decodeList, listLayout } from '../../../activities/kube/list-body.js';

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
