/**
 * `keykit rotate start|finish|status [<key>]`: the two-apply rollover of a BlueGreenApiKey, as a reviewed edit of
 * the rotation-state file (keykit.rotation.json). The command never talks to Confluent Cloud or Terraform: it
 * changes data that the next synth reads, and says what the next apply will create and delete.
 */
import { lstatSync } from "node:fs";
import { relative, resolve } from "node:path";
import {
  DEFAULT_ROTATION_STATE_FILE,
  type KeyRotationEntry,
  type RotationState,
  RotationStateError,
  type RotationStep,
  RotationStepError,
  type SlotName,
  type SlotRecord,
  MAX_RECORDED_TEXT,
  applyStep,
  isRecordableText,
  entryFor,
  existingSlots,
  otherSlot,
  phaseOf,
  readRotationStateFile,
  retainedSlot,
  slotChanges,
  validateKeyName,
  goneProofStands,
  withEntry,
  worksProofProblem,
} from "../../policies/rotation-state";
import { type JsonInputs, findJsonInputs } from "../../policies/loaders/discover";
import { loadJsonFile } from "../../policies/loaders/input";
import { InputError } from "../../policies/loaders/util";
import { InputFileError, kernelPath } from "../../policies/loaders/read-input-file";
import type { KeykitModel } from "../../policies/model";
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, KeykitCliError, formatErrorLine } from "../errors";
import type { CliIo, Command } from "../io";
import { type ProjectDefaults, findConfigFile, loadProjectDefaults } from "../config";
import { type CommandSpec, commandSpec, parseCommandLine, renderCommandHelp } from "../grammar";
import { refuseStateFileOntoInputs, withLockedStateFile } from "../locked-state-file";
import { DEFAULT_QUIET_MINUTES, finishGates, type GateInputs, type GateResult } from "../rotate/gates";
import { readStateFacts } from "../verify/state";

const ROTATE_SPEC = commandSpec("rotate") as CommandSpec;

interface Options {
  readonly subcommand: "start" | "finish" | "status";
  readonly key?: string;
  readonly file: string;
  /** True when --file was given: a given file must exist unless --init. */
  readonly fileGiven: boolean;
  readonly init: boolean;
  readonly synthDir: string;
  readonly state?: string;
  readonly auditLogs: readonly string[];
  readonly quietMinutes: number;
  readonly force?: string;
  readonly format: "text" | "json";
}

function parseArgs(args: readonly string[], cwd: string, defaults: ProjectDefaults): Options | "help" {
  const line = parseCommandLine(ROTATE_SPEC, args);
  if (line.help) return "help";
  const positional = line.positionals;
  // keykit.config.json / KEYKIT_ROTATION_STATE name the file like a flag would (so it must exist unless --init).
  const rotationState = line.values["--rotation-state"] ?? defaults.rotationState;
  const values = rotationState !== undefined ? { ...line.values, "--rotation-state": rotationState } : line.values;
  const auditLogs = line.lists["--audit-log"] ?? [];
  const init = line.switches.has("--init");
  const [subcommand, key, ...extra] = positional;
  if (subcommand !== "start" && subcommand !== "finish" && subcommand !== "status") {
    throw new KeykitCliError(
      subcommand === undefined
        ? "rotate: missing step; usage: keykit rotate <start|finish|status> [<key>]"
        : `rotate: unknown step '${subcommand}'; expected start, finish or status`,
      EXIT_USAGE,
    );
  }
  if (extra.length > 0) throw new KeykitCliError(`rotate ${subcommand}: unexpected argument '${extra[0]}'`, EXIT_USAGE);
  if (subcommand !== "status" && key === undefined) {
    throw new KeykitCliError(
      `rotate ${subcommand}: missing key name; usage: keykit rotate ${subcommand} <key>`,
      EXIT_USAGE,
    );
  }
  if (key !== undefined) {
    const problem = validateKeyName(key);
    if (problem) throw new KeykitCliError(`rotate ${subcommand}: key name '${key}' ${problem}`, EXIT_USAGE);
  }
  checkStepFlags(subcommand, values, auditLogs, init);
  return {
    subcommand,
    key,
    file: kernelPath(values["--rotation-state"] ?? DEFAULT_ROTATION_STATE_FILE, cwd),
    fileGiven: values["--rotation-state"] !== undefined,
    init,
    synthDir: resolve(cwd, values["--synth-dir"] ?? "cdktf.out"),
    state: values["--state"],
    auditLogs,
    quietMinutes: quietMinutesOf(values["--quiet-minutes"]),
    force: forceReasonOf(values["--force"]),
    format: formatOf(values["--format"]),
  };
}

