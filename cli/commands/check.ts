/**
 * `keykit check <path…>`: runs the policy rules on synthesized stacks, plans, states or HCL directories and
 * prints a report. Exit 0 when no active finding is at or above --fail-on, 1 when one is, 2 for bad usage/input.
 */
import { lstatSync } from "node:fs";
import { resolve } from "node:path";
import {
  AcknowledgementsFileError,
  type FileAcknowledgement,
  parseAcknowledgementsFile,
} from "../../policies/acknowledgements";
import { evaluate } from "../../policies/engine";
import { readInputs } from "../../policies/loaders/input";
import { InputFileError, readInputText } from "../../policies/loaders/read-input-file";
import { rotationEntriesFrom } from "../../policies/loaders/rotation";
import { InputError, parseJsonText } from "../../policies/loaders/util";
import type { RotationEntry } from "../../policies/model";
import { findingsAtOrAbove } from "../../policies/report";
import { type ReportFormat, REPORT_FORMATS, formatReport } from "../../policies/reporters";
import type { Severity } from "../../policies/rule";
import { ALL_RULES } from "../../policies/rules";
import { KIT_RULE_IDS } from "../../policies/rules/catalogue";
import type { Tier } from "../../policies/metadata";
import { DurableWriteError, refuseOverwritingInputs, writeFileDurable } from "../durable-write";
import { parseDateOrTimestamp } from "../../policies/dates";
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, KeykitCliError } from "../errors";
import type { CliIo, Command } from "../io";

export const DEFAULT_ACKNOWLEDGEMENTS_FILE = "keykit.acknowledgements.json";
export const DEFAULT_ROTATION_FILE = "keykit.rotation.json";

const USAGE = `usage: keykit check <path…> [options]

  <path>   plan JSON (terraform show -json plan.bin), state JSON, cdk.tf.json, a *.tf file, or a
           directory: every Terraform root (local modules followed), cdk.tf.json and cdktf.out below it,
           each its own input (.terraform/, node_modules/ and hidden directories skipped)

options:
  --format text|json|sarif|junit|markdown   report format (default: text)
  --output <file>                           write the report to <file> (atomically) instead of stdout
  --fail-on error|warning                   lowest severity that makes the exit code 1 (default: error)
  --acknowledgements <file>                 central acknowledgements (default: ${DEFAULT_ACKNOWLEDGEMENTS_FILE} if present)
  --rotation-state <file>                   rotation state (default: ${DEFAULT_ROTATION_FILE} if present)
  --max-age-days <n>                        maximum key / rotation-slot age (default: 90)
  --now <date>                              evaluation time (ISO date), for reproducible reports
  --tier production|development             override the stacks' tier (default: from cdk.tf.json, else production)

exit codes: 0 clean, 1 findings at or above --fail-on, 2 bad usage or bad input (for a directory: nothing
            checkable at any depth)
`;

export interface CheckOptions {
  readonly paths: readonly string[];
  readonly format: ReportFormat;
  readonly output?: string;
  readonly failOn: Severity;
  readonly acknowledgements?: string;
  readonly rotationState?: string;
  readonly maxAgeDays?: number;
  readonly now?: Date;
  readonly tier?: Tier;
}

const VALUE_FLAGS = [
  "--format",
  "--output",
  "--fail-on",
  "--acknowledgements",
  "--rotation-state",
  "--max-age-days",
  "--now",
  "--tier",
];

