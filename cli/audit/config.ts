/**
 * Loads the desired state of an audit: `--config` files (cdk.tf.json, Terraform state JSON or plan JSON, told
 * apart by shape) through the policy loaders, and the rotation-state file.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { KeykitCliError } from "../errors";
import { RotationStateError, readRotationStateFile, SLOT_NAMES } from "../../constructs/rotation-state";
import { loadConfiguration } from "../../policies/loaders/configuration";
import { loadPlan } from "../../policies/loaders/plan";
import { loadState } from "../../policies/loaders/state";
import { InputError, parseJsonText } from "../../policies/loaders/util";
import type { DesiredState, RotationSlotFacts } from "../../policies/inventory/audit-model";
import { desiredStateFromModels, nameFactsFromJson, type NameFacts } from "../../policies/inventory/desired-state";
import type { KeykitModel } from "../../policies/model";

export function readInputFile(path: string, cwd: string): string {
  try {
    return readFileSync(resolve(cwd, path), "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new KeykitCliError(`${path}: cannot read (${code === "ENOENT" ? "no such file" : (code ?? "error")})`);
  }
}

/** Which loader a configuration file needs, by its top-level shape. */
export function configKind(json: unknown): "plan" | "state" | "cdktf-json" | undefined {
  if (typeof json !== "object" || json === null || Array.isArray(json)) return undefined;
  const o = json as Record<string, unknown>;
  if ("format_version" in o && ("resource_changes" in o || "planned_values" in o || "prior_state" in o)) return "plan";
  if ("format_version" in o && ("values" in o || "terraform_version" in o)) return "state";
  if ("resource" in o || "terraform" in o || "provider" in o || "//" in o) return "cdktf-json";
  return undefined;
}

export function loadDesiredState(files: readonly string[], cwd: string): DesiredState {
  const models: KeykitModel[] = [];
  const names = new Map<string, NameFacts>();
  for (const file of files) {
    const text = readInputFile(file, cwd);
    try {
      const json = parseJsonText(text, file);
      const kind = configKind(json);
      if (kind === undefined) {
        throw new InputError(`${file}: not a cdk.tf.json, Terraform state JSON or plan JSON`);
      }
      models.push(
        kind === "plan"
          ? loadPlan(json, { source: file })
          : kind === "state"
            ? loadState(json, { source: file })
            : loadConfiguration(json, { source: file }),
      );
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
    const state = readRotationStateFile(resolve(cwd, path));
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
