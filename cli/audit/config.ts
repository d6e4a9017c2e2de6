/**
 * Loads the desired state of an audit: `--config` inputs (cdk.tf.json, Terraform state JSON or plan JSON, stack
 * or cdktf.out directories) through the policy loaders, and the rotation-state file.
 */
import { existsSync, lstatSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { KeykitCliError } from "../errors";
import { emptyRotationState, parseRotationState, RotationStateError, SLOT_NAMES } from "../../policies/rotation-state";
import { InputFileError, inputPathKind, readInputText } from "../../policies/loaders/read-input-file";
import { detectJsonKind, loadJsonInput } from "../../policies/loaders/input";
import { InputError, parseJsonText } from "../../policies/loaders/util";
import type { DesiredState, RotationSlotFacts } from "../../policies/inventory/audit-model";
import { desiredStateFromModels, nameFactsFromJson, type NameFacts } from "../../policies/inventory/desired-state";
import type { KeykitModel } from "../../policies/model";

export function readInputFile(path: string, cwd: string): string {
  try {
    return readInputText(path, cwd);
  } catch (error) {
    if (error instanceof InputFileError) throw new KeykitCliError(error.message);
    throw error;
  }
}

/**
 * The configuration files behind `--config` paths: a file as is, a stack directory (`cdk.tf.json` inside), or a
 * cdktf.out directory (every `stacks/<stack>/cdk.tf.json`), like `keykit check`.
 */
export function configFiles(paths: readonly string[], cwd: string): string[] {
  const files: string[] = [];
  for (const path of paths) {
    let directory: boolean;
    try {
      directory = inputPathKind(path, cwd) === "directory";
    } catch (error) {
      if (error instanceof InputFileError) throw new KeykitCliError(error.message);
      throw error;
    }
    if (!directory) {
      files.push(path);
      continue;
    }
    const stacks = join(path, "stacks");
    if (existsSync(resolve(cwd, stacks))) {
      const found = readdirSync(resolve(cwd, stacks))
        .sort()
        .map((stack) => join(stacks, stack, "cdk.tf.json"))
        .filter((file) => existsSync(resolve(cwd, file)));
      if (found.length === 0) throw new KeykitCliError(`${path}: a cdktf.out directory without stacks/*/cdk.tf.json`);
      files.push(...found);
    } else if (existsSync(resolve(cwd, join(path, "cdk.tf.json")))) {
      files.push(join(path, "cdk.tf.json"));
    } else {
      throw new KeykitCliError(
        `${path}: directory holds no cdk.tf.json or stacks/ (pass cdk.tf.json, state or plan JSON)`,
      );
    }
  }
  return files;
}

/** Loads `--config` inputs with the policy loaders (the kind is detected as `keykit check` does). */
export function loadDesiredState(paths: readonly string[], cwd: string): DesiredState {
  const models: KeykitModel[] = [];
  const names = new Map<string, NameFacts>();
  for (const file of configFiles(paths, cwd)) {
    const text = readInputFile(file, cwd);
    try {
      const json = parseJsonText(text, file);
      const kind = detectJsonKind(json);
      models.push(loadJsonInput(json, file));
      // Names match configured keys whose id is unknown (cdk.tf.json, keys a plan creates); a state has every id.
      if (kind !== "state") nameFactsFromJson(json, names);
    } catch (error) {
      if (error instanceof InputError) throw new KeykitCliError(error.message);
      throw error;
    }
  }
  return desiredStateFromModels(models, names);
}

/** Every slot of every key in the rotation-state file (a missing file is an empty state). */
export function loadRotationSlots(path: string, cwd: string): RotationSlotFacts[] {
  try {
    // Read like every other input (a FIFO or a UTF-16 file is refused); a missing file is an empty state.
    const state = pathExists(path, cwd) ? parseRotationState(readInputFile(path, cwd), path) : emptyRotationState();
    const slots: RotationSlotFacts[] = [];
    for (const [name, entry] of Object.entries(state.keys)) {
      for (const slot of SLOT_NAMES) {
        const record = entry.slots[slot];
        if (!record) continue;
        slots.push({
          name,
          slot,
          status: record.status,
          ...(record.createdAt !== undefined ? { createdAt: record.createdAt } : {}),
          ...(record.retiredAt !== undefined ? { retiredAt: record.retiredAt } : {}),
        });
      }
    }
    return slots;
  } catch (error) {
    if (error instanceof RotationStateError) throw new KeykitCliError(error.message.split("\n")[0]);
    throw error;
  }
}

/** True when something (even a dangling link) is at `path`: only a truly missing file is "not given". */
export function pathExists(path: string, cwd: string): boolean {
  try {
    lstatSync(resolve(cwd, path));
    return true;
  } catch {
    return false;
  }
}
