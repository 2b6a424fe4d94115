// The ObjectStore port over AWS S3 and S3-compatible stores (@aws-sdk/client-s3; lib-storage for
// multipart). Credentials come from the SDK's default chain (env, profile, IMDS, IRSA), never the URL.
import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  type ObjectLockMode,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
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

export interface S3StoreOptions {
  /** Keys per list request (S3's maximum and default is 1000). */
  listPageSize?: number;
  /** Attempts per request, transient faults retried by the SDK with backoff. */
  maxAttempts?: number;
}

/** Parts of 8 MiB, 4 in flight: at most 32 MiB buffered per upload. */
const partSize = 8 * 1024 * 1024;
const queueSize = 4;

export class S3Store implements ObjectStore {
  readonly url: string;
  // Object Lock is per bucket: on a bucket without it, a put with retainUntil throws RetentionUnsupported.
  readonly capabilities = { retention: true, metadata: true } as const;
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly lockMode: ObjectLockMode;
  private readonly pageSize: number;

  constructor(url: Extract<StoreUrl, { scheme: 's3' }>, opts: S3StoreOptions = {}) {
    this.url = formatStoreUrl(url);
    this.bucket = url.bucket;
    this.prefix = url.prefix;
    this.lockMode = url.lockMode === 'governance' ? 'GOVERNANCE' : 'COMPLIANCE';
    this.pageSize = opts.listPageSize ?? 1000;
    this.client = new S3Client({
      ...(url.region ? { region: url.region } : {}),
      ...(url.endpoint ? { endpoint: url.endpoint } : {}),
      forcePathStyle: url.forcePathStyle,
      maxAttempts: opts.maxAttempts ?? 5,
      retryMode: 'standard',
      // A dead endpoint fails fast and is retried; no response timeout, since a reader may pause a body for long.
      requestHandler: { connectionTimeout: 10_000 },
    });
  }

  async put(key: string, body: PutBody, opts: PutOptions = {}): Promise<void> {
    checkKey(this.url, key);
    checkMetadata(this.url, key, opts.metadata);
    const data = sizedBody(this.url, key, body, opts.size);
    const upload = new Upload({
      client: this.client,
      partSize,
      queueSize,
      leavePartsOnError: false,
      params: {
        Bucket: this.bucket,
        Key: joinKey(this.prefix, key),
        // lib-storage sends a small body in one PutObject and a large one as a multipart upload
        Body: typeof data === 'string' || Buffer.isBuffer(data) ? data : toReadable(data),
        ContentType: opts.contentType,
        Metadata: opts.metadata,
        ...(opts.retainUntil ? { ObjectLockMode: this.lockMode, ObjectLockRetainUntilDate: opts.retainUntil } : {}),
      },
    });
    try {
      await upload.done();
    } catch (e) {
      if (opts.retainUntil && codesOf(e).includes('InvalidRequest') && /object lock/i.test(String((e as Error).message))) {
        throw new RetentionUnsupported({ url: this.url, key, cause: e });
      }
      throw this.mapError(e, key);
    }
  }

