// How a long activity reports progress and finds where a previous attempt stopped.
import { Context } from '@temporalio/activity';

export interface Progress {
  heartbeat(details?: unknown): void;
  /** What the last attempt heartbeated, to resume from there. */
  lastDetails<T>(): T | undefined;
}

export function temporalProgress(): Progress {
  const ctx = Context.current();
  return {
    heartbeat: (d) => ctx.heartbeat(d),
    lastDetails: <T>() => ctx.info.heartbeatDetails as T | undefined,
  };
}

/** For code that runs outside an activity (CLI dry runs, tests of pure paths). */
export const noProgress: Progress = { heartbeat: () => undefined, lastDetails: () => undefined };
