// Every ObjectStore adapter against its real server on the local stack (moto, fake-gcs-server, Azurite)
// and a temp directory, through the official SDKs: the same contract, the same error classes.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { DeleteObjectCommand, ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  compareKeys,
  InvalidArgument,
  ObjectLocked,
  ObjectNotFound,
  type ObjectStore,
  RetentionUnsupported,
  StoreNotFound,
  StoreUnavailable,
} from '../../activities/stores/object-store.js';
import { type OpenStoreDeps, openStore } from '../../activities/stores/open-store.js';
import { stackVar } from '../setup/stack.js';

const runId = `test-${Date.now()}-${randomBytes(4).toString('hex')}`;
const MiB = 1024 * 1024;
/** A port nothing listens on: connections are refused at once. */
const deadEndpoint = 'http://127.0.0.1:1';

interface Target {
  name: string;
  /** The store URL with `prefix` as its prefix (or directory). */
  url(prefix: string): string;
  /** The same kind of store whose bucket, container or directory does not exist. */
  missingUrl(): string;
  /** A store on a server that refuses connections, or undefined where that cannot happen. */
  unreachable?(): ObjectStore;
}

let fileRoot: string;

const targets: Target[] = [
  {
    name: 's3',
    url: (prefix) => `s3://${stackVar('FERRY_S3_BUCKET')}/${prefix}?endpoint=${stackVar('FERRY_S3_ENDPOINT')}&forcePathStyle=true`,
    missingUrl: () => `s3://ferry-missing-${runId}/x?endpoint=${stackVar('FERRY_S3_ENDPOINT')}&forcePathStyle=true`,
    unreachable: () => openStore(`s3://ferry-backups/x?endpoint=${deadEndpoint}&forcePathStyle=true`, { maxAttempts: 2 }),
  },
  {
    name: 'gcs',
    url: (prefix) => `gs://${stackVar('FERRY_GCS_BUCKET')}/${prefix}`,
    missingUrl: () => `gs://ferry-missing-${runId}/x`,
    unreachable: () => openStore('gs://ferry-backups/x', { maxAttempts: 2, env: { STORAGE_EMULATOR_HOST: deadEndpoint } }),
  },
  {
    name: 'azure-blob',
    url: (prefix) => `azblob://${azureAccount()}/${stackVar('FERRY_AZURE_CONTAINER')}/${prefix}`,
    missingUrl: () => `azblob://${azureAccount()}/ferry-missing-${runId}/x`,
    unreachable: () => {
      const cs = stackVar('AZURE_STORAGE_CONNECTION_STRING').replace(
        /BlobEndpoint=[^;]+/,
        `BlobEndpoint=${deadEndpoint}/${azureAccount()}`,
      );
      return openStore(`azblob://${azureAccount()}/ferry-backups/x`, { maxAttempts: 2, env: { AZURE_STORAGE_CONNECTION_STRING: cs } });
    },
  },
  {
    name: 'file',
    url: (prefix) => `file://${fileRoot}/${prefix}`,
    missingUrl: () => `file://${fileRoot}/missing-${runId}`,
  },
];

function azureAccount(): string {
  return /AccountName=([^;]+)/.exec(stackVar('AZURE_STORAGE_CONNECTION_STRING'))![1];
}

/** Small pages, so listing a few dozen objects crosses several of them. */
const deps: OpenStoreDeps = { listPageSize: 7 };

beforeAll(() => {
  fileRoot = mkdtempSync(join(tmpdir(), 'ferry-stores-'));
  // like a bucket, a file store's directory must exist before the store is used
  mkdirSync(join(fileRoot, runId));
});

afterAll(() => {
  rmSync(fileRoot, { recursive: true, force: true });
});

async function text(body: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks).toString('utf8');
}

