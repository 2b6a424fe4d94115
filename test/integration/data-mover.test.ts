// The chunked data mover against real stores (moto S3 on the local stack, and a directory): incremental
// backups that restore to the exact bytes, damaged or incomplete backups refused by key, encryption,
// object lock, and retention with garbage collection.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createBackupActivities, writeManifests } from '../../activities/backup/backup-activities.js';
import { EncryptionKey, KeyRing, KeyUnavailable } from '../../activities/backup/encryption.js';
import { BackupIncomplete, ChecksumMismatch } from '../../activities/backup/errors.js';
import { lockPlan } from '../../activities/backup/immutability.js';
import { pruneBackups } from '../../activities/backup/prune-activity.js';
import type { ActivityDeps } from '../../activities/deps.js';
import type { KubeObject } from '../../activities/kube/object.js';
import { ChunkMover } from '../../activities/movers/chunk-mover.js';
import { digestDirectory } from '../../activities/movers/file-tree.js';
import { noProgress } from '../../activities/progress.js';
import { readIndex, readManifests } from '../../activities/restore/backup-reader.js';
import { type BackupRef, indexKey, packsPrefix, snapshotKey } from '../../activities/stores/layout.js';
import { ObjectLocked, type ObjectStore } from '../../activities/stores/object-store.js';
import { openStore } from '../../activities/stores/open-store.js';
import type { VolumeBackup } from '../../workflows/types.js';
import { stackVar } from '../setup/stack.js';

const runId = `mover-${Date.now()}-${randomBytes(3).toString('hex')}`;
const MiB = 1024 * 1024;
const temp: string[] = [];
const tempDir = (name: string) => {
  const d = mkdtempSync(join(tmpdir(), `ferry-${name}-`));
  temp.push(d);
  return d;
};
afterAll(() => {
  for (const d of temp) rmSync(d, { recursive: true, force: true });
});

interface StoreCase {
  name: string;
  open(prefix: string): ObjectStore;
}

const stores: StoreCase[] = [
  {
    name: 's3',
    open: (prefix) =>
      openStore(`s3://${stackVar('FERRY_S3_BUCKET')}/${runId}/${prefix}?endpoint=${stackVar('FERRY_S3_ENDPOINT')}&forcePathStyle=true`),
  },
  {
    name: 'file',
    open: (prefix) => {
      const dir = join(tempDir('store'), prefix);
      mkdirSync(dir, { recursive: true });
      return openStore(`file://${dir}`);
    },
  },
];

/** Text that compresses, random bytes that do not, small files, an empty one, nested directories and a symlink. */
function makeVolume(): string {
  const dir = tempDir('vol');
  mkdirSync(join(dir, 'db', 'wal'), { recursive: true });
  writeFileSync(join(dir, 'db', 'data.bin'), randomBytes(3 * MiB + 17));
  writeFileSync(join(dir, 'db', 'log.txt'), Array.from({ length: 40_000 }, (_, i) => `line ${i} of the journal\n`).join(''));
  for (let i = 0; i < 30; i++) writeFileSync(join(dir, 'db', 'wal', `${String(i).padStart(4, '0')}.log`), randomBytes(100 + i * 37));
  writeFileSync(join(dir, 'empty'), '');
  symlinkSync('db/data.bin', join(dir, 'current'));
  return dir;
}

async function readObject(store: ObjectStore, key: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of await store.get(key)) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

async function firstPack(store: ObjectStore, keyspace: string): Promise<string> {
  for await (const o of store.list(packsPrefix(keyspace))) return o.key;
  throw new Error('no pack stored');
}

function refOf(backupId: string, app = 'web'): BackupRef {
  return { campaign: 'c1', namespace: 'shop', app, backupId };
}

function depsFor(store: ObjectStore, over: Partial<ActivityDeps> = {}): ActivityDeps {
  return {
    cluster: () => {
      throw new Error('this test reads no cluster');
    },
    store: () => store,
    progress: () => noProgress,
    now: () => new Date(),
    readyTimeoutMs: 1_000,
    ...over,
  };
}

const key = EncryptionKey.generate();
const keys = new KeyRing([key]);

