/**
 * Reads `keykit check` inputs from disk and detects their kind:
 *   a directory of *.tf → HCL; a cdktf.out directory (stacks/*\/cdk.tf.json) → every stack; a directory with
 *   cdk.tf.json → that stack; JSON with `resource_changes` → plan; `values.root_module` (or only `format_version`)
 *   → state; `resource`/`terraform`/`provider`/`output`/`data` at the top → cdk.tf.json; a *.tf file → HCL.
 * A plan or state next to a `cdk.tf.json` (the stack directory `cdktf synth` wrote) picks up its keykit metadata.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { Tier } from "../metadata";
import type { KeykitModel, RotationEntry } from "../model";
import { loadConfiguration } from "./configuration";
import { loadHclDirectory, loadHclFiles } from "./hcl";
import { loadPlan } from "./plan";
import { withRotationState } from "./rotation";
import { InputFileError, inputPathKind, readInputText } from "./read-input-file";
import { loadState } from "./state";
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

/** Loads one JSON text already read from `path`. Exported for tests and the fuzz harness. */
export function loadJsonInput(
  json: unknown,
  path: string,
  options: ReadInputOptions = {},
  metadata?: KeykitModel,
): KeykitModel {
  const kind = detectJsonKind(json);
  switch (kind) {
    case "plan":
      return loadPlan(json, { source: path, tier: options.tier, metadata });
    case "state":
      return loadState(json, { source: path, tier: options.tier, metadata });
    case "cdktf-json":
      return loadConfiguration(json, { source: path, tier: options.tier });
    case "rotation-state":
      throw new InputError(`${path}: is a rotation-state file; pass it with --rotation-state`);
    case "acknowledgements":
      throw new InputError(`${path}: is an acknowledgements file; pass it with --acknowledgements`);
    default:
      throw new InputError(`${path}: cannot tell what this JSON is (not a plan, state or cdk.tf.json)`);
  }
}

async function loadPath(path: string, options: ReadInputOptions): Promise<KeykitModel[]> {
  const abs = (p: string) => resolve(options.cwd ?? ".", p);
  let pathKind;
  try {
    pathKind = inputPathKind(path, options.cwd ?? ".");
  } catch (error) {
    if (error instanceof InputFileError) throw new InputError(error.message);
    throw error;
  }
  if (pathKind === "directory") {
    const stacksDir = join(path, "stacks");
    if (existsSync(abs(stacksDir)) && statSync(abs(stacksDir)).isDirectory()) {
      const stacks = readdirSync(abs(stacksDir))
        .sort()
        .map((s) => join(stacksDir, s, "cdk.tf.json"))
        .filter((f) => existsSync(abs(f)));
      if (stacks.length === 0) throw new InputError(`${path}: a cdktf.out directory without stacks/*/cdk.tf.json`);
      return stacks.map((f) => loadJsonInput(parseJsonText(readText(f, options.cwd), f), f, options));
    }
    const synthesized = join(path, "cdk.tf.json");
    if (existsSync(abs(synthesized))) {
      return [loadJsonInput(parseJsonText(readText(synthesized, options.cwd), synthesized), synthesized, options)];
    }
    const hasTf = readdirSync(abs(path)).some((n) => n.endsWith(".tf"));
    if (hasTf) return [await loadHclDirectory(path, { source: path, tier: options.tier, cwd: options.cwd })];
    throw new InputError(`${path}: directory holds no *.tf files, cdk.tf.json or stacks/`);
  }
  if (path.endsWith(".tf")) {
    return [
      await loadHclFiles([{ file: path, text: readText(path, options.cwd) }], { source: path, tier: options.tier }),
    ];
  }
  // The text is not kept in a variable: it (hundreds of MB for a big plan) becomes garbage as soon as it is parsed.
  const json = parseJsonText(readText(path, options.cwd), path);
  const kind = detectJsonKind(json);
  const metadata = kind === "plan" || kind === "state" ? siblingMetadata(path, options) : undefined;
  return [loadJsonInput(json, path, options, metadata)];
}

/** Loads every input path into models (a cdktf.out directory gives one model per stack). */
export async function readInputs(paths: readonly string[], options: ReadInputOptions = {}): Promise<KeykitModel[]> {
  const models: KeykitModel[] = [];
  for (const p of paths) models.push(...(await loadPath(p, options)));
  return options.rotation && options.rotation.length > 0
    ? models.map((m) => withRotationState(m, options.rotation ?? []))
    : models;
}