  async get(key: string): Promise<Readable> {
    checkKey(this.url, key);
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: joinKey(this.prefix, key) }));
      return mapStreamErrors(out.Body as Readable, (e) => this.mapError(e, key));
    } catch (e) {
      throw this.mapError(e, key);
    }
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    checkKey(this.url, key);
    try {
      const h = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: joinKey(this.prefix, key) }));
      return { key, size: h.ContentLength ?? 0, lastModified: h.LastModified, metadata: h.Metadata ?? {} };
    } catch (e) {
      // a HEAD response has no body, so a missing bucket and a missing key both read as 404 NotFound
      if (statusCode(e) === 404) {
        if (await this.bucketExists(key)) return undefined;
        throw new StoreNotFound({ url: this.url, key, cause: e });
      }
      throw this.mapError(e, key);
    }
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    checkPrefix(this.url, prefix);
    let token: string | undefined;
    do {
      let page: Awaited<ReturnType<typeof this.listPage>>;
      try {
        page = await this.listPage(joinKey(this.prefix, prefix), token);
      } catch (e) {
        throw this.mapError(e, prefix);
      }
      for (const o of page.Contents ?? []) {
        yield { key: relativeKey(this.prefix, o.Key!), size: o.Size ?? 0, lastModified: o.LastModified };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  /**
   * Deletes every version of the key, not just the current one: a plain delete in a versioned bucket only
   * adds a delete marker, which Object Lock allows, and the locked data would stay. Older versions go
   * first, so when a lock refuses, the object still reads as it did.
   */
  async delete(key: string): Promise<void> {
    checkKey(this.url, key);
    const full = joinKey(this.prefix, key);
    let versions: { id: string; latest: boolean }[];
    try {
      versions = await this.versionsOf(full);
    } catch (e) {
      throw this.mapError(e, key);
    }
    versions.sort((a, b) => Number(a.latest) - Number(b.latest));
    for (const v of versions) {
      try {
        await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: full, VersionId: v.id }));
      } catch (e) {
        // S3 refuses a locked version with a plain 403 AccessDenied; ask the version whether a lock is why
        const lock = statusCode(e) === 403 ? await this.activeLock(full, v.id) : undefined;
        if (lock) throw new ObjectLocked({ url: this.url, key, retainUntil: lock.retainUntil, cause: e });
        throw this.mapError(e, key);
      }
    }
  }

  private listPage(prefix: string, token: string | undefined) {
    return this.client.send(
      new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, MaxKeys: this.pageSize, ContinuationToken: token }),
    );
  }

  /** Versions and delete markers of exactly `full` (the listing is by prefix, so longer keys are skipped). */
  private async versionsOf(full: string): Promise<{ id: string; latest: boolean }[]> {
    const found: { id: string; latest: boolean }[] = [];
    let keyMarker: string | undefined;
    let versionMarker: string | undefined;
    for (;;) {
      const page = await this.client.send(
        new ListObjectVersionsCommand({
          Bucket: this.bucket,
          Prefix: full,
          KeyMarker: keyMarker,
          VersionIdMarker: versionMarker,
          MaxKeys: this.pageSize,
        }),
      );
      const entries = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])];
      for (const v of entries) {
        if (v.Key === full && v.VersionId) found.push({ id: v.VersionId, latest: v.IsLatest === true });
      }
      // keys come sorted and `full` sorts before every longer key that starts with it
      const pastKey = entries.some((v) => v.Key !== full);
      if (!page.IsTruncated || pastKey) return found;
      keyMarker = page.NextKeyMarker;
      versionMarker = page.NextVersionIdMarker;
    }
  }

  private async activeLock(full: string, versionId: string): Promise<{ retainUntil?: Date } | undefined> {
    try {
      const h = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: full, VersionId: versionId }));
      if (h.ObjectLockLegalHoldStatus === 'ON') return {};
      if (h.ObjectLockRetainUntilDate && h.ObjectLockRetainUntilDate.getTime() > Date.now()) {
        return { retainUntil: h.ObjectLockRetainUntilDate };
      }
      return undefined;
    } catch {
      // a delete marker cannot be locked (HEAD on one fails); the caller reports the original 403
      return undefined;
    }
  }

  private async bucketExists(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
      return true;
    } catch (e) {
      if (statusCode(e) === 404) return false;
      throw this.mapError(e, key);
    }
  }

  private mapError(e: unknown, key: string | undefined): Error {
    if (e instanceof StoreError) return e;
    const fields = { url: this.url, key, cause: e };
    const codes = codesOf(e);
    if (codes.includes('NoSuchBucket')) return new StoreNotFound(fields);
    if (codes.includes('NoSuchKey') || statusCode(e) === 404) return new ObjectNotFound(fields);
    if (codes.includes('CredentialsProviderError')) {
      return new AccessDenied({ ...fields, detail: "no credentials found by the AWS SDK's default chain" });
    }
    if (statusCode(e) === 403 || codes.includes('AccessDenied')) return new AccessDenied(fields);
    if (isTransient(e)) return new StoreUnavailable(fields);
    return e instanceof Error ? e : new Error(String(e));
  }
}

/** S3 names its service errors by class (`name`); Node network errors carry a `code`. */
function codesOf(e: unknown): string[] {
  return [errorCode(e), e instanceof Error ? e.name : undefined].filter((c): c is string => c !== undefined);
}
