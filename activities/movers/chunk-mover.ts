// The incremental, deduplicating data mover: files cut into content-defined chunks, each stored once
// per repository (compressed, encrypted, packed), and a snapshot per volume naming them.
//
// Written over the ObjectStore port rather than shelling out to restic or kopia: it then works the same
// on S3, GCS, Azure Blob and a directory (and their emulators) with the credentials and error classes
// the port already has; it needs no binary in the worker image or the mover Job; its objects obey the
// store's retention like every other backup object; and restores verify each file against the
// sha256 the rest of Ferry (verify, the e2e tests) compares with.
import { createHash } from 'node:crypto';
import { chmod, type FileHandle, lchown, lstat, mkdir, open, rename, rm, symlink, utimes } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import type { StoredObject } from '../../workflows/types.js';
import type { KeyRing } from '../backup/encryption.js';
import { BackupIncomplete, ChecksumMismatch } from '../backup/errors.js';
import { freeBuffer } from '../memory.js';
import { packKey } from '../stores/layout.js';
import { ObjectNotFound, type ObjectStore } from '../stores/object-store.js';
import { BlobCodec, type Compression, documentHeader } from './blob-codec.js';
import { Chunker, type ChunkerParams, defaultChunkerParams } from './chunker.js';
import type { DataMover, VolumeBackupRequest, VolumeBackupSummary, VolumeRestoreRequest, VolumeRestoreSummary } from './data-mover.js';
import { type FileDigest, sha256File, walkTree } from './file-tree.js';
import { blobOverhead } from './pack.js';
import { Repository, readAll } from './repository.js';
import { acquireLock, defaultLockTiming, type LockTiming } from './repository-lock.js';
import {
  type PackReads,
  planReads,
  type Snapshot,
  type SnapshotFile,
  type SnapshotParts,
  snapshotDigests,
  snapshotJson,
  snapshotKind,
  snapshotProblem,
} from './snapshot.js';

export interface ObjectLockPlan {
  /** The backup's own objects (the snapshot) are locked until then. */
  readonly backupUntil: Date;
  /** New packs are locked until then: later than backupUntil, so that later backups can reuse them. */
  readonly packsUntil: Date;
}

export interface ChunkMoverOptions {
  readonly store: ObjectStore;
  /** The current key encrypts new data; any key decrypts old data. Without keys, data is stored compressed, in clear. */
  readonly keys?: KeyRing;
  readonly now: () => Date;
  readonly lock?: ObjectLockPlan;
  readonly compression?: Compression;
  readonly chunker?: ChunkerParams;
  readonly packTarget?: number;
  readonly uploadConcurrency?: number;
  /** Chunks compressing and encrypting at once (on zlib's thread pool). */
  readonly encodeConcurrency?: number;
  readonly lockTiming?: LockTiming;
}

/** Where a restore writes a file until its sha256 is checked: beside it, so the rename stays on one filesystem. */
const partialSuffix = '.ferry-partial';
const progressEveryBytes = 8 * 1024 * 1024;
const maxOpenFiles = 64;
/** Large reads keep most chunks inside one read, where the chunker can hand them out without a copy. */
const readPiece = 4 * 1024 * 1024;

export class ChunkMover implements DataMover {
  private readonly opts: ChunkMoverOptions;
  private repository: Repository | undefined;
  private readonly codecs = new Map<string, BlobCodec>();

  constructor(opts: ChunkMoverOptions) {
    this.opts = opts;
  }

  /** One repository per mover (per activity run): its pack indexes are read once and reused for every claim. */
  private async repo(onLoaded?: () => void): Promise<Repository> {
    if (!this.repository) {
      const lock = this.opts.lock;
      this.repository = new Repository({
        store: this.opts.store,
        codec: this.codec(this.opts.keys?.current.id),
        lockPacksUntil: lock?.packsUntil,
        reuseLockedUntil: lock?.backupUntil,
        packTarget: this.opts.packTarget,
        maxBlobBytes: (this.opts.chunker ?? defaultChunkerParams).maxSize + blobOverhead,
        uploadConcurrency: this.opts.uploadConcurrency,
      });
    }
    await this.repository.loadIndex(onLoaded);
    return this.repository;
  }