/** Each flag belongs to some steps; anywhere else it is a mistake worth saying (not silently ignored). */
function checkStepFlags(
  step: Options["subcommand"],
  values: Readonly<Record<string, string>>,
  auditLogs: readonly string[],
  init: boolean,
): void {
  const finishOnly = ["--state", "--quiet-minutes", "--force"].filter((f) => values[f] !== undefined);
  if (auditLogs.length > 0) finishOnly.push("--audit-log");
  if (step !== "finish" && finishOnly.length > 0)
    throw new KeykitCliError(`rotate ${step}: ${finishOnly[0]} only applies to finish`, EXIT_USAGE);
  if (values["--quiet-minutes"] !== undefined && auditLogs.length === 0)
    throw new KeykitCliError("rotate finish: --quiet-minutes only applies with --audit-log", EXIT_USAGE);
  if (step === "status" && init)
    throw new KeykitCliError("rotate status: --init only applies to start and finish", EXIT_USAGE);
  if (step !== "status" && values["--format"] !== undefined)
    throw new KeykitCliError(`rotate ${step}: --format only applies to status`, EXIT_USAGE);
}

function quietMinutesOf(text: string | undefined): number {
  if (text === undefined) return DEFAULT_QUIET_MINUTES;
  if (!/^\d{1,6}$/.test(text) || Number(text) < 1)
    throw new KeykitCliError("rotate finish: --quiet-minutes must be a whole number of minutes from 1", EXIT_USAGE);
  return Number(text);
}

/** The reason goes into the reviewed file: one printable line, bounded; it is never echoed back. */
function forceReasonOf(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (!isRecordableText(text))
    throw new KeykitCliError(
      `rotate finish: --force needs a reason: one line of text, at most ${MAX_RECORDED_TEXT} characters`,
      EXIT_USAGE,
    );
  return text.trim();
}

/** The grammar allows text and json only. */
function formatOf(text: string | undefined): "text" | "json" {
  return text === "json" ? "json" : "text";
}

/** A BlueGreenApiKey found in synthesized JSON: where its slots are, by Terraform address. */
export interface DeclaredKey {
  readonly stack: string;
  readonly slots: Partial<Record<SlotName, string>>;
}

/** What `--synth-dir` reads, in the refusal of a directory that holds none of it. */
export const SYNTH_DIR_TAKES = "rotate --synth-dir takes a cdktf.out or a directory of cdk.tf.json stacks";

/**
 * The keys declared in code, from the synthesized stacks in `synthDir` (`"//".keykit.rotation` on each slot), found
 * as `keykit check` finds them (the shared discovery: every `stacks/<stack>/cdk.tf.json` of a cdktf.out, every
 * `cdk.tf.json` below). This is how the CLI knows a key that has no entry in the state file yet. A missing
 * directory is no keys (nothing synthesized yet); what the search passes over goes to `onNote`.
 */
