/**
 * The rotation-state file: which blue/green slots of each `BlueGreenApiKey` exist and which one is published.
 *
 * It is reviewable data, committed next to the app (`keykit.rotation.json` at the project root), edited only by
 * `keykit rotate start|finish` and read by the constructs at synth, by the CLI and by the policy engine. A rotation is
 * therefore a reviewed diff of this file, never a clock: no `time_rotating`, nothing that can delete every key in one
 * late run.
 *
 * This module is pure (no cdktf, no constructs) so every reader can use it (the constructs, `keykit rotate`, the
 * policy loaders and `keykit audit`); its only I/O is reading the file.
 *
 * Per key there are two phases:
 *   - stable:   one slot exists and is active (the other is absent, or retired by an earlier rotation);
 *   - rotating: the new slot exists and is active (the published secret points to it), the previous slot is
 *               retained so clients that still hold it keep working.
 * `start` goes stable → rotating (creates a slot, publishes it); `finish` goes rotating → stable (deletes the retained
 * slot). Any other step is refused. A key absent from the file is in the initial state: blue active, green absent.
 */
import { readFileSync, statSync } from "node:fs";

export const ROTATION_STATE_VERSION = 1;
/** Relative to the project root (where `cdktf synth` and `keykit` run). */
export const DEFAULT_ROTATION_STATE_FILE = "keykit.rotation.json";

export type SlotName = "blue" | "green";
export const SLOT_NAMES: readonly SlotName[] = ["blue", "green"];

/**
 * active:   exists, and the published secret points to it;
 * retained: exists, no longer published, deleted by the next `finish`;
 * retired:  deleted by a `finish` (kept as a record of when).
 */
export type SlotStatus = "active" | "retained" | "retired";

export interface SlotRecord {
  readonly status: SlotStatus;
  /** When the `start` that created this slot was recorded. Absent for the initial blue slot (created before the file). */
  readonly createdAt?: string;
  /** When this slot became the published one. */
  readonly activatedAt?: string;
  /** When a `start` stopped publishing this slot. */
  readonly deactivatedAt?: string;
  /** When the `finish` that deletes this slot was recorded. */
  readonly retiredAt?: string;
  /** When `keykit verify` last proved this slot's state (read by the audit's cleanup script; set by verify). */
  readonly verifiedAt?: string;
}

export interface KeyRotationEntry {
  /** The published slot; always a slot whose status is "active". */
  readonly active: SlotName;
  /** Number of `start` steps recorded for this key. */
  readonly rotations: number;
  readonly slots: Readonly<Partial<Record<SlotName, SlotRecord>>>;
}

export interface RotationState {
  readonly version: number;
  readonly keys: Readonly<Record<string, KeyRotationEntry>>;
}

export type RotationPhase = "stable" | "rotating";
export type RotationStep = "start" | "finish";

/** The file is not a valid rotation state. The CLI maps this to exit code 2; a synth fails with it. */
export class RotationStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RotationStateError";
  }
}

/** A step that is not allowed from the key's current phase. The CLI maps this to exit code 1. */
export class RotationStepError extends Error {
  constructor(
    message: string,
    readonly step: RotationStep,
  ) {
    super(message);
    this.name = "RotationStepError";
  }
}

/** Stable names: what `keykit rotate <step> <name>` takes and what the file is keyed by. */
export const KEY_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,127}$/;

export function validateKeyName(name: string): string | undefined {
  return KEY_NAME_PATTERN.test(name)
    ? undefined
    : "must be 1-128 characters of lower-case letters, digits, '.', '_' or '-', starting with a letter or digit";
}

export function emptyRotationState(): RotationState {
  return { version: ROTATION_STATE_VERSION, keys: {} };
}

/** The state of a key that has no entry yet: blue active, green absent. */
export function initialEntry(): KeyRotationEntry {
  return { active: "blue", rotations: 0, slots: { blue: { status: "active" } } };
}

export function entryFor(state: RotationState, name: string): KeyRotationEntry {
  return Object.prototype.hasOwnProperty.call(state.keys, name) ? state.keys[name] : initialEntry();
}

export function otherSlot(slot: SlotName): SlotName {
  return slot === "blue" ? "green" : "blue";
}

/** Slots that exist in Confluent Cloud in this state (active first). */
export function existingSlots(entry: KeyRotationEntry): SlotName[] {
  const retained = retainedSlot(entry);
  return retained === undefined ? [entry.active] : [entry.active, retained];
}

export function retainedSlot(entry: KeyRotationEntry): SlotName | undefined {
  const other = otherSlot(entry.active);
  return entry.slots[other]?.status === "retained" ? other : undefined;
}

