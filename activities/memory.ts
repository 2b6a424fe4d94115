// Big buffers let go of are freed by the garbage collector only at its next full collection, which a process
// doing little JavaScript work (a mover between two backups, a listing that just ended) may not run for seconds:
// meanwhile tens of MiB of dead buffers stay resident. Detaching a buffer's ArrayBuffer frees its memory at once.

type Detachable = ArrayBuffer & { transfer?: (length?: number) => ArrayBuffer };

/**
 * Frees a buffer's memory now; the buffer (and any view of it) is empty afterwards. Only a buffer that is the
 * whole of its ArrayBuffer (from Buffer.allocUnsafeSlow) is freed: a slice of Node's shared pool, or of a bigger
 * buffer, is left to the collector, since others may still use the memory around it.
 */
export function freeBuffer(b: Buffer): void {
  const memory = b.buffer as Detachable;
  if (b.byteOffset !== 0 || b.byteLength !== memory.byteLength || b.byteLength === 0) return;
  memory.transfer?.(0);
}

/**
 * Frees all the memory behind `b`, also when `b` is only part of it: for a buffer a library made for the caller
 * alone (zlib's output, a cipher's), whose memory nothing else can hold. Memory no bigger than Node's shared pool
 * could be that pool, and is left alone.
 */
export function freeOwnedMemory(b: Buffer): void {
  const memory = b.buffer as Detachable;
  if (memory.byteLength <= Buffer.poolSize) return;
  memory.transfer?.(0);
}
