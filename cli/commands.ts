import type { Command } from "./io";

export interface CommandEntry {
  /** Loaded lazily so `keykit rotate` does not pay for the policy engine and vice versa. */
  readonly load: () => Promise<Command>;
}

/**
 * The CLI's subcommands. Add one: its flags in cli/grammar.ts, a line here and a module under cli/commands/
 * exporting `run: Command`.
 */
export const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  check: { load: async () => (await import("./commands/check")).run },
  rules: { load: async () => (await import("./commands/rules")).run },
  rotate: { load: async () => (await import("./commands/rotate")).run },
  audit: { load: async () => (await import("./commands/audit")).run },
  verify: { load: async () => (await import("./commands/verify")).run },
};
