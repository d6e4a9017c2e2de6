/**
 * The rotation-state file: which blue/green slots of each `BlueGreenApiKey` exist and which one is published.
 *
 * It is reviewable data, committed next to the app (`keykit.rotation.json` at the project root), edited only by
 * `keykit rotate start|finish` and `keykit verify` (which records what it proved) and read by the constructs at synth, by the CLI and by the policy engine. A rotation is
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
import { statSync } from "node:fs";
import { isTimestamp } from "./dates";
import { InputFileError, pathExists, readInputText } from "./loaders/read-input-file";
import { jsonErrorPosition } from "./loaders/util";

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
  /**
   * The slot's API key id as `keykit verify` proved it (recorded with a "works" proof, kept when `finish` retires
   * the slot): what `verify --retired-key-id` must name, and what the audit matches a retired slot's proof by.
   */
  readonly keyId?: string;
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
  /** What that `keykit verify` proved (set with verifiedAt). */
  readonly verification?: SlotVerification;
  /** The last `keykit verify` whose check about this slot failed: a proof older than it no longer stands. */
  readonly failedVerify?: FailedVerify;
  /** Set when `rotate finish --force` retired this slot although a gate was not met. */
  readonly forced?: ForcedStep;
}

/**
 * What `keykit verify` proved about a slot: "works" (the published credentials authenticated, the slot was the
 * active one) or "gone" (after finish, the Cloud API no longer knows the retired slot's key).
 */
export interface SlotVerification {
  readonly proved: "works" | "gone";
  /** The exact key the proof is about: a proof stands only for this id. */
  readonly keyId: string;
  /** The endpoint that answered (scheme, host, port) and where verify took it from ("--rest-endpoint", "--state <address>"). */
  readonly endpoint?: string;
  readonly endpointFrom?: string;
  /** The check that answered, e.g. "Kafka REST https://pkc-1.confluent.cloud GET /kafka/v3/clusters/lkc-1/topics: 200". */
  readonly by: string;
  /** "works" only: the status the same request got with a deliberately wrong secret (401 or 403: the server checks). */
  readonly control?: number;
  /** Where the published document was read ("vault kv/apps/orders"); "works" only. */
  readonly document?: string;
}

/** A failed `keykit verify` of a slot: when, for which key (when known), and which check failed. */
export interface FailedVerify {
  readonly at: string;
  readonly keyId?: string;
  readonly failed: string;
}

/** A `finish` recorded without its gates: who reviews the diff sees why. */
export interface ForcedStep {
  readonly reason: string;
  /** The gates that were not met, as the refusal would have said them. */
  readonly unmet: readonly string[];
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
  return { version: ROTATION_STATE_VERSION, keys: Object.create(null) as Record<string, KeyRotationEntry> };
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
  const record = entry.slots[retained] as SlotRecord;
  // The retired slot keeps the key id it had, so a later gone check and the audit can be matched to that key.
  const keyId = record.keyId ?? (record.verification?.proved === "works" ? record.verification.keyId : undefined);
  return {
    ...entry,
    slots: {
      ...entry.slots,
      [retained]: { ...record, ...(keyId !== undefined ? { keyId } : {}), status: "retired", retiredAt: at },
    },
  };
}

/**
 * True when a retired slot's "gone" proof stands: recorded by `keykit verify` after the retirement, with no failed
 * verify of the slot at or after it. It stands for `record.verification.keyId` only.
 */
export function goneProofStands(record: SlotRecord | undefined): boolean {
  const at = record?.verifiedAt;
  if (at === undefined || record?.verification?.proved !== "gone") return false;
  if (record.retiredAt !== undefined && Date.parse(at) < Date.parse(record.retiredAt)) return false;
  return record.failedVerify === undefined || Date.parse(record.failedVerify.at) < Date.parse(at);
}

/**
 * Why the slot has no standing "works" proof since `since` (its start), or undefined when it has one: a recorded
 * "works" after `since`, made with the wrong-secret control, and no failed verify after it. Recorded text is
 * never quoted (the file is input); times and key ids are validated.
 */
