// Retention as a pure decision: which backups of each app to keep (the last N, those of the last D days,
// always the newest complete one, anything still locked) and which have expired. Every verdict has a reason.
import type { BackupRef } from '../stores/layout.js';

export interface RetentionPolicy {
  /** Keep the newest N complete backups of each app. */
  readonly keepLast?: number;
  /** Keep every complete backup made within the last D days. */
  readonly keepDays?: number;
  /** An incomplete backup (no index) whose last write is older than this is abandoned and deleted; default 2 days. */
  readonly incompleteAfterDays?: number;
}

export class InvalidRetentionPolicy extends Error {
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`retention policy: ${field}: ${problem}`);
    this.name = 'InvalidRetentionPolicy';
  }
}

/** What retention needs to know of one backup, read from its index and its objects' listing. */
export interface BackupFacts {
  readonly ref: BackupRef;
  /** From the index; undefined for an incomplete backup. */
  readonly completedAt?: string;
  /** The newest object's last-modified time: how recently an incomplete backup was still being written. */
  readonly lastWriteAt: string;
  /** From the index: the store refuses to delete it before then. */
  readonly retainUntil?: string;
}

export interface Verdict {
  readonly ref: BackupRef;
  readonly action: 'keep' | 'delete';
  readonly reason: string;
}

const dayMs = 24 * 60 * 60 * 1000;
export const defaultIncompleteAfterDays = 2;

export function checkRetentionPolicy(p: RetentionPolicy): RetentionPolicy {
  if (p.keepLast === undefined && p.keepDays === undefined) {
    throw new InvalidRetentionPolicy('keepLast/keepDays', 'set at least one: a policy that keeps nothing would delete every backup');
  }
  if (p.keepLast !== undefined && !(Number.isInteger(p.keepLast) && p.keepLast >= 1)) {
    throw new InvalidRetentionPolicy('keepLast', `must be a whole number of at least 1, got ${p.keepLast}`);
  }
  if (p.keepDays !== undefined && !(p.keepDays > 0 && Number.isFinite(p.keepDays))) {
    throw new InvalidRetentionPolicy('keepDays', `must be a positive number, got ${p.keepDays}`);
  }
  if (p.incompleteAfterDays !== undefined && !(p.incompleteAfterDays > 0 && Number.isFinite(p.incompleteAfterDays))) {
    throw new InvalidRetentionPolicy('incompleteAfterDays', `must be a positive number, got ${p.incompleteAfterDays}`);
  }
  return p;
}

/** Backups are an app's across campaigns and drills: a DR drill of the same app counts towards its last N. */
export const appOf = (ref: BackupRef) => `${ref.namespace}/${ref.app}`;

const describe = (ref: BackupRef) => `${ref.campaign}/${appOf(ref)}/${ref.backupId}`;

/** The verdict for every backup, sorted by app then newest first. Pure. */
export function selectExpired(backups: readonly BackupFacts[], policy: RetentionPolicy, now: Date): Verdict[] {
  checkRetentionPolicy(policy);
  const byApp = new Map<string, BackupFacts[]>();
  for (const b of backups) byApp.set(appOf(b.ref), [...(byApp.get(appOf(b.ref)) ?? []), b]);
  const verdicts: Verdict[] = [];
  for (const app of [...byApp.keys()].sort()) {
    const all = byApp.get(app)!;
    const complete = all
      .filter((b) => b.completedAt !== undefined)
      .sort((a, b) => cmp(b.completedAt!, a.completedAt!) || cmp(describe(b.ref), describe(a.ref)));
    complete.forEach((b, rank) => {
      verdicts.push({ ref: b.ref, ...judgeComplete(b, rank, policy, now) });
    });
    const incomplete = all.filter((b) => b.completedAt === undefined).sort((a, b) => cmp(b.lastWriteAt, a.lastWriteAt));
    const grace = (policy.incompleteAfterDays ?? defaultIncompleteAfterDays) * dayMs;
    for (const b of incomplete) {
      const locked = lockedReason(b, now);
      if (locked) verdicts.push({ ref: b.ref, action: 'keep', reason: locked });
      else if (now.getTime() - Date.parse(b.lastWriteAt) > grace) {
        verdicts.push({ ref: b.ref, action: 'delete', reason: `incomplete (no index), last written ${b.lastWriteAt}: abandoned` });
      } else
        verdicts.push({
          ref: b.ref,
          action: 'keep',
          reason: `incomplete (no index), last written ${b.lastWriteAt}: may still be in progress`,
        });
    }
  }
  return verdicts;
}

function judgeComplete(b: BackupFacts, rank: number, policy: RetentionPolicy, now: Date): Omit<Verdict, 'ref'> {
  const locked = lockedReason(b, now);
  if (locked) return { action: 'keep', reason: locked };
  if (rank === 0) return { action: 'keep', reason: 'the newest complete backup of the app' };
  if (policy.keepLast !== undefined && rank < policy.keepLast) return { action: 'keep', reason: `among the last ${policy.keepLast}` };
  const age = now.getTime() - Date.parse(b.completedAt!);
  if (policy.keepDays !== undefined && age <= policy.keepDays * dayMs)
    return { action: 'keep', reason: `within the last ${policy.keepDays} day(s)` };
  const rules = [
    policy.keepLast !== undefined ? `not among the last ${policy.keepLast}` : '',
    policy.keepDays !== undefined ? `older than ${policy.keepDays} day(s)` : '',
  ]
    .filter((r) => r !== '')
    .join(' and ');
  return { action: 'delete', reason: `expired: ${rules}` };
}

function lockedReason(b: BackupFacts, now: Date): string | undefined {
  return b.retainUntil !== undefined && Date.parse(b.retainUntil) > now.getTime()
    ? `locked by the store until ${b.retainUntil}`
    : undefined;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
