/**
 * Reads the rotation-state file (`keykit.rotation.json`, written by `keykit rotate`) into the model: which slot of
 * each BlueGreenApiKey is active, and when each slot was created (the age KK004 judges). Only the fields the rules
 * need are read; the file's full format and validation live with the rotate command.
 */
import type { ApiKey, KeykitModel, RotationEntry } from "../model";
import { InputError, asObject, asString, entries, isObject } from "./util";

const SLOTS = ["blue", "green"] as const;

export function parseRotationState(json: unknown, source: string): RotationEntry[] {
  if (!isObject(json) || json.version !== 1 || !isObject(json.keys)) {
    throw new InputError(`${source}: not a keykit rotation-state file (expected {"version": 1, "keys": {...}})`);
  }
  return entries(json.keys).map(([name, raw]) => {
    const entry = asObject(raw) ?? {};
    const active = entry.active === "blue" || entry.active === "green" ? entry.active : undefined;
    const slots = SLOTS.flatMap((slot) => {
      const record = asObject(asObject(entry.slots)?.[slot]);
      if (!record || record.status === "retired") return [];
      const createdAt = asString(record.createdAt);
      return [{ slot, ...(createdAt ? { createdAt } : {}) }];
    });
    return { name, ...(active ? { activeSlot: active } : {}), slots };
  });
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
