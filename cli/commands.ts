import type { Command } from "./io";

export interface CommandEntry {
  readonly summary: string;
  /** Loaded lazily so `keykit rotate` does not pay for the policy engine and vice versa. */
  readonly load: () => Promise<Command>;
}

/**
 * The CLI's subcommands. Add one: a line here and a module under cli/commands/ exporting `run: Command`.
 */
export const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  check: {
    summary: "run the key policies on plans, states, cdk.tf.json or HCL",
    load: async () => (await import("./commands/check")).run,
  },
  rules: {
    summary: "list the policy rules (IDs, severities, what they check)",
    load: async () => (await import("./commands/rules")).run,
  },
  rotate: {
    summary: "start|finish|status: the reviewed two-apply rollover of a blue/green key",
    load: async () => (await import("./commands/rotate")).run,
  },
  audit: {
    summary: "find unmanaged, user-owned, stale and orphaned keys in Confluent Cloud; emit a cleanup script",
    load: async () => (await import("./commands/audit")).run,
  },
  verify: {
    summary: "prove a rotation's published credentials work and its retired slot is gone",
    load: async () => (await import("./commands/verify")).run,
  },
};
