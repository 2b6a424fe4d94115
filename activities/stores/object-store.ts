// The object store port: a bucket (or container, or directory) and keys, nothing more. Adapters for
// S3, GCS, Azure Blob and a local directory implement it; key naming lives in layout.ts.
import { PassThrough, Readable } from 'node:stream';
import { InvalidStoreUrl } from './store-url.js';

export interface ObjectInfo {
  /** Relative to the store URL's prefix, like every key the port takes or returns. */
  key: string;
  size: number;
  lastModified?: Date;
  /** Set by head() only: listings would need a request per object on S3. */
  metadata?: Record<string, string>;
}

export interface PutOptions {
  contentType?: string;
  /** Keys: a lowercase letter then lowercase letters, digits or `_` (what S3, GCS and Azure all keep intact). */
  metadata?: Record<string, string>;
  /** Object lock until this instant; throws RetentionUnsupported where `capabilities.retention` is false. */
  retainUntil?: Date;
  /** The body's length when known: a body of any other length fails the put and leaves no object. */
  size?: number;
}

export type PutBody = Buffer | string | NodeJS.ReadableStream;

export interface StoreCapabilities {
  /** Objects can be locked until a date (`PutOptions.retainUntil`), and delete() then throws ObjectLocked. */
  readonly retention: boolean;
  /** head() returns what put() was given in `metadata` (list() never returns metadata, on any store). */
  readonly metadata: boolean;
}

export interface ObjectStore {
  /** The store URL in canonical form; never carries credentials, so it is safe in logs and workflow history. */
  readonly url: string;
  readonly capabilities: StoreCapabilities;
  /** Streams the body; large bodies go up in parts. The object appears complete or not at all. */
  put(key: string, body: PutBody, opts?: PutOptions): Promise<void>;
  /** Throws ObjectNotFound; errors while the body streams are mapped to the same classes. */
  get(key: string): Promise<Readable>;
  head(key: string): Promise<ObjectInfo | undefined>;
  /** Every object whose key starts with `prefix`, sorted by key (byte order), fetched page by page. */
  list(prefix: string): AsyncIterable<ObjectInfo>;
  /** Removes the object (every version, where the store keeps versions); a missing key is not an error. Throws ObjectLocked. */
  delete(key: string): Promise<void>;
}

export type InvalidField = 'key' | 'prefix' | 'metadata' | 'size';

interface StoreErrorFields {
  /** The store URL (without credentials). */
  url: string;
  key?: string;
  cause?: unknown;
}

/** Base of every error the port throws; `name` is the class name, which Temporal uses as the failure type. */
export abstract class StoreError extends Error {
  readonly url: string;
  readonly key: string | undefined;

  constructor(what: string, fields: StoreErrorFields) {
    super(`${where(fields)}: ${what}`, fields.cause === undefined ? undefined : { cause: safeCause(fields.cause) });
    this.name = new.target.name;
    this.url = fields.url;
    this.key = fields.key;
  }
}

/**
 * The SDK error reduced to its name, message, code, status and stack: SDK errors can carry the whole
 * request, signed headers included, and a logger printing the cause chain would print them.
 */
function safeCause(e: unknown): Error {
  if (e instanceof StoreError) return e;
  const safe = new Error(e instanceof Error ? e.message : String(e));
  safe.name = e instanceof Error ? e.name : 'Error';
  if (e instanceof Error && e.stack) safe.stack = e.stack;
  Object.assign(safe, { code: errorCode(e), status: statusCode(e) });
  return safe;
}

function where({ url, key }: StoreErrorFields): string {
  return key === undefined ? url : `${url} key ${JSON.stringify(key)}`;
}

/** No such bucket, container or directory. */
export class StoreNotFound extends StoreError {
  constructor(fields: StoreErrorFields) {
    super('the bucket, container or directory does not exist', fields);
  }
}

/** The worker's credentials are missing or may not do this. */
export class AccessDenied extends StoreError {
  constructor(fields: StoreErrorFields & { detail?: string }) {
    super(fields.detail ?? 'access denied for the credentials this worker has', fields);
  }
}