async function keys(store: ObjectStore, prefix: string): Promise<string[]> {
  const out: string[] = [];
  for await (const o of store.list(prefix)) out.push(o.key);
  return out;
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

/** `count` chunks of 1 MiB of random bytes, hashed as they are produced. */
function randomBody(count: number): { body: Readable; digest: () => string } {
  const hash = createHash('sha256');
  let sent = 0;
  const body = new Readable({
    read() {
      if (sent === count) return void this.push(null);
      const chunk = randomBytes(MiB);
      hash.update(chunk);
      sent++;
      this.push(chunk);
    },
  });
  return { body, digest: () => hash.digest('hex') };
}

async function sha256Of(body: Readable): Promise<{ digest: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const c of body) {
    hash.update(c);
    size += c.length;
  }
  return { digest: hash.digest('hex'), size };
}

describe.each(targets)('$name store', (target) => {
  let store: ObjectStore;

  beforeAll(() => {
    store = openStore(target.url(runId), deps);
  });

  afterAll(async () => {
    if (!store) return;
    for (const key of await keys(store, '')) await store.delete(key);
    expect(await keys(store, '')).toEqual([]);
  });

  it('puts, heads, gets and deletes an object', async () => {
    await store.put('crud/hello.txt', 'hello, ferry', {
      contentType: 'text/plain',
      metadata: { sha256: 'abc123', ferry_kind: 'manifest' },
    });
    const info = await store.head('crud/hello.txt');
    expect(info?.key).toBe('crud/hello.txt');
    expect(info?.size).toBe(12);
    expect(info?.lastModified).toBeInstanceOf(Date);
    expect(info?.metadata).toEqual(store.capabilities.metadata ? { sha256: 'abc123', ferry_kind: 'manifest' } : {});
    expect(await text(await store.get('crud/hello.txt'))).toBe('hello, ferry');

    await store.put('crud/hello.txt', Buffer.from('replaced'));
    expect(await text(await store.get('crud/hello.txt'))).toBe('replaced');

    await store.delete('crud/hello.txt');
    expect(await store.head('crud/hello.txt')).toBeUndefined();
    expect(await keys(store, 'crud/')).toEqual([]);
  });

  it('reports a missing key: get throws ObjectNotFound, head is undefined, delete is a no-op', async () => {
    const e = await rejection(store.get('missing/nothing-here'));
    expect(e).toBeInstanceOf(ObjectNotFound);
    expect((e as ObjectNotFound).key).toBe('missing/nothing-here');
    expect((e as ObjectNotFound).url).toBe(store.url);
    expect((e as Error).message).toContain(store.url);
    expect(await store.head('missing/nothing-here')).toBeUndefined();
    await store.delete('missing/nothing-here');
  });

  it('lists only the prefix, sorted by key, across pages', async () => {
    // byte order puts "-" < "." < "/" < digits < upper case < lower case
    const inside = [
      ...Array.from({ length: 20 }, (_, i) => `list/n/${String(i).padStart(3, '0')}`),
      'list/B',
      'list/a-b',
      'list/a.b',
      'list/a/b',
      'list/z',
    ];
    const outside = ['listx', 'lis', 'other/list/a'];
    await Promise.all([...inside, ...outside].map((k) => store.put(k, k)));

    const listed = await keys(store, 'list/');
    expect(listed).toEqual([...inside].sort(compareKeys));
    expect(listed.length).toBeGreaterThan(3 * (deps.listPageSize ?? 0));

    // a prefix that ends mid-segment
    expect(await keys(store, 'list/a')).toEqual(['list/a-b', 'list/a.b', 'list/a/b']);

    // the URL's prefix is joined in and stripped out: a store rooted at list/ sees relative keys
    const nested = openStore(target.url(`${runId}/list`), deps);
    expect(await keys(nested, 'n/00')).toEqual(Array.from({ length: 10 }, (_, i) => `n/00${i}`));
    expect(await text(await nested.get('z'))).toBe('list/z');
  });

  it('streams a 24 MiB upload and reads back the same sha256', async () => {
    const { body, digest } = randomBody(24);
    await store.put('large/stream.bin', body, { contentType: 'application/octet-stream' });
    expect((await store.head('large/stream.bin'))?.size).toBe(24 * MiB);
    expect(await sha256Of(await store.get('large/stream.bin'))).toEqual({ digest: digest(), size: 24 * MiB });
  });

  it('uploads a 9 MiB buffer (more than one part) and reads it back', async () => {
    const data = randomBytes(9 * MiB);
    await store.put('large/buffer.bin', data);
    const expected = createHash('sha256').update(data).digest('hex');
    expect(await sha256Of(await store.get('large/buffer.bin'))).toEqual({ digest: expected, size: data.length });
  });

  it('leaves no object behind when the body fails mid-way', async () => {
    let sent = 0;
    const failing = new Readable({
      read() {
        // enough for a first part or block to be sent before the failure
        if (sent++ < 9) this.push(randomBytes(MiB));
        else this.destroy(new Error('source disk failed'));
      },
    });
    await expect(store.put('partial/broken.bin', failing)).rejects.toThrow();
    expect(await store.head('partial/broken.bin')).toBeUndefined();
    expect(await keys(store, 'partial/')).toEqual([]);
  });

  it('fails a streamed body of another length than opts.size, leaving no object', async () => {
    const short = Readable.from([Buffer.alloc(1000, 1), Buffer.alloc(1000, 2)]);
    const e = await rejection(store.put('sized/short.bin', short, { size: 3000 }));
    expect(e).toBeInstanceOf(InvalidArgument);
    expect((e as InvalidArgument).field).toBe('size');
    expect(await store.head('sized/short.bin')).toBeUndefined();
    await store.put('sized/exact.bin', Readable.from([Buffer.alloc(3000, 3)]), { size: 3000 });
    expect((await store.head('sized/exact.bin'))?.size).toBe(3000);
  });

  it('throws StoreNotFound for a missing bucket, container or directory', async () => {
    const missing = openStore(target.missingUrl(), deps);
    for (const op of [
      () => missing.put('a.txt', 'x'),
      () => missing.get('a.txt'),
      () => missing.head('a.txt'),
      () => keys(missing, ''),
      () => missing.delete('a.txt'),
    ]) {
      const e = await rejection(op());
      expect(e).toBeInstanceOf(StoreNotFound);
      expect((e as StoreNotFound).url).toBe(missing.url);
    }
  });

  it('refuses keys that are not relative paths, before any request', async () => {
    for (const key of ['', '/abs', 'a/../b', 'a//b', './a', 'a\\b']) {
      const e = await rejection(store.get(key));
      expect(e).toBeInstanceOf(InvalidArgument);
      expect((e as InvalidArgument).field).toBe('key');
    }
    const e = await rejection(store.put('meta.txt', 'x', { metadata: { 'Not-Portable': 'x' } }));
    expect((e as InvalidArgument).field).toBe('metadata');
  });

  // only where a server can be unreachable; a directory cannot
  const { unreachable } = target;
  if (unreachable) {
    it('throws StoreUnavailable once the SDK has retried a refused connection', async () => {
      const down = unreachable();
      const e = await rejection(down.head('a.txt'));
      expect(e).toBeInstanceOf(StoreUnavailable);
      expect((e as Error).message).toContain(down.url);
    });
  }

  // S3 enforces retention: see 's3 object lock' below
  if (target.name !== 's3') {
    it('refuses retention it cannot enforce', async () => {
      expect(store.capabilities.retention).toBe(false);
      const e = await rejection(store.put('locked/x.txt', 'x', { retainUntil: new Date(Date.now() + 60_000) }));
      expect(e).toBeInstanceOf(RetentionUnsupported);
      expect(await store.head('locked/x.txt')).toBeUndefined();
    });
  }
});

