import { describe, expect, it } from 'vitest';
import { PageBuffers, PooledBodyWriter } from '../../../activities/kube/page-buffers.js';

const KiB = 1024;

describe('PageBuffers', () => {
  it('hands out buffers of at least the size asked (powers of two from 64 KiB), reusing the smallest that fits', () => {
    const pool = new PageBuffers();
    const a = pool.take(10);
    const b = pool.take(100 * KiB);
    expect([a.length, b.length]).toEqual([64 * KiB, 128 * KiB]);
    pool.give(b);
    pool.give(a);
    expect(pool.kept).toBe(192 * KiB);
    expect(pool.take(1) === a).toBe(true);
    expect(pool.take(65 * KiB) === b).toBe(true);
    expect(pool.kept).toBe(0);
  });

  it('frees what it cannot keep, and everything it keeps when cleared', () => {
    const pool = new PageBuffers(100 * KiB);
    const [a, b] = [pool.take(1), pool.take(1)];
    pool.give(a);
    pool.give(b);
    // b went past the limit: freed at once, not kept
    expect([a.length, b.length, pool.kept]).toEqual([64 * KiB, 0, 64 * KiB]);
    pool.clear();
    expect([a.length, pool.kept]).toEqual([0, 0]);
  });
});

describe('PooledBodyWriter', () => {
  it('collects a body across chunks and growths, and gives its buffer back once when released', () => {
    const pool = new PageBuffers();
    const w = new PooledBodyWriter(pool);
    const expected: Buffer[] = [];
    for (let i = 0; i < 40; i++) {
      const chunk = Buffer.alloc(7 * KiB + i, i);
      expected.push(chunk);
      w.write(chunk);
    }
    const body = w.finish();
    expect(body.body.equals(Buffer.concat(expected))).toBe(true);
    // the buffers it outgrew are back in the pool already
    const outgrown = pool.kept;
    expect(outgrown).toBeGreaterThan(0);
    body.release();
    body.release();
    expect(pool.kept).toBe(outgrown + 512 * KiB);
  });

  it('gives its buffer back when the response fails', () => {
    const pool = new PageBuffers();
    const w = new PooledBodyWriter(pool);
    w.write(Buffer.from('partial'));
    w.abandon();
    expect(pool.kept).toBe(64 * KiB);
  });
});
