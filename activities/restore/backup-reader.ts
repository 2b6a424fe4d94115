// Reading a backup back: only a complete one (with its index), and every object checked against
// the sha256 the index recorded, so a truncated or altered object is refused by key.
import { createHash } from 'node:crypto';
import type { StoredObject } from '../../workflows/types.js';
import type { BackupIndex } from '../backup/backup-activities.js';
import type { KeyRing } from '../backup/encryption.js';
import { BackupIncomplete, ChecksumMismatch } from '../backup/errors.js';
import { decodeDocument, type ManifestDocument } from '../backup/manifests.js';
import { revealSecrets } from '../backup/secrets-policy.js';
import { readAll } from '../movers/repository.js';
import { type BackupRef, indexKey, manifestsKey } from '../stores/layout.js';
import { ObjectNotFound, type ObjectStore } from '../stores/object-store.js';

export async function readIndex(store: ObjectStore, ref: BackupRef): Promise<BackupIndex> {
  const key = indexKey(ref);
  try {
    return JSON.parse((await readAll(store, key)).toString('utf8')) as BackupIndex;
  } catch (e) {
    if (e instanceof ObjectNotFound) throw new BackupIncomplete(store.url, key, 'missing its index');
    throw e;
  }
}

/** The index's entry for `key`: a backup object the index does not list is not part of the backup. */
export function indexedObject(store: ObjectStore, index: BackupIndex, key: string): StoredObject {
  const entry = index.objects.find((o) => o.key === key);
  if (!entry) throw new BackupIncomplete(store.url, key, 'not listed in the index');
  return entry;
}

/** A small object of the backup, read whole and verified. */
export async function readVerified(store: ObjectStore, index: BackupIndex, key: string): Promise<Buffer> {
  const expected = indexedObject(store, index, key).sha256;
  let body: Buffer;
  try {
    body = await readAll(store, key);
  } catch (e) {
    if (e instanceof ObjectNotFound) throw new BackupIncomplete(store.url, key, 'missing');
    throw e;
  }
  const actual = createHash('sha256').update(body).digest('hex');
  if (actual !== expected) throw new ChecksumMismatch(`${store.url} key ${key}`, { expected, actual });
  return body;
}

/**
 * The manifests of a complete backup. `{ keys }` decrypts Secret values (KeyUnavailable, naming the key id,
 * when the backup's key is not among them, or there are none); 'sealed' leaves them sealed: enough for
 * reading objects' names and shapes (verify, dry runs), never for applying them.
 */
export async function readManifests(
  store: ObjectStore,
  ref: BackupRef,
  secrets: { readonly keys: KeyRing | undefined } | 'sealed' = 'sealed',
): Promise<{ index: BackupIndex; doc: ManifestDocument }> {
  const index = await readIndex(store, ref);
  const key = manifestsKey(ref);
  const doc = decodeDocument<ManifestDocument>(await readVerified(store, index, key));
  if (secrets === 'sealed') return { index, doc };
  return { index, doc: { ...doc, objects: revealSecrets(doc.objects, doc.secrets, secrets.keys, `${store.url} key ${key}`) } };
}
