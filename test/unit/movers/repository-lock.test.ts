// Repository lock decisions: an exclusive lock (GC) conflicts with any fresh lock, a shared one (backup)
// only with an exclusive one; locks not refreshed for long belong to dead holders and are ignored.
import { describe, expect, it } from 'vitest';
import { conflictingLocks, defaultLockTiming, type ListedLock, parseLockName } from '../../../activities/movers/repository-lock.js';

const now = new Date('2026-01-01T12:00:00Z');
const uuid = '0123abcd-0000-4000-8000-000000000000';
const lock = (kind: 'shared' | 'exclusive', n: number, minutesAgo: number | undefined): ListedLock => ({
  name: `${kind}-${uuid.slice(0, -1)}${n}`,
  kind,
  lastModified: minutesAgo === undefined ? undefined : new Date(now.getTime() - minutesAgo * 60_000),
});

describe('repository locks', () => {
  const others = [lock('shared', 1, 1), lock('exclusive', 2, 2), lock('shared', 3, 120), lock('exclusive', 4, undefined)];

  it('an exclusive lock conflicts with every fresh lock but its own', () => {
    const own = lock('exclusive', 5, 0);
    expect(conflictingLocks(own, [...others, own], now, defaultLockTiming).map((l) => l.name.slice(-1))).toEqual(['2', '4', '1']);
  });

  it('a shared lock conflicts with fresh exclusive locks only', () => {
    const own = lock('shared', 6, 0);
    expect(conflictingLocks(own, [...others, own], now, defaultLockTiming).map((l) => l.name.slice(-1))).toEqual(['2', '4']);
    expect(conflictingLocks(own, [lock('shared', 7, 0)], now, defaultLockTiming)).toEqual([]);
  });

  it('reads lock kinds from names and ignores anything else', () => {
    expect(parseLockName(`shared-${uuid}`)).toBe('shared');
    expect(parseLockName(`exclusive-${uuid}`)).toBe('exclusive');
    expect(parseLockName('shared-x')).toBeUndefined();
    expect(parseLockName(`readme-${uuid}`)).toBeUndefined();
  });
});