describe('s3 object lock', () => {
  // GOVERNANCE so the test can remove its object with the bypass permission; the adapter never bypasses.
  const url = () =>
    `s3://${stackVar('FERRY_S3_BUCKET')}/${runId}-lock?endpoint=${stackVar('FERRY_S3_ENDPOINT')}&forcePathStyle=true&lockMode=governance`;

  it('keeps a locked object through delete(), which throws ObjectLocked', async () => {
    const store = openStore(url());
    expect(store.capabilities.retention).toBe(true);
    const retainUntil = new Date(Date.now() + 60_000);
    await store.put('backup/index.json', '{"complete":true}', { retainUntil });
    await store.put('backup/index.json', '{"complete":true,"v":2}');
    try {
      const e = await rejection(store.delete('backup/index.json'));
      expect(e).toBeInstanceOf(ObjectLocked);
      expect((e as ObjectLocked).key).toBe('backup/index.json');
      // S3 may keep the date to the second only
      expect(Math.abs((e as ObjectLocked).retainUntil!.getTime() - retainUntil.getTime())).toBeLessThan(1000);
      // the unlocked newer version is kept too: versions go oldest first, so the object still reads as before
      expect(await text(await store.get('backup/index.json'))).toBe('{"complete":true,"v":2}');
    } finally {
      await removeAllVersions(`${runId}-lock/backup/index.json`);
    }
    expect(await store.head('backup/index.json')).toBeUndefined();
  });

  it('deletes every version of an unlocked object, leaving no delete marker', async () => {
    const store = openStore(url());
    await store.put('plain.txt', 'v1');
    await store.put('plain.txt', 'v2');
    await store.delete('plain.txt');
    expect(await store.head('plain.txt')).toBeUndefined();
    expect(await versionCount(`${runId}-lock/plain.txt`)).toBe(0);
  });
});