  private codec(keyId: string | undefined): BlobCodec {
    const name = keyId ?? 'plain';
    let c = this.codecs.get(name);
    if (!c) {
      const key = keyId === undefined ? undefined : this.opts.keys?.require(keyId, `${this.opts.store.url} repository key-${keyId}`);
      c = new BlobCodec({ key, compression: this.opts.compression });
      this.codecs.set(name, c);
    }
    return c;
  }

  async backup(req: VolumeBackupRequest): Promise<VolumeBackupSummary> {
    const store = this.opts.store;
    const repo = await this.repo(() => req.onProgress?.({ files: 0, bytes: 0, uploadedBytes: 0 }));
    const codec = repo.codec;
    const lock = await acquireLock(
      store,
      repo.keyspace,
      'shared',
      `${hostname()}/${process.pid} backup ${req.snapshotKey}`,
      this.opts.now,
      this.opts.lockTiming ?? defaultLockTiming,
    );
    const uploadedBefore = repo.uploadedBytes;
    const files: SnapshotFile[] = [];
    const dirs: Snapshot['dirs'][number][] = [];
    const symlinks: Snapshot['symlinks'][number][] = [];
    const skipped: string[] = [];
    const vanished: string[] = [];
    let bytes = 0;
    let chunks = 0;
    let newChunks = 0;
    let reported = 0;
    const report = () => req.onProgress?.({ files: files.length, bytes, uploadedBytes: repo.uploadedBytes - uploadedBefore });

    const chunker = new Chunker(this.opts.chunker ?? defaultChunkerParams, codec.gear);
    const readBuffer = Buffer.allocUnsafeSlow(readPiece);
    const encoding = new Set<Promise<void>>();
    const copies = new ChunkCopies(this.opts.encodeConcurrency ?? 3);
    let failure: { error: unknown } | undefined;
    // `backing` holds `chunk` until the pack has its encoded copy, then serves the next new chunk
    const encode = async (id: string, chunk: Buffer, backing: Buffer) => {
      while (encoding.size >= (this.opts.encodeConcurrency ?? 3)) await Promise.race(encoding);
      if (failure) throw failure.error;
      const task = codec
        .encode(chunk)
        .then(async (encoded) => {
          try {
            await repo.add(id, encoded, chunk.length);
          } finally {
            // copied into its pack (or failed): its memory goes back now
            encoded.release?.();
          }
        })
        .catch((error: unknown) => {
          failure ??= { error };
        })
        .finally(() => copies.release(backing));
      const tracked = task.finally(() => encoding.delete(tracked));
      encoding.add(tracked);
    };

    try {
      for await (const entry of walkTree(req.dir)) {
        if (entry.type === 'dir') dirs.push({ path: entry.path, mode: entry.mode, mtimeMs: entry.mtimeMs });
        else if (entry.type === 'symlink') symlinks.push({ path: entry.path, target: entry.target });
        else if (entry.type === 'other') skipped.push(entry.path);
        else {
          const fh = await openIfPresent(join(req.dir, entry.path));
          if (!fh) {
            // a live volume: the file was removed between listing and reading (a rotated log, a temp file)
            vanished.push(entry.path);
            continue;
          }
          const hash = createHash('sha256');
          const ids: string[] = [];
          let size = 0;
          // `view` is the chunker's, valid until its next push: only a chunk the repository lacks is copied
          const take = async (view: Buffer) => {
            const id = codec.chunkId(view);
            ids.push(id);
            chunks++;
            if (repo.claim(id)) {
              newChunks++;
              const backing = copies.take(view.length);
              view.copy(backing);
              await encode(id, backing.subarray(0, view.length), backing);
            }
          };
          for await (const data of readPieces(fh, readBuffer)) {
            hash.update(data);
            size += data.length;
            bytes += data.length;
            for (const chunk of chunker.push(data)) await take(chunk);
            if (bytes - reported >= progressEveryBytes) {
              reported = bytes;
              report();
              await lock.refreshIfDue();
            }
          }
          const last = chunker.end();
          if (last) await take(last);
          // the size read, not the size stat saw: a live volume may change under the backup
          files.push({
            path: entry.path,
            mode: entry.mode,
            size,
            sha256: hash.digest('hex'),
            mtimeMs: entry.mtimeMs,
            uid: entry.uid,
            gid: entry.gid,
            chunks: ids,
          });
          report();
        }
      }
      while (encoding.size > 0) await Promise.race(encoding);
      if (failure) throw failure.error;
      await repo.flush();
      const parts: SnapshotParts = {
        version: 1,
        claim: req.claim,
        createdAt: this.opts.now().toISOString(),
        files,
        dirs,
        symlinks,
        skipped,
      };
      // in pieces: the JSON of a volume of many files runs to megabytes (see snapshotJson)
      const body = await codec.sealDocumentFrom(
        snapshotKind,
        snapshotJson(
          parts,
          (id) => repo.locate(id),
          (p) => repo.packSize(p),
        ),
      );
      await store.put(req.snapshotKey, body, {
        contentType: 'application/octet-stream',
        size: body.length,
        retainUntil: this.opts.lock?.backupUntil,
      });
      const uploadedBytes = repo.uploadedBytes - uploadedBefore + body.length;
      req.onProgress?.({ files: files.length, bytes, uploadedBytes });
      return {
        snapshot: { key: req.snapshotKey, size: body.length, sha256: createHash('sha256').update(body).digest('hex') },
        files: files.length,
        bytes,
        uploadedBytes,
        chunks,
        newChunks,
        warnings: [
          ...repo.warnings,
          ...skipped.map((p) => `${req.claim}: ${p}: not a regular file, directory or symlink; not backed up`),
          ...vanished.map((p) => `${req.claim}: ${p}: removed while the backup ran; not backed up`),
        ],
      };
    } catch (e) {
      await Promise.allSettled([...encoding]);
      await repo.abandon();
      throw e;
    } finally {
      // nothing reads or encodes any more: the backup's buffers (~20 MiB) are freed now, not at the next full GC
      copies.drain();
      chunker.release();
      freeBuffer(readBuffer);
      await lock.release();
    }
  }

