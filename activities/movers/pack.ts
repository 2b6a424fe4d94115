// Packs: many encoded chunks concatenated into one object of ~12 MiB, because thousands of tiny PUTs
// would spend their time on request latency, and an index saying where each chunk sits. Pure.
import { createHash } from 'node:crypto';

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

/** A pack is closed once it holds this much; blobs are at most a max-size chunk, so packs stay under ~20 MiB. */
export const defaultPackTarget = 12 * 1024 * 1024;

export class PackBuilder {
  private parts: Buffer[] = [];
  private blobs: [string, number, number, number][] = [];
  private bytes = 0;
  private readonly ids = new Set<string>();

  get size(): number {
    return this.bytes;
  }

  get count(): number {
    return this.blobs.length;
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  add(id: string, encoded: Buffer, rawLength: number): void {
    this.blobs.push([id, this.bytes, encoded.length, rawLength]);
    this.parts.push(encoded);
    this.bytes += encoded.length;
    this.ids.add(id);
  }

  /** The pack's bytes and index; the builder is empty afterwards. */
  finish(): FinishedPack {
    const body = Buffer.concat(this.parts, this.bytes);
    const pack = { id: createHash('sha256').update(body).digest('hex'), body, blobs: this.blobs };
    this.parts = [];
    this.blobs = [];
    this.bytes = 0;
    this.ids.clear();
    return pack;
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
