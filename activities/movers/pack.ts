// Packs: many encoded chunks concatenated into one object of ~12 MiB, because thousands of tiny PUTs
// would spend their time on request latency, and an index saying where each chunk sits. Pure.
import { createHash } from 'node:crypto';
import type { EncodedBlob } from './blob-codec.js';

/** Where a chunk lives: its pack, its byte range there, and its size once decoded. */
export interface BlobLocation {
  readonly pack: string;
  readonly offset: number;
  readonly length: number;
  readonly rawLength: number;
}

/** A pack's index: stored as its own small object, read back by later backups to find chunks already stored. */
export interface PackIndex {
  readonly pack: string;
  readonly size: number;
  /** Until when the pack is locked (ISO time), when the store locks objects; later backups reuse it only until then. */
  readonly retainUntil?: string;
  /** [chunk id, offset, length, raw length], by offset. */
  readonly blobs: readonly (readonly [string, number, number, number])[];
}

export interface FinishedPack {
  /** sha256 of `body`: the pack's name, and what a restore checks it against. */
  readonly id: string;
  readonly body: Buffer;
  readonly blobs: PackIndex['blobs'];
}

/**
 * A pack is closed once it holds this much, and never grows past defaultPackCapacity: packs are ~8-10 MiB,
 * large enough that request overhead is noise, small enough that a few of them fit the mover's memory.
 */
export const defaultPackTarget = 8 * 1024 * 1024;
export const defaultPackCapacity = 10 * 1024 * 1024;

/** Room a blob may take beyond its chunk: the codec byte, the nonce and the tag. */
export const blobOverhead = 64;

/**
 * Builds one pack in a buffer it is given (the repository reuses a few such buffers, so packing allocates
 * nothing per pack). The finished pack's body is a view of that buffer: valid until the buffer is reused.
 */
export class PackBuilder {
  private readonly buffer: Buffer;
  private readonly blobs: [string, number, number, number][] = [];
  private bytes = 0;
  private readonly ids = new Set<string>();
  private finished = false;

  constructor(buffer: Buffer) {
    this.buffer = buffer;
  }

  get size(): number {
    return this.bytes;
  }

  get count(): number {
    return this.blobs.length;
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  fits(length: number): boolean {
    return this.bytes + length <= this.buffer.length;
  }

  /** Copies the blob's pieces in; throws when it does not fit (check fits() first) or the pack is finished. */
  add(id: string, blob: EncodedBlob | Buffer, rawLength: number): void {
    const parts = Buffer.isBuffer(blob) ? [blob] : blob.parts;
    const length = Buffer.isBuffer(blob) ? blob.length : blob.length;
    if (this.finished) throw new Error('pack already finished');
    if (!this.fits(length))
      throw new Error(`blob of ${length} bytes does not fit a pack buffer of ${this.buffer.length} holding ${this.bytes}`);
    const offset = this.bytes;
    for (const p of parts) this.bytes += p.copy(this.buffer, this.bytes);
    this.blobs.push([id, offset, length, rawLength]);
    this.ids.add(id);
  }

  /** The pack's bytes (a view of the buffer) and index; nothing can be added afterwards. */
  finish(): FinishedPack {
    this.finished = true;
    const body = this.buffer.subarray(0, this.bytes);
    return { id: createHash('sha256').update(body).digest('hex'), body, blobs: this.blobs };
  }
}

/** The locations an index gives, keyed by chunk id. */
export function locationsOf(index: PackIndex): [string, BlobLocation][] {
  return index.blobs.map(([id, offset, length, rawLength]) => [id, { pack: index.pack, offset, length, rawLength }]);
}

/** Checks an index read from the store before trusting it: ranges inside the pack, in order, not overlapping. */
export function indexProblem(index: PackIndex): string | undefined {
  if (!/^[0-9a-f]{64}$/.test(index.pack)) return 'pack id is not a sha256';
  let end = 0;
  for (const [id, offset, length, rawLength] of index.blobs) {
    if (!/^[0-9a-f]{64}$/.test(id)) return `chunk id ${JSON.stringify(id)} is not 64 hex digits`;
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || length <= 0 || rawLength < 0) return `chunk ${id}: bad range`;
    if (offset < end) return `chunk ${id} overlaps the one before it`;
    end = offset + length;
  }
  return end <= index.size ? undefined : `blobs end at ${end}, past the pack's ${index.size} bytes`;
}
