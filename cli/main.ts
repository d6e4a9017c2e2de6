#!/usr/bin/env node
import { EXIT_OK, EXIT_USAGE, KeykitCliError } from "./errors";
import { COMMANDS } from "./commands";
import { type CliIo, processIo } from "./io";

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return [
    "usage: keykit <command> [options]",
    "",
    "commands:",
    ...lines,
    "",
    "Run `keykit <command> --help` for a command's options.",
    "",
  ].join("\n");
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout(usage());
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr(`keykit: unknown command '${name}'; run 'keykit --help' for the list\n`);
    return EXIT_USAGE;
  }
  try {
    const run = await command.load();
    return await run(rest, io);
  } catch (error) {
    if (error instanceof KeykitCliError) {
      io.stderr(`keykit: ${error.message}\n`);
      return error.exitCode;
    }
    // An unexpected failure is a bug in keykit: still one line, with a pointer to get the detail.
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`keykit: internal error: ${message.split("\n")[0]} (set KEYKIT_DEBUG=1 for the stack trace)\n`);
    if (io.env.KEYKIT_DEBUG) io.stderr(`${error instanceof Error ? error.stack : ""}\n`);
    return EXIT_USAGE;
  }
}

if (require.main === module) {
  runCli(process.argv.slice(2), processIo()).then(
    (code) => {
      process.exitCode = code;
    },
    () => {
      process.exitCode = EXIT_USAGE;
    },
  );
}
