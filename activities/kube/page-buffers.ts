// Memory for list pages, reused from page to page. A page arrives in tens of socket chunks that were copied into
// one new buffer, kept while its objects were decoded (long enough to outlive young-generation collections) and
// then left to the next full collection: an inventory of 30 MB of pages held 60–70 MB of them at its end. Here a
// page's bytes are copied as they arrive into a buffer that goes back to the pool when the page is done, so a
// listing holds about one buffer per page in flight and the socket's chunks die young.

import { freeBuffer } from '../memory.js';

const minimum = 64 * 1024;

export class PageBuffers {
  private readonly free: Buffer[] = [];
  private freeBytes = 0;
  /** Buffers made so far (not taken from the pool). */
  allocated = 0;

  /** `maxFreeBytes`: what the pool keeps between pages; buffers given back beyond it are freed. */
  constructor(private readonly maxFreeBytes = 64 * 1024 * 1024) {}

  /** The smallest free buffer of at least `size` bytes, or a new one (a power of two, at least 64 KiB). */
  take(size: number): Buffer {
    let best = -1;
    for (let i = 0; i < this.free.length; i++) {
      const b = this.free[i];
      if (b.length >= size && (best < 0 || b.length < this.free[best].length)) best = i;
    }
    if (best >= 0) {
      const [b] = this.free.splice(best, 1);
      this.freeBytes -= b.length;
      return b;
    }
    let n = minimum;
    while (n < size) n *= 2;
    // its own memory, never a slice of Node's shared pool, so it is whole when it comes back
    this.allocated++;
    return Buffer.allocUnsafeSlow(n);
  }

  give(b: Buffer): void {
    if (this.freeBytes + b.length > this.maxFreeBytes) {
      freeBuffer(b);
      return;
    }
    this.free.push(b);
    this.freeBytes += b.length;
  }

  /** Frees every buffer kept for reuse (memory.ts): when no listing runs, none will be. */
  clear(): void {
    for (const b of this.free) freeBuffer(b);
    this.free.length = 0;
    this.freeBytes = 0;
  }

  /** Bytes kept for reuse. */
  get kept(): number {
    return this.freeBytes;
  }
}

/** A response body in a pooled buffer: `body` is valid until `release`, which hands the memory back. */
export interface PooledBody {
  readonly body: Buffer;
  release(): void;
}

/** Collects a body chunk by chunk into buffers from `pool`, growing (and giving back the smaller) as it must. */
export class PooledBodyWriter {
  private buffer: Buffer;
  private length = 0;
  private status = 0;

  /**
   * `head`, when given, is shown the response's status and the bytes in so far after each chunk, until it answers
   * true (it has read what it wanted of them, or gives up).
   */
  constructor(
    private readonly pool: PageBuffers,
    private head?: (status: number, prefix: Buffer) => boolean,
  ) {
    this.buffer = pool.take(minimum);
  }

  start(status: number): void {
    this.status = status;
  }

  write(chunk: Buffer): void {
    if (this.length + chunk.length > this.buffer.length) {
      const bigger = this.pool.take(Math.max(this.length + chunk.length, this.buffer.length * 2));
      this.buffer.copy(bigger, 0, 0, this.length);
      this.pool.give(this.buffer);
      this.buffer = bigger;
    }
    chunk.copy(this.buffer, this.length);
    this.length += chunk.length;
    if (this.head?.(this.status, this.buffer.subarray(0, this.length))) this.head = undefined;
  }

  /** The body; the writer is not to be used after. */
  finish(): PooledBody {
    const backing = this.buffer;
    let released = false;
    return {
      body: backing.subarray(0, this.length),
      release: () => {
        if (released) return;
        released = true;
        this.pool.give(backing);
      },
    };
  }

  /** For a response that failed: its memory goes back at once. */
  abandon(): void {
    this.pool.give(this.buffer);
  }
}