export function discoverDeclaredKeys(
  synthDir: string,
  cwd: string = process.cwd(),
  onNote: (note: string) => void = () => undefined,
): Map<string, DeclaredKey> {
  const found = new Map<string, DeclaredKey>();
  const shownDir = fileShown(resolve(cwd, synthDir), cwd);
  if (!pathExists(resolve(cwd, synthDir))) return found;
  let stacks: JsonInputs;
  try {
    stacks = findJsonInputs(shownDir, cwd, SYNTH_DIR_TAKES);
  } catch (error) {
    if (error instanceof InputError) throw new KeykitCliError(error.message, EXIT_USAGE);
    throw error;
  }
  for (const { path, stack } of stacks.files) {
    for (const key of readStack(path, cwd).apiKeys) {
      const rotation = key.rotation;
      if (typeof rotation?.name !== "string" || (rotation.slot !== "blue" && rotation.slot !== "green")) continue;
      // The constructs only write valid names; anything else is not a key of ours (and never reaches the terminal).
      if (validateKeyName(rotation.name) !== undefined) continue;
      const declared = found.get(rotation.name) ?? { stack: stack ?? path, slots: {} };
      found.set(rotation.name, { stack: declared.stack, slots: { ...declared.slots, [rotation.slot]: key.address } });
    }
  }
  // After every stack was read: a refusal stays the one line it is.
  stacks.notes.forEach((note) => onNote(note));
  return found;
}

/** True when something (even a dangling link) is at `abs`: only a truly missing directory is "nothing synthesized". */
function pathExists(abs: string): boolean {
  try {
    lstatSync(abs);
    return true;
  } catch {
    return false;
  }
}

/** A stack's model, read by the one loader `keykit check` uses (so a bad file is the same line as in check). */
function readStack(path: string, cwd: string): KeykitModel {
  try {
    return loadJsonFile(path, { cwd });
  } catch (error) {
    if (error instanceof InputError) throw new KeykitCliError(error.message, EXIT_USAGE);
    throw error;
  }
}

function readState(path: string, shown: string): RotationState {
  try {
    return readRotationStateFile(path, shown);
  } catch (error) {
    if (error instanceof RotationStateError) throw new KeykitCliError(error.message, EXIT_USAGE);
    if (error instanceof InputFileError) throw new KeykitCliError(error.message, EXIT_USAGE);
    throw error;
  }
}

/** What the stack search passed over, as a `keykit: not checked: …` line on stderr (stdout stays the answer). */
function noteTo(io: CliIo): (note: string) => void {
  return (note) => io.stderr(formatErrorLine(note));
}

function fileShown(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel === "" || rel.startsWith("..") ? path : rel;
}

function slotLine(name: string, slot: SlotName, declared: DeclaredKey | undefined): string {
  const address = declared?.slots[slot];
  return `slot ${slot} of '${name}'${address ? ` (${address})` : ""}`;
}

function describeStep(
  name: string,
  before: KeyRotationEntry,
  after: KeyRotationEntry,
  declared: DeclaredKey | undefined,
): string[] {
  const changes = slotChanges(before, after);
  const lines = ["The next apply will:"];
  for (const slot of changes.create) {
    lines.push(`  create  ${slotLine(name, slot, declared)}: a new confluent_api_key, same owner and scope`);
  }
  if (changes.create.length === 0) lines.push("  create  nothing");
  if (changes.publish) {
    // "update" was wrong for AWS Secrets Manager, whose plan replaces the secret version rather than updating it.
    lines.push(
      `  publish slot ${changes.publish.to} of '${name}' in place of ${changes.publish.from} ` +
        "(the secret updated, or a new secret version for AWS Secrets Manager)",
    );
  }
  for (const slot of changes.delete) lines.push(`  delete  ${slotLine(name, slot, declared)}`);
  if (changes.delete.length === 0) lines.push("  delete  nothing");
  for (const slot of existingSlots(after)) {
    if (!changes.create.includes(slot)) {
      lines.push(
        `  keep    ${slotLine(name, slot, declared)}${slot === after.active ? " (published)" : " (still valid)"}`,
      );
    }
  }
  return lines;
}

/** The table's next step: the JSON's (nextStepOf), in words. */
function nextStepHint(name: string, entry: KeyRotationEntry): string {
  const retained = retainedSlot(entry);
  if (retained === undefined) {
    const next = nextStepOf(name, entry);
    // After finish, the JSON asks for the retired slot's proof first: the table names the same step.
    return next.step === "verify" ? `prove ${otherSlot(entry.active)} is gone: ${next.command}` : next.command;
  }
  // Once verify recorded its proof, only moving the clients is left before finish.
  return nextStepOf(name, entry).step === "finish"
    ? `move clients to ${entry.active} (verified), then: keykit rotate finish ${name}`
    : `move clients to ${entry.active}, verify, then: keykit rotate finish ${name}`;
}

