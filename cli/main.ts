#!/usr/bin/env node
// Only the error mapping and the streams are loaded up front: everything else is loaded inside runCli's try, so a
// module of the kit that fails to load is an internal error (exit 3, one line), not a crash with exit 1 and a stack.
import { EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, KeykitCliError, escapeControlCharacters, formatErrorLine } from "./errors";
import { type CliIo, processIo } from "./io";
import { InputError } from "../policies/loaders/util";
import { setFlagsFromString } from "node:v8";

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    return reportError(error, io);
  }
}

async function dispatch(argv: readonly string[], io: CliIo): Promise<number> {
  const grammar = await import("./grammar");
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr(grammar.renderMainUsage());
    return EXIT_USAGE;
  }
  if (name === "--help" || name === "-h") {
    io.stdout(grammar.renderMainUsage());
    return EXIT_OK;
  }
  if (name === "--version" || name === "-V") {
    io.stdout(`${(await import("../policies/version")).KEYKIT_VERSION}\n`);
    return EXIT_OK;
  }
  if (name === "help") return help(grammar, rest, io);
  const command = (await import("./commands")).COMMANDS[name];
  if (!command) return unknownCommand(grammar, name, io);
  const run = await command.load();
  return await run(rest, io);
}

type Grammar = typeof import("./grammar");

/** `keykit help [<command>]`: the same text as `keykit <command> --help`. */
function help(grammar: Grammar, rest: readonly string[], io: CliIo): number {
  if (rest.length === 0) {
    io.stdout(grammar.renderMainUsage());
    return EXIT_OK;
  }
  const spec = grammar.commandSpec(rest[0]);
  if (!spec || rest.length > 1) return unknownCommand(grammar, rest.slice(0, 2).join(" "), io);
  io.stdout(grammar.renderCommandHelp(spec));
  return EXIT_OK;
}

function unknownCommand(grammar: Grammar, name: string, io: CliIo): number {
  const nearest = grammar.nearestName(
    name,
    grammar.GRAMMAR.map((c) => c.name),
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
  if (error instanceof KeykitCliError || error instanceof InputError) {
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

/**
 * Exits as soon as stdout and stderr have taken every byte. Waiting for the event loop to drain instead would wait
 * for the HCL parser's Go runtime, whose timers keep the loop alive for ~200 ms after the last parse: a third of a
 * `keykit check` of a small HCL directory spent idle.
 */
function exitWhenFlushed(code: number): void {
  process.exitCode = code;
  let pending = 2;
  const flushed = () => {
    pending -= 1;
    if (pending === 0) process.exit(code);
  };
  process.stdout.write("", flushed);
  process.stderr.write("", flushed);
}

if (require.main === module) {
  // The HCL parser is a Go program compiled to WebAssembly. V8's optimising tier recompiles all of it in the
  // background on every run, which costs more than it saves in a run this short: a small HCL check takes 0.53 s →
  // 0.25 s with the baseline compiler alone, a 300-root tree the same wall time with less CPU. Only the bin's own
  // process: the policies used as a library (jest helpers, synth) leave V8's settings alone.
  setFlagsFromString("--liftoff-only");
  runCli(process.argv.slice(2), processIo()).then(exitWhenFlushed, () => exitWhenFlushed(EXIT_INTERNAL));
}