describe.each(stores)('chunk mover on $name', ({ open }) => {
  it('restores incremental backups to the exact bytes; unchanged data uploads almost nothing', async () => {
    const store = open('incremental');
    const src = makeVolume();
    const mover = () => new ChunkMover({ store, keys, now: () => new Date() });

    const first = await mover().backup({ claim: 'data', dir: src, snapshotKey: snapshotKey(refOf('b1'), 'data') });
    expect(first.files).toBe(33);
    expect(first.newChunks).toBe(first.chunks);

    const second = await mover().backup({ claim: 'data', dir: src, snapshotKey: snapshotKey(refOf('b2'), 'data') });
    expect(second.newChunks).toBe(0);
    expect(second.uploadedBytes).toBeLessThan(second.bytes * 0.01);

    // one small file changed, one appended to: only their chunks go up
    writeFileSync(join(src, 'db', 'wal', '0003.log'), randomBytes(211));
    writeFileSync(join(src, 'db', 'log.txt'), 'appended\n', { flag: 'a' });
    const third = await mover().backup({ claim: 'data', dir: src, snapshotKey: snapshotKey(refOf('b3'), 'data') });
    expect(third.newChunks).toBeGreaterThan(0);
    expect(third.newChunks).toBeLessThanOrEqual(3);
    expect(third.uploadedBytes).toBeLessThan(third.bytes * 0.2);

    const dst = tempDir('dst');
    const restored = await mover().restore({ snapshot: third.snapshot, dir: dst });
    expect(restored.files).toBe(33);
    expect(await digestDirectory(dst)).toEqual(await digestDirectory(src));
    expect(readlinkSync(join(dst, 'current'))).toBe('db/data.bin');
    expect(readFileSync(join(dst, 'empty')).length).toBe(0);
    // a retried restore finds every file in place and writes nothing
    expect((await mover().restore({ snapshot: third.snapshot, dir: dst })).alreadyInPlace).toBe(33);
    expect((await readdir(join(dst, 'db'))).filter((f) => f.includes('ferry-partial'))).toEqual([]);
  });

  it('refuses a flipped byte in a pack or a snapshot, and a truncated pack, naming the object', async () => {
    const store = open('damage');
    const src = makeVolume();
    const mover = new ChunkMover({ store, keys, now: () => new Date() });
    const done = await mover.backup({ claim: 'data', dir: src, snapshotKey: snapshotKey(refOf('b1'), 'data') });
    const packKey = await firstPack(store, `key-${key.id}`);
    const pack = await readObject(store, packKey);

    const flipped = Buffer.from(pack);
    flipped[Math.floor(flipped.length / 2)] ^= 0x01;
    await store.put(packKey, flipped);
    const dst = tempDir('dst');
    const err = await mover.restore({ snapshot: done.snapshot, dir: dst }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChecksumMismatch);
    expect((err as Error).message).toContain(packKey);
    // nothing unverified took a file's name
    expect((await digestDirectory(dst)).length).toBe(0);

    await store.put(packKey, pack.subarray(0, pack.length - 1000));
    const truncated = await mover.restore({ snapshot: done.snapshot, dir: tempDir('dst') }).catch((e: unknown) => e);
    expect(truncated).toBeInstanceOf(BackupIncomplete);
    expect((truncated as Error).message).toContain(packKey);
    await store.put(packKey, pack);

    const snap = await readObject(store, done.snapshot.key);
    const badSnap = Buffer.from(snap);
    badSnap[badSnap.length - 5] ^= 0x80;
    await store.put(done.snapshot.key, badSnap);
    const snapErr = await mover.restore({ snapshot: done.snapshot, dir: tempDir('dst') }).catch((e: unknown) => e);
    expect(snapErr).toBeInstanceOf(ChecksumMismatch);
    expect((snapErr as Error).message).toContain(done.snapshot.key);
  });

  it('refuses a backup whose index is missing or whose objects are truncated, before restoring anything', async () => {
    const store = open('incomplete');
    const ref = refOf('b1');
    const deps = depsFor(store, { encryption: keys });
    const { sealBackup } = createBackupActivities(deps);
    const manifests = await writeManifests(store, ref, 'src', objects(), { keys });
    const summary = await new ChunkMover({ store, keys, now: () => new Date() }).backup({
      claim: 'data',
      dir: makeVolume(),
      snapshotKey: snapshotKey(ref, 'data'),
    });
    const volume: VolumeBackup = {
      claim: 'data',
      snapshot: summary.snapshot,
      files: 1,
      bytes: 1,
      uploadedBytes: 1,
      chunks: 1,
      newChunks: 1,
    };
    // no index yet: the backup is incomplete
    await expect(readIndex(store, ref)).rejects.toThrow(BackupIncomplete);
    await expect(readManifests(store, ref)).rejects.toThrow(/missing its index/);

    // a snapshot cut short is refused by seal, by key
    const body = await readObject(store, summary.snapshot.key);
    await store.put(summary.snapshot.key, body.subarray(0, body.length - 10));
    const sealErr = await sealBackup({ ...ref, appId: 'shop/web', storeUrl: store.url, source: 'src', manifests, volumes: [volume] }).catch(
      (e: unknown) => e,
    );
    expect((sealErr as Error).message).toMatch(new RegExp(`${summary.snapshot.key}.*size ${body.length - 10}, expected ${body.length}`));
    expect(await store.head(indexKey(ref))).toBeUndefined();
  });

  it('encrypts Secrets and volume data; a worker without the key is refused, naming the key id only', async () => {
    const store = open('crypto');
    const ref = refOf('b1');
    await writeManifests(store, ref, 'src', objects(), { keys });
    const { sealBackup } = createBackupActivities(depsFor(store, { encryption: keys }));
    const manifests = await writeManifests(store, ref, 'src', objects(), { keys });
    await sealBackup({ ...ref, appId: 'shop/web', storeUrl: store.url, source: 'src', manifests, volumes: [] });
    expect((await readIndex(store, ref)).encryption).toEqual({ encryption: 'AES-256-GCM', keyId: key.id });

    const stored = (await readObject(store, manifests.manifests.key)).toString('latin1');
    expect(stored).not.toContain(Buffer.from('hunter2').toString('base64'));
    const { doc } = await readManifests(store, ref, { keys });
    const secret = doc.objects.find((o) => o.kind === 'Secret');
    expect(secret?.data).toEqual({ password: Buffer.from('hunter2').toString('base64') });

    const other = new KeyRing([EncryptionKey.generate()]);
    const err = await readManifests(store, ref, { keys: other }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeyUnavailable);
    expect((err as Error).message).toContain(key.id);
    await expect(readManifests(store, ref, { keys: undefined })).rejects.toThrow(KeyUnavailable);

    const src = makeVolume();
    const done = await new ChunkMover({ store, keys, now: () => new Date() }).backup({
      claim: 'data',
      dir: src,
      snapshotKey: snapshotKey(ref, 'data'),
    });
    const wrong = await new ChunkMover({ store, keys: other, now: () => new Date() })
      .restore({ snapshot: done.snapshot, dir: tempDir('dst') })
      .catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(KeyUnavailable);
    expect((wrong as Error).message).toContain(key.id);
    // a pack holds no plaintext
    const pack = await readObject(store, await firstPack(store, `key-${key.id}`));
    expect(pack.includes(Buffer.from('line 1 of the journal'))).toBe(false);
  });

  it('retention deletes exactly the expired backups, and GC only the packs nothing references', async () => {
    const store = open('retention');
    const day = 24 * 60 * 60 * 1000;
    // completion times are the activities' clock; the store's own timestamps are real ones
    const t0 = Date.now() - 20 * day;
    const src = makeVolume();
    // five daily backups; the oldest two hold a file the later ones no longer have
    writeFileSync(join(src, 'old-only.bin'), randomBytes(6 * MiB));
    for (let i = 0; i < 5; i++) {
      if (i === 2) rmSync(join(src, 'old-only.bin'));
      const now = () => new Date(t0 + i * day);
      const ref = refOf(`b${i}`);
      const manifests = await writeManifests(store, ref, 'src', objects(), { keys });
      // small packs, so that the old file's chunks sit in packs of their own
      const s = await new ChunkMover({ store, keys, now, packTarget: MiB }).backup({
        claim: 'data',
        dir: src,
        snapshotKey: snapshotKey(ref, 'data'),
      });
      const volume: VolumeBackup = {
        claim: 'data',
        snapshot: s.snapshot,
        files: s.files,
        bytes: s.bytes,
        uploadedBytes: 0,
        chunks: 0,
        newChunks: 0,
      };
      const deps = depsFor(store, { encryption: keys, now });
      await createBackupActivities(deps).sealBackup({
        ...ref,
        appId: 'shop/web',
        storeUrl: store.url,
        source: 'src',
        manifests,
        volumes: [volume],
      });
    }
    // a backup abandoned before its index was written
    await writeManifests(store, refOf('abandoned'), 'src', objects(), { keys });
    const packsBefore = await countPacks(store);

    const now = () => new Date(Date.now() + 3 * day);
    const expired = ['c1/shop/web/abandoned', 'c1/shop/web/b0', 'c1/shop/web/b1', 'c1/shop/web/b2'];
    const dry = await pruneBackups(store, { policy: { keepLast: 2 }, keys, now, dryRun: true, packGraceMs: 0 });
    expect([...dry.deleted].sort()).toEqual(expired);
    expect(await countPacks(store)).toBe(packsBefore);

    const result = await pruneBackups(store, { policy: { keepLast: 2 }, keys, now, packGraceMs: 0 });
    expect([...result.deleted].sort()).toEqual(expired);
    expect(result.kept).toBe(2);
    for (const gone of ['b0', 'b1', 'b2']) await expect(readIndex(store, refOf(gone))).rejects.toThrow(BackupIncomplete);
    await expect(readIndex(store, refOf('b3'))).resolves.toBeDefined();
    // the packs holding only old-only.bin went; everything the kept backups use is still restorable
    expect(result.gc.map((g) => g.skipped)).toEqual([undefined]);
    expect(result.gc.reduce((n, g) => n + g.deletedPacks, 0)).toBeGreaterThan(0);
    expect(await countPacks(store)).toBe(packsBefore - result.gc.reduce((n, g) => n + g.deletedPacks, 0));
    const kept = await readIndex(store, refOf('b4'));
    const dst = tempDir('dst');
    await new ChunkMover({ store, keys, now }).restore({ snapshot: kept.volumes[0].snapshot, dir: dst });
    expect(await digestDirectory(dst)).toEqual(await digestDirectory(src));
  });
});