export function phaseOf(entry: KeyRotationEntry): RotationPhase {
  return retainedSlot(entry) === undefined ? "stable" : "rotating";
}

/** `rotate start`: creates the inactive slot and publishes it; the previously active slot is retained. */
export function startRotation(entry: KeyRotationEntry, at: string, name = "the key"): KeyRotationEntry {
  const retained = retainedSlot(entry);
  if (retained !== undefined) {
    throw new RotationStepError(
      `cannot start a rotation of '${name}': its previous slot ${retained} is still retained; run 'keykit rotate finish ${name}' after clients have moved to ${entry.active}`,
      "start",
    );
  }
  const from = entry.active;
  const to = otherSlot(from);
  return {
    active: to,
    rotations: entry.rotations + 1,
    slots: {
      ...entry.slots,
      [from]: { ...entry.slots[from], status: "retained", deactivatedAt: at },
      [to]: { status: "active", createdAt: at, activatedAt: at },
    },
  };
}

/** `rotate finish`: deletes the retained slot; nothing else changes. */
export function finishRotation(entry: KeyRotationEntry, at: string, name = "the key"): KeyRotationEntry {
  const retained = retainedSlot(entry);
  if (retained === undefined) {
    throw new RotationStepError(
      `cannot finish a rotation of '${name}': no rotation in progress (only ${entry.active} exists); run 'keykit rotate start ${name}' first`,
      "finish",
    );
  }
  return {
    ...entry,
    slots: { ...entry.slots, [retained]: { ...entry.slots[retained], status: "retired", retiredAt: at } },
  };
}

export function applyStep(entry: KeyRotationEntry, step: RotationStep, at: string, name?: string): KeyRotationEntry {
  return step === "start" ? startRotation(entry, at, name) : finishRotation(entry, at, name);
}

export function withEntry(state: RotationState, name: string, entry: KeyRotationEntry): RotationState {
  return { version: state.version, keys: { ...state.keys, [name]: entry } };
}

/** What the next apply does to a key's slots when its state goes from `before` to `after`. */
export interface SlotChanges {
  readonly create: readonly SlotName[];
  readonly delete: readonly SlotName[];
  /** Set when the published secret moves to another slot. */
  readonly publish?: { readonly from: SlotName; readonly to: SlotName };
}

