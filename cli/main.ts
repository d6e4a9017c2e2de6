#!/usr/bin/env node
import { EXIT_OK, EXIT_USAGE, KeykitCliError, escapeControlCharacters, formatErrorLine } from "./errors";
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
    io.stderr(formatErrorLine(`unknown command '${name}'; run 'keykit --help' for the list`));
    return EXIT_USAGE;
  }
  try {
    const run = await command.load();
    return await run(rest, io);
  } catch (error) {
    return reportError(error, io);
  }
}

/**
 * Every error of every command ends here, as exactly one line on stderr. A KeykitCliError's message is written by
 * the kit (it names files and positions, never input text). Anything else is a bug in keykit: its message may
 * quote input (a JSON.parse SyntaxError does), so only its class is shown unless KEYKIT_DEBUG=1 asks for the detail.
 */
export function reportError(error: unknown, io: CliIo): number {
  if (error instanceof KeykitCliError) {
    io.stderr(formatErrorLine(error.message));
    return error.exitCode;
  }
  const kind = error instanceof Error ? error.name : typeof error;
  io.stderr(formatErrorLine(`internal error (${kind}); set KEYKIT_DEBUG=1 for the detail and the stack trace`));
  if (io.env.KEYKIT_DEBUG === "1") {
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.stderr(`${escapeControlCharacters(detail).replace(/\\n/g, "\n")}\n`);
  }
  return EXIT_USAGE;
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
