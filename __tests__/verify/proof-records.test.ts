/**
 * What a recorded proof must be to count (pure: policies/rotation-state.ts): a "works" proof after the slot's start
 * with its wrong-secret control and no failed verify after it; a "gone" proof after the retirement with no failure
 * after it; the file refuses malformed proof fields without quoting them; finish keeps the slot's key id.
 */
import {
  finishRotation,
  goneProofStands,
  parseRotationState,
  RotationStateError,
  type SlotRecord,
  serializeRotationState,
  startRotation,
  initialEntry,
  withEntry,
  emptyRotationState,
  worksProofProblem,
} from "../../policies/rotation-state";

const START = "2026-05-10T00:00:00Z";
const works = {
  proved: "works" as const,
  keyId: "GREENKEY01",
  endpoint: "https://api.confluent.cloud",
  endpointFrom: "the default",
  by: "Cloud API https://api.confluent.cloud GET /org/v2/environments: 200, a wrong secret 401",
  control: 401,
};
const active = (extra: Partial<SlotRecord>): SlotRecord => ({
  status: "active",
  createdAt: START,
  activatedAt: START,
  ...extra,
});

describe("a standing works proof", () => {
  it.each<[string, Partial<SlotRecord>, string | undefined]>([
    [
      "a proof after the start, with its control",
      { verifiedAt: "2026-05-10T01:00:00Z", verification: works },
      undefined,
    ],
    ["no proof", {}, "was not verified after its start"],
    [
      "a proof before the start",
      { verifiedAt: "2026-05-09T23:00:00Z", verification: works },
      "was not verified after its start",
    ],
    [
      "a gone proof",
      { verifiedAt: "2026-05-10T01:00:00Z", verification: { ...works, proved: "gone" } },
      "was not verified after its start",
    ],
    [
      "a proof without the control",
      { verifiedAt: "2026-05-10T01:00:00Z", verification: { ...works, control: undefined } },
      "was verified at 2026-05-10T01:00:00Z without the wrong-secret control (by an older keykit)",
    ],
    [
      "a failure after the proof",
      {
        verifiedAt: "2026-05-10T01:00:00Z",
        verification: works,
        failedVerify: { at: "2026-05-10T02:00:00Z", keyId: "GREENKEY01", failed: "x" },
      },
      "a verify failed at 2026-05-10T02:00:00Z (key GREENKEY01) and none succeeded after it",
    ],
    [
      "a failure at the proof's very time",
      {
        verifiedAt: "2026-05-10T01:00:00Z",
        verification: works,
        failedVerify: { at: "2026-05-10T01:00:00Z", failed: "x" },
      },
      "a verify failed at 2026-05-10T01:00:00Z and none succeeded after it",
    ],
    [
      "a failure before the proof",
      {
        verifiedAt: "2026-05-10T03:00:00Z",
        verification: works,
        failedVerify: { at: "2026-05-10T02:00:00Z", failed: "x" },
      },
      undefined,
    ],
    [
      "a failure before the start, and no proof",
      { failedVerify: { at: "2026-05-09T02:00:00Z", failed: "x" } },
      "was not verified after its start",
    ],
  ])("%s", (_what, extra, problem) => {
    expect(worksProofProblem(active(extra), START)).toBe(problem);
  });
});

describe("a standing gone proof", () => {
  const retired = (extra: Partial<SlotRecord>): SlotRecord => ({
    status: "retired",
    retiredAt: "2026-05-11T00:00:00Z",
    ...extra,
  });
  const gone = { proved: "gone" as const, keyId: "BLUEKEY001", by: "retired key BLUEKEY001 is gone (404)" };

  it.each<[string, Partial<SlotRecord>, boolean]>([
    ["after the retirement", { verifiedAt: "2026-05-11T01:00:00Z", verification: gone }, true],
    ["before the retirement", { verifiedAt: "2026-05-10T01:00:00Z", verification: gone }, false],
    ["a works proof", { verifiedAt: "2026-05-11T01:00:00Z", verification: works }, false],
    [
      "followed by a failed verify",
      {
        verifiedAt: "2026-05-11T01:00:00Z",
        verification: gone,
        failedVerify: { at: "2026-05-12T00:00:00Z", keyId: "BLUEKEY001", failed: "still exists" },
      },
      false,
    ],
  ])("%s", (_what, extra, stands) => {
    expect(goneProofStands(retired(extra))).toBe(stands);
  });
});

describe("the file's proof fields", () => {
  const file = (green: Record<string, unknown>) =>
    JSON.stringify({
      version: 1,
      keys: { orders: { active: "green", rotations: 1, slots: { green: { status: "active", ...green } } } },
    });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ["a control that is not a refusal", { verification: { ...works, control: 200 } }, /control: must be 401 or 403/],
    ["a slot key id outside the alphabet", { keyId: "GREEN KEY" }, /slots\.green\.keyId: must be an API key id/],
    ["a failure without a time", { failedVerify: { failed: "x" } }, /failedVerify\.at: must be a real ISO 8601/],
    [
      "a failure on two lines",
      { failedVerify: { at: START, failed: "SECRET-LINE-1\nline 2" } },
      /failedVerify\.failed: must be one line of text/,
    ],
  ])("%s is refused without quoting it", (_what, green, message) => {
    let error: unknown;
    try {
      parseRotationState(file(green));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RotationStateError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toMatch(/SECRET-LINE|GREEN KEY/);
  });

  it("serializes the proof fields in a fixed order and reads them back", () => {
    const failedVerify = {
      at: "2026-05-10T00:30:00Z",
      keyId: "GREENKEY01",
      failed: "slot: the document publishes blue",
    };
    const green = active({
      keyId: "GREENKEY01",
      verifiedAt: "2026-05-10T01:00:00Z",
      verification: works,
      failedVerify,
    });
    const state = withEntry(emptyRotationState(), "orders", { active: "green", rotations: 1, slots: { green } });
    const text = serializeRotationState(state);
    expect(Object.keys(JSON.parse(text).keys.orders.slots.green)).toEqual([
      "status",
      "keyId",
      "createdAt",
      "activatedAt",
      "verifiedAt",
      "verification",
      "failedVerify",
    ]);
    expect(Object.keys(JSON.parse(text).keys.orders.slots.green.verification)).toEqual([
      "proved",
      "keyId",
      "endpoint",
      "endpointFrom",
      "by",
      "control",
    ]);
    expect(parseRotationState(text)).toEqual(state);
  });
});

describe("finish keeps the retired slot's key id", () => {
  it("from the slot's own key id, else from its works proof", () => {
    const started = startRotation(initialEntry(), START);
    const proven = {
      ...started,
      slots: { ...started.slots, blue: { ...started.slots.blue, verification: { ...works, keyId: "BLUEKEY001" } } },
    } as typeof started;
    expect(finishRotation(proven, "2026-05-11T00:00:00Z").slots.blue).toMatchObject({
      status: "retired",
      keyId: "BLUEKEY001",
    });
    const unproven = finishRotation(started, "2026-05-11T00:00:00Z").slots.blue;
    expect(unproven?.keyId).toBeUndefined();
  });
});
