/**
 * Reads `keykit check` inputs from disk and detects their kind:
 *   a directory of *.tf → HCL; a cdktf.out directory (stacks/*\/cdk.tf.json) → every stack; a directory with
 *   cdk.tf.json → that stack; JSON with `resource_changes` → plan; `values.root_module` (or only `format_version`)
 *   → state; `resource`/`terraform`/`provider`/`output`/`data` at the top → cdk.tf.json; a *.tf file → HCL.
 * A plan or state next to a `cdk.tf.json` (the stack directory `cdktf synth` wrote) picks up its keykit metadata.
 * Which inputs a directory holds is decided by discover.ts, the search every command shares.
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { Tier } from "../metadata";
import { type KeykitModel, type RotationEntry, emptyModel } from "../model";
import { type DiscoveredInput, findInputs } from "./discover";
import type { HclParseCache } from "./hcl-calls";
import { loadConfiguration } from "./configuration";
import { loadPlan, readPlanText } from "./plan";
import { withRotationState } from "./rotation";
import { InputFileError, readInputText } from "./read-input-file";
import { loadState } from "./state";
import { addressPositions, configurationPositions } from "./json-positions";
import { InputError, isObject, parseJsonText } from "./util";

export type DetectedKind = "plan" | "state" | "cdktf-json" | "rotation-state" | "acknowledgements" | "unknown";

/** What a parsed JSON document is. */
export function detectJsonKind(json: unknown): DetectedKind {
  if (!isObject(json)) return "unknown";
  if ("resource_changes" in json || "planned_values" in json || "output_changes" in json) return "plan";
  if (isObject(json.values) || ("format_version" in json && "terraform_version" in json && !("resource" in json)))
    return "state";
  if ("format_version" in json && Object.keys(json).length <= 2) return "state";
  if (["resource", "terraform", "provider", "output", "data"].some((k) => k in json)) return "cdktf-json";
  if ("acknowledgements" in json && "version" in json) return "acknowledgements";
  if ("keys" in json && "version" in json) return "rotation-state";
  return "unknown";
}

export interface ReadInputOptions {
  /** Relative paths are read from here (reports keep the paths as given). Default: the process's cwd. */
  readonly cwd?: string;
  readonly tier?: Tier;
  readonly rotation?: readonly RotationEntry[];
}

function readText(path: string, cwd?: string): string {
  try {
    return readInputText(path, cwd ?? ".");
  } catch (error) {
    if (error instanceof InputFileError) throw new InputError(error.message);
    throw error;
  }
}

/**
 * Reads and loads one JSON file, with line numbers from its text: the one reader of a stack's cdk.tf.json for check,
 * rotate and the jest helpers (a FIFO, malformed JSON or a JSON of no known kind is the same line in each).
 */
export function loadJsonFile(path: string, options: ReadInputOptions, metadata?: KeykitModel): KeykitModel {
  const text = readText(path, options.cwd);
  return loadJsonInput(parseJsonText(text, path), path, options, metadata, text);
}

/** Loads the keykit metadata of the cdk.tf.json next to a plan/state, if there is one. */
function siblingMetadata(path: string, options: ReadInputOptions): KeykitModel | undefined {
  const candidate = join(dirname(path), "cdk.tf.json");
  if (candidate === path || !existsSync(resolve(options.cwd ?? ".", candidate))) return undefined;
  try {
    return loadConfiguration(parseJsonText(readText(candidate, options.cwd), candidate), {
      source: candidate,
      tier: options.tier,
    });
  } catch {
    return undefined; // metadata is a bonus; the plan is judged on its own
  }
}

/** Loads one JSON text already read from `path` (`text`, when given, for line numbers). Exported for tests. */
export function loadJsonInput(
  json: unknown,
  path: string,
  options: ReadInputOptions = {},
  metadata?: KeykitModel,
  text?: string,
): KeykitModel {
  const kind = detectJsonKind(json);
  switch (kind) {
    case "plan":
      return loadPlan(json, {
        source: path,
        tier: options.tier,
        metadata,
        positions: text === undefined ? undefined : addressPositions(text),
      });
    case "state":
      return loadState(json, {
        source: path,
        tier: options.tier,
        metadata,
        positions: text === undefined ? undefined : addressPositions(text),
      });
    case "cdktf-json":
      return loadConfiguration(json, {
        source: path,
        tier: options.tier,
        positions: text === undefined ? undefined : configurationPositions(text),
      });
    case "rotation-state":
      throw new InputError(`${path}: is a rotation-state file; pass it with --rotation-state`);
    case "acknowledgements":
      throw new InputError(`${path}: is an acknowledgements file; pass it with --acknowledgements`);
    default:
      throw new InputError(`${path}: cannot tell what this JSON is (not a plan, state or cdk.tf.json)`);
  }
}

