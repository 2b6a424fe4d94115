// The ObjectStore port over a local directory (file:///abs/path): demos, tests, and NFS-style shared
// storage. Writes land in a temp file that is renamed into place, so a partial write never looks complete.
import { randomUUID } from 'node:crypto';
import { createWriteStream, type Dirent } from 'node:fs';
import { mkdir, open, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  AccessDenied,
  checkKey,
  checkMetadata,
  checkPrefix,
  compareKeys,
  errorCode,
  InvalidArgument,
  mapStreamErrors,
  type ObjectInfo,
  ObjectNotFound,
  type ObjectStore,
  type PutBody,
  type PutOptions,
  RetentionUnsupported,
  StoreError,
  StoreNotFound,
  StoreUnavailable,
  sizedBody,
  toReadable,
} from './object-store.js';
import { formatStoreUrl, type StoreUrl } from './store-url.js';

/** Uploads in progress live here, inside the root so that rename() stays on one filesystem. */
const partialDir = '.ferry-partial';

export class FileStore implements ObjectStore {
  readonly url: string;
  // a directory can neither lock a file against its owner nor keep metadata without sidecar files
  readonly capabilities = { retention: false, metadata: false } as const;
  private readonly root: string;

  constructor(url: Extract<StoreUrl, { scheme: 'file' }>) {
    this.url = formatStoreUrl(url);
    this.root = url.path;
  }

  async put(key: string, body: PutBody, opts: PutOptions = {}): Promise<void> {
    this.checkKey(key);
    // checked though not kept, so code tried on a directory behaves the same on a cloud store
    checkMetadata(this.url, key, opts.metadata);
    if (opts.retainUntil) throw new RetentionUnsupported({ url: this.url, key });
    const data = sizedBody(this.url, key, body, opts.size);
    await this.checkRoot(key);
    const tmpDir = join(this.root, partialDir);
    const tmp = join(tmpDir, randomUUID());
    try {
      await mkdir(tmpDir, { recursive: true });
      // flush: fsync before close, so the data is on disk before it gets its name and a crash cannot
      // leave a complete-looking empty file
      await pipeline(toReadable(data), createWriteStream(tmp, { flags: 'wx', flush: true }));
      await this.moveIntoPlace(tmp, this.pathOf(key), key);
    } catch (e) {
      await rm(tmp, { force: true });
      throw this.mapError(e, key);
    }
  }

  async get(key: string): Promise<Readable> {
    this.checkKey(key);
    try {
      const fh = await open(this.pathOf(key), 'r');
      if (!(await fh.stat()).isFile()) {
        await fh.close();
        throw new ObjectNotFound({ url: this.url, key });
      }
      return mapStreamErrors(fh.createReadStream(), (e) => this.mapError(e, key));
    } catch (e) {
      if (isMissing(e)) await this.checkRoot(key);
      throw this.mapError(e, key);
    }
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    this.checkKey(key);
    try {
      const s = await stat(this.pathOf(key));
      return s.isFile() ? { key, size: s.size, lastModified: s.mtime, metadata: {} } : undefined;
    } catch (e) {
      if (!isMissing(e)) throw this.mapError(e, key);
      await this.checkRoot(key);
      return undefined;
    }
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    checkPrefix(this.url, prefix);
    await this.checkRoot(prefix);
    // walk only the directory the prefix is inside, then filter on the rest of the prefix
    const dir = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    const keys: string[] = [];
    try {
      await this.walk(dir, keys);
    } catch (e) {
      throw this.mapError(e, prefix);
    }
    for (const key of keys.filter((k) => k.startsWith(prefix)).sort(compareKeys)) {
      try {
        const s = await stat(this.pathOf(key));
        yield { key, size: s.size, lastModified: s.mtime };
      } catch (e) {
        // deleted since the walk: a listing is not a snapshot on any store
        if (!isMissing(e)) throw this.mapError(e, key);
      }
    }
  }

  async delete(key: string): Promise<void> {
    this.checkKey(key);
    await this.checkRoot(key);
    const path = this.pathOf(key);
    try {
      await rm(path);
    } catch (e) {
      // missing, or a directory (only a prefix of other keys, not an object): nothing to delete
      if (isMissing(e) || errorCode(e) === 'EISDIR' || errorCode(e) === 'ERR_FS_EISDIR') return;
      throw this.mapError(e, key);
    }
    await this.pruneEmptyDirs(dirname(path));
  }

  private checkKey(key: string): void {
    checkKey(this.url, key);
    if (key === partialDir || key.startsWith(`${partialDir}/`)) {
      throw new InvalidArgument({ url: this.url, key, field: 'key', problem: `"${partialDir}/" is reserved for uploads in progress` });
    }
  }

  private pathOf(key: string): string {
    return join(this.root, ...key.split('/'));
  }

  /** A missing root directory is a missing bucket: the store never creates its own root. */
  private async checkRoot(key: string): Promise<void> {
    try {
      if ((await stat(this.root)).isDirectory()) return;
    } catch (e) {
      if (!isMissing(e)) throw this.mapError(e, key);
    }
    throw new StoreNotFound({ url: this.url, key });
  }

  private async moveIntoPlace(tmp: string, target: string, key: string): Promise<void> {
    // delete() prunes empty directories, so one may vanish between mkdir and rename: try again once
    for (let attempt = 1; ; attempt++) {
      try {
        await mkdir(dirname(target), { recursive: true });
        await rename(tmp, target);
        return;
      } catch (e) {
        const code = errorCode(e);
        if (code === 'ENOTDIR' || code === 'EEXIST' || code === 'EISDIR' || code === 'ENOTEMPTY') {
          throw new InvalidArgument({
            url: this.url,
            key,
            field: 'key',
            problem: 'a file store cannot hold both an object and other objects below it ("a" and "a/b")',
            cause: e,
          });
        }
        if (code !== 'ENOENT' || attempt === 2) throw e;
      }
    }
  }

  private async walk(dir: string, into: string[]): Promise<void> {
    let entries: Dirent[];
    try {
      entries = await readdir(dir === '' ? this.root : this.pathOf(dir), { withFileTypes: true });
    } catch (e) {
      if (isMissing(e)) return;
      throw e;
    }
    for (const entry of entries) {
      const key = dir === '' ? entry.name : `${dir}/${entry.name}`;
      if (dir === '' && entry.name === partialDir) continue;
      // symlinks are skipped: they could lead out of the root
      if (entry.isDirectory()) await this.walk(key, into);
      else if (entry.isFile()) into.push(key);
    }
  }

  private async pruneEmptyDirs(from: string): Promise<void> {
    for (let dir = from; dir !== this.root && dir.startsWith(`${this.root}/`); dir = dirname(dir)) {
      try {
        await rmdir(dir);
      } catch {
        return; // not empty (or already gone): the directories above are in use too
      }
    }
  }

  private mapError(e: unknown, key: string): Error {
    if (e instanceof StoreError) return e;
    const fields = { url: this.url, key, cause: e };
    const code = errorCode(e);
    if (isMissing(e)) return new ObjectNotFound(fields);
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return new AccessDenied(fields);
    if (code === 'ENOSPC' || code === 'EIO' || code === 'EMFILE' || code === 'ENFILE' || code === 'EBUSY' || code === 'EAGAIN') {
      return new StoreUnavailable(fields);
    }
    return e instanceof Error ? e : new Error(String(e));
  }
}

function isMissing(e: unknown): boolean {
  const code = errorCode(e);
  return code === 'ENOENT' || code === 'ENOTDIR';
}
