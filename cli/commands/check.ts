/**
 * `keykit check <path…>`: runs the policy rules on synthesized stacks, plans, states or HCL directories and
 * prints a report. Exit 0 when no active finding is at or above --fail-on, 1 when one is, 2 for bad usage/input.
 * Its flags are declared in cli/grammar.ts.
 */
import { resolve } from "node:path";
import {
  AcknowledgementsFileError,
  type FileAcknowledgement,
  parseAcknowledgementsFile,
} from "../../policies/acknowledgements";
import { evaluate } from "../../policies/engine";
import { readInputs } from "../../policies/loaders/input";
import { InputFileError, kernelPath, pathExists, readInputText } from "../../policies/loaders/read-input-file";
import { rotationEntriesFrom } from "../../policies/loaders/rotation";
import { InputError, parseJsonText } from "../../policies/loaders/util";
import type { RotationEntry } from "../../policies/model";
import { type FailOn, findingsAtOrAbove } from "../../policies/report";
import { type ReportFormat, formatReport } from "../../policies/reporters";
import { buildKeyGraph } from "../../policies/reporters/key-graph";
import { ALL_RULES } from "../../policies/rules";
import { KIT_RULE_IDS } from "../../policies/rules/catalogue";
import type { Tier } from "../../policies/metadata";
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, KeykitCliError } from "../errors";
import { type ProjectDefaults, findConfigFile, loadProjectDefaults } from "../config";
import { nowFlag, wholeNumberFlag } from "../flag-values";
import { commandSpec, parseCommandLine, renderCommandHelp, type CommandSpec } from "../grammar";
import { type CliIo, type Command, useColor } from "../io";
import { sourceRootOf } from "../source-root";

const CHECK_SPEC = commandSpec("check") as CommandSpec;

export const DEFAULT_ACKNOWLEDGEMENTS_FILE = "keykit.acknowledgements.json";
export const DEFAULT_ROTATION_FILE = "keykit.rotation.json";

export interface CheckOptions {
  readonly paths: readonly string[];
  readonly format: ReportFormat;
  readonly output?: string;
  readonly failOn: FailOn;
  readonly acknowledgements?: string;
  readonly rotationState?: string;
  readonly maxAgeDays?: number;
  readonly now?: Date;
  readonly tier?: Tier;
  readonly quiet: boolean;
  /** Synthesize the CDK app in the working directory first (paths is then its output). */
  readonly synth: boolean;
  readonly sourceRoot?: string;
}

/** Without a path: the synthesized output when there is one, else the project itself. */
function defaultPaths(cwd: string): string[] {
  return pathExists(resolve(cwd, "cdktf.out")) ? ["cdktf.out"] : ["."];
}

export function parseCheckArgs(
  args: readonly string[],
  cwd: string = process.cwd(),
  defaults: ProjectDefaults = { skipRules: [] },
): CheckOptions | "help" {
  const line = parseCommandLine(CHECK_SPEC, args);
  if (line.help) return "help";
  const values = line.values;
  const maxAge = values["--max-age-days"];
  const maxAgeDays =
    maxAge !== undefined ? wholeNumberFlag("check", "--max-age-days", maxAge, "days") : defaults.maxAgeDays;
  const acknowledgements = values["--acknowledgements"] ?? defaults.acknowledgements;
  const rotationState = values["--rotation-state"] ?? defaults.rotationState;
  const synth = line.switches.has("--synth");
  if (synth && line.positionals.length > 0) {
    throw new KeykitCliError("check: --synth checks the app's own synthesized output: give no <path>");
  }
  return {
    synth,
    paths: line.positionals.length > 0 || synth ? line.positionals : defaultPaths(cwd),
    format: (values["--format"] ?? "text") as ReportFormat,
    failOn: (values["--fail-on"] ?? defaults.failOn ?? "error") as FailOn,
    quiet: line.switches.has("--quiet"),
    ...(values["--output"] !== undefined ? { output: values["--output"] } : {}),
    ...(values["--source-root"] !== undefined ? { sourceRoot: values["--source-root"] } : {}),
    ...(acknowledgements !== undefined ? { acknowledgements } : {}),
    ...(rotationState !== undefined ? { rotationState } : {}),
    ...(maxAgeDays !== undefined ? { maxAgeDays } : {}),
    ...(values["--now"] !== undefined ? { now: nowFlag("check", values["--now"]) } : {}),
    ...(values["--tier"] !== undefined ? { tier: values["--tier"] as Tier } : {}),
  };
}

