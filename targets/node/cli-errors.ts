// The two ways a command ends early, told apart by the exit code
// (docs/DECISIONS.md, "The command line"): a usage error exits 2 with the
// command's usage line, a failure exits 1 with its message alone.

/** Bad arguments: exit 2, with the usage line. */
export class UsageError extends Error {}

/** Diagnostics, an unreadable file, a runtime that failed as a whole: exit 1 (on stdout for machine-readable lines). */
export class Failure extends Error {
  constructor(message: string, readonly toStdout = false) {
    super(message);
  }
}
