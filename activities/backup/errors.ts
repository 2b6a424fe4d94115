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

export class ChecksumMismatch extends Error {
  constructor(
    readonly what: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`${what}: sha256 ${actual} does not match the backup's ${expected}; refusing to restore it`);
    this.name = 'ChecksumMismatch';
  }
}