/** Reads an optional JSON side file: explicit path must exist; the default is used only when present. */
function readSideFile(
  explicit: string | undefined,
  fallback: string,
  cwd: string,
): { path: string; json: unknown } | undefined {
  const path = explicit ?? fallback;
  // lstat, not existsSync: a dangling link or a symlink loop is named, not taken for a missing file.
  if (!pathExists(resolve(cwd, path))) {
    if (explicit !== undefined) throw new KeykitCliError(`check: ${explicit}: no such file`);
    return undefined;
  }
  let text: string;
  try {
    text = readInputText(path, cwd);
  } catch (error) {
    if (error instanceof InputFileError) throw new KeykitCliError(`check: ${error.message}`);
    throw error;
  }
  return { path, json: parseJsonText(text, path) };
}

export const run: Command = async (args, io: CliIo) => {
  const defaults = loadProjectDefaults(io);
  let parsed = parseCheckArgs(args, io.cwd, defaults);
  if (parsed === "help") {
    io.stdout(renderCommandHelp(CHECK_SPEC));
    return EXIT_OK;
  }
  if (parsed.synth) {
    // Loaded only for --synth: a plain check never starts a framework CLI.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { synthesizeApp } = require("../synth-app") as typeof import("../synth-app");
    parsed = { ...parsed, paths: [synthesizeApp(io.cwd, io.env, io.stderr)] };
  }
  try {
    const ackFile = readSideFile(parsed.acknowledgements, DEFAULT_ACKNOWLEDGEMENTS_FILE, io.cwd);
    const acknowledgements: FileAcknowledgement[] = ackFile
      ? parseAcknowledgementsFile(ackFile.json, ackFile.path)
      : [];
    const rotationFile = readSideFile(parsed.rotationState, DEFAULT_ROTATION_FILE, io.cwd);
    const rotation: RotationEntry[] = rotationFile ? rotationEntriesFrom(rotationFile.json, rotationFile.path) : [];
    const models = await readInputs(parsed.paths, { cwd: io.cwd, tier: parsed.tier, rotation });
    const rules = ALL_RULES.filter((r) => !defaults.skipRules.includes(r.id));
    const report = evaluate(models, rules, acknowledgements, {
      skippedRules: ALL_RULES.filter((r) => defaults.skipRules.includes(r.id)),
      now: parsed.now,
      maxAgeDays: parsed.maxAgeDays,
      knownRuleIds: KIT_RULE_IDS,
    });
    const text = formatReport(report, parsed.format, rules, {
      command: "check",
      cwd: io.cwd,
      sourceRoot: sourceRootOf(parsed.sourceRoot, io.cwd, "check"),
      failOn: parsed.failOn,
      quiet: parsed.quiet,
      color: parsed.output === undefined && useColor(io),
      ...(parsed.format === "markdown" ? { graph: buildKeyGraph(models, report.findings) } : {}),
    });
    if (parsed.output !== undefined) {
      const configFile = findConfigFile(io.cwd);
      const inputs = [
        ...parsed.paths,
        ...(ackFile ? [ackFile.path] : []),
        ...(rotationFile ? [rotationFile.path] : []),
        ...(configFile !== undefined ? [configFile] : []),
      ];
      // Loaded only to write a file: it pulls in node:crypto, a few milliseconds of every start.
      const { DurableWriteError, refuseOverwritingInputs, writeFileDurable } = await import("../durable-write");
      try {
        const target = kernelPath(parsed.output, io.cwd);
        refuseOverwritingInputs(io.cwd, parsed.output, inputs);
        writeFileDurable(target, text, { shownAs: parsed.output, createDirectories: true });
      } catch (error) {
        if (error instanceof DurableWriteError) throw new KeykitCliError(`check: ${error.message}`);
        throw error;
      }
    } else {
      io.stdout(text);
    }
    const failing = findingsAtOrAbove(report, parsed.failOn);
    if (failing.length > 0 && parsed.output !== undefined) {
      const ids = [...new Set(failing.map((f) => f.ruleId))].join(", ");
      io.stderr(
        `keykit: ${failing.length} finding(s) at or above ${parsed.failOn}: ${ids} (report in ${parsed.output})\n`,
      );
    }
    return failing.length > 0 ? EXIT_FINDINGS : EXIT_OK;
  } catch (error) {
    if (error instanceof InputError || error instanceof AcknowledgementsFileError) {
      throw new KeykitCliError(error.message, EXIT_USAGE);
    }
    throw error;
  }
};
