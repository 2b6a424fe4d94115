// Named activity option presets: short API work, and long data transfers that heartbeat.
import type { ActivityOptions } from '@temporalio/workflow';

/** Failure types that no retry can fix: bad names, missing stores, tampered or incomplete backups. */
export const nonRetryableErrorTypes = [
  'UnknownContext',
  'KubeconfigError',
  'StoreNotFound',
  'AccessDenied',
  'ObjectLocked',
  'BackupIncomplete',
  'ChecksumMismatch',
  'InvalidStoreUrl',
  'PreflightFailed',
];

// Every activity heartbeats (the SDK throttles the calls), so a worker that dies is noticed within
// the heartbeat timeout and the step is retried elsewhere, instead of after its whole time budget.
export const short: ActivityOptions = {
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '20 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 8, nonRetryableErrorTypes },
};

export const transfer: ActivityOptions = {
  startToCloseTimeout: '2 hours',
  // a mover that stops heartbeating is presumed dead, and the retry resumes from its last heartbeat
  heartbeatTimeout: '20 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10, nonRetryableErrorTypes },
};

export const waiting: ActivityOptions = {
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '20 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 5, nonRetryableErrorTypes },
};