  /** The snapshot, verified against the digest the backup recorded, decrypted and checked for consistency. */
  async readSnapshot(ref: StoredObject): Promise<{ snapshot: Snapshot; codec: BlobCodec }> {
    const store = this.opts.store;
    const where = `${store.url} key ${ref.key}`;
    let body: Buffer;
    try {
      body = await readAll(store, ref.key);
    } catch (e) {
      if (e instanceof ObjectNotFound) throw new BackupIncomplete(store.url, ref.key, 'missing');
      throw e;
    }
    if (body.length !== ref.size) throw new BackupIncomplete(store.url, ref.key, `${body.length} bytes, expected ${ref.size}`);
    const actual = createHash('sha256').update(body).digest('hex');
    if (actual !== ref.sha256) throw new ChecksumMismatch(where, { expected: ref.sha256, actual });
    const header = documentHeader(body);
    const codec = this.codec(header?.encryption === 'AES-256-GCM' ? header.keyId : undefined);
    const snapshot = codec.openDocument<Snapshot>(snapshotKind, body, where);
    const problem = snapshotProblem(snapshot);
    if (problem) throw new ChecksumMismatch(where, { problem: `inconsistent snapshot: ${problem}` });
    return { snapshot, codec };
  }

  async files(ref: StoredObject): Promise<FileDigest[]> {
    return snapshotDigests((await this.readSnapshot(ref)).snapshot);
  }