/** Test seams of the command: the clock and how long a step waits for another step's lock. */
export interface RotateDependencies {
  readonly now?: () => Date;
  readonly lockWaitMs?: number;
}

interface StepOutcome {
  readonly before: KeyRotationEntry;
  readonly after: KeyRotationEntry;
  readonly gates?: GateResult;
}

async function runStep(options: Options, io: CliIo, deps: RotateDependencies): Promise<number> {
  const name = options.key as string;
  const step = options.subcommand as RotationStep;
  const shown = fileShown(options.file, io.cwd);
  refuseStateFileOntoInputs(
    io.cwd,
    options.file,
    [options.state, ...options.auditLogs, findConfigFile(io.cwd)],
    `rotate ${step}`,
  );
  refuseMissingFile(options, step, shown);
  // Read before taking the lock: the synthesized output and the evidence are not what concurrent steps change.
  const declared = discoverDeclaredKeys(options.synthDir, io.cwd, noteTo(io)).get(name);
  const now = (deps.now ?? (() => new Date()))();
  const at = now.toISOString();
  const evidence = step === "finish" ? await loadEvidence(options, io, name, now, declared) : undefined;
  const { before, after, gates } = await withLockedStateFile<StepOutcome>(
    options.file,
    (state) => {
      if (!Object.prototype.hasOwnProperty.call(state.keys, name) && declared === undefined) {
        throw new KeykitCliError(
          `unknown key '${name}': no entry in ${shown} and no BlueGreenApiKey with rotationName '${name}' ` +
            `in ${fileShown(options.synthDir, io.cwd)} (synthesize first, or check the name with 'keykit rotate status')`,
          EXIT_FINDINGS,
        );
      }
      const current = entryFor(state, name);
      const stepped = decideStep(current, step, at, name);
      // The gates are decided after the order check (finish before start is refused as such) and under the lock.
      const checked = evidence ? finishGates(current, evidence) : undefined;
      const next = checked ? gatedFinish(current, stepped, checked, options.force, name) : stepped;
      return { state: withEntry(state, name, next), result: { before: current, after: next, gates: checked } };
    },
    { shownAs: shown, lockWaitMs: deps.lockWaitMs, onNote: (note) => io.stderr(formatErrorLine(note)) },
  );
  io.stdout(
    [
      stepHeadline(name, step, before, after, shown),
      ...gateLines(gates, options.force, before, shown),
      ...describeStep(name, before, after, declared),
      ...nextSteps(name, step, before, after, shown),
      "",
    ].join("\n"),
  );
  return EXIT_OK;
}

/**
 * A typo'd --file must not silently start a new state while the synth keeps reading the real one, nor show an empty
 * status (as check, audit and verify refuse a named rotation-state file that is not there).
 */
function refuseMissingFile(options: Options, step: Options["subcommand"], shown: string): void {
  if (!options.fileGiven || options.init) return;
  try {
    lstatSync(options.file);
  } catch {
    const hint = step === "status" ? "" : ", or pass --init to create a new rotation-state file there";
    throw new KeykitCliError(`rotate ${step}: ${shown} does not exist; check the path${hint}`, EXIT_USAGE);
  }
}

async function loadEvidence(
  options: Options,
  io: CliIo,
  name: string,
  now: Date,
  declared: DeclaredKey | undefined,
): Promise<GateInputs> {
  const terraformState =
    options.state !== undefined ? { shown: options.state, facts: readStateFacts(options.state, io.cwd) } : undefined;
  let auditLog: GateInputs["auditLog"];
  if (options.auditLogs.length > 0) {
    // Loaded only here: the streaming reader brings the audit's modules, which other steps do not need.
    const { loadAuditLogs } = await import("../audit/config");
    const usage = await loadAuditLogs(options.auditLogs, io.cwd, { now: now.getTime() });
    auditLog = { usage, quietMinutes: options.quietMinutes };
  }
  return { name, now, terraformState, auditLog, addresses: declared?.slots };
}

