// How long a backup's objects are locked (S3 Object Lock and the like), as data: the backup's own
// objects for the retention period, packs longer so that later backups can reuse them. Pure.
import type { ObjectLockPlan } from '../movers/chunk-mover.js';
import type { StoreCapabilities } from '../stores/object-store.js';

export interface BackupLockPolicy {
  /** Every object of a backup (index, manifests, snapshots, the packs it writes) is locked this many days. */
  readonly days: number;
  /**
   * Packs are locked this many days longer, and a backup reuses a stored chunk only from a pack locked at
   * least as long as itself: the port cannot extend a lock, so a pack stays reusable for this window, after
   * which changed-or-not chunks are stored again once. Default: `days`.
   */
  readonly packReuseDays?: number;
}

export class InvalidLockPolicy extends Error {
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`backup lock policy: ${field}: ${problem}`);
    this.name = 'InvalidLockPolicy';
  }
}

const dayMs = 24 * 60 * 60 * 1000;

export function checkLockPolicy(p: BackupLockPolicy): BackupLockPolicy {
  if (!(p.days > 0) || !Number.isFinite(p.days)) throw new InvalidLockPolicy('days', `must be a positive number, got ${p.days}`);
  if (p.packReuseDays !== undefined && !(p.packReuseDays >= 0 && Number.isFinite(p.packReuseDays))) {
    throw new InvalidLockPolicy('packReuseDays', `must be zero or more, got ${p.packReuseDays}`);
  }
  return p;
}

/** The lock dates for a backup taken `now`, or undefined when no policy is set or the store cannot lock. */
export function lockPlan(policy: BackupLockPolicy | undefined, capabilities: StoreCapabilities, now: Date): ObjectLockPlan | undefined {
  if (!policy || !capabilities.retention) return undefined;
  const backupUntil = new Date(now.getTime() + policy.days * dayMs);
  return { backupUntil, packsUntil: new Date(backupUntil.getTime() + (policy.packReuseDays ?? policy.days) * dayMs) };
}