export function parseCheckArgs(args: readonly string[]): CheckOptions | "help" {
  const paths: string[] = [];
  const values = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--help" || arg === "-h") return "help";
    if (arg === "--") {
      paths.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith("-")) {
      const eq = arg.indexOf("=");
      const flag = eq === -1 ? arg : arg.slice(0, eq);
      if (!VALUE_FLAGS.includes(flag))
        throw new KeykitCliError(`check: unknown option '${flag}'; run 'keykit check --help'`);
      const value = eq === -1 ? args[++i] : arg.slice(eq + 1);
      if (value === undefined || value === "") throw new KeykitCliError(`check: ${flag} needs a value`);
      values.set(flag, value);
    } else {
      paths.push(arg);
    }
  }
  if (paths.length === 0) throw new KeykitCliError("check: no input; usage: keykit check <path…> (see --help)");
  const format = values.get("--format") ?? "text";
  if (!(REPORT_FORMATS as readonly string[]).includes(format)) {
    throw new KeykitCliError(`check: --format '${format}' is not one of ${REPORT_FORMATS.join(", ")}`);
  }
  const failOn = values.get("--fail-on") ?? "error";
  if (failOn !== "error" && failOn !== "warning")
    throw new KeykitCliError(`check: --fail-on '${failOn}' must be error or warning`);
  const tier = values.get("--tier");
  if (tier !== undefined && tier !== "production" && tier !== "development") {
    throw new KeykitCliError(`check: --tier '${tier}' must be production or development`);
  }
  let maxAgeDays: number | undefined;
  const maxAge = values.get("--max-age-days");
  if (maxAge !== undefined) {
    if (!/^\d+$/.test(maxAge) || Number(maxAge) < 1)
      throw new KeykitCliError(`check: --max-age-days '${maxAge}' must be a positive whole number`);
    maxAgeDays = Number(maxAge);
  }
  let now: Date | undefined;
  const nowText = values.get("--now");
  if (nowText !== undefined) {
    now = parseDateOrTimestamp(nowText);
    if (now === undefined) {
      throw new KeykitCliError(
        `check: --now '${nowText}' is not a real ISO 8601 date or timestamp (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)`,
      );
    }
  }
  return {
    paths,
    format: format as ReportFormat,
    failOn,
    ...(values.has("--output") ? { output: values.get("--output") } : {}),
    ...(values.has("--acknowledgements") ? { acknowledgements: values.get("--acknowledgements") } : {}),
    ...(values.has("--rotation-state") ? { rotationState: values.get("--rotation-state") } : {}),
    ...(maxAgeDays !== undefined ? { maxAgeDays } : {}),
    ...(now ? { now } : {}),
    ...(tier ? { tier: tier as Tier } : {}),
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
  if (!lstatExists(resolve(cwd, path))) {
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

function lstatExists(abs: string): boolean {
  try {
    lstatSync(abs);
    return true;
  } catch {
    return false;
  }
}

export const run: Command = async (args, io: CliIo) => {
  const parsed = parseCheckArgs(args);
  if (parsed === "help") {
    io.stdout(USAGE);
    return EXIT_OK;
  }
  try {
    const ackFile = readSideFile(parsed.acknowledgements, DEFAULT_ACKNOWLEDGEMENTS_FILE, io.cwd);
    const acknowledgements: FileAcknowledgement[] = ackFile
      ? parseAcknowledgementsFile(ackFile.json, ackFile.path)
      : [];
    const rotationFile = readSideFile(parsed.rotationState, DEFAULT_ROTATION_FILE, io.cwd);
    const rotation: RotationEntry[] = rotationFile ? rotationEntriesFrom(rotationFile.json, rotationFile.path) : [];
    const models = await readInputs(parsed.paths, { cwd: io.cwd, tier: parsed.tier, rotation });
    const report = evaluate(models, ALL_RULES, acknowledgements, {
      now: parsed.now,
      maxAgeDays: parsed.maxAgeDays,
      knownRuleIds: KIT_RULE_IDS,
    });
    const text = formatReport(report, parsed.format, ALL_RULES, { command: "check" });
    if (parsed.output !== undefined) {
      const inputs = [
        ...parsed.paths,
        ...(ackFile ? [ackFile.path] : []),
        ...(rotationFile ? [rotationFile.path] : []),
      ];
      try {
        const target = resolve(io.cwd, parsed.output);
        refuseOverwritingInputs(io.cwd, parsed.output, inputs);
        writeFileDurable(target, text, { shownAs: parsed.output });
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