export class ObjectNotFound extends StoreError {
  constructor(fields: StoreErrorFields) {
    super('no such object', fields);
  }
}

/** Retention (object lock, hold, immutability policy) forbids the change until it expires. */
export class ObjectLocked extends StoreError {
  readonly retainUntil: Date | undefined;

  constructor(fields: StoreErrorFields & { retainUntil?: Date }) {
    super(`the object is locked${fields.retainUntil ? ` until ${fields.retainUntil.toISOString()}` : ''}`, fields);
    this.retainUntil = fields.retainUntil;
  }
}

/** A transient fault (5xx, throttling, timeout, reset) that outlasted the SDK's own retries; retry later. */
export class StoreUnavailable extends StoreError {
  constructor(fields: StoreErrorFields) {
    super(`the store is unavailable${describeCause(fields.cause)}`, fields);
  }
}

/** put() asked for retention on a store that cannot enforce it; check `capabilities.retention` first. */
export class RetentionUnsupported extends StoreError {
  constructor(fields: StoreErrorFields) {
    super('this store cannot lock objects (capabilities.retention is false)', fields);
  }
}

/** A key, prefix, metadata entry or body size the port refuses. */
export class InvalidArgument extends StoreError {
  readonly field: InvalidField;

  constructor(fields: StoreErrorFields & { field: InvalidField; problem: string }) {
    super(`invalid ${fields.field}: ${fields.problem}`, fields);
    this.field = fields.field;
  }
}

/** Class names Temporal must not retry (register them as nonRetryableErrorTypes). StoreUnavailable is absent on purpose. */
export const permanentStoreErrors: readonly string[] = [
  StoreNotFound.name,
  AccessDenied.name,
  ObjectNotFound.name,
  ObjectLocked.name,
  RetentionUnsupported.name,
  InvalidArgument.name,
  InvalidStoreUrl.name,
].sort();

/** A short, credential-free reason for a transient fault: the error code, never the SDK's message (it may echo headers). */
function describeCause(cause: unknown): string {
  const code = errorCode(cause) ?? statusCode(cause);
  return code === undefined ? '' : ` (${code})`;
}

// ---- helpers shared by the adapters ----

/** Joins the URL's prefix and a key; the prefix has no leading or trailing slash. */
export function joinKey(prefix: string, key: string): string {
  return prefix === '' ? key : `${prefix}/${key}`;
}

/** The key relative to the prefix, for keys a listing returned under it. */
export function relativeKey(prefix: string, fullKey: string): string {
  return prefix === '' ? fullKey : fullKey.slice(prefix.length + 1);
}

/** Keys are relative paths: no leading slash, no empty, `.` or `..` segment (they would escape a file store's root). */
export function checkKey(url: string, key: string): void {
  const problem = keyProblem(key, false);
  if (problem) throw new InvalidArgument({ url, key, field: 'key', problem });
}

/** A prefix is a key or the start of one: it may be empty and may end with `/` or mid-segment. */
export function checkPrefix(url: string, prefix: string): void {
  const problem = keyProblem(prefix, true);
  if (problem) throw new InvalidArgument({ url, key: prefix, field: 'prefix', problem });
}

function keyProblem(key: string, isPrefix: boolean): string | undefined {
  if (key === '') return isPrefix ? undefined : 'must not be empty';
  if (key.startsWith('/')) return 'must not start with "/"';
  if (key.includes('\\')) return 'must not contain "\\"';
  if (/\p{Cc}/u.test(key)) return 'must not contain control characters';
  const segments = key.split('/');
  // a prefix may end with '/', leaving one empty last segment
  if (isPrefix && segments.at(-1) === '') segments.pop();
  if (segments.some((s) => s === '')) return 'must not contain an empty segment ("//" or a trailing "/")';
  if (segments.some((s) => s === '.' || s === '..')) return 'must not contain "." or ".." segments';
  return undefined;
}

