// Which workflow run an activity works for, so what it writes for that run (a restore's report) gets the
// same name on every retry of the activity.
import { asyncLocalStorage } from '@temporalio/activity';

export interface ActivityExecution {
  readonly workflowId: string;
  readonly runId: string;
  /** 1 for the first attempt of the activity, 2 for its first retry, … */
  readonly attempt: number;
}

/** The current activity's workflow run; undefined outside an activity (a CLI, a benchmark, a test calling activities directly). */
export function temporalExecution(): ActivityExecution | undefined {
  // getStore() rather than Context.current(), which throws outside an activity
  const info = asyncLocalStorage.getStore()?.info;
  if (!info?.workflowExecution) return undefined;
  return { workflowId: info.workflowExecution.workflowId, runId: info.workflowExecution.runId, attempt: info.attempt };
}