/** The finished entry if every gate is met; with --force, also when not, recording the reason on the retired slot. */
function gatedFinish(
  before: KeyRotationEntry,
  after: KeyRotationEntry,
  gates: GateResult,
  force: string | undefined,
  name: string,
): KeyRotationEntry {
  if (gates.unmet.length === 0) return after;
  if (force === undefined)
    throw new KeykitCliError(
      `rotate finish ${name} refused: ${gates.unmet.join("; ")}; --force "<reason>" overrides`,
      EXIT_FINDINGS,
    );
  const slot = retainedSlot(before) as SlotName;
  const retired = after.slots[slot] as SlotRecord;
  return { ...after, slots: { ...after.slots, [slot]: { ...retired, forced: { reason: force, unmet: gates.unmet } } } };
}

/** The gates as the step saw them; a forced step says so, without echoing the reason (it is in the diff). */
function gateLines(
  gates: GateResult | undefined,
  force: string | undefined,
  before: KeyRotationEntry,
  shown: string,
): string[] {
  if (gates === undefined) return [];
  const lines = gates.met.map((line) => `Gate met: ${line}`);
  if (gates.unmet.length > 0) {
    lines.push(...gates.unmet.map((line) => `Gate FORCED: ${line}`));
    lines.push(`The --force reason is recorded in ${shown} (slots.${retainedSlot(before)}.forced).`);
  } else if (force !== undefined) {
    lines.push("Note: --force was not needed (every gate is met); nothing about it is recorded.");
  }
  return lines;
}

function decideStep(entry: KeyRotationEntry, step: RotationStep, at: string, name: string): KeyRotationEntry {
  try {
    return applyStep(entry, step, at, name);
  } catch (error) {
    if (error instanceof RotationStepError) throw new KeykitCliError(error.message, EXIT_FINDINGS);
    throw error;
  }
}

function stepHeadline(
  name: string,
  step: RotationStep,
  before: KeyRotationEntry,
  after: KeyRotationEntry,
  shown: string,
): string {
  return step === "start"
    ? `Rotation of '${name}' started: ${after.active} is now the published slot, ${before.active} is retained (${shown} updated).`
    : `Rotation of '${name}' finished: ${retainedSlot(before)} will be deleted (${shown} updated).`;
}

function nextSteps(
  name: string,
  step: RotationStep,
  before: KeyRotationEntry,
  after: KeyRotationEntry,
  shown: string,
): string[] {
  return step === "start"
    ? [
        `Next: review and commit the diff of ${shown}, synthesize, and check the plan only creates (and publishes the`,
        `new slot's secret); apply; run 'keykit verify ${name} …' (finish requires it); move clients to ${after.active};`,
        `then run 'keykit rotate finish ${name}'.`,
        `Do not run finish before this apply: the plan would then delete ${before.active} while clients still use it.`,
      ]
    : [
        `Next: review and commit the diff of ${shown}, synthesize, and check the plan only deletes the retained slot;`,
        `apply; then prove the old key is gone: 'keykit verify ${name} … --retired-key-id <id>' (recorded as evidence).`,
      ];
}

