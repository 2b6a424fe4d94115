// Parses and formats store URLs (s3://, gs://, azblob://, file://). Pure: store URLs travel through
// workflow history, so anything that looks like a credential is refused here, naming the field.

export type S3LockMode = 'compliance' | 'governance';

export type StoreUrl =
  | {
      readonly scheme: 's3';
      readonly bucket: string;
      readonly prefix: string;
      readonly region?: string;
      /** An S3-compatible endpoint (MinIO, moto, Ceph); AWS when absent. */
      readonly endpoint?: string;
      readonly forcePathStyle: boolean;
      /** The Object Lock mode put() uses with `retainUntil`. */
      readonly lockMode: S3LockMode;
    }
  | { readonly scheme: 'gs'; readonly bucket: string; readonly prefix: string }
  | { readonly scheme: 'azblob'; readonly account: string; readonly container: string; readonly prefix: string }
  | { readonly scheme: 'file'; readonly path: string };

export type StoreScheme = StoreUrl['scheme'];

/** A malformed store URL or one carrying a credential; `field` names the part at fault. */
export class InvalidStoreUrl extends Error {
  readonly field: string;

  constructor(field: string, problem: string) {
    super(`invalid store URL: ${field}: ${problem}`);
    this.name = 'InvalidStoreUrl';
    this.field = field;
  }
}

const allowedParams: Record<StoreScheme, readonly string[]> = {
  s3: ['endpoint', 'forcePathStyle', 'lockMode', 'region'],
  gs: [],
  azblob: [],
  file: [],
};

// Names used for secrets by S3 presigning, Azure SAS, GCS signed URLs and hand-rolled schemes alike.
const credentialParam = /secret|key|token|sig|passw|credential|auth|session|^sv$|^se$|^sp$|^x-amz-|^x-goog-/i;

const s3Bucket = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const gcsBucket = /^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/;
const azureAccount = /^[a-z0-9]{3,24}$/;
const azureContainer = /^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/;
const awsRegion = /^[a-z]{2}(-[a-z0-9]+)+$/;

export function parseStoreUrl(input: string): StoreUrl {
  // Our own split rather than WHATWG URL: it would silently resolve `..` and rewrite `file:rel`.
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/.exec(input);
  if (!m) throw new InvalidStoreUrl('url', 'expected <scheme>://<location>, e.g. s3://bucket/prefix or file:///abs/path');
  const [, rawScheme, authority, path, query = '', fragment] = m;
  const scheme = rawScheme.toLowerCase();
  if (!isScheme(scheme)) throw new InvalidStoreUrl('scheme', `"${scheme}" is not one of s3, gs, azblob, file`);
  // Credentials first, so no later message can echo one.
  if (authority.includes('@')) {
    throw new InvalidStoreUrl('userinfo', 'credentials (user:password@) are not allowed: workers take them from their environment');
  }
  if (fragment !== undefined) throw new InvalidStoreUrl('fragment', 'a store URL has no #fragment');
  const params = parseQuery(scheme, query);

  switch (scheme) {
    case 's3': {
      const bucket = checkName('bucket', authority, s3Bucket, '3-63 lowercase letters, digits, "." or "-"');
      const region = params.get('region');
      if (region !== undefined && !awsRegion.test(region)) throw new InvalidStoreUrl('region', `"${region}" is not a region name`);
      return {
        scheme,
        bucket,
        prefix: parsePath('prefix', path).join('/'),
        ...(region === undefined ? {} : { region }),
        ...(params.has('endpoint') ? { endpoint: parseEndpoint(params.get('endpoint')!) } : {}),
        forcePathStyle: parseBool('forcePathStyle', params.get('forcePathStyle')),
        lockMode: parseLockMode(params.get('lockMode')),
      };
    }
    case 'gs':
      return {
        scheme,
        bucket: checkName('bucket', authority, gcsBucket, '3-222 lowercase letters, digits, ".", "_" or "-"'),
        prefix: parsePath('prefix', path).join('/'),
      };
    case 'azblob': {
      const account = checkName('account', authority, azureAccount, '3-24 lowercase letters or digits');
      const [container = '', ...prefix] = parsePath('container', path);
      checkName('container', container, azureContainer, '3-63 lowercase letters, digits or single "-"');
      return { scheme, account, container, prefix: prefix.join('/') };
    }
    case 'file': {
      if (authority !== '' && authority.toLowerCase() !== 'localhost') {
        throw new InvalidStoreUrl('host', `file URLs name a local absolute path (file:///abs/path), not host "${authority}"`);
      }
      if (!path.startsWith('/')) throw new InvalidStoreUrl('path', 'must be absolute (file:///abs/path)');
      return { scheme, path: `/${parsePath('path', path).join('/')}` };
    }
  }
}

