#!/usr/bin/env node
import { EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, KeykitCliError, escapeControlCharacters, formatErrorLine } from "./errors";
import { COMMANDS } from "./commands";
import { GRAMMAR, commandSpec, nearestName, renderCommandHelp, renderMainUsage } from "./grammar";
import { type CliIo, processIo } from "./io";
import { KEYKIT_VERSION } from "../policies/version";

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr(renderMainUsage());
    return EXIT_USAGE;
  }
  if (name === "--help" || name === "-h") {
    io.stdout(renderMainUsage());
    return EXIT_OK;
  }
  if (name === "--version" || name === "-V") {
    io.stdout(`${KEYKIT_VERSION}\n`);
    return EXIT_OK;
  }
  if (name === "help") return help(rest, io);
  const command = COMMANDS[name];
  if (!command) return unknownCommand(name, io);
  try {
    const run = await command.load();
    return await run(rest, io);
  } catch (error) {
    return reportError(error, io);
  }
}

/** `keykit help [<command>]`: the same text as `keykit <command> --help`. */
function help(rest: readonly string[], io: CliIo): number {
  if (rest.length === 0) {
    io.stdout(renderMainUsage());
    return EXIT_OK;
  }
  const spec = commandSpec(rest[0]);
  if (!spec || rest.length > 1) return unknownCommand(rest.slice(0, 2).join(" "), io);
  io.stdout(renderCommandHelp(spec));
  return EXIT_OK;
}

function unknownCommand(name: string, io: CliIo): number {
  const nearest = nearestName(
    name,
    GRAMMAR.map((c) => c.name),
  );
  const hint = nearest ? `did you mean '${nearest}'? ` : "";
  io.stderr(formatErrorLine(`unknown command '${name}'; ${hint}run 'keykit --help' for the list`));
  return EXIT_USAGE;
}

/**
 * Every error of every command ends here, as exactly one line on stderr, and is mapped to its exit code here only.
 * A KeykitCliError carries its code and a message written by the kit (it names files and positions, never input
 * text). Anything else is a bug in keykit (exit 3): its message may quote input (a JSON.parse SyntaxError does), so
 * only its class is shown unless KEYKIT_DEBUG=1 asks for the detail.
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
  return EXIT_INTERNAL;
}

if (require.main === module) {
  runCli(process.argv.slice(2), processIo()).then(
    (code) => {
      process.exitCode = code;
    },
    () => {
      process.exitCode = EXIT_INTERNAL;
    },
  );
}
