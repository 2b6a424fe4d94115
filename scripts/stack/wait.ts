// Waiting on a condition with a deadline: the only way the stack waits for anything.
import { connect } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

export class DeadlineExceeded extends Error {
  constructor(
    readonly what: string,
    readonly timeoutMs: number,
    readonly lastError?: unknown,
  ) {
    super(`${what} not ready within ${Math.round(timeoutMs / 1000)}s${lastError ? `: ${describe(lastError)}` : ''}`);
    this.name = 'DeadlineExceeded';
  }
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Polls `probe` until it returns a value other than undefined/false, or throws DeadlineExceeded. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  opts: { timeoutMs: number; intervalMs?: number; abort?: () => string | undefined },
): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  let interval = opts.intervalMs ?? 100;
  let lastError: unknown;
  for (;;) {
    const aborted = opts.abort?.();
    if (aborted) throw new Error(`${what}: ${aborted}`);
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v as T;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() >= deadline) throw new DeadlineExceeded(what, opts.timeoutMs, lastError);
    await delay(interval);
    interval = Math.min(interval * 1.5, 1000);
  }
}

export function tcpOpen(port: number, host = '127.0.0.1', timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ port, host });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}
