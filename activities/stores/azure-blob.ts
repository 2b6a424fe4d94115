// The ObjectStore port over Azure Blob Storage (@azure/storage-blob), block blobs only. Credentials come
// from AZURE_STORAGE_CONNECTION_STRING when set, otherwise from a credential the worker passes in.
import type { Readable } from 'node:stream';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import {
  AccessDenied,
  checkKey,
  checkMetadata,
  checkPrefix,
  errorCode,
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

/** What BlobServiceClient accepts: a TokenCredential (e.g. from @azure/identity) or a shared key. */
export type AzureCredential = BlobServiceClient['credential'];

export interface AzureBlobStoreOptions {
  /** Blobs per list request (Azure's maximum and default is 5000). */
  listPageSize?: number;
  /** Tries per request, transient faults retried by the SDK with backoff. */
  maxAttempts?: number;
  /** Where AZURE_STORAGE_CONNECTION_STRING is read from (process.env by default). */
  env?: NodeJS.ProcessEnv;
  /** Used with https://<account>.blob.core.windows.net when no connection string is set. */
  credential?: AzureCredential;
}

/** Blocks of 8 MiB, 4 in flight: at most about 32 MiB buffered per upload. */
const blockSize = 8 * 1024 * 1024;
const concurrency = 4;

export class AzureBlobStore implements ObjectStore {
  readonly url: string;
  // Azurite answers 501 APINotImplemented to setImmutabilityPolicy and setLegalHold and ignores the
  // immutability headers on upload, so no lock could be verified here.
  readonly capabilities = { retention: false, metadata: true } as const;
  private readonly container: ContainerClient;
  private readonly prefix: string;
  private readonly pageSize: number;
  private readonly maxAttempts: number;

  constructor(url: Extract<StoreUrl, { scheme: 'azblob' }>, opts: AzureBlobStoreOptions = {}) {
    this.url = formatStoreUrl(url);
    this.prefix = url.prefix;
    this.pageSize = opts.listPageSize ?? 5000;
    this.maxAttempts = opts.maxAttempts ?? 5;
    const clientOptions = { retryOptions: { maxTries: this.maxAttempts, retryDelayInMs: 1_000, maxRetryDelayInMs: 30_000 } };
    const connectionString = (opts.env ?? process.env).AZURE_STORAGE_CONNECTION_STRING;
    let service: BlobServiceClient;
    if (connectionString) {
      const account = connectionStringAccount(connectionString);
      if (account !== undefined && account !== url.account) {
        throw new AccessDenied({
          url: this.url,
          detail: `AZURE_STORAGE_CONNECTION_STRING is for account "${account}", not "${url.account}"`,
        });
      }
      service = BlobServiceClient.fromConnectionString(connectionString, clientOptions);
    } else if (opts.credential) {
      service = new BlobServiceClient(`https://${url.account}.blob.core.windows.net`, opts.credential, clientOptions);
    } else {
      throw new AccessDenied({ url: this.url, detail: 'no credentials: set AZURE_STORAGE_CONNECTION_STRING or pass a credential' });
    }
    this.container = service.getContainerClient(url.container);
  }

  async put(key: string, body: PutBody, opts: PutOptions = {}): Promise<void> {
    checkKey(this.url, key);
    checkMetadata(this.url, key, opts.metadata);
    if (opts.retainUntil) throw new RetentionUnsupported({ url: this.url, key });
    const data = sizedBody(this.url, key, body, opts.size);
    const blob = this.container.getBlockBlobClient(joinKey(this.prefix, key));
    const common = { blobHTTPHeaders: { blobContentType: opts.contentType }, metadata: opts.metadata };
    try {
      // staged blocks stay invisible until the block list is committed, so readers never see half a blob
      if (typeof data === 'string' || Buffer.isBuffer(data)) {
        // a Buffer goes as it is: Buffer.from would copy a mover's whole pack (up to 16 MiB) per upload
        const bytes = typeof data === 'string' ? Buffer.from(data) : data;
        await blob.uploadData(bytes, { ...common, blockSize, concurrency, maxSingleShotSize: blockSize });
      } else {
        await blob.uploadStream(toReadable(data), blockSize, concurrency, common);
      }
    } catch (e) {
      throw this.mapError(e, key);
    }
  }

  async get(key: string): Promise<Readable> {
    checkKey(this.url, key);
    try {
      // the SDK resumes a body broken mid-way with ranged requests, up to maxRetryRequests times
      const r = await this.container
        .getBlobClient(joinKey(this.prefix, key))
        .download(0, undefined, { maxRetryRequests: this.maxAttempts });
      return mapStreamErrors(r.readableStreamBody as Readable, (e) => this.mapError(e, key));
    } catch (e) {
      throw this.mapError(e, key);
    }
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    checkKey(this.url, key);
    try {
      const p = await this.container.getBlobClient(joinKey(this.prefix, key)).getProperties();
      return { key, size: p.contentLength ?? 0, lastModified: p.lastModified, metadata: p.metadata ?? {} };
    } catch (e) {
      if (errorCode(e) === 'BlobNotFound') return undefined;
      throw this.mapError(e, key);
    }
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    checkPrefix(this.url, prefix);
    const pages = this.container.listBlobsFlat({ prefix: joinKey(this.prefix, prefix) }).byPage({ maxPageSize: this.pageSize });
    for (;;) {
      let page: Awaited<ReturnType<typeof pages.next>>;
      try {
        page = await pages.next();
      } catch (e) {
        throw this.mapError(e, prefix);
      }
      if (page.done) return;
      for (const b of page.value.segment.blobItems) {
        yield { key: relativeKey(this.prefix, b.name), size: b.properties.contentLength ?? 0, lastModified: b.properties.lastModified };
      }
    }
  }

  async delete(key: string): Promise<void> {
    checkKey(this.url, key);
    try {
      // a missing blob is fine; a missing container still throws ContainerNotFound
      await this.container.getBlobClient(joinKey(this.prefix, key)).deleteIfExists({ deleteSnapshots: 'include' });
    } catch (e) {
      throw this.mapError(e, key);
    }
  }

  private mapError(e: unknown, key: string): Error {
    if (e instanceof StoreError) return e;
    const fields = { url: this.url, key, cause: e };
    const code = errorCode(e);
    const status = statusCode(e);
    if (code === 'ContainerNotFound') return new StoreNotFound(fields);
    if (code === 'BlobNotFound' || status === 404) return new ObjectNotFound(fields);
    if (code === 'BlobImmutableDueToPolicy' || code === 'BlobImmutableDueToLegalHold') return new ObjectLocked(fields);
    if (status === 401 || status === 403) return new AccessDenied(fields);
    if (isTransient(e)) return new StoreUnavailable(fields);
    return e instanceof Error ? e : new Error(String(e));
  }
}

/** The account a connection string is for; Azurite's shorthand is its well-known dev account. */
function connectionStringAccount(cs: string): string | undefined {
  if (/(^|;)\s*UseDevelopmentStorage=true/i.test(cs)) return 'devstoreaccount1';
  return /(?:^|;)\s*AccountName=([^;]+)/i.exec(cs)?.[1];
}
