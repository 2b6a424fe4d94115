// Errors that make a backup unusable. Both are permanent: no retry makes missing or altered data whole.

export class BackupIncomplete extends Error {
  constructor(
    readonly storeUrl: string,
    readonly key: string,
    readonly problem: string,
  ) {
    super(`${storeUrl}: backup object ${key} is ${problem}; the backup is incomplete and is not restored`);
    this.name = 'BackupIncomplete';
  }
}

/** Stored bytes that are not what was written: a digest differs, or a blob does not authenticate or decompress. */
export class ChecksumMismatch extends Error {
  readonly expected: string | undefined;
  readonly actual: string | undefined;

  /** `what` names the store, key (and offset or file) at fault. */
  constructor(
    readonly what: string,
    mismatch: { readonly expected: string; readonly actual: string } | { readonly problem: string },
  ) {
    super(
      'problem' in mismatch
        ? `${what}: ${mismatch.problem}; refusing to restore it`
        : `${what}: sha256 ${mismatch.actual} does not match the backup's ${mismatch.expected}; refusing to restore it`,
    );
    this.name = 'ChecksumMismatch';
    this.expected = 'problem' in mismatch ? undefined : mismatch.expected;
    this.actual = 'problem' in mismatch ? undefined : mismatch.actual;
  }
}
