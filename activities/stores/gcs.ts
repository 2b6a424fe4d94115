// The ObjectStore port over Google Cloud Storage (@google-cloud/storage). Credentials come from
// Application Default Credentials; STORAGE_EMULATOR_HOST points it at an emulator (fake-gcs-server).
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type Bucket, type File, type FileMetadata, IdempotencyStrategy, Storage } from '@google-cloud/storage';
import {
  AccessDenied,
  checkKey,
  checkMetadata,
  checkPrefix,
  isTransient,
  joinKey,
  mapStreamErrors,
  type ObjectInfo,
  ObjectLocked,
  ObjectNotFound,
  type ObjectStore,
  type PutBody,
  type PutOptions,
  RetentionUnsupported,
  relativeKey,
  StoreError,
  StoreNotFound,
  StoreUnavailable,
  sizedBody,
  statusCode,
  toReadable,
} from './object-store.js';
import { formatStoreUrl, type StoreUrl } from './store-url.js';

export interface GcsStoreOptions {
  /** Objects per list request (GCS's maximum and default is 1000). */
  listPageSize?: number;
  /** Attempts per request, transient faults retried by the SDK with backoff. */
  maxAttempts?: number;
  /** Where STORAGE_EMULATOR_HOST is read from (process.env by default). */
  env?: NodeJS.ProcessEnv;
}

/**
 * Buffers up to this go up in one request, retried whole on a transient fault: packs (~8–10 MiB), indexes and
 * snapshots. As resumable uploads, packs were copied by the SDK in small pieces, and the ~40 MiB of them that two
 * uploads made at once stayed in the allocator's arenas after they died: a backup's peak RSS rose by that much on
 * some runs. Larger buffers and streams go up resumable, which survives a connection dropped mid-way.
 */
const resumableAbove = 32 * 1024 * 1024;

export class GcsStore implements ObjectStore {
  readonly url: string;
  // GCS has object retention and holds, but fake-gcs-server stores the retention fields without enforcing
  // them (a delete under a Locked retention or a temporaryHold succeeds), so nothing here can prove a lock.
  readonly capabilities = { retention: false, metadata: true } as const;
  private readonly bucket: Bucket;
  private readonly prefix: string;
  private readonly pageSize: number;

  constructor(url: Extract<StoreUrl, { scheme: 'gs' }>, opts: GcsStoreOptions = {}) {
    this.url = formatStoreUrl(url);
    this.prefix = url.prefix;
    this.pageSize = opts.listPageSize ?? 1000;
    const emulator = emulatorEndpoint((opts.env ?? process.env).STORAGE_EMULATOR_HOST);
    const storage = new Storage({
      ...(emulator ? { apiEndpoint: emulator } : {}),
      retryOptions: {
        autoRetry: true,
        maxRetries: Math.max(0, (opts.maxAttempts ?? 5) - 1),
        // every write here is a whole-object replace and deletes ignore a missing object: safe to repeat
        idempotencyStrategy: IdempotencyStrategy.RetryAlways,
      },
    });
    // @google-cloud/storage 7.x uses process.env.STORAGE_EMULATOR_HOST verbatim as the JSON API base URL,
    // without the /storage/v1 path every server (and its own upload URLs) uses: bucket and object calls
    // then 404 (googleapis/nodejs-storage#1314). Setting the base from apiEndpoint fixes both cases.
    storage.baseUrl = `${storage.apiEndpoint}/storage/v1`;
    this.bucket = storage.bucket(url.bucket);
  }

  async put(key: string, body: PutBody, opts: PutOptions = {}): Promise<void> {
    checkKey(this.url, key);
    checkMetadata(this.url, key, opts.metadata);
    if (opts.retainUntil) throw new RetentionUnsupported({ url: this.url, key });
    const data = sizedBody(this.url, key, body, opts.size);
    const file = this.bucket.file(joinKey(this.prefix, key));
    const metadata = { contentType: opts.contentType, metadata: opts.metadata };
    try {
      // GCS makes an object visible only when its upload completes, so a failed upload leaves nothing behind
      if (typeof data === 'string' || Buffer.isBuffer(data)) {
        await file.save(data, { resumable: Buffer.byteLength(data) > resumableAbove, metadata });
      } else {
        await pipeline(toReadable(data), file.createWriteStream({ resumable: true, metadata }));
      }
    } catch (e) {
      // an upload can only miss its bucket
      throw statusCode(e) === 404 ? new StoreNotFound({ url: this.url, key, cause: e }) : this.mapError(e, key);
    }
  }