/** Loads a file given by path: `*.tf` is HCL, anything else JSON told by its content. */
async function loadFile(path: string, options: ReadInputOptions): Promise<KeykitModel> {
  if (path.endsWith(".tf")) {
    // The HCL loaders (and through them the HCL parser) are loaded for HCL inputs only: a plan's check starts faster.
    const { loadHclFiles } = await import("./hcl");
    return loadHclFiles([{ file: path, text: readText(path, options.cwd) }], {
      source: path,
      tier: options.tier,
      cwd: options.cwd,
      dir: dirname(path),
    });
  }
  // The text (hundreds of MB for a big plan) is kept only until its positions are scanned. Of a plan only the
  // members the loader reads are parsed.
  const text = readText(path, options.cwd);
  const json = readPlanText(text) ?? parseJsonText(text, path);
  const kind = detectJsonKind(json);
  const metadata = kind === "plan" || kind === "state" ? siblingMetadata(path, options) : undefined;
  return loadJsonInput(json, path, options, metadata, text);
}

/** Loads one discovered input (a cdktf.out gives one model per stack). */
async function loadDiscovered(
  input: DiscoveredInput,
  options: ReadInputOptions,
  scanned: string,
  cache: HclParseCache,
): Promise<KeykitModel[]> {
  switch (input.kind) {
    case "file":
      return [await loadFile(input.path, options)];
    case "cdktf-json":
      return [loadJsonFile(input.path, options)];
    case "cdktf-out":
      return input.stacks.map((s) => loadJsonFile(s.path, options));
    case "hcl": {
      // Loaded only for HCL inputs: the HCL parser is a large part of a start-up that reads a plan.
      const { loadHclDirectory } = await import("./hcl");
      // The scanned tree bounds where local module sources are read (modules.json entries excepted, with a note).
      return [
        await loadHclDirectory(input.path, {
          source: input.path,
          tier: options.tier,
          cwd: options.cwd,
          boundary: scanned,
          cache,
        }),
      ];
    }
    case "unreadable":
      throw new InputError(`${input.path}: ${input.problem}`);
  }
}

/**
 * A path: a file, or every root, cdk.tf.json and cdktf.out found in a directory (policies/loaders/discover.ts), each
 * its own input. With several, one that cannot be read becomes a note on an empty input and the others are checked;
 * refused (exit 2) only when none can be.
 */
async function loadPath(path: string, options: ReadInputOptions): Promise<KeykitModel[]> {
  const cache: HclParseCache = new Map();
  const inputs = await findInputs(path, resolve(options.cwd ?? "."), cache);
  if (inputs.length === 1) return loadDiscovered(inputs[0], options, path, cache);
  const models: KeykitModel[] = [];
  let firstError: InputError | undefined;
  for (const input of inputs) {
    try {
      models.push(...(await loadDiscovered(input, options, path, cache)));
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      firstError ??= error;
      const kind = input.kind === "hcl" ? "hcl" : "cdktf-json";
      models.push({ ...emptyModel(kind, input.path, options.tier), notes: [`not checked: ${error.message}`] });
    }
  }
  if (firstError && models.every((m) => m.notes.some((n) => n.startsWith("not checked: ")))) {
    throw new InputError(`${path}: none of the ${inputs.length} inputs found could be read (${firstError.message})`);
  }
  return models;
}

/** Loads every input path into models (a cdktf.out directory gives one model per stack). */
export async function readInputs(paths: readonly string[], options: ReadInputOptions = {}): Promise<KeykitModel[]> {
  const models: KeykitModel[] = [];
  for (const p of paths) models.push(...(await loadPath(p, options)));
  return options.rotation && options.rotation.length > 0
    ? models.map((m) => withRotationState(m, options.rotation ?? []))
    : models;
}
