// Errors no retry can fix, raised as non-retryable failures at the activity boundary, so that Temporal
// does not spend the retry budget on a missing key or a damaged backup.
import { ApplicationFailure } from '@temporalio/common';

/** Class names that are permanent wherever they are thrown (the workflow's preset lists some, not all). */
export const permanentErrorNames: ReadonlySet<string> = new Set([
  'BackupIncomplete',
  'ChecksumMismatch',
  'DecryptionFailed',
  'KeyUnavailable',
  'InvalidEncryptionKey',
  'SecretsNotEncrypted',
  'UnsupportedVolume',
  'InvalidLayoutSegment',
  'InvalidLockPolicy',
  'InvalidRetentionPolicy',
]);

/** Runs `fn`; a permanent error leaves as a non-retryable ApplicationFailure of the same type and message. */
export async function permanentFailures<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof Error && permanentErrorNames.has(e.name)) {
      throw ApplicationFailure.create({ type: e.name, message: e.message, nonRetryable: true, cause: e });
    }
    throw e;
  }
}