function rawS3(): S3Client {
  return new S3Client({ endpoint: stackVar('FERRY_S3_ENDPOINT'), forcePathStyle: true });
}

async function versionCount(key: string): Promise<number> {
  const s3 = rawS3();
  try {
    const v = await s3.send(new ListObjectVersionsCommand({ Bucket: stackVar('FERRY_S3_BUCKET'), Prefix: key }));
    return [...(v.Versions ?? []), ...(v.DeleteMarkers ?? [])].filter((x) => x.Key === key).length;
  } finally {
    s3.destroy();
  }
}

/** Test cleanup only: removes a GOVERNANCE-locked object with the bypass the adapter never uses. */
async function removeAllVersions(key: string): Promise<void> {
  const s3 = rawS3();
  const Bucket = stackVar('FERRY_S3_BUCKET');
  try {
    const v = await s3.send(new ListObjectVersionsCommand({ Bucket, Prefix: key }));
    for (const x of [...(v.Versions ?? []), ...(v.DeleteMarkers ?? [])].filter((x) => x.Key === key)) {
      await s3.send(new DeleteObjectCommand({ Bucket, Key: key, VersionId: x.VersionId, BypassGovernanceRetention: true }));
    }
  } finally {
    s3.destroy();
  }
}

describe('file store', () => {
  it('keeps uploads in progress out of sight and leaves no temp file behind', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ferry-file-store-'));
    try {
      const store = openStore(`file://${root}`);
      await store.put('a/b.txt', 'x');
      await expect(
        store.put(
          'a/c.txt',
          Readable.from(
            (async function* () {
              yield Buffer.from('partial');
              throw new Error('source failed');
            })(),
          ),
        ),
      ).rejects.toThrow('source failed');
      expect(await keys(store, '')).toEqual(['a/b.txt']);
      expect(readdirSync(join(root, '.ferry-partial'))).toEqual([]);
      expect((await rejection(store.get('.ferry-partial/x'))) as InvalidArgument).toBeInstanceOf(InvalidArgument);
      // an object and objects below it cannot share a name on a filesystem
      expect(await rejection(store.put('a/b.txt/c', 'x'))).toBeInstanceOf(InvalidArgument);
      await store.delete('a/b.txt');
      // emptied directories are pruned, so the root holds only the upload area
      expect(readdirSync(root).sort()).toEqual(['.ferry-partial']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
