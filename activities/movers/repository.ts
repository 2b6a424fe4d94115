// The chunk repository over the ObjectStore port: finds chunks already stored (by reading the pack
// indexes once per run), and packs new ones into ~12 MiB objects uploaded a few at a time.
import type { Readable } from 'node:stream';
import { mapLimit } from '../concurrency.js';
import { packIndexKey, packIndexPrefix, packKey } from '../stores/layout.js';
import { ObjectNotFound, type ObjectStore, StoreError } from '../stores/object-store.js';
import type { BlobCodec, EncodedBlob } from './blob-codec.js';
import { defaultChunkerParams } from './chunker.js';
import {
  type BlobLocation,
  blobOverhead,
  defaultPackCapacity,
  defaultPackTarget,
  type FinishedPack,
  indexProblem,
  locationsOf,
  PackBuilder,
  type PackIndex,
} from './pack.js';
import { type PackBufferPool, sharedPackBuffers } from './pack-buffers.js';

export interface RepositoryOptions {
  readonly store: ObjectStore;
  readonly codec: BlobCodec;
  /** Lock new packs and their indexes until then (the store must support retention). */
  readonly lockPacksUntil?: Date;
  /**
   * Reuse a stored chunk only from a pack locked at least until then, so that a locked backup never
   * references a pack whose own lock runs out first (the port cannot extend a lock). Undefined: reuse any.
   */
  readonly reuseLockedUntil?: Date;
  readonly packTarget?: number;
  /** The pack buffers' size: a blob that does not fit the current pack closes it and starts the next. */
  readonly packCapacity?: number;
  /** The largest blob the codec can produce (the chunker's maxSize plus blobOverhead); a pack buffer holds at least one. */
  readonly maxBlobBytes?: number;
  /** Where pack buffers come from; the process-wide pool for their capacity by default. */
  readonly packBuffers?: PackBufferPool;
  /** Packs uploading at once: each holds its pack buffer until stored. */
  readonly uploadConcurrency?: number;
  /** Pack index objects fetched at once. */
  readonly readConcurrency?: number;
}

export async function readAll(store: ObjectStore, key: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of (await store.get(key)) as Readable) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

interface Known extends BlobLocation {
  readonly lockedUntil: number;
}

export class Repository {
  readonly store: ObjectStore;
  readonly codec: BlobCodec;
  /** What the index load skipped (unreadable or inconsistent indexes): their chunks are simply stored again. */
  readonly warnings: string[] = [];
  uploadedBytes = 0;
  uploadedPacks = 0;
  private readonly opts: RepositoryOptions;
  private readonly known = new Map<string, Known>();
  private readonly packSizes = new Map<string, number>();
  private readonly loadedIndexes = new Set<string>();
  /** Chunks promised to a pack not uploaded yet (being encoded, in the builder, or uploading). */
  private readonly pending = new Set<string>();
  private current: { builder: PackBuilder; buffer: Buffer } | undefined;
  private readonly buffers: PackBufferPool;
  private readonly uploads = new Set<Promise<void>>();
  /** add() calls run one after another: they share the current pack. */
  private tail: Promise<void> = Promise.resolve();
  private failure: { error: unknown } | undefined;

  constructor(opts: RepositoryOptions) {
    this.opts = opts;
    this.store = opts.store;
    this.codec = opts.codec;
    this.buffers = opts.packBuffers ?? sharedPackBuffers(this.capacity);
    if (this.buffers.capacity < this.capacity)
      throw new Error(`pack buffers of ${this.buffers.capacity} bytes cannot hold packs of ${this.capacity}`);
  }

  get keyspace(): string {
    return this.codec.keyspace;
  }

  /** Reads the pack indexes not read yet (they are immutable, so each is read once per run). */
  async loadIndex(onLoaded?: (indexes: number) => void): Promise<{ indexes: number; chunks: number }> {
    const prefix = packIndexPrefix(this.keyspace);
    const fresh: string[] = [];
    for await (const o of this.store.list(prefix)) if (!this.loadedIndexes.has(o.key)) fresh.push(o.key);
    await mapLimit(fresh, this.opts.readConcurrency ?? 8, async (key) => {
      let index: PackIndex;
      try {
        index = this.codec.openDocument<PackIndex>('pack-index', await readAll(this.store, key), `${this.store.url} key ${key}`);
      } catch (e) {
        // a store fault is retried like any other; only an index that is unreadable as such is skipped (its
        // chunks are then stored again, which costs space, never correctness)
        if (e instanceof StoreError && !(e instanceof ObjectNotFound)) throw e;
        this.warnings.push(`${this.store.url} key ${key}: skipped (${e instanceof Error ? e.message : String(e)})`);
        return;
      }
      const problem = indexProblem(index) ?? (packIndexKey(this.keyspace, index.pack) === key ? undefined : 'names another pack');
      if (problem) {
        this.warnings.push(`${this.store.url} key ${key}: skipped (${problem})`);
        return;
      }
      this.loadedIndexes.add(key);
      this.remember(index);
      // a large repository has thousands of indexes: the caller heartbeats while they load
      onLoaded?.(this.loadedIndexes.size);
    });
    return { indexes: this.loadedIndexes.size, chunks: this.known.size };
  }

