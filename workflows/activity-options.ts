// Named activity option presets: short API work, and long data transfers that heartbeat.
import type { ActivityOptions } from '@temporalio/workflow';

/** Failure types that no retry can fix: bad names, missing stores, tampered or incomplete backups. */
export const nonRetryableErrorTypes = [
  'UnknownContext',
  'StoreNotFound',
  'AccessDenied',
  'ObjectLocked',
  'BackupIncomplete',
  'ChecksumMismatch',
  'InvalidStoreUrl',
  'PreflightFailed',
];

export const short: ActivityOptions = {
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 8, nonRetryableErrorTypes },
};

export const transfer: ActivityOptions = {
  startToCloseTimeout: '2 hours',
  // a mover that stops heartbeating is presumed dead, and the retry resumes from its last heartbeat
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10, nonRetryableErrorTypes },
};

export const waiting: ActivityOptions = {
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 5, nonRetryableErrorTypes },
};
