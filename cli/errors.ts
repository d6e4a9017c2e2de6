/**
 * Exit codes of the `keykit` CLI (documented in the README):
 *   0  success / no findings at or above the fail level
 *   1  findings at or above the fail level, or a refused operation (e.g. an out-of-order rotate step)
 *   2  bad usage or bad input (wrong flag, malformed or unreadable file)
 */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

/** An error the user can fix: printed as one line (`keykit: <message>`), never with a stack trace. */
export class KeykitCliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_USAGE,
  ) {
    super(message);
    this.name = "KeykitCliError";
  }
}
