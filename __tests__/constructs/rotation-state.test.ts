import {
  RotationStateError,
  RotationStepError,
  activeSlotAgeDays,
  emptyRotationState,
  entryFor,
  existingSlots,
  finishRotation,
  initialEntry,
  parseRotationState,
  phaseOf,
  readRotationStateFile,
  serializeRotationState,
  slotChanges,
  startRotation,
  withEntry,
} from "../../policies/rotation-state";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const T1 = "2026-11-01T10:00:00.000Z";
const T2 = "2026-11-02T10:00:00.000Z";
const T3 = "2026-11-03T10:00:00.000Z";

describe("rotation state transitions", () => {
  test("a key without an entry is blue active, green absent", () => {
    const entry = entryFor(emptyRotationState(), "orders");
    expect(entry).toEqual(initialEntry());
    expect(existingSlots(entry)).toEqual(["blue"]);
    expect(phaseOf(entry)).toBe("stable");
  });

  test("start creates green and publishes it while blue is retained; finish retires blue only", () => {
    const started = startRotation(initialEntry(), T1, "orders");
    expect(started.active).toBe("green");
    expect(existingSlots(started)).toEqual(["green", "blue"]);
    expect(phaseOf(started)).toBe("rotating");
    expect(started.slots.blue).toEqual({ status: "retained", deactivatedAt: T1 });
    expect(started.slots.green).toEqual({ status: "active", createdAt: T1, activatedAt: T1 });
    expect(slotChanges(initialEntry(), started)).toEqual({
      create: ["green"],
      delete: [],
      publish: { from: "blue", to: "green" },
    });

    const finished = finishRotation(started, T2, "orders");
    expect(finished.active).toBe("green");
    expect(existingSlots(finished)).toEqual(["green"]);
    expect(finished.slots.blue).toEqual({ status: "retired", deactivatedAt: T1, retiredAt: T2 });
    expect(slotChanges(started, finished)).toEqual({ create: [], delete: ["blue"] });
  });

  test("the next rotation goes green to blue the same way and counts rotations", () => {
    let entry = finishRotation(startRotation(initialEntry(), T1), T2);
    entry = startRotation(entry, T3);
    expect(entry.active).toBe("blue");
    expect(entry.rotations).toBe(2);
    expect(entry.slots.blue).toEqual({ status: "active", createdAt: T3, activatedAt: T3 });
    expect(entry.slots.green?.status).toBe("retained");
  });

  test("out-of-order steps are refused with a message naming the next step", () => {
    expect(() => finishRotation(initialEntry(), T1, "orders")).toThrow(RotationStepError);
    expect(() => finishRotation(initialEntry(), T1, "orders")).toThrow(
      /no rotation in progress.*keykit rotate start orders/,
    );
    const started = startRotation(initialEntry(), T1, "orders");
    expect(() => startRotation(started, T2, "orders")).toThrow(/blue is still retained.*keykit rotate finish orders/);
  });

  test("the active slot's age comes from its recorded creation", () => {
    expect(activeSlotAgeDays(initialEntry(), new Date(T2))).toBeUndefined();
    expect(activeSlotAgeDays(startRotation(initialEntry(), T1), new Date(T3))).toBeCloseTo(2);
  });
});

describe("rotation state file format", () => {
  test("serializes deterministically and parses back to the same state", () => {
    const state = withEntry(
      withEntry(emptyRotationState(), "payments", startRotation(initialEntry(), T1)),
      "orders",
      finishRotation(startRotation(initialEntry(), T1), T2),
    );
    const text = serializeRotationState(state);
    expect(text.endsWith("}\n")).toBe(true);
    expect(Object.keys(JSON.parse(text).keys)).toEqual(["orders", "payments"]);
    expect(parseRotationState(text)).toEqual(state);
    expect(serializeRotationState(parseRotationState(text))).toBe(text);
  });

  test.each([
    ["not JSON", "{", /not valid JSON/],
    ["wrong version", '{"version":2,"keys":{}}', /unsupported version 2 \(this keykit reads version 1\)$/],
    ["keys missing", '{"version":1}', /"keys" must be an object/],
    [
      "bad key name",
      '{"version":1,"keys":{"Orders App":{"active":"blue","slots":{"blue":{"status":"active"}}}}}',
      /a key name in "keys" must be 1-128 characters/,
    ],
    ["bad active", '{"version":1,"keys":{"o":{"active":"red","slots":{}}}}', /active: must be "blue" or "green"/],
    [
      "active slot not active",
      '{"version":1,"keys":{"o":{"active":"blue","slots":{"blue":{"status":"retained"}}}}}',
      /slots.blue.status is not "active"/,
    ],
    [
      "two active slots",
      '{"version":1,"keys":{"o":{"active":"blue","slots":{"blue":{"status":"active"},"green":{"status":"active"}}}}}',
      /both slots/,
    ],
    [
      "unknown slot",
      '{"version":1,"keys":{"o":{"active":"blue","slots":{"blue":{"status":"active"},"red":{"status":"retired"}}}}}',
      /unknown slot \(allowed: blue, green\)/,
    ],
    [
      "bad timestamp",
      '{"version":1,"keys":{"o":{"active":"blue","slots":{"blue":{"status":"active","createdAt":"yesterday"}}}}}',
      /createdAt: must be a real ISO 8601 timestamp/,
    ],
    [
      "bad rotations",
      '{"version":1,"keys":{"o":{"active":"blue","rotations":-1,"slots":{"blue":{"status":"active"}}}}}',
      /rotations: must be a non-negative integer/,
    ],
  ])("rejects a malformed file: %s", (_label, text, message) => {
    expect(() => parseRotationState(text, "keykit.rotation.json")).toThrow(RotationStateError);
    expect(() => parseRotationState(text, "keykit.rotation.json")).toThrow(message);
  });

  test("a missing file is an empty state; an unreadable one is an error", () => {
    const dir = mkdtempSync(join(tmpdir(), "rotation-"));
    expect(readRotationStateFile(join(dir, "absent.json"))).toEqual(emptyRotationState());
    writeFileSync(join(dir, "bad.json"), "[]");
    expect(() => readRotationStateFile(join(dir, "bad.json"))).toThrow(/must be a JSON object/);
    expect(() => readRotationStateFile(dir)).toThrow(/is a directory/);
  });
});