describe('object lock on S3', () => {
  it('a locked backup survives a delete attempt and is kept by retention', async () => {
    const store = stores[0].open('locked');
    const policy = { days: 0.01 };
    const plan = lockPlan(policy, store.capabilities, new Date());
    expect(plan).toBeDefined();
    const ref = refOf('locked');
    const deps = depsFor(store, { encryption: keys, backupLock: policy });
    const manifests = await writeManifests(store, ref, 'src', objects(), { keys, retainUntil: plan?.backupUntil });
    const s = await new ChunkMover({ store, keys, now: () => new Date(), lock: plan }).backup({
      claim: 'data',
      dir: makeVolume(),
      snapshotKey: snapshotKey(ref, 'data'),
    });
    const volume: VolumeBackup = {
      claim: 'data',
      snapshot: s.snapshot,
      files: s.files,
      bytes: s.bytes,
      uploadedBytes: 0,
      chunks: 0,
      newChunks: 0,
    };
    await createBackupActivities(deps).sealBackup({
      ...ref,
      appId: 'shop/web',
      storeUrl: store.url,
      source: 'src',
      manifests,
      volumes: [volume],
    });
    expect((await readIndex(store, ref)).retainUntil).toBeDefined();

    for (const k of [indexKey(ref), manifests.manifests.key, s.snapshot.key, await firstPack(store, `key-${key.id}`)]) {
      await expect(store.delete(k)).rejects.toThrow(ObjectLocked);
    }
    // a newer backup makes this one expired by count; a year later by the clock, but the store still locks it
    const newer = refOf('newer');
    const later = () => new Date(Date.now() + 60_000);
    const newerManifests = await writeManifests(store, newer, 'src', objects(), { keys });
    await createBackupActivities(depsFor(store, { encryption: keys, now: later })).sealBackup({
      ...newer,
      appId: 'shop/web',
      storeUrl: store.url,
      source: 'src',
      manifests: newerManifests,
      volumes: [],
    });
    const result = await pruneBackups(store, {
      policy: { keepLast: 1 },
      keys,
      now: () => new Date(Date.now() + 365 * 24 * 3600_000),
      packGraceMs: 0,
    });
    expect(result.locked).toEqual(['c1/shop/web/locked']);
    expect(result.deleted).toEqual([]);
    expect(await readIndex(store, ref)).toBeDefined();
    const dst = tempDir('dst');
    await new ChunkMover({ store, keys, now: () => new Date() }).restore({ snapshot: s.snapshot, dir: dst });
    expect((await digestDirectory(dst)).length).toBe(s.files);
  });
});

function objects(): KubeObject[] {
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop' }, data: { mode: 'fast' } },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db', namespace: 'shop' },
      type: 'Opaque',
      data: { password: Buffer.from('hunter2').toString('base64') },
    },
  ];
}

async function countPacks(store: ObjectStore): Promise<number> {
  let n = 0;
  for await (const o of store.list(packsPrefix(`key-${key.id}`))) if (o.size >= 0) n++;
  return n;
}
