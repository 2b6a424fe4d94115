// Retention selection, table-driven: what each policy keeps and deletes, with its reason; never a locked
// backup, never an app's newest complete backup, incomplete ones only once abandoned.
import { describe, expect, it } from 'vitest';
import { checkLockPolicy, InvalidLockPolicy, lockPlan } from '../../../activities/backup/immutability.js';
import { type BackupFacts, InvalidRetentionPolicy, type RetentionPolicy, selectExpired } from '../../../activities/backup/retention.js';

const now = new Date('2026-03-31T00:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000).toISOString();
const backup = (id: string, ageDays: number | undefined, over: Partial<BackupFacts> = {}, app = 'web'): BackupFacts => ({
  ref: { campaign: 'c', namespace: 'shop', app, backupId: id },
  ...(ageDays === undefined ? {} : { completedAt: daysAgo(ageDays) }),
  lastWriteAt: daysAgo(ageDays ?? 0),
  ...over,
});
const deleted = (facts: BackupFacts[], policy: RetentionPolicy) =>
  selectExpired(facts, policy, now)
    .filter((v) => v.action === 'delete')
    .map((v) => v.ref.backupId);

const daily = [backup('d0', 0), backup('d1', 1), backup('d2', 2), backup('d5', 5), backup('d9', 9), backup('d30', 30)];

describe('selectExpired', () => {
  it.each([
    { name: 'keep the last 3', policy: { keepLast: 3 }, expected: ['d5', 'd9', 'd30'] },
    { name: 'keep 7 days', policy: { keepDays: 7 }, expected: ['d9', 'd30'] },
    { name: 'last 2 or 10 days (union)', policy: { keepLast: 2, keepDays: 10 }, expected: ['d30'] },
    { name: 'keep the last 100', policy: { keepLast: 100 }, expected: [] },
  ])('$name', ({ policy, expected }) => {
    expect(deleted(daily, policy)).toEqual(expected);
  });

  it('says why each backup is kept or deleted', () => {
    expect(
      selectExpired(daily.slice(0, 4), { keepLast: 2, keepDays: 1.5 }, now).map((v) => `${v.ref.backupId} ${v.action}: ${v.reason}`),
    ).toEqual([
      'd0 keep: the newest complete backup of the app',
      'd1 keep: among the last 2',
      'd2 delete: expired: not among the last 2 and older than 1.5 day(s)',
      'd5 delete: expired: not among the last 2 and older than 1.5 day(s)',
    ]);
  });

  it('never deletes a backup the store still locks, nor the newest complete one of an app', () => {
    const facts = [
      backup('new', 40),
      backup('locked', 50, { retainUntil: daysAgo(-1) }),
      backup('unlocked', 60, { retainUntil: daysAgo(1) }),
    ];
    const v = selectExpired(facts, { keepDays: 7 }, now);
    expect(v.map((x) => [x.ref.backupId, x.action])).toEqual([
      ['new', 'keep'],
      ['locked', 'keep'],
      ['unlocked', 'delete'],
    ]);
    expect(v[1].reason).toMatch(/^locked by the store until /);
  });

  it('deletes an incomplete backup only once it is abandoned (past the grace period)', () => {
    const facts = [
      backup('done', 0),
      backup('running', undefined, { lastWriteAt: daysAgo(0.5) }),
      backup('dead', undefined, { lastWriteAt: daysAgo(3) }),
    ];
    expect(deleted(facts, { keepLast: 5 })).toEqual(['dead']);
    expect(deleted(facts, { keepLast: 5, incompleteAfterDays: 0.25 })).toEqual(['running', 'dead']);
  });

  it('counts per app, across campaigns and drills', () => {
    const facts = [
      backup('a1', 1, {}, 'a'),
      backup('a2', 2, {}, 'a'),
      { ...backup('a3', 3, {}, 'a'), ref: { campaign: 'drill-7', namespace: 'shop', app: 'a', backupId: 'a3' } },
      backup('b1', 9, {}, 'b'),
    ];
    expect(deleted(facts, { keepLast: 1 })).toEqual(['a2', 'a3']);
  });

  it.each([
    { policy: {}, field: 'keepLast/keepDays' },
    { policy: { keepLast: 0 }, field: 'keepLast' },
    { policy: { keepLast: 1.5 }, field: 'keepLast' },
    { policy: { keepDays: -1 }, field: 'keepDays' },
    { policy: { keepLast: 1, incompleteAfterDays: 0 }, field: 'incompleteAfterDays' },
  ])('refuses policy $policy, naming $field', ({ policy, field }) => {
    const err = (() => {
      try {
        selectExpired(daily, policy, now);
      } catch (e) {
        return e as InvalidRetentionPolicy;
      }
    })();
    expect(err).toBeInstanceOf(InvalidRetentionPolicy);
    expect(err?.field).toBe(field);
  });
});

describe('lockPlan', () => {
  const locking = { retention: true, metadata: true };
  it('locks the backup for its days and packs for longer, on stores that can lock', () => {
    const plan = lockPlan({ days: 30 }, locking, now);
    expect(plan?.backupUntil.toISOString()).toBe('2026-04-30T00:00:00.000Z');
    expect(plan?.packsUntil.toISOString()).toBe('2026-05-30T00:00:00.000Z');
    expect(lockPlan({ days: 30, packReuseDays: 0 }, locking, now)?.packsUntil.toISOString()).toBe('2026-04-30T00:00:00.000Z');
  });

  it('plans no lock without a policy or on a store that cannot lock', () => {
    expect(lockPlan(undefined, locking, now)).toBeUndefined();
    expect(lockPlan({ days: 30 }, { retention: false, metadata: true }, now)).toBeUndefined();
  });

  it.each([{ days: 0 }, { days: Number.NaN }, { days: 1, packReuseDays: -1 }])('refuses %o', (p) => {
    expect(() => checkLockPolicy(p)).toThrow(InvalidLockPolicy);
  });
});
