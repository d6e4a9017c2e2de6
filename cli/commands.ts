import type { Command } from "./io";

export interface CommandEntry {
  readonly summary: string;
  /** Loaded lazily so `keykit rotate` does not pay for the policy engine and vice versa. */
  readonly load: () => Promise<Command>;
}

/**
 * The CLI's subcommands. Add one: a line here and a module under cli/commands/ exporting `run: Command`.
 */
export const COMMANDS: Readonly<Record<string, CommandEntry>> = {};