function runStatus(options: Options, io: CliIo): number {
  refuseMissingFile(options, "status", fileShown(options.file, io.cwd));
  const state = readState(options.file, fileShown(options.file, io.cwd));
  const declaredKeys = discoverDeclaredKeys(options.synthDir, io.cwd, noteTo(io));
  const names = [...new Set([...Object.keys(state.keys), ...declaredKeys.keys()])].sort();
  if (options.key !== undefined && !names.includes(options.key)) {
    throw new KeykitCliError(
      `unknown key '${options.key}': no entry in ${fileShown(options.file, io.cwd)} and none declared in ${fileShown(options.synthDir, io.cwd)}`,
      EXIT_FINDINGS,
    );
  }
  const selected = options.key !== undefined ? [options.key] : names;
  if (options.format === "json") {
    const keys = selected.map((name) => statusJson(name, state, declaredKeys));
    io.stdout(`${JSON.stringify({ file: fileShown(options.file, io.cwd), keys }, null, 2)}\n`);
    return EXIT_OK;
  }
  if (selected.length === 0) {
    io.stdout(
      `No blue/green keys: ${fileShown(options.file, io.cwd)} has no entries and ${fileShown(options.synthDir, io.cwd)} declares none (synthesize first).\n`,
    );
    return EXIT_OK;
  }
  const rows = selected.map((name) => {
    const inFile = Object.prototype.hasOwnProperty.call(state.keys, name);
    const entry = entryFor(state, name);
    const since = entry.slots[entry.active]?.activatedAt ?? "(not recorded)";
    const notes: string[] = [];
    if (!inFile) notes.push("no entry yet: initial state");
    if (declaredKeys.size > 0 && !declaredKeys.has(name))
      notes.push(`not declared in ${fileShown(options.synthDir, io.cwd)}`);
    return [
      name,
      phaseOf(entry),
      entry.active,
      existingSlots(entry).join("+"),
      String(entry.rotations),
      since,
      nextStepHint(name, entry) + (notes.length ? `  [${notes.join("; ")}]` : ""),
    ];
  });
  const header = ["KEY", "PHASE", "PUBLISHED", "EXISTING", "ROTATIONS", "PUBLISHED SINCE", "NEXT"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const format = (cells: string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join("  ");
  io.stdout([format(header), ...rows.map(format), ""].join("\n"));
  return EXIT_OK;
}

/** What to do next with a key, with the gates in mind (the JSON status; the table says it in words). */
export interface NextStep {
  readonly step: "start" | "verify" | "finish";
  readonly command: string;
  readonly why: string;
}

export function nextStepOf(name: string, entry: KeyRotationEntry): NextStep {
  const active = entry.slots[entry.active];
  const started = active?.activatedAt ?? active?.createdAt;
  if (phaseOf(entry) === "rotating") {
    // The gate's own test: a standing "works" proof after the start (with its control, no later failure).
    const verified = worksProofProblem(active, started) === undefined;
    return verified
      ? {
          step: "finish",
          command: `keykit rotate finish ${name}`,
          why: `${entry.active} was verified; once clients moved to it, the retained slot can go`,
        }
      : {
          step: "verify",
          command: `keykit verify ${name} …`,
          why: `finish requires ${entry.active} verified after its start (apply the start first)`,
        };
  }
  const old = entry.slots[otherSlot(entry.active)];
  if (old?.status === "retired" && !goneProofStands(old))
    return {
      step: "verify",
      command: `keykit verify ${name} … --retired-key-id <id>`,
      why: `prove the retired slot ${otherSlot(entry.active)} is gone after the finish's apply (evidence for the audit)`,
    };
  return { step: "start", command: `keykit rotate start ${name}`, why: "the next rotation" };
}

function statusJson(name: string, state: RotationState, declared: Map<string, DeclaredKey>): Record<string, unknown> {
  const entry = entryFor(state, name);
  return {
    name,
    inFile: Object.prototype.hasOwnProperty.call(state.keys, name),
    declared: declared.has(name),
    phase: phaseOf(entry),
    published: entry.active,
    existing: existingSlots(entry),
    rotations: entry.rotations,
    slots: entry.slots,
    addresses: declared.get(name)?.slots ?? {},
    next: nextStepOf(name, entry),
  };
}

/** The command with an injectable clock (tests pass a fixed one) and lock wait. */
export function rotateCommand(now: () => Date = () => new Date(), deps: Omit<RotateDependencies, "now"> = {}): Command {
  return async (args, io) => {
    // `keykit rotate verify …` is `keykit verify …`, so the step sits with the others.
    if (args[0] === "verify") return (await import("./verify")).run(args.slice(1), io);
    const options = parseArgs(args, io.cwd, loadProjectDefaults(io));
    if (options === "help") {
      io.stdout(renderCommandHelp(ROTATE_SPEC));
      return EXIT_OK;
    }
    return options.subcommand === "status" ? runStatus(options, io) : runStep(options, io, { ...deps, now });
  };
}

export const run: Command = rotateCommand();
