/**
 * Reads the rotation-state file (`keykit.rotation.json`, written by `keykit rotate`) into the model: which slot of
 * each BlueGreenApiKey is active, and when each slot was created (the age KK004 judges). The file's format and its
 * validation are policies/rotation-state.ts, shared with the constructs and the rotate command.
 */
import type { ApiKey, KeykitModel, RotationEntry } from "../model";
import { RotationStateError, SLOT_NAMES, validateRotationState } from "../rotation-state";
import { InputError } from "./util";

/** The model's view of a parsed rotation-state file; a malformed file is an InputError (exit 2). */
export function rotationEntriesFrom(json: unknown, source: string): RotationEntry[] {
  let state;
  try {
    state = validateRotationState(json, source);
  } catch (error) {
    if (error instanceof RotationStateError) throw new InputError(error.message);
    throw error;
  }
  return Object.entries(state.keys).map(([name, entry]) => ({
    name,
    activeSlot: entry.active,
    // Retired slots are history: they no longer exist in Confluent (the audit checks that they really are gone).
    slots: SLOT_NAMES.flatMap((slot) => {
      const record = entry.slots[slot];
      if (!record || record.status === "retired") return [];
      return [{ slot, ...(record.createdAt ? { createdAt: record.createdAt } : {}) }];
    }),
  }));
}

/** Adds rotation state to a model: slot creation times and the active slot override what synth recorded. */
export function withRotationState(model: KeykitModel, rotation: readonly RotationEntry[]): KeykitModel {
  const byName = new Map(rotation.map((r) => [r.name, r]));
  const apiKeys: ApiKey[] = model.apiKeys.map((key) => {
    if (!key.rotation) return key;
    const entry = byName.get(key.rotation.name);
    if (!entry) return key;
    const slot = entry.slots.find((s) => s.slot === key.rotation?.slot);
    return {
      ...key,
      rotation: {
        ...key.rotation,
        active: entry.activeSlot ? entry.activeSlot === key.rotation.slot : key.rotation.active,
      },
      ...(slot?.createdAt && !key.createdAt ? { createdAt: slot.createdAt } : {}),
    };
  });
  return { ...model, apiKeys, rotation: [...model.rotation, ...rotation] };
}
