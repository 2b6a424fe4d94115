// Reading a backup back: only a complete one (with its index), and every object checked against
// the sha256 the index recorded, so a truncated or altered object is refused by key.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BackupIndex } from '../backup/backup-activities.js';
import { BackupIncomplete, ChecksumMismatch } from '../backup/errors.js';
import { decodeDocument, type ManifestDocument } from '../backup/manifests.js';
import type { FileDigest } from '../movers/hostpath-tar.js';
import { type BackupRef, indexKey, manifestsKey } from '../stores/layout.js';
import { ObjectNotFound, type ObjectStore } from '../stores/object-store.js';

async function readAll(store: ObjectStore, key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of await store.get(key)) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export async function readIndex(store: ObjectStore, ref: BackupRef): Promise<BackupIndex> {
  const key = indexKey(ref);
  try {
    return JSON.parse((await readAll(store, key)).toString('utf8')) as BackupIndex;
  } catch (e) {
    if (e instanceof ObjectNotFound) throw new BackupIncomplete(store.url, key, 'missing its index');
    throw e;
  }
}

function expectedDigest(store: ObjectStore, index: BackupIndex, key: string): string {
  const entry = index.objects.find((o) => o.key === key);
  if (!entry) throw new BackupIncomplete(store.url, key, 'not listed in the index');
  return entry.sha256;
}

/** A small object of the backup, read whole and verified. */
export async function readVerified(store: ObjectStore, index: BackupIndex, key: string): Promise<Buffer> {
  const expected = expectedDigest(store, index, key);
  let body: Buffer;
  try {
    body = await readAll(store, key);
  } catch (e) {
    if (e instanceof ObjectNotFound) throw new BackupIncomplete(store.url, key, 'missing');
    throw e;
  }
  const actual = createHash('sha256').update(body).digest('hex');
  if (actual !== expected) throw new ChecksumMismatch(`${store.url} key ${key}`, expected, actual);
  return body;
}

export async function readManifests(store: ObjectStore, ref: BackupRef): Promise<{ index: BackupIndex; doc: ManifestDocument }> {
  const index = await readIndex(store, ref);
  const doc = decodeDocument<ManifestDocument>(await readVerified(store, index, manifestsKey(ref)));
  return { index, doc };
}

export async function readFileList(store: ObjectStore, index: BackupIndex, listKey: string): Promise<FileDigest[]> {
  return decodeDocument<{ files: FileDigest[] }>(await readVerified(store, index, listKey)).files;
}

/**
 * Downloads a large object to a temporary file while hashing it, and hands the file to `use` only
 * once its digest matches: nothing unverified is ever written to a target volume.
 */
export async function withVerifiedDownload<T>(
  store: ObjectStore,
  index: BackupIndex,
  key: string,
  use: (file: string) => Promise<T>,
): Promise<T> {
  const expected = expectedDigest(store, index, key);
  const dir = await mkdtemp(join(tmpdir(), 'ferry-restore-'));
  const file = join(dir, 'data');
  try {
    const h = createHash('sha256');
    const tap = new Transform({
      transform(chunk: Buffer, _e, cb) {
        h.update(chunk);
        cb(null, chunk);
      },
    });
    try {
      await pipeline(await store.get(key), tap, createWriteStream(file));
    } catch (e) {
      if (e instanceof ObjectNotFound) throw new BackupIncomplete(store.url, key, 'missing');
      throw e;
    }
    const actual = h.digest('hex');
    if (actual !== expected) throw new ChecksumMismatch(`${store.url} key ${key}`, expected, actual);
    return await use(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