export function worksProofProblem(record: SlotRecord | undefined, since: string | undefined): string | undefined {
  const after = (time: string | undefined) =>
    time !== undefined && (since === undefined || Date.parse(time) >= Date.parse(since));
  const proof = record?.verification?.proved === "works" && after(record.verifiedAt) ? record : undefined;
  const failed = record?.failedVerify;
  if (
    failed !== undefined &&
    after(failed.at) &&
    (proof === undefined || Date.parse(failed.at) >= Date.parse(proof.verifiedAt as string))
  )
    return `a verify failed at ${failed.at}${failed.keyId !== undefined ? ` (key ${failed.keyId})` : ""} and none succeeded after it`;
  if (proof === undefined) return "was not verified after its start";
  if (proof.verification?.control === undefined)
    return `was verified at ${proof.verifiedAt} without the wrong-secret control (by an older keykit)`;
  return undefined;
}

export function applyStep(entry: KeyRotationEntry, step: RotationStep, at: string, name?: string): KeyRotationEntry {
  return step === "start" ? startRotation(entry, at, name) : finishRotation(entry, at, name);
}

export function withEntry(state: RotationState, name: string, entry: KeyRotationEntry): RotationState {
  // Prototype-free: a key named `constructor` is a key like any other, and a missing one is not found on a prototype.
  const keys = Object.assign(Object.create(null) as Record<string, KeyRotationEntry>, state.keys, { [name]: entry });
  return { version: state.version, keys };
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

const STATUSES: readonly SlotStatus[] = ["active", "retained", "retired"];
const TIMESTAMP_FIELDS = ["createdAt", "activatedAt", "deactivatedAt", "retiredAt", "verifiedAt"] as const;
/** Every known slot field, in the order a new file writes them. */
const SLOT_FIELDS = ["status", "keyId", ...TIMESTAMP_FIELDS, "verification", "failedVerify", "forced"] as const;
/** Key ids are short words (the audit log's and verify's alphabet). */
export const API_KEY_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;
const KEY_ID = API_KEY_ID_PATTERN;
/** Recorded text (a probe line, a --force reason) is one printable line of bounded length. */
export const MAX_RECORDED_TEXT = 500;

export function isRecordableText(text: string): boolean {
  return text.trim().length > 0 && text.length <= MAX_RECORDED_TEXT && !/[\u0000-\u001f\u007f]/.test(text);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parseSlot(value: unknown, where: string): SlotRecord {
  if (!isRecord(value)) throw new RotationStateError(`${where}: must be an object`);
  const status = value.status;
  if (typeof status !== "string" || !(STATUSES as readonly string[]).includes(status)) {
    throw new RotationStateError(`${where}.status: must be one of ${STATUSES.join(", ")}`);
  }
  const record: Record<string, string> = { status };
  for (const field of TIMESTAMP_FIELDS) {
    const v = value[field];
    if (v === undefined) continue;
    // The value is not quoted back: the file is input, and an error line never carries input.
    if (typeof v !== "string" || !isTimestamp(v)) {
      throw new RotationStateError(
        `${where}.${field}: must be a real ISO 8601 timestamp with a zone (e.g. 2026-01-31T09:30:00Z)`,
      );
    }
    record[field] = v;
  }
  if (value.keyId !== undefined && (typeof value.keyId !== "string" || !KEY_ID.test(value.keyId)))
    throw new RotationStateError(`${where}.keyId: must be an API key id`);
  const verification = value.verification === undefined ? undefined : parseVerification(value.verification, where);
  const failedVerify = value.failedVerify === undefined ? undefined : parseFailedVerify(value.failedVerify, where);
  const forced = value.forced === undefined ? undefined : parseForced(value.forced, where);
  return {
    ...(record as unknown as SlotRecord),
    ...(typeof value.keyId === "string" ? { keyId: value.keyId } : {}),
    ...(verification ? { verification } : {}),
    ...(failedVerify ? { failedVerify } : {}),
    ...(forced ? { forced } : {}),
  };
}

// Values are not quoted back in errors: the file is input, and an error line never carries input.
function recordedText(value: unknown, where: string): string {
  if (typeof value !== "string" || !isRecordableText(value))
    throw new RotationStateError(`${where}: must be one line of text (at most ${MAX_RECORDED_TEXT} characters)`);
  return value;
}

function parseVerification(value: unknown, where: string): SlotVerification {
  const at = `${where}.verification`;
  if (!isRecord(value)) throw new RotationStateError(`${at}: must be an object`);
  if (value.proved !== "works" && value.proved !== "gone")
    throw new RotationStateError(`${at}.proved: must be "works" or "gone"`);
  if (typeof value.keyId !== "string" || !KEY_ID.test(value.keyId))
    throw new RotationStateError(`${at}.keyId: must be an API key id`);
  if (value.control !== undefined && value.control !== 401 && value.control !== 403)
    throw new RotationStateError(`${at}.control: must be 401 or 403 (the status a wrong secret got)`);
  return {
    proved: value.proved,
    keyId: value.keyId,
    ...(value.endpoint !== undefined ? { endpoint: recordedText(value.endpoint, `${at}.endpoint`) } : {}),
    ...(value.endpointFrom !== undefined
      ? { endpointFrom: recordedText(value.endpointFrom, `${at}.endpointFrom`) }
      : {}),
    by: recordedText(value.by, `${at}.by`),
    ...(value.control !== undefined ? { control: value.control } : {}),
    ...(value.document !== undefined ? { document: recordedText(value.document, `${at}.document`) } : {}),
  };
}

function parseFailedVerify(value: unknown, where: string): FailedVerify {
  const at = `${where}.failedVerify`;
  if (!isRecord(value)) throw new RotationStateError(`${at}: must be an object`);
  if (typeof value.at !== "string" || !isTimestamp(value.at))
    throw new RotationStateError(`${at}.at: must be a real ISO 8601 timestamp with a zone (e.g. 2026-01-31T09:30:00Z)`);
  if (value.keyId !== undefined && (typeof value.keyId !== "string" || !KEY_ID.test(value.keyId)))
    throw new RotationStateError(`${at}.keyId: must be an API key id`);
  return {
    at: value.at,
    ...(typeof value.keyId === "string" ? { keyId: value.keyId } : {}),
    failed: recordedText(value.failed, `${at}.failed`),
  };
}

function parseForced(value: unknown, where: string): ForcedStep {
  const at = `${where}.forced`;
  if (!isRecord(value)) throw new RotationStateError(`${at}: must be an object`);
  if (!Array.isArray(value.unmet)) throw new RotationStateError(`${at}.unmet: must be a list`);
  return {
    reason: recordedText(value.reason, `${at}.reason`),
    unmet: value.unmet.map((u, i) => recordedText(u, `${at}.unmet[${i}]`)),
  };
}

function parseEntry(value: unknown, where: string): KeyRotationEntry {
  if (!isRecord(value)) throw new RotationStateError(`${where}: must be an object`);
  const active = value.active;
  if (active !== "blue" && active !== "green") {
    throw new RotationStateError(`${where}.active: must be "blue" or "green"`);
  }
  const rotations = value.rotations ?? 0;
  if (typeof rotations !== "number" || !Number.isInteger(rotations) || rotations < 0) {
    throw new RotationStateError(`${where}.rotations: must be a non-negative integer`);
  }
  if (!isRecord(value.slots)) throw new RotationStateError(`${where}.slots: must be an object`);
  const slots: Partial<Record<SlotName, SlotRecord>> = {};
  for (const [slot, record] of Object.entries(value.slots)) {
    if (slot !== "blue" && slot !== "green") {
      throw new RotationStateError(`${where}.slots: unknown slot (allowed: blue, green)`);
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
    // Never JSON.parse's message: it quotes the text around the bad spot, which may be a secret pasted nearby.
    throw new RotationStateError(`${source}: not valid JSON (${jsonErrorPosition(text, error)})`);
  }
  return validateRotationState(raw, source);
}

/** Validates an already parsed file (e.g. one `keykit check` read and detected by shape). */
export function validateRotationState(raw: unknown, source = DEFAULT_ROTATION_STATE_FILE): RotationState {
  if (!isRecord(raw)) throw new RotationStateError(`${source}: must be a JSON object`);
  if (raw.version !== ROTATION_STATE_VERSION) {
    throw new RotationStateError(
      // Only a whole number is echoed: any other value is input text, which an error never quotes.
      `${source}: unsupported version${Number.isSafeInteger(raw.version) ? ` ${String(raw.version)}` : ""} (this keykit reads version ${ROTATION_STATE_VERSION})`,
    );
  }
  if (!isRecord(raw.keys)) throw new RotationStateError(`${source}: "keys" must be an object`);
  const keys = Object.create(null) as Record<string, KeyRotationEntry>;
  for (const [name, entry] of Object.entries(raw.keys)) {
    const problem = validateKeyName(name);
    if (problem) throw new RotationStateError(`${source}: a key name in "keys" ${problem}`);
    keys[name] = parseEntry(entry, `${source}: keys.${name}`);
  }
  return { version: ROTATION_STATE_VERSION, keys };
}

/** The file's content in canonical form: sorted keys, fixed field order (what a new file is written as). */
function canonicalTree(state: RotationState): Record<string, unknown> {
  const keys: Record<string, unknown> = {};
  for (const name of Object.keys(state.keys).sort()) keys[name] = canonicalEntry(state.keys[name]);
  return { version: state.version, keys };
}

function canonicalEntry(entry: KeyRotationEntry): Record<string, unknown> {
  const slots: Record<string, unknown> = {};
  for (const slot of SLOT_NAMES) {
    const record = entry.slots[slot];
    if (!record) continue;
    const ordered: Record<string, unknown> = {};
    for (const field of SLOT_FIELDS) if (record[field] !== undefined) ordered[field] = canonicalValue(record[field]);
    slots[slot] = ordered;
  }
  return { active: entry.active, rotations: entry.rotations, slots };
}

const RECORDED_FIELDS = [
  "at",
  "proved",
  "keyId",
  "endpoint",
  "endpointFrom",
  "by",
  "control",
  "document",
  "failed",
  "reason",
  "unmet",
];

/**
 * Recorded objects in a fixed field order (verification: proved, keyId, endpoint, endpointFrom, by, control,
 * document; failedVerify: at, keyId, failed; forced: reason, unmet).
 */
function canonicalValue(value: unknown): unknown {
  if (!isRecord(value)) return value;
  return Object.fromEntries(RECORDED_FIELDS.filter((f) => value[f] !== undefined).map((f) => [f, value[f]]));
}

/** Deterministic text (sorted keys, fixed field order, trailing newline) so every step is a minimal diff. */
export function serializeRotationState(state: RotationState): string {
  return `${JSON.stringify(canonicalTree(state), null, 2)}\n`;
}

// ---------------------------------------------------------------------------------------------------------------
// Round trip: a step rewrites only what it changes

/**
 * The file as read, with what a rewrite must keep: the parsed JSON (fields the kit does not know, such as a
 * top-level "//" comment, a key's owner or a slot's note, stay where they are), and the file's indentation and
 * line endings. Key order is the file's own; a new key goes in sorted position when the file's keys are sorted.
 */
export interface RotationStateDocument {
  readonly state: RotationState;
  readonly raw: Readonly<Record<string, unknown>>;
  readonly indent: string;
  readonly eol: "\n" | "\r\n";
  readonly finalNewline: boolean;
}

/** Parses the file's text keeping what a rewrite needs (see RotationStateDocument). */
export function parseRotationStateDocument(text: string, source = DEFAULT_ROTATION_STATE_FILE): RotationStateDocument {
  const state = parseRotationState(text, source);
  const raw = JSON.parse(text) as Record<string, unknown>;
  // The first indented line tells the unit; a file without one was written on one line and stays so.
  const indent = /\n([ \t]+)\S/.exec(text)?.[1] ?? "";
  return {
    state,
    raw,
    indent,
    eol: text.includes("\r\n") ? "\r\n" : "\n",
    finalNewline: /\n$/.test(text),
  };
}

/** The text of `state` written over `document` (or as a new canonical file when there is none). */
export function serializeRotationStateDocument(
  document: RotationStateDocument | undefined,
  state: RotationState,
): string {
  if (document === undefined) return serializeRotationState(state);
  const known = canonicalTree(state);
  const merged = mergeKeepingOrder(document.raw, known, ["version", "keys"], (field, old, next) =>
    field === "keys" ? mergeKeys(asRecord(old), next as Record<string, unknown>) : next,
  );
  const text = JSON.stringify(merged, null, document.indent === "" ? undefined : document.indent);
  const lines = document.eol === "\r\n" ? text.replace(/\n/g, "\r\n") : text;
  return document.finalNewline ? `${lines}${document.eol}` : lines;
}

function asRecord(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

/** The "keys" object: existing names keep their order (a new one goes in sorted place if the file is sorted). */
function mergeKeys(old: Record<string, unknown>, next: Record<string, unknown>): Record<string, unknown> {
  const oldNames = Object.keys(old);
  const sorted = oldNames.every((name, i) => i === 0 || oldNames[i - 1] <= name);
  const names = [...oldNames];
  for (const name of Object.keys(next)) {
    if (names.includes(name)) continue;
    const at = sorted ? names.findIndex((n) => n > name) : -1;
    if (at === -1) names.push(name);
    else names.splice(at, 0, name);
  }
  return Object.fromEntries(
    names.map((name) => {
      if (!Object.prototype.hasOwnProperty.call(next, name)) return [name, old[name]];
      const entry = next[name] as Record<string, unknown>;
      return [name, mergeEntry(old[name], entry)];
    }),
  );
}

function mergeEntry(old: unknown, next: Record<string, unknown>): Record<string, unknown> {
  return mergeKeepingOrder(asRecord(old), next, ["active", "rotations", "slots"], (field, oldSlots, nextSlots) =>
    field === "slots"
      ? mergeKeepingOrder(asRecord(oldSlots), nextSlots as Record<string, unknown>, SLOT_NAMES, (_slot, o, n) =>
          mergeKeepingOrder(asRecord(o), n as Record<string, unknown>, SLOT_FIELDS, mergeRecorded),
        )
      : nextSlots,
  );
}

/** A recorded object (verification, forced) keeps fields keykit does not know, like every other level. */
function mergeRecorded(field: string, old: unknown, next: unknown): unknown {
  if (field !== "verification" && field !== "failedVerify" && field !== "forced") return next;
  return isRecord(old) && isRecord(next) ? mergeKeepingOrder(old, next, RECORDED_FIELDS) : next;
}

/**
 * `old` with its known fields (those in `order`) set to their values in `next`: unknown fields keep their place,
 * a known field absent from `next` is removed, and a known field new to `old` goes after the known fields that
 * precede it in `order` (so a step adds `deactivatedAt` after `activatedAt`, not at the end).
 */
function mergeKeepingOrder(
  old: Readonly<Record<string, unknown>>,
  next: Readonly<Record<string, unknown>>,
  order: readonly string[],
  mergeValue: (field: string, old: unknown, next: unknown) => unknown = (_field, _old, value) => value,
): Record<string, unknown> {
  const rank = (field: string) => order.indexOf(field);
  const out: [string, unknown][] = [];
  for (const [field, value] of Object.entries(old)) {
    if (rank(field) === -1) out.push([field, value]);
    else if (next[field] !== undefined) out.push([field, mergeValue(field, value, next[field])]);
  }
  for (const field of order) {
    if (next[field] === undefined || Object.prototype.hasOwnProperty.call(old, field)) continue;
    const value = mergeValue(field, undefined, next[field]);
    const after = findLastIndex(out, ([f]) => rank(f) !== -1 && rank(f) < rank(field));
    const before = out.findIndex(([f]) => rank(f) > rank(field));
    const at = after !== -1 ? after + 1 : before !== -1 ? before : out.length;
    out.splice(at, 0, [field, value]);
  }
  return Object.fromEntries(out);
}

function findLastIndex<T>(items: readonly T[], test: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i])) return i;
  return -1;
}

/**
 * Reads the file; a missing file is an empty state (every key in its initial state). Only nothing at all at `path`
 * (not even a dangling link) is a new state. `source` names the file in errors.
 */
export function readRotationStateFile(path: string, source: string = path): RotationState {
  if (!pathExists(path)) return emptyRotationState();
  let text: string;
  try {
    // The one input reader: a FIFO or device is refused before open, a BOM is dropped, UTF-16 is refused.
    text = readInputText(path);
  } catch (error) {
    if (error instanceof InputFileError) throw new RotationStateError(`${source}: ${error.problem}`);
    throw error;
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
