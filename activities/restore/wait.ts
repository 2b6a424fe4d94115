// Waiting inside an activity: poll a condition until a deadline, never a blind sleep.
import { setTimeout as delay } from 'node:timers/promises';

export class NotReadyInTime extends Error {
  constructor(
    readonly what: string,
    readonly timeoutMs: number,
    readonly detail?: string,
  ) {
    super(`${what}: not ready within ${Math.round(timeoutMs / 1000)}s${detail ? ` (${detail})` : ''}`);
    this.name = 'NotReadyInTime';
  }
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, detail?: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let interval = 200;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() >= deadline) throw new NotReadyInTime(what, timeoutMs, detail?.());
    await delay(interval);
    interval = Math.min(interval * 1.5, 2_000);
  }
}