  async restore(req: VolumeRestoreRequest): Promise<VolumeRestoreSummary> {
    const { snapshot: snap, codec } = await this.readSnapshot(req.snapshot);
    const root = req.dir;
    await mkdir(root, { recursive: true });
    // owner-writable while files go in; their recorded modes are set last
    for (const d of snap.dirs) await mkdir(join(root, d.path), { recursive: true, mode: 0o700 });

    const wanted: number[] = [];
    let alreadyInPlace = 0;
    for (let i = 0; i < snap.files.length; i++) {
      if (await sameContent(join(root, snap.files[i].path), snap.files[i])) alreadyInPlace++;
      else wanted.push(i);
      // checking what a previous attempt left in place reads it all: keep heartbeating meanwhile
      if (i % 100 === 99) req.onProgress?.({ files: alreadyInPlace, bytes: 0, uploadedBytes: 0 });
    }
    const partial = (i: number) => join(root, `${snap.files[i].path}${partialSuffix}`);
    const handles = new HandleCache(maxOpenFiles);
    let bytes = 0;
    let files = alreadyInPlace;
    const report = () => req.onProgress?.({ files, bytes, uploadedBytes: 0 });
    try {
      for (const i of wanted) {
        await mkdir(dirname(partial(i)), { recursive: true });
        await (await open(partial(i), 'w', 0o600)).close();
      }
      for (const pack of planReads(snap, wanted)) {
        bytes += await this.restorePack(snap, codec, pack, async (file, position, data) => {
          const fh = await handles.get(partial(file));
          await fh.write(data, 0, data.length, position);
        });
        report();
      }
      await handles.closeAll();
      for (const i of wanted) {
        const f = snap.files[i];
        const got = await sha256File(partial(i));
        if (got.sha256 !== f.sha256 || got.size !== f.size) {
          throw new ChecksumMismatch(`${root}: file ${f.path} restored from ${this.opts.store.url} key ${req.snapshot.key}`, {
            expected: f.sha256,
            actual: got.sha256,
          });
        }
        await finishFile(partial(i), join(root, f.path), f);
        files++;
      }
      report();
    } catch (e) {
      await handles.closeAll();
      await Promise.all(wanted.map((i) => rm(partial(i), { force: true })));
      throw e;
    }
    for (const l of snap.symlinks) {
      const path = join(root, l.path);
      await mkdir(dirname(path), { recursive: true });
      await rm(path, { force: true });
      await symlink(l.target, path);
    }
    // deepest first, so a read-only directory is closed only after everything below it is in place
    for (const d of [...snap.dirs].reverse()) {
      const path = join(root, d.path);
      await chmod(path, d.mode);
      await utimes(path, d.mtimeMs / 1000, d.mtimeMs / 1000);
    }
    return { files: snap.files.length, bytes: snap.files.reduce((n, f) => n + f.size, 0), alreadyInPlace };
  }

  /** Streams one pack, hands each needed chunk (authenticated, decompressed, id checked) to `write`, then checks the pack whole. */
  private async restorePack(
    snap: Snapshot,
    codec: BlobCodec,
    plan: PackReads,
    write: (file: number, position: number, data: Buffer) => Promise<void>,
  ): Promise<number> {
    const store = this.opts.store;
    const { id, size } = snap.packs[plan.pack];
    const key = packKey(codec.keyspace, id);
    let stream: Readable;
    try {
      stream = await store.get(key);
    } catch (e) {
      if (e instanceof ObjectNotFound) throw new BackupIncomplete(store.url, key, 'missing');
      throw e;
    }
    const hash = createHash('sha256');
    let pos = 0;
    let next = 0;
    let parts: Buffer[] = [];
    let written = 0;
    try {
      for await (const buf of stream as AsyncIterable<Buffer>) {
        hash.update(buf);
        let off = 0;
        while (next < plan.reads.length && off < buf.length) {
          const r = plan.reads[next];
          const at = pos + off;
          if (at < r.offset) {
            off += Math.min(r.offset - at, buf.length - off);
            continue;
          }
          const need = r.offset + r.length - at;
          const take = Math.min(need, buf.length - off);
          parts.push(buf.subarray(off, off + take));
          off += take;
          if (take === need) {
            const blob = parts.length === 1 ? parts[0] : Buffer.concat(parts);
            parts = [];
            const data = await codec.decode(blob, r.id, `${store.url} key ${key} offset ${r.offset}`);
            for (const t of r.targets) await write(t.file, t.position, data);
            written += data.length * r.targets.length;
            next++;
          }
        }
        pos += buf.length;
      }
    } finally {
      stream.destroy();
    }
    if (pos !== size || next < plan.reads.length) throw new BackupIncomplete(store.url, key, `${pos} bytes, expected ${size} (truncated)`);
    const actual = hash.digest('hex');
    if (actual !== id) throw new ChecksumMismatch(`${store.url} key ${key}`, { expected: id, actual });
    return written;
  }
}