const metadataKey = /^[a-z][a-z0-9_]*$/;

/** Metadata travels as HTTP headers on every provider: portable names, printable ASCII values. */
export function checkMetadata(url: string, key: string, metadata: Record<string, string> | undefined): void {
  for (const [name, value] of Object.entries(metadata ?? {})) {
    if (!metadataKey.test(name)) {
      throw new InvalidArgument({ url, key, field: 'metadata', problem: `name ${JSON.stringify(name)} must match ${metadataKey.source}` });
    }
    if (!/^[\x20-\x7e]*$/.test(value)) {
      throw new InvalidArgument({ url, key, field: 'metadata', problem: `value of ${JSON.stringify(name)} must be printable ASCII` });
    }
  }
}

/** Byte-order comparison of UTF-8 keys, the order S3, GCS and Azure list in. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** The body, failing (so the upload fails and no object appears) when its length is not `size`. */
export function sizedBody(url: string, key: string, body: PutBody, size: number | undefined): PutBody {
  if (size === undefined) return body;
  const wrong = (n: number) => new InvalidArgument({ url, key, field: 'size', problem: `the body is ${n} bytes, not ${size}` });
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    const n = Buffer.byteLength(body);
    if (n !== size) throw wrong(n);
    return body;
  }
  const source = toReadable(body);
  return Readable.from(
    (async function* () {
      let seen = 0;
      for await (const chunk of source) {
        seen += (chunk as Buffer).length;
        if (seen > size) throw wrong(seen);
        yield chunk as Buffer;
      }
      if (seen !== size) throw wrong(seen);
    })(),
  );
}

export function toReadable(body: PutBody): Readable {
  if (typeof body === 'string' || Buffer.isBuffer(body)) return Readable.from([Buffer.from(body)]);
  return body instanceof Readable ? body : Readable.from(body as AsyncIterable<Buffer>);
}

/**
 * Returns a stream with `source`'s bytes whose errors went through `map`, so a reset while the caller
 * reads a body surfaces as StoreUnavailable like any other transient fault. Destroying the returned
 * stream releases the source (and its connection).
 */
export function mapStreamErrors(source: Readable, map: (e: unknown) => Error): Readable {
  const out = new PassThrough();
  source.on('error', (e) => out.destroy(map(e)));
  out.on('close', () => {
    if (!source.destroyed) source.destroy();
  });
  source.pipe(out);
  return out;
}

/** The numeric HTTP status an SDK error carries, whichever field that SDK uses. */
export function statusCode(e: unknown): number | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const o = e as {
    statusCode?: unknown;
    status?: unknown;
    code?: unknown;
    $metadata?: { httpStatusCode?: unknown };
    response?: { status?: unknown };
  };
  for (const v of [o.$metadata?.httpStatusCode, o.statusCode, o.status, o.response?.status, o.code]) {
    if (typeof v === 'number') return v;
  }
  return undefined;
}

/** The string error code (S3 `name`/`Code`, Azure `details.errorCode`, Node's `code`), if any. */
export function errorCode(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const o = e as { code?: unknown; Code?: unknown; details?: { errorCode?: unknown } };
  for (const v of [o.details?.errorCode, o.Code, o.code]) {
    if (typeof v === 'string' && v !== '') return v;
  }
  return undefined;
}

const transientCodes = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_STREAM_PREMATURE_CLOSE',
  'REQUEST_SEND_ERROR',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeTooSkewed',
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'ServerBusy',
  'OperationTimedOut',
  'InternalError',
  'ServiceUnavailable',
]);

/** 5xx, 408, 429, throttling codes and network resets: faults that a later attempt may not meet. */
export function isTransient(e: unknown): boolean {
  const status = statusCode(e);
  if (status !== undefined && (status >= 500 || status === 408 || status === 429)) return true;
  const code = errorCode(e);
  const name = e instanceof Error ? e.name : undefined;
  return (code !== undefined && transientCodes.has(code)) || (name !== undefined && transientCodes.has(name));
}
