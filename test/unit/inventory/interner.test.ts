import { describe, expect, it } from 'vitest';
import { ServedRecords } from '../../../activities/inventory/interner.js';

/** A page holding `texts` one after the other, and the span of each. */
function page(texts: readonly string[]) {
  const body = Buffer.from(texts.join(''));
  let at = 0;
  const spans = texts.map((t) => {
    const from = at;
    at += Buffer.byteLength(t);
    return { body, spans: [from, at] };
  });
  return spans;
}

describe('ServedRecords', () => {
  it('gives the record already decoded for a text equal to one of the last few, and decodes the others', () => {
    const records = new ServedRecords();
    const a = '{"app":"a"}';
    const b = '{"app":"b"}'; // as long as a: told apart by its bytes
    const long = JSON.stringify({ note: 'x'.repeat(600), ünï: 'códe' });
    const [a1, b1, long1, a2, long2] = page([a, b, long, a, long]).map((t) => records.get(t));
    expect(a1.record).toEqual({ app: 'a' });
    expect(b1.record).toEqual({ app: 'b' });
    expect(long1.record).toEqual(JSON.parse(long));
    expect(a2).toBe(a1);
    expect(long2).toBe(long1);
    expect(long2.json).toBe(long);
  });

  it('decodes a text again once more than the last few others came after it', () => {
    const records = new ServedRecords();
    const others = Array.from({ length: 8 }, (_, i) => `{"n":"${i}"}`);
    const [first, ...rest] = page(['{"app":"a"}', ...others, '{"app":"a"}']).map((t) => records.get(t));
    const again = rest.at(-1);
    expect(again).not.toBe(first);
    expect(again?.record).toEqual(first.record);
  });
});