export function slotChanges(before: KeyRotationEntry, after: KeyRotationEntry): SlotChanges {
  const was = new Set(existingSlots(before));
  const now = new Set(existingSlots(after));
  return {
    create: SLOT_NAMES.filter((s) => now.has(s) && !was.has(s)),
    delete: SLOT_NAMES.filter((s) => was.has(s) && !now.has(s)),
    ...(before.active !== after.active ? { publish: { from: before.active, to: after.active } } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Format: parse, validate, serialize

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const STATUSES: readonly SlotStatus[] = ["active", "retained", "retired"];
const TIMESTAMP_FIELDS = ["createdAt", "activatedAt", "deactivatedAt", "retiredAt", "verifiedAt"] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parseSlot(value: unknown, where: string): SlotRecord {
  if (!isRecord(value)) throw new RotationStateError(`${where}: must be an object`);
  const status = value.status;
  if (typeof status !== "string" || !(STATUSES as readonly string[]).includes(status)) {
    throw new RotationStateError(
      `${where}.status: must be one of ${STATUSES.join(", ")} (got ${JSON.stringify(status)})`,
    );
  }
  const record: Record<string, string> = { status };
  for (const field of TIMESTAMP_FIELDS) {
    const v = value[field];
    if (v === undefined) continue;
    if (typeof v !== "string" || !ISO_TIMESTAMP.test(v) || Number.isNaN(Date.parse(v))) {
      throw new RotationStateError(`${where}.${field}: must be an ISO 8601 timestamp (got ${JSON.stringify(v)})`);
    }
    record[field] = v;
  }
  return record as unknown as SlotRecord;
}

function parseEntry(value: unknown, where: string): KeyRotationEntry {
  if (!isRecord(value)) throw new RotationStateError(`${where}: must be an object`);
  const active = value.active;
  if (active !== "blue" && active !== "green") {
    throw new RotationStateError(`${where}.active: must be "blue" or "green" (got ${JSON.stringify(active)})`);
  }
  const rotations = value.rotations ?? 0;
  if (typeof rotations !== "number" || !Number.isInteger(rotations) || rotations < 0) {
    throw new RotationStateError(
      `${where}.rotations: must be a non-negative integer (got ${JSON.stringify(rotations)})`,
    );
  }
  if (!isRecord(value.slots)) throw new RotationStateError(`${where}.slots: must be an object`);
  const slots: Partial<Record<SlotName, SlotRecord>> = {};
  for (const [slot, record] of Object.entries(value.slots)) {
    if (slot !== "blue" && slot !== "green") {
      throw new RotationStateError(`${where}.slots: unknown slot ${JSON.stringify(slot)} (allowed: blue, green)`);
    }
    slots[slot] = parseSlot(record, `${where}.slots.${slot}`);
  }
  // The redundant `active` field makes the diff readable; it must agree with the slot statuses.
  if (slots[active]?.status !== "active") {
    throw new RotationStateError(`${where}: active is "${active}" but slots.${active}.status is not "active"`);
  }
  const other = slots[otherSlot(active)];
  if (other?.status === "active") {
    throw new RotationStateError(`${where}: both slots are "active"; exactly one slot is published`);
  }
  return { active, rotations, slots };
}

/** Parses and validates the file's text. `source` names the file in error messages. */
export function parseRotationState(text: string, source = DEFAULT_ROTATION_STATE_FILE): RotationState {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new RotationStateError(
      `${source}: not valid JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  return validateRotationState(raw, source);
}

/** Validates an already parsed file (e.g. one `keykit check` read and detected by shape). */
export function validateRotationState(raw: unknown, source = DEFAULT_ROTATION_STATE_FILE): RotationState {
  if (!isRecord(raw)) throw new RotationStateError(`${source}: must be a JSON object`);
  if (raw.version !== ROTATION_STATE_VERSION) {
    throw new RotationStateError(
      `${source}: unsupported version ${JSON.stringify(raw.version)} (this keykit reads version ${ROTATION_STATE_VERSION})`,
    );
  }
  if (!isRecord(raw.keys)) throw new RotationStateError(`${source}: "keys" must be an object`);
  const keys: Record<string, KeyRotationEntry> = {};
  for (const [name, entry] of Object.entries(raw.keys)) {
    const problem = validateKeyName(name);
    if (problem) throw new RotationStateError(`${source}: key name ${JSON.stringify(name)} ${problem}`);
    keys[name] = parseEntry(entry, `${source}: keys.${name}`);
  }
  return { version: ROTATION_STATE_VERSION, keys };
}

/** Deterministic text (sorted keys, fixed field order, trailing newline) so every step is a minimal diff. */
export function serializeRotationState(state: RotationState): string {
  const keys: Record<string, unknown> = {};
  for (const name of Object.keys(state.keys).sort()) {
    const entry = state.keys[name];
    const slots: Record<string, unknown> = {};
    for (const slot of SLOT_NAMES) {
      const record = entry.slots[slot];
      if (!record) continue;
      const ordered: Record<string, string> = { status: record.status };
      for (const field of TIMESTAMP_FIELDS) if (record[field] !== undefined) ordered[field] = record[field] as string;
      slots[slot] = ordered;
    }
    keys[name] = { active: entry.active, rotations: entry.rotations, slots };
  }
  return `${JSON.stringify({ version: state.version, keys }, null, 2)}\n`;
}

/** Reads the file; a missing file is an empty state (every key in its initial state). `source` names it in errors. */
export function readRotationStateFile(path: string, source: string = path): RotationState {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return emptyRotationState();
    throw new RotationStateError(`${source}: cannot read (${(error as Error).message})`);
  }
  return parseRotationState(text, source);
}

const cache = new Map<string, { readonly stamp: string; readonly state: RotationState }>();

/**
 * Like readRotationStateFile, read once per process while the file is unchanged: an app with a thousand keys
 * parses it once. The cache is keyed by inode, size and times, so a file edited between two synths is re-read.
 */
export function readRotationStateFileCached(path: string, source: string = path): RotationState {
  let stamp = "missing";
  try {
    const s = statSync(path);
    // The CLI replaces the file by rename, so the inode changes on every step even within one mtime tick.
    stamp = `${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;
  } catch {
    // Missing: readRotationStateFile decides (empty state).
  }
  const hit = cache.get(path);
  if (hit && hit.stamp === stamp) return hit.state;
  const state = readRotationStateFile(path, source);
  cache.set(path, { stamp, state });
  return state;
}

/** Age of the active slot in days, or undefined when its creation was never recorded (for max-age checks). */
export function activeSlotAgeDays(entry: KeyRotationEntry, now: Date): number | undefined {
  const created = entry.slots[entry.active]?.createdAt;
  return created === undefined ? undefined : (now.getTime() - Date.parse(created)) / 86_400_000;
}
