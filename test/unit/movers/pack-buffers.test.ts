// The pack buffer pool: at most `limit` buffers ever exist; a caller past the limit waits for a release.
import { describe, expect, it } from 'vitest';
import { PackBufferPool, sharedPackBuffers } from '../../../activities/movers/pack-buffers.js';

describe('PackBufferPool', () => {
  it('lets go of idle buffers when trimmed, and makes new ones when asked again', async () => {
    const pool = new PackBufferPool(16, 2);
    const a = await pool.acquire();
    const b = await pool.acquire();
    pool.release(a);
    pool.trim();
    // the idle one is gone, its memory freed (the buffer is empty); the one in use is still counted
    expect(pool.inUse).toBe(1);
    expect([a.length, b.length]).toEqual([0, 16]);
    const c = await pool.acquire();
    expect(c === a).toBe(false);
    pool.release(b);
    pool.release(c);
    pool.trim();
    expect(pool.inUse).toBe(0);
  });

  it('creates up to its limit, then hands released buffers to waiting callers in order', async () => {
    const pool = new PackBufferPool(16, 2);
    const a = await pool.acquire();
    const b = await pool.acquire();
    expect(a.length).toBe(16);
    expect(pool.inUse).toBe(2);
    const order: string[] = [];
    const c = pool.acquire().then((buf) => {
      order.push('c');
      return buf;
    });
    const d = pool.acquire().then((buf) => {
      order.push('d');
      return buf;
    });
    pool.release(b);
    expect(await c).toBe(b);
    pool.release(a);
    expect(await d).toBe(a);
    expect(order).toEqual(['c', 'd']);
    pool.release(a);
    pool.release(b);
    expect(pool.inUse).toBe(0);
    expect(await pool.acquire()).toBe(b);
  });

  it('shares one pool per capacity in the process', () => {
    expect(sharedPackBuffers(1024)).toBe(sharedPackBuffers(1024));
    expect(sharedPackBuffers(1024)).not.toBe(sharedPackBuffers(2048));
  });
});
