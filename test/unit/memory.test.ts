import { describe, expect, it } from 'vitest';
import { freeBuffer } from '../../activities/memory.js';

describe('freeBuffer', () => {
  it('frees a buffer that owns its memory: it and its views are empty afterwards', () => {
    const b = Buffer.allocUnsafeSlow(1024 * 1024).fill(7);
    const view = b.subarray(10, 20);
    freeBuffer(b);
    expect([b.length, view.length, b.buffer.byteLength]).toEqual([0, 0, 0]);
    // twice is harmless
    freeBuffer(b);
  });

  it("never frees part of someone else's memory: a slice of Node's shared pool, or of a bigger buffer", () => {
    const pooled = Buffer.from('small, from the shared pool');
    const neighbour = Buffer.from('another small one');
    freeBuffer(pooled);
    expect([pooled.toString(), neighbour.toString()]).toEqual(['small, from the shared pool', 'another small one']);
    const big = Buffer.allocUnsafeSlow(64).fill(1);
    const part = big.subarray(0, 32);
    freeBuffer(part);
    expect([part.length, big.length, big[63]]).toEqual([32, 64, 1]);
  });
});
