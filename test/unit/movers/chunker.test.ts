// Content-defined chunking: deterministic, bounded sizes, stable boundaries under insertions and
// deletions, and the same chunks however the stream is split into reads.
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  Chunker,
  type ChunkerParams,
  chunkBuffer,
  defaultChunkerParams,
  gearTable,
  InvalidChunkerParams,
} from '../../../activities/movers/chunker.js';

const small: ChunkerParams = { minSize: 2 * 1024, avgSize: 8 * 1024, maxSize: 64 * 1024 };
const digest = (b: Buffer) => createHash('sha256').update(b).digest('hex');
/** A deterministic pseudo-random buffer (the same for every run, so failures reproduce). */
function pseudoRandom(size: number, seed: string): Buffer {
  const out = Buffer.alloc(size);
  let block = createHash('sha256').update(seed).digest();
  for (let o = 0; o < size; o += 32) {
    block.copy(out, o);
    block = createHash('sha256').update(block).digest();
  }
  return out;
}
function shared(a: Buffer[], b: Buffer[]): number {
  const set = new Set(a.map(digest));
  return b.filter((c) => set.has(digest(c))).reduce((n, c) => n + c.length, 0);
}

describe('chunker', () => {
  const data = pseudoRandom(4 * 1024 * 1024, 'chunker');

  it('reassembles to the input, every chunk within [min, max] except the last', () => {
    const chunks = chunkBuffer(data, small);
    expect(Buffer.concat(chunks).equals(data)).toBe(true);
    for (const c of chunks.slice(0, -1)) {
      expect(c.length).toBeGreaterThanOrEqual(small.minSize);
      expect(c.length).toBeLessThanOrEqual(small.maxSize);
    }
    // normalized chunking keeps the mean near avgSize
    const mean = data.length / chunks.length;
    expect(mean).toBeGreaterThan(small.avgSize * 0.6);
    expect(mean).toBeLessThan(small.avgSize * 1.6);
  });

  it('is deterministic and independent of how the input is split into reads, even from one reused read buffer', () => {
    const whole = chunkBuffer(data, small).map(digest);
    const c = new Chunker(small);
    const reused = Buffer.alloc(70_001);
    const digests: string[] = [];
    for (let o = 0, step = 1; o < data.length; o += step, step = (step * 7 + 13) % 70_001) {
      const n = data.copy(reused, 0, o, o + step);
      // views are valid until the next push: digest them now, as the mover does
      digests.push(...c.push(reused.subarray(0, n)).map(digest));
    }
    const last = c.end();
    if (last) digests.push(digest(last));
    expect(digests).toEqual(whole);
  });

  it.each([
    {
      name: 'an insertion near the start',
      edit: (d: Buffer) => Buffer.concat([d.subarray(0, 1000), Buffer.from('inserted!'), d.subarray(1000)]),
    },
    {
      name: 'an insertion in the middle',
      edit: (d: Buffer) => Buffer.concat([d.subarray(0, 2_000_000), randomBytes(333), d.subarray(2_000_000)]),
    },
    { name: 'a deletion in the middle', edit: (d: Buffer) => Buffer.concat([d.subarray(0, 1_500_000), d.subarray(1_500_100)]) },
  ])('keeps the boundaries around $name (content-defined, not offset-defined)', ({ edit }) => {
    const before = chunkBuffer(data, small);
    const after = chunkBuffer(edit(data), small);
    // only the chunk(s) around the edit change: a fixed-size chunker would share nothing after it
    expect(shared(before, after)).toBeGreaterThan(data.length - 3 * small.maxSize);
  });

  it('makes a file smaller than the minimum one chunk, and an empty one none', () => {
    const tiny = randomBytes(small.minSize - 1);
    expect(chunkBuffer(tiny, small)).toEqual([tiny]);
    expect(chunkBuffer(Buffer.alloc(0), small)).toEqual([]);
    expect(chunkBuffer(randomBytes(100), defaultChunkerParams)).toHaveLength(1);
  });

  it('forces a cut at maxSize in data without any natural cut point', () => {
    const zeros = Buffer.alloc(200 * 1024);
    // all-zero input hashes to a constant that never matches the mask
    const sizes = chunkBuffer(zeros, small).map((c) => c.length);
    expect(sizes.slice(0, -1).every((s) => s === small.maxSize)).toBe(true);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(zeros.length);
  });

  it('cuts elsewhere with another gear table (keyed chunking)', () => {
    const a = chunkBuffer(data, small, gearTable('key-a')).map((c) => c.length);
    const b = chunkBuffer(data, small, gearTable('key-b')).map((c) => c.length);
    expect(a).not.toEqual(b);
  });

  it.each([
    { name: 'avgSize not a power of two', params: { minSize: 1024, avgSize: 3000, maxSize: 9000 } },
    { name: 'min above avg', params: { minSize: 16 * 1024, avgSize: 8 * 1024, maxSize: 64 * 1024 } },
    { name: 'max below avg', params: { minSize: 1024, avgSize: 8 * 1024, maxSize: 4 * 1024 } },
  ])('refuses $name', ({ params }) => {
    expect(() => new Chunker(params)).toThrow(InvalidChunkerParams);
  });
});
