/** The streams a command writes to; tests pass their own to capture output. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** True when stderr is a terminal (progress indicators only draw there). */
  readonly isTty: boolean;
  /** True when stdout is a terminal (reports are coloured only there). */
  readonly stdoutIsTty?: boolean;
}

export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    env: process.env,
    isTty: Boolean(process.stderr.isTTY),
    stdoutIsTty: Boolean(process.stdout.isTTY),
  };
}

/** A command of the CLI: gets its own arguments (after the command name) and returns the exit code. */
export type Command = (args: readonly string[], io: CliIo) => Promise<number>;

/**
 * Colour on a terminal only: NO_COLOR (any value) turns it off, FORCE_COLOR (not "0") turns it on anywhere.
 * The report goes to stdout, so that stream's terminal decides.
 */
export function useColor(io: CliIo): boolean {
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== "") return false;
  if (io.env.FORCE_COLOR !== undefined) return io.env.FORCE_COLOR !== "0" && io.env.FORCE_COLOR !== "false";
  return io.stdoutIsTty ?? false;
}
