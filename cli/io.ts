/** The streams a command writes to; tests pass their own to capture output. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** True when stderr is a terminal (progress indicators only draw there). */
  readonly isTty: boolean;
}

export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    env: process.env,
    isTty: Boolean(process.stderr.isTTY),
  };
}

/** A command of the CLI: gets its own arguments (after the command name) and returns the exit code. */
export type Command = (args: readonly string[], io: CliIo) => Promise<number>;
