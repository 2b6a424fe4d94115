// Pruning a store: delete the backups retention expired (never a locked one; the index first, so a
// half-deleted backup reads as incomplete), then garbage-collect packs no remaining snapshot references.
// Usable as an activity (`pruneBackups`) and directly from a CLI command.
import type { ActivityDeps } from '../deps.js';
import { BlobCodec, documentHeader } from '../movers/blob-codec.js';
import { readAll } from '../movers/repository.js';
import { acquireLock, defaultLockTiming, type LockTiming, RepositoryLocked } from '../movers/repository-lock.js';
import { type Snapshot, snapshotKind } from '../movers/snapshot.js';
import {
  backupPrefix,
  indexKey,
  packIndexKey,
  packsPrefix,
  parseBackupObjectKey,
  parsePackKey,
  parseSnapshotKey,
} from '../stores/layout.js';
import { type ObjectInfo, ObjectLocked, type ObjectStore } from '../stores/object-store.js';
import type { BackupIndex } from './backup-activities.js';
import type { KeyRing } from './encryption.js';
import { permanentFailures } from './permanent.js';
import { type BackupFacts, checkRetentionPolicy, type RetentionPolicy, selectExpired, type Verdict } from './retention.js';

export interface PruneOptions {
  readonly policy: RetentionPolicy;
  /** Decide and report, delete nothing. */
  readonly dryRun?: boolean;
  /** Keys to read encrypted snapshots with: a keyspace whose snapshots cannot all be read is not swept. */
  readonly keys?: KeyRing;
  readonly now: () => Date;
  /**
   * Only packs older than this are swept: a pack just written belongs to a backup whose snapshot is not
   * stored yet. Repository locks already keep GC away from running backups; this covers clock skew.
   */
  readonly packGraceMs?: number;
  readonly lockTiming?: LockTiming;
  readonly onProgress?: (p: { step: string; done: number }) => void;
}

export interface GcResult {
  readonly keyspace: string;
  readonly referencedPacks: number;
  readonly deletedPacks: number;
  readonly freedBytes: number;
  /** Unreferenced but written within the grace period, or locked by the store. */
  readonly keptYoung: number;
  readonly keptLocked: number;
  /** Why this keyspace was not swept (a snapshot that cannot be read, a backup holding the repository). */
  readonly skipped?: string;
}

export interface PruneResult {
  readonly backups: number;
  readonly kept: number;
  /** `<campaign>/<namespace>/<app>/<backupId>` of each deleted backup (of each that would be, in a dry run), at most 100. */
  readonly deleted: readonly string[];
  readonly deletedCount: number;
  /** Expired but locked by the store: kept. */
  readonly locked: readonly string[];
  readonly gc: readonly GcResult[];
  readonly warnings: readonly string[];
}

export const defaultPackGraceMs = 6 * 60 * 60 * 1000;
const maxListed = 100;

interface StoredBackup {
  facts: BackupFacts;
  keys: string[];
}

const label = (v: Pick<Verdict, 'ref'>) => `${v.ref.campaign}/${v.ref.namespace}/${v.ref.app}/${v.ref.backupId}`;

/** Every backup in the store (complete or not), from one listing of `campaigns/` plus each index. */
async function storedBackups(store: ObjectStore, warnings: string[]): Promise<Map<string, StoredBackup>> {
  const found = new Map<string, { ref: StoredBackup['facts']['ref']; objects: ObjectInfo[] }>();
  for await (const o of store.list('campaigns/')) {
    const ref = parseBackupObjectKey(o.key);
    if (!ref) continue;
    const id = backupPrefix(ref);
    const entry = found.get(id) ?? { ref, objects: [] };
    entry.objects.push(o);
    found.set(id, entry);
  }
  const out = new Map<string, StoredBackup>();
  for (const [id, { ref, objects }] of found) {
    const lastWriteAt = new Date(Math.max(0, ...objects.map((o) => o.lastModified?.getTime() ?? 0))).toISOString();
    const keys = objects.map((o) => o.key);
    let facts: BackupFacts = { ref, lastWriteAt };
    if (keys.includes(indexKey(ref))) {
      try {
        const index = JSON.parse((await readAll(store, indexKey(ref))).toString('utf8')) as BackupIndex;
        facts = { ...facts, completedAt: index.completedAt, ...(index.retainUntil ? { retainUntil: index.retainUntil } : {}) };
      } catch (e) {
        // an unreadable index: keep the backup (it may be complete), say so
        warnings.push(`${store.url} key ${indexKey(ref)}: unreadable index, backup kept (${e instanceof Error ? e.message : String(e)})`);
        facts = { ...facts, completedAt: lastWriteAt, retainUntil: '9999-12-31T23:59:59.999Z' };
      }
    }
    out.set(id, { facts, keys });
  }
  return out;
}