  /** Where a chunk is stored, if it is and may be reused. */
  locate(id: string): BlobLocation | undefined {
    const k = this.known.get(id);
    if (!k) return undefined;
    return { pack: k.pack, offset: k.offset, length: k.length, rawLength: k.rawLength };
  }

  packSize(pack: string): number | undefined {
    return this.packSizes.get(pack);
  }

  /** True when the chunk must be stored (and reserves it, so a second copy in flight is not stored twice). */
  claim(id: string): boolean {
    if (this.known.has(id) || this.pending.has(id)) return false;
    this.pending.add(id);
    return true;
  }

  /** Adds an encoded chunk; waits while the upload queue is full, and rethrows an upload's failure. */
  add(id: string, blob: EncodedBlob, rawLength: number): Promise<void> {
    const run = this.tail.then(() => this.addNow(id, blob, rawLength));
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Uploads what is left and waits for every upload: afterwards every chunk added can be located. */
  async flush(): Promise<void> {
    await this.tail;
    const current = this.current;
    this.current = undefined;
    if (current && current.builder.count > 0) await this.startUpload(current.builder.finish(), current.buffer);
    else if (current) this.buffers.release(current.buffer);
    while (this.uploads.size > 0) await Promise.race(this.uploads);
    this.buffers.trim();
    this.throwIfFailed();
  }

  /** Stops waiting for uploads after a failure elsewhere, without leaving rejections unhandled. */
  async abandon(): Promise<void> {
    await Promise.allSettled([this.tail, ...this.uploads]);
    if (this.current) this.buffers.release(this.current.buffer);
    this.current = undefined;
  }

  private get capacity(): number {
    const target = this.opts.packTarget ?? defaultPackTarget;
    const blob = this.opts.maxBlobBytes ?? defaultChunkerParams.maxSize + blobOverhead;
    return Math.max(this.opts.packCapacity ?? Math.max(defaultPackCapacity, target), blob);
  }

  private async addNow(id: string, blob: EncodedBlob, rawLength: number): Promise<void> {
    this.throwIfFailed();
    if (this.current && !this.current.builder.fits(blob.length)) await this.closeCurrent();
    this.current ??= await this.nextPack();
    this.current.builder.add(id, blob, rawLength);
    if (this.current.builder.size >= (this.opts.packTarget ?? defaultPackTarget)) await this.closeCurrent();
  }

  private async closeCurrent(): Promise<void> {
    const current = this.current;
    this.current = undefined;
    if (current) await this.startUpload(current.builder.finish(), current.buffer);
  }

  private async nextPack(): Promise<{ builder: PackBuilder; buffer: Buffer }> {
    const buffer = await this.buffers.acquire();
    return { builder: new PackBuilder(buffer.subarray(0, this.capacity)), buffer };
  }

  private async startUpload(pack: FinishedPack, buffer: Buffer): Promise<void> {
    while (this.uploads.size >= (this.opts.uploadConcurrency ?? 2)) await Promise.race(this.uploads);
    this.throwIfFailed();
    const p = this.upload(pack)
      .catch((error: unknown) => {
        this.failure ??= { error };
      })
      .finally(() => this.buffers.release(buffer));
    const tracked = p.finally(() => this.uploads.delete(tracked));
    this.uploads.add(tracked);
  }

  /** The pack, then its index: a pack without an index is an orphan for GC, never a dangling reference. */
  private async upload(pack: FinishedPack): Promise<void> {
    const lock = this.opts.lockPacksUntil;
    const key = packKey(this.keyspace, pack.id);
    await this.store.put(key, pack.body, { contentType: 'application/octet-stream', size: pack.body.length, retainUntil: lock });
    const index: PackIndex = {
      pack: pack.id,
      size: pack.body.length,
      ...(lock ? { retainUntil: lock.toISOString() } : {}),
      blobs: pack.blobs,
    };
    const doc = this.codec.sealDocument('pack-index', index);
    const indexKey = packIndexKey(this.keyspace, pack.id);
    await this.store.put(indexKey, doc, { contentType: 'application/octet-stream', size: doc.length, retainUntil: lock });
    this.loadedIndexes.add(indexKey);
    this.uploadedBytes += pack.body.length + doc.length;
    this.uploadedPacks++;
    this.remember(index, true);
    for (const [id] of pack.blobs) this.pending.delete(id);
  }

  private remember(index: PackIndex, ownWrite = false): void {
    const lockedUntil = index.retainUntil ? Date.parse(index.retainUntil) : 0;
    const needed = this.opts.reuseLockedUntil?.getTime();
    // a pack this run wrote is always usable by it; an older one only if its lock outlasts this backup's
    if (!ownWrite && needed !== undefined && lockedUntil < needed) return;
    this.packSizes.set(index.pack, index.size);
    for (const [id, loc] of locationsOf(index)) {
      const prev = this.known.get(id);
      if (!prev || prev.lockedUntil < lockedUntil) this.known.set(id, { ...loc, lockedUntil });
    }
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }
}
