// Repository locks: backups hold shared locks while they may reuse existing packs, garbage collection
// an exclusive one while it deletes packs, so a pack is never swept from under a backup that reuses it.
// The protocol is restic's: write your lock, then look at the others; whoever sees a conflict backs off.
import { randomUUID } from 'node:crypto';
import { repositoryLockKey, repositoryLocksPrefix } from '../stores/layout.js';
import type { ObjectInfo, ObjectStore } from '../stores/object-store.js';

export type LockKind = 'shared' | 'exclusive';

/** Another holder has the repository; retryable: the holder finishes or its lock goes stale. */
export class RepositoryLocked extends Error {
  constructor(
    readonly storeUrl: string,
    readonly keyspace: string,
    readonly wanted: LockKind,
    readonly holders: readonly string[],
  ) {
    super(`${storeUrl}: repository ${keyspace} is locked (${holders.join(', ')}); cannot take a ${wanted} lock now, retry later`);
    this.name = 'RepositoryLocked';
  }
}

export interface LockTiming {
  /** A lock not refreshed for this long belongs to a holder that died; it is ignored (and removed by GC). */
  readonly staleAfterMs: number;
  /** Holders refresh their lock this often. */
  readonly refreshEveryMs: number;
}

export const defaultLockTiming: LockTiming = { staleAfterMs: 30 * 60_000, refreshEveryMs: 5 * 60_000 };

export interface ListedLock {
  readonly name: string;
  readonly kind: LockKind;
  readonly lastModified: Date | undefined;
}

/** Lock names: `<kind>-<uuid>`; anything else under locks/ is not a lock and is ignored. */
export function parseLockName(name: string): LockKind | undefined {
  const m = /^(shared|exclusive)-[0-9a-f-]{36}$/.exec(name);
  return m ? (m[1] as LockKind) : undefined;
}

export function isStale(lock: ListedLock, now: Date, timing: LockTiming): boolean {
  // a lock whose age the store does not report is treated as fresh: waiting is safe, sweeping is not
  return lock.lastModified !== undefined && now.getTime() - lock.lastModified.getTime() > timing.staleAfterMs;
}

/** The fresh locks that forbid `own`: any other for an exclusive lock, exclusive ones for a shared lock. Pure. */
export function conflictingLocks(
  own: { name: string; kind: LockKind },
  locks: readonly ListedLock[],
  now: Date,
  timing: LockTiming,
): ListedLock[] {
  return locks
    .filter((l) => l.name !== own.name && !isStale(l, now, timing))
    .filter((l) => own.kind === 'exclusive' || l.kind === 'exclusive')
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

export interface RepositoryLock {
  readonly name: string;
  /** Re-writes the lock when a refresh is due (cheap to call often). */
  refreshIfDue(): Promise<void>;
  release(): Promise<void>;
}

export async function listLocks(store: ObjectStore, keyspace: string): Promise<(ListedLock & { key: string })[]> {
  const prefix = repositoryLocksPrefix(keyspace);
  const out: (ListedLock & { key: string })[] = [];
  for await (const o of store.list(prefix) as AsyncIterable<ObjectInfo>) {
    const name = o.key.slice(prefix.length);
    const kind = parseLockName(name);
    if (kind) out.push({ key: o.key, name, kind, lastModified: o.lastModified });
  }
  return out;
}

/** Takes a lock or throws RepositoryLocked; `holder` says who holds it (no secrets: it is stored in clear). */
export async function acquireLock(
  store: ObjectStore,
  keyspace: string,
  kind: LockKind,
  holder: string,
  now: () => Date,
  timing: LockTiming = defaultLockTiming,
): Promise<RepositoryLock> {
  const name = `${kind}-${randomUUID()}`;
  const key = repositoryLockKey(keyspace, name);
  const write = () => store.put(key, JSON.stringify({ kind, holder, at: now().toISOString() }), { contentType: 'application/json' });
  await write();
  let refreshed = now().getTime();
  const conflicts = conflictingLocks({ name, kind }, await listLocks(store, keyspace), now(), timing);
  if (conflicts.length > 0) {
    await store.delete(key);
    throw new RepositoryLocked(
      store.url,
      keyspace,
      kind,
      conflicts.map((c) => c.name),
    );
  }
  return {
    name,
    async refreshIfDue() {
      if (now().getTime() - refreshed < timing.refreshEveryMs) return;
      await write();
      refreshed = now().getTime();
    },
    release: () => store.delete(key),
  };
}