/** Deletes one backup, index first; false (nothing deleted) when the store refuses because of a lock. */
async function deleteBackup(store: ObjectStore, b: StoredBackup, warnings: string[]): Promise<boolean> {
  const index = indexKey(b.facts.ref);
  try {
    if (b.keys.includes(index)) await store.delete(index);
  } catch (e) {
    if (e instanceof ObjectLocked) return false;
    throw e;
  }
  for (const key of b.keys.filter((k) => k !== index)) {
    try {
      await store.delete(key);
    } catch (e) {
      if (!(e instanceof ObjectLocked)) throw e;
      warnings.push(`${store.url} key ${key}: locked, left in place (its backup's index is deleted)`);
    }
  }
  return true;
}

export async function pruneBackups(store: ObjectStore, opts: PruneOptions): Promise<PruneResult> {
  checkRetentionPolicy(opts.policy);
  const warnings: string[] = [];
  const now = opts.now();
  const backups = await storedBackups(store, warnings);
  const verdicts = selectExpired(
    [...backups.values()].map((b) => b.facts),
    opts.policy,
    now,
  );
  const deleted: string[] = [];
  const locked: string[] = [];
  for (const v of verdicts.filter((x) => x.action === 'delete')) {
    opts.onProgress?.({ step: 'delete backups', done: deleted.length });
    if (opts.dryRun) {
      deleted.push(label(v));
      continue;
    }
    const id = backupPrefix(v.ref);
    if (await deleteBackup(store, backups.get(id)!, warnings)) {
      deleted.push(label(v));
      backups.delete(id);
    } else locked.push(label(v));
  }
  const gc = opts.dryRun ? [] : await collectGarbage(store, opts, warnings);
  return {
    backups: verdicts.length,
    kept: verdicts.length - deleted.length,
    deleted: deleted.slice(0, maxListed),
    deletedCount: deleted.length,
    locked: locked.slice(0, maxListed),
    gc,
    warnings: warnings.slice(0, maxListed),
  };
}

/** Mark (every pack a remaining snapshot names) and sweep (unreferenced packs past the grace period), per keyspace. */
async function collectGarbage(store: ObjectStore, opts: PruneOptions, warnings: string[]): Promise<GcResult[]> {
  const keyspaces = new Set<string>();
  for await (const o of store.list('repository/')) {
    const ks = /^repository\/([^/]+)\//.exec(o.key)?.[1];
    if (ks) keyspaces.add(ks);
  }
  const results: GcResult[] = [];
  for (const keyspace of [...keyspaces].sort()) {
    let lock: Awaited<ReturnType<typeof acquireLock>>;
    try {
      lock = await acquireLock(store, keyspace, 'exclusive', 'ferry prune', opts.now, opts.lockTiming ?? defaultLockTiming);
    } catch (e) {
      if (!(e instanceof RepositoryLocked)) throw e;
      results.push(skippedGc(keyspace, `a backup holds the repository (${e.holders.join(', ')}); run prune again later`));
      continue;
    }
    try {
      results.push(await sweepKeyspace(store, keyspace, opts, warnings));
    } finally {
      await lock.release();
    }
  }
  return results;
}

