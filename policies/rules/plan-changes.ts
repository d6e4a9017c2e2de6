/** Helpers for the plan rules: which changes delete or create a key, and how to explain a replacement. */
import type { PlannedChange } from "../model";

const REASONS: Readonly<Record<string, string>> = {
  replace_because_cannot_update: "an argument that cannot be updated in place changed",
  replace_because_tainted: "the key is tainted",
  replace_by_request: "a replacement was requested (-replace)",
  replace_by_triggers: "replace_triggered_by fired",
  delete_because_no_resource_config: "it was removed from configuration (a changed cdktf construct ID does this)",
  delete_because_wrong_repetition: "count/for_each was added or removed",
  delete_because_count_index: "its count index is out of range",
  delete_because_each_key: "its for_each key is gone",
  delete_because_no_module: "its module was removed",
  delete_because_no_move_target: "a moved block points nowhere",
};

export function explainReason(reason: string | undefined): string | undefined {
  if (!reason) return undefined;
  return REASONS[reason] ? `${REASONS[reason]} (${reason})` : reason;
}

const isKeyChange = (c: PlannedChange) => c.type === "confluent_api_key" && c.mode === "managed";

/** A same-address replacement of a live key (not a deposed object). */
export function isReplacement(c: PlannedChange): boolean {
  return isKeyChange(c) && !c.deposed && c.actions.includes("delete") && c.actions.includes("create");
}

/** Deletes a live key in Confluent Cloud (pure delete or replacement; not forget, not a deposed leftover). */
export function deletesKey(c: PlannedChange): boolean {
  return isKeyChange(c) && !c.deposed && c.actions.includes("delete");
}

export function isPureDelete(c: PlannedChange): boolean {
  return isKeyChange(c) && !c.deposed && c.actions.length === 1 && c.actions[0] === "delete";
}

export function isPureCreate(c: PlannedChange): boolean {
  return isKeyChange(c) && c.actions.length === 1 && c.actions[0] === "create";
}