  async get(key: string): Promise<Readable> {
    checkKey(this.url, key);
    const meta = await this.metadataOf(key);
    if (!meta) throw new ObjectNotFound({ url: this.url, key });
    // read the generation we just saw, so a concurrent overwrite cannot splice two versions
    const file = this.bucket.file(joinKey(this.prefix, key), { generation: meta.generation });
    return mapStreamErrors(file.createReadStream(), (e) => this.mapError(e, key));
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    checkKey(this.url, key);
    const meta = await this.metadataOf(key);
    if (!meta) return undefined;
    return {
      key,
      size: Number(meta.size ?? 0),
      lastModified: meta.updated ? new Date(meta.updated) : undefined,
      metadata: Object.fromEntries(
        Object.entries(meta.metadata ?? {})
          .filter(([, v]) => v !== null && v !== undefined)
          .map(([k, v]) => [k, String(v)]),
      ),
    };
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    checkPrefix(this.url, prefix);
    let pageToken: string | undefined;
    do {
      let files: File[];
      let next: { pageToken?: string } | null | undefined;
      try {
        [files, next] = await this.bucket.getFiles({
          prefix: joinKey(this.prefix, prefix),
          maxResults: this.pageSize,
          pageToken,
          autoPaginate: false,
        });
      } catch (e) {
        // listing only 404s when the bucket is missing
        throw statusCode(e) === 404 ? new StoreNotFound({ url: this.url, key: prefix, cause: e }) : this.mapError(e, prefix);
      }
      for (const f of files) {
        yield {
          key: relativeKey(this.prefix, f.name),
          size: Number(f.metadata.size ?? 0),
          lastModified: f.metadata.updated ? new Date(f.metadata.updated) : undefined,
        };
      }
      pageToken = next?.pageToken;
    } while (pageToken);
  }

  async delete(key: string): Promise<void> {
    checkKey(this.url, key);
    try {
      await this.bucket.file(joinKey(this.prefix, key)).delete();
    } catch (e) {
      if (statusCode(e) !== 404) throw this.mapError(e, key);
      if (!(await this.bucketExists(key))) throw new StoreNotFound({ url: this.url, key, cause: e });
      // already gone: deleting is idempotent
    }
  }

  /** The object's metadata, undefined when it is missing; a missing bucket throws StoreNotFound. */
  private async metadataOf(key: string): Promise<FileMetadata | undefined> {
    try {
      const [meta] = await this.bucket.file(joinKey(this.prefix, key)).getMetadata();
      return meta;
    } catch (e) {
      if (statusCode(e) !== 404) throw this.mapError(e, key);
      // GCS answers 404 for a missing object and a missing bucket alike
      if (!(await this.bucketExists(key))) throw new StoreNotFound({ url: this.url, key, cause: e });
      return undefined;
    }
  }

  private async bucketExists(key: string): Promise<boolean> {
    try {
      const [exists] = await this.bucket.exists();
      return exists;
    } catch (e) {
      throw this.mapError(e, key);
    }
  }

  private mapError(e: unknown, key: string): Error {
    if (e instanceof StoreError) return e;
    const fields = { url: this.url, key, cause: e };
    const status = statusCode(e);
    const message = e instanceof Error ? e.message : String(e);
    // callers for whom a 404 can mean a missing bucket check that first
    if (status === 404) return new ObjectNotFound(fields);
    if (status === 403 && /retention|hold/i.test(message)) return new ObjectLocked(fields);
    if (status === 401 || status === 403) return new AccessDenied(fields);
    if (/default credentials/i.test(message)) {
      return new AccessDenied({ ...fields, detail: 'no Application Default Credentials found' });
    }
    if (isTransient(e)) return new StoreUnavailable(fields);
    return e instanceof Error ? e : new Error(message);
  }
}

/** STORAGE_EMULATOR_HOST as an origin: `host:port` means http (as the Go and Python clients read it). */
function emulatorEndpoint(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const withScheme = /^https?:\/\//.test(value) ? value : `http://${value}`;
  return withScheme.replace(/\/+$/, '').replace(/\/storage\/v1$/, '');
}
