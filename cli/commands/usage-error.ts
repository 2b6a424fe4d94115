// A command line that cannot run as given (exit code 2), its message naming the flag or value.
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