/**
 * A file's bytes in pieces of up to `buffer`'s size, read into that one buffer again and again: each piece
 * is valid until the next is read (the chunker and the hash copy or consume it at once). Allocating a read
 * buffer per piece, as a stream does, would let the garbage collector rather than the disk set the pace.
 */
async function* readPieces(fh: FileHandle, buffer: Buffer): AsyncGenerator<Buffer> {
  try {
    for (;;) {
      const { bytesRead } = await fh.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await fh.close();
  }
}

async function openIfPresent(path: string): Promise<FileHandle | undefined> {
  try {
    return await open(path, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

async function sameContent(path: string, f: SnapshotFile): Promise<boolean> {
  try {
    const st = await lstat(path);
    if (!st.isFile() || st.size !== f.size) return false;
  } catch {
    return false;
  }
  return (await sha256File(path)).sha256 === f.sha256;
}

/** Gives a verified file its recorded mode, times and (when running as root) owner, then its name. */
async function finishFile(partial: string, final: string, f: SnapshotFile): Promise<void> {
  await chmod(partial, f.mode);
  await utimes(partial, f.mtimeMs / 1000, f.mtimeMs / 1000);
  // only root may give files away; a non-root mover (the local worker) keeps its own uid
  if (process.getuid?.() === 0) await lchown(partial, f.uid, f.gid);
  await rename(partial, final);
}

/** Open files for out-of-order writes, at most `limit` at once (least recently used closed first). */
class HandleCache {
  private readonly open = new Map<string, FileHandle>();
  constructor(private readonly limit: number) {}

  async get(path: string): Promise<FileHandle> {
    const fh = this.open.get(path);
    if (fh) {
      this.open.delete(path);
      this.open.set(path, fh);
      return fh;
    }
    if (this.open.size >= this.limit) {
      const [oldest, h] = this.open.entries().next().value as [string, FileHandle];
      this.open.delete(oldest);
      await h.close();
    }
    const opened = await open(path, 'r+');
    this.open.set(path, opened);
    return opened;
  }

  async closeAll(): Promise<void> {
    const all = [...this.open.values()];
    this.open.clear();
    await Promise.allSettled(all.map((h) => h.close()));
  }
}

/**
 * The buffers new chunks are copied into while they are encoded, reused: a backup of a GiB of new data would
 * otherwise leave a GiB of ~1 MiB buffers behind, which the collector frees late and glibc keeps longer. As many as
 * chunks are encoded at once, each grown to the largest chunk it has held.
 */
class ChunkCopies {
  private readonly free: Buffer[] = [];
  private inUse = 0;

  constructor(private readonly limit: number) {}

  take(length: number): Buffer {
    this.inUse++;
    const i = this.free.findIndex((b) => b.length >= length);
    if (i >= 0) return this.free.splice(i, 1)[0];
    // none big enough: the smallest idle one goes, so that no more than `limit` are ever kept
    if (this.free.length > 0) {
      const smallest = this.free.sort((a, b) => a.length - b.length).shift();
      if (smallest) freeBuffer(smallest);
    }
    return Buffer.allocUnsafeSlow(length);
  }

  release(buffer: Buffer): void {
    this.inUse--;
    if (this.inUse + this.free.length < this.limit) this.free.push(buffer);
    else freeBuffer(buffer);
  }

  /** Frees the idle copies, once the backup is done with them. */
  drain(): void {
    for (const b of this.free) freeBuffer(b);
    this.free.length = 0;
  }
}