function skippedGc(keyspace: string, reason: string): GcResult {
  return { keyspace, referencedPacks: 0, deletedPacks: 0, freedBytes: 0, keptYoung: 0, keptLocked: 0, skipped: reason };
}

async function sweepKeyspace(store: ObjectStore, keyspace: string, opts: PruneOptions, warnings: string[]): Promise<GcResult> {
  // mark, under the exclusive lock and from a fresh listing: a backup that finished since the
  // retention pass holds references too, and none can add one meanwhile
  const referenced = new Set<string>();
  const snapshots: string[] = [];
  for await (const o of store.list('campaigns/')) if (parseSnapshotKey(o.key)) snapshots.push(o.key);
  let marked = 0;
  for (const key of snapshots) {
    opts.onProgress?.({ step: `mark ${keyspace}`, done: marked++ });
    let body: Buffer;
    try {
      body = await readAll(store, key);
    } catch (e) {
      return skippedGc(keyspace, `snapshot ${key} cannot be read (${e instanceof Error ? e.message : String(e)}): nothing is swept`);
    }
    const header = documentHeader(body);
    const space = header?.encryption === 'AES-256-GCM' ? `key-${header.keyId}` : header ? 'plain' : undefined;
    if (space !== keyspace) {
      if (space === undefined) return skippedGc(keyspace, `snapshot ${key} has no header: nothing is swept`);
      continue;
    }
    let snapshot: Snapshot;
    try {
      const key0 = header?.keyId === undefined ? undefined : opts.keys?.require(header.keyId, `${store.url} key ${key}`);
      snapshot = new BlobCodec({ key: key0 }).openDocument<Snapshot>(snapshotKind, body, `${store.url} key ${key}`);
    } catch (e) {
      // a snapshot nobody here can read may reference any pack: sweeping would risk it
      return skippedGc(keyspace, `snapshot ${key} cannot be opened (${e instanceof Error ? e.message : String(e)}): nothing is swept`);
    }
    for (const p of snapshot.packs) referenced.add(p.id);
  }
  const grace = opts.packGraceMs ?? defaultPackGraceMs;
  const now = opts.now().getTime();
  let deletedPacks = 0;
  let freedBytes = 0;
  let keptYoung = 0;
  let keptLocked = 0;
  const packs: ObjectInfo[] = [];
  for await (const o of store.list(packsPrefix(keyspace))) packs.push(o);
  for (const o of packs) {
    const parsed = parsePackKey(o.key);
    if (!parsed || referenced.has(parsed.packId)) continue;
    if (o.lastModified === undefined || now - o.lastModified.getTime() < grace) {
      keptYoung++;
      continue;
    }
    opts.onProgress?.({ step: `sweep ${keyspace}`, done: deletedPacks });
    try {
      // the index first: once it is gone no backup can pick the pack for reuse
      await store.delete(packIndexKey(keyspace, parsed.packId));
      await store.delete(o.key);
      deletedPacks++;
      freedBytes += o.size;
    } catch (e) {
      if (!(e instanceof ObjectLocked)) throw e;
      keptLocked++;
    }
  }
  if (keptLocked > 0)
    warnings.push(`${store.url} repository ${keyspace}: ${keptLocked} unreferenced pack(s) still locked by the store, kept`);
  return { keyspace, referencedPacks: referenced.size, deletedPacks, freedBytes, keptYoung, keptLocked };
}

export function createPruneActivities(deps: ActivityDeps) {
  return {
    /** Applies a retention policy to a store and collects unreferenced packs; the result lists what went. */
    async pruneBackups(input: { storeUrl: string; policy: RetentionPolicy; dryRun?: boolean; packGraceMs?: number }): Promise<PruneResult> {
      const progress = deps.progress();
      return permanentFailures(() =>
        pruneBackups(deps.store(input.storeUrl), {
          policy: input.policy,
          dryRun: input.dryRun,
          packGraceMs: input.packGraceMs,
          keys: deps.encryption,
          now: deps.now,
          onProgress: (p) => progress.heartbeat(p),
        }),
      );
    },
  };
}