/** The canonical form: default options omitted, parameters sorted, segments percent-encoded. */
export function formatStoreUrl(url: StoreUrl): string {
  switch (url.scheme) {
    case 's3': {
      const params: [string, string | undefined][] = [
        ['endpoint', url.endpoint],
        ['forcePathStyle', url.forcePathStyle ? 'true' : undefined],
        ['lockMode', url.lockMode === 'compliance' ? undefined : url.lockMode],
        ['region', url.region],
      ];
      const query = params
        .filter((p): p is [string, string] => p[1] !== undefined)
        .map(([k, v]) => `${k}=${encodeQueryValue(v)}`)
        .join('&');
      return `s3://${url.bucket}${formatPath(url.prefix)}${query ? `?${query}` : ''}`;
    }
    case 'gs':
      return `gs://${url.bucket}${formatPath(url.prefix)}`;
    case 'azblob':
      return `azblob://${url.account}/${url.container}${formatPath(url.prefix)}`;
    case 'file':
      return `file://${url.path === '/' ? '/' : formatPath(url.path.slice(1))}`;
  }
}

/** Parses then formats: the form to store and compare. */
export function canonicalStoreUrl(input: string): string {
  return formatStoreUrl(parseStoreUrl(input));
}

function isScheme(s: string): s is StoreScheme {
  return Object.hasOwn(allowedParams, s);
}

function parseQuery(scheme: StoreScheme, query: string): Map<string, string> {
  const params = new Map<string, string>();
  if (query === '' || query === '?') return params;
  for (const part of query.slice(1).split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = decode('query', eq < 0 ? part : part.slice(0, eq));
    if (credentialParam.test(name)) {
      throw new InvalidStoreUrl(
        `query.${name}`,
        'looks like a credential; stores take credentials from the worker environment, never from the URL',
      );
    }
    const allowed = allowedParams[scheme];
    if (!allowed.includes(name)) {
      throw new InvalidStoreUrl(`query.${name}`, `unknown parameter (${scheme} accepts: ${allowed.join(', ') || 'none'})`);
    }
    if (params.has(name)) throw new InvalidStoreUrl(`query.${name}`, 'given more than once');
    params.set(name, decode(`query.${name}`, eq < 0 ? '' : part.slice(eq + 1).replace(/\+/g, ' ')));
  }
  return params;
}

function parseEndpoint(value: string): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new InvalidStoreUrl('endpoint', 'must be an absolute http(s) URL');
  }
  if (u.username || u.password) throw new InvalidStoreUrl('endpoint', 'credentials (user:password@) are not allowed');
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new InvalidStoreUrl('endpoint', 'must be http or https');
  if (u.search || u.hash) throw new InvalidStoreUrl('endpoint', 'must not have a query or fragment');
  return `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
}

function parseBool(field: string, value: string | undefined): boolean {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw new InvalidStoreUrl(field, `must be true or false, not "${value}"`);
}

function parseLockMode(value: string | undefined): S3LockMode {
  const v = value?.toLowerCase() ?? 'compliance';
  if (v === 'compliance' || v === 'governance') return v;
  throw new InvalidStoreUrl('lockMode', `must be compliance or governance, not "${value}"`);
}

function checkName(field: string, value: string, pattern: RegExp, expected: string): string {
  if (!pattern.test(value)) throw new InvalidStoreUrl(field, `"${value}" is not valid: expected ${expected}`);
  return value;
}

/** Decoded, non-empty segments; a trailing slash is dropped, `.`, `..` and `//` are refused. */
function parsePath(field: string, path: string): string[] {
  if (path === '' || path === '/') return [];
  const raw = path.slice(1).replace(/\/$/, '').split('/');
  return raw.map((s) => {
    const seg = decode(field, s);
    if (seg === '') throw new InvalidStoreUrl(field, 'must not contain an empty segment ("//")');
    if (seg === '.' || seg === '..') throw new InvalidStoreUrl(field, 'must not contain "." or ".." segments');
    if (seg.includes('/') || seg.includes('\\')) throw new InvalidStoreUrl(field, 'a segment must not contain an encoded "/" or "\\"');
    if (/\p{Cc}/u.test(seg)) throw new InvalidStoreUrl(field, 'must not contain control characters');
    return seg;
  });
}

function decode(field: string, s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new InvalidStoreUrl(field, 'malformed percent-encoding');
  }
}

function formatPath(prefix: string): string {
  return prefix === '' ? '' : `/${prefix.split('/').map(encodeURIComponent).join('/')}`;
}

/** Keeps `:` and `/` readable in endpoint values; both are legal in a query. */
function encodeQueryValue(v: string): string {
  return encodeURIComponent(v).replace(/%3A/gi, ':').replace(/%2F/gi, '/');
}
