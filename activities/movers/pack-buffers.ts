import { freeBuffer } from '../memory.js';

// The buffers packs are built in, shared by every backup in the process: a fixed number of them, reused,
// so the mover's memory is bounded however many volumes a worker backs up at once, and no pack leaves
// a dead 10 MiB buffer behind for the garbage collector to find later.

export class PackBufferPool {
  private readonly free: Buffer[] = [];
  private readonly waiting: ((b: Buffer) => void)[] = [];
  private created = 0;

  /** `limit` buffers of `capacity` bytes at most, allocated on first use. */
  constructor(
    readonly capacity: number,
    readonly limit: number,
  ) {}

  /** A buffer, as soon as one is free; callers must release() it when its pack is stored (or abandoned). */
  acquire(): Promise<Buffer> {
    const reused = this.free.pop();
    if (reused) return Promise.resolve(reused);
    if (this.created < this.limit) {
      this.created++;
      // unpooled and not zeroed: pages are only touched as blobs are copied in
      return Promise.resolve(Buffer.allocUnsafeSlow(this.capacity));
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(buffer: Buffer): void {
    const next = this.waiting.shift();
    if (next) next(buffer);
    else this.free.push(buffer);
  }

  /**
   * Frees the buffers no pack is using: a backup ends by sealing its snapshot (tens of MiB for a volume of many
   * files), and a process between backups need not hold ~30 MiB of idle packs. Freed at once (memory.ts): left to
   * the collector, they stayed resident through the whole next backup when it uploaded nothing.
   */
  trim(): void {
    this.created -= this.free.length;
    for (const b of this.free) freeBuffer(b);
    this.free.length = 0;
  }

  /** Buffers in use, for tests and diagnostics. */
  get inUse(): number {
    return this.created - this.free.length;
  }
}

const pools = new Map<number, PackBufferPool>();

/**
 * The process's pool for a capacity. Six buffers: two backups at full speed (one pack filling, two
 * uploading each); more backups at once share them and wait their turn for a buffer, not for memory.
 */
export function sharedPackBuffers(capacity: number, limit = 6): PackBufferPool {
  let pool = pools.get(capacity);
  if (!pool) {
    pool = new PackBufferPool(capacity, limit);
    pools.set(capacity, pool);
  }
  return pool;
}
