// Bad input from the user is not a crash: it exits 2 with a message that names the value
// and the accepted form, and no stack trace.
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly exitCode = 2;
}
