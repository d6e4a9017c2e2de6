import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KeyScope } from "../../constructs";
import { ServiceAccount } from "../../.gen/providers/confluent/service-account";
import { BlueGreenApiKey } from "../../constructs/blue-green-api-key";
import {
  type RotationState,
  emptyRotationState,
  finishRotation,
  initialEntry,
  startRotation,
  withEntry,
} from "../../policies/rotation-state";
import { resourcesOfType, synthesizeStack } from "../../testing";
import { type Body, bgStack } from "./blue-green-helpers";

const T1 = "2026-11-01T10:00:00.000Z";
const T2 = "2026-11-02T10:00:00.000Z";
const kafka = () => KeyScope.kafkaCluster({ clusterId: "lkc-abc123", environment: "env-abc123", type: "dedicated" });

const stable = emptyRotationState();
const rotating = withEntry(emptyRotationState(), "orders", startRotation(initialEntry(), T1));
const finished = withEntry(emptyRotationState(), "orders", finishRotation(startRotation(initialEntry(), T1), T2));

function synth(state: RotationState) {
  const stack = bgStack();
  const key = new BlueGreenApiKey(stack, "OrdersKey", { rotationName: "orders", scope: kafka(), rotationState: state });
  const json = synthesizeStack(stack);
  const slots = Object.fromEntries(resourcesOfType(json, "confluent_api_key")) as Record<string, Body>;
  return { json, key, slots };
}

function slotNamed(slots: Record<string, Body>, slot: string): [string, Body] {
  const found = Object.entries(slots).filter(
    ([, b]) => (b["//"]?.keykit?.rotation as { slot?: string })?.slot === slot,
  );
  expect(found).toHaveLength(1);
  return found[0];
}

describe("BlueGreenApiKey synthesized per rotation state", () => {
  test("initial state (no entry): only blue exists, is active, carries prevent_destroy and is published", () => {
    const { json, key, slots } = synth(stable);
    expect(Object.keys(slots)).toHaveLength(1);
    const [address, blue] = slotNamed(slots, "blue");
    expect(address).toMatch(/_Blue_/);
    expect(blue.lifecycle).toEqual({ prevent_destroy: true });
    expect(blue.display_name).toBe("orders (blue)");
    expect(blue["//"]?.keykit).toEqual({
      version: 1,
      construct: "BlueGreenApiKey",
      rotation: { name: "orders", slot: "blue", active: true },
      origin: { file: "__tests__/constructs/blue-green-api-key.test.ts", line: expect.any(Number) },
    });
    expect(blue.managed_resource).toMatchObject({ id: "lkc-abc123", api_version: "cmk/v2", kind: "Cluster" });
    expect(key.activeSlot).toBe("blue");
    const outputs = Object.values(json.output ?? {});
    expect(outputs).toHaveLength(1);
    expect(outputs[0].sensitive).toBe(true);
    expect(String(outputs[0].value)).toContain(`confluent_api_key.${address}.secret`);
    expect(String(outputs[0].value)).toContain('"slot" = "blue"');
  });

  test("after start: green is created, active and published; blue stays, still protected from replacement", () => {
    const { json, slots } = synth(rotating);
    expect(Object.keys(slots)).toHaveLength(2);
    const [greenAddress, green] = slotNamed(slots, "green");
    const [, blue] = slotNamed(slots, "blue");
    expect(greenAddress).toMatch(/_Green_/);
    expect(green.lifecycle).toEqual({ prevent_destroy: true });
    expect(blue.lifecycle).toEqual({ prevent_destroy: true });
    expect(blue["//"]?.keykit?.rotation).toEqual({ name: "orders", slot: "blue", active: false });
    // Same owner and scope on both slots: nothing about the slot that stays changes.
    expect(green.owner).toEqual(blue.owner);
    expect(green.managed_resource).toEqual(blue.managed_resource);
    const value = String(Object.values(json.output ?? {})[0].value);
    expect(value).toContain(`confluent_api_key.${greenAddress}.id`);
    expect(value).not.toContain("_Blue_");
  });

  test("after finish: only green remains, unchanged from the rotating state", () => {
    const before = synth(rotating);
    const after = synth(finished);
    const [greenAddress, green] = slotNamed(after.slots, "green");
    expect(Object.keys(after.slots)).toEqual([greenAddress]);
    expect(green).toEqual(before.slots[greenAddress]);
    expect(after.json.output).toEqual(before.json.output);
  });

  test("reads the rotation-state file from rotationStateFile", () => {
    const dir = mkdtempSync(join(tmpdir(), "bg-"));
    const file = join(dir, "keykit.rotation.json");
    writeFileSync(
      file,
      JSON.stringify({
        version: 1,
        keys: {
          orders: {
            active: "green",
            rotations: 1,
            slots: { green: { status: "active" }, blue: { status: "retired" } },
          },
        },
      }),
    );
    const stack = bgStack();
    const key = new BlueGreenApiKey(stack, "OrdersKey", {
      rotationName: "orders",
      scope: kafka(),
      rotationStateFile: file,
    });
    expect(key.activeSlot).toBe("green");
    expect(Object.keys(key.slots)).toEqual(["green"]);
  });

  test("a malformed rotation-state file fails the synth with the construct path", () => {
    const dir = mkdtempSync(join(tmpdir(), "bg-"));
    const file = join(dir, "keykit.rotation.json");
    writeFileSync(file, '{"version": 1, "keys": {"orders": {"active": "purple"}}}');
    const stack = bgStack();
    expect(
      () =>
        new BlueGreenApiKey(stack, "OrdersKey", { rotationName: "orders", scope: kafka(), rotationStateFile: file }),
    ).toThrow(/BlueGreenApiKey test\/OrdersKey: .*keys.orders.active: must be "blue" or "green"/);
  });

  test("role bindings and an existing service-account owner", () => {
    const stack = bgStack();
    const sa = new ServiceAccount(stack, "Sa", { displayName: "orders" });
    new BlueGreenApiKey(stack, "OrdersKey", {
      rotationName: "orders",
      scope: kafka(),
      owner: sa,
      rotationState: rotating,
      roleBindings: [{ role: "DeveloperRead", crnPattern: "crn://confluent.cloud/kafka=lkc-abc123/topic=orders" }],
    });
    const json = synthesizeStack(stack);
    expect(resourcesOfType(json, "confluent_service_account")).toHaveLength(1);
    const bindings = resourcesOfType(json, "confluent_role_binding");
    expect(bindings).toHaveLength(1);
    expect(bindings[0][1]).toMatchObject({
      principal: "User:${confluent_service_account.Sa.id}",
      role_name: "DeveloperRead",
    });
    for (const [, key] of resourcesOfType(json, "confluent_api_key")) {
      expect((key as Body).owner).toEqual({
        id: "${confluent_service_account.Sa.id}",
        api_version: "iam/v2",
        kind: "ServiceAccount",
      });
    }
  });
});

describe("BlueGreenApiKey refusals", () => {
  test.each([
    ["an invalid rotation name", { rotationName: "Orders Key" }, /rotationName 'Orders Key' must be/],
    ["no scope", { scope: undefined }, /exactly one of scope .* and globalResources/],
    [
      "both scope and globalResources",
      { globalResources: [KeyScope.cloud(), KeyScope.tableflow()] },
      /exactly one of scope/,
    ],
  ])("refuses %s", (_label, override, message) => {
    const stack = bgStack();
    expect(
      () =>
        new BlueGreenApiKey(stack, "K", { rotationName: "orders", scope: kafka(), rotationState: stable, ...override }),
    ).toThrow(message);
  });

  test("refuses a user owner in production", () => {
    const stack = bgStack();
    expect(
      () =>
        new BlueGreenApiKey(stack, "K", {
          rotationName: "orders",
          scope: kafka(),
          owner: { id: "u-abc123" },
          rotationState: stable,
        }),
    ).toThrow(/BlueGreenApiKey test\/K: owner u-abc123 is a user; production keys must be owned by a service account/);
  });

  test("allows a user owner in development only with a reason, and records it", () => {
    const stack = bgStack({ tier: "development" });
    new BlueGreenApiKey(stack, "K", {
      rotationName: "orders",
      scope: kafka(),
      owner: { id: "u-abc123" },
      allowUserOwner: { reason: "personal sandbox for schema experiments" },
      rotationState: stable,
    });
    const [, key] = resourcesOfType(synthesizeStack(stack), "confluent_api_key")[0];
    expect((key as Body)["//"]?.keykit?.userOwner).toEqual({ reason: "personal sandbox for schema experiments" });
  });

  test("refuses two keys with the same rotation name in one app", () => {
    const stack = bgStack();
    new BlueGreenApiKey(stack, "A", { rotationName: "orders", scope: kafka(), rotationState: stable });
    expect(
      () => new BlueGreenApiKey(stack, "B", { rotationName: "orders", scope: kafka(), rotationState: stable }),
    ).toThrow(/rotationName 'orders' is already used by test\/A/);
  });
});

describe("BlueGreenApiKey with globalResources", () => {
  test("both slots are global keys recording the resources they serve", () => {
    const stack = bgStack();
    new BlueGreenApiKey(stack, "K", {
      rotationName: "orders",
      globalResources: [kafka(), KeyScope.tableflow()],
      rotationState: rotating,
    });
    const keys = resourcesOfType(synthesizeStack(stack), "confluent_api_key");
    expect(keys).toHaveLength(2);
    for (const [, key] of keys) {
      expect((key as Body).managed_resource).toEqual({ id: "global", api_version: "global/v1", kind: "Global" });
      expect(((key as Body)["//"]?.keykit?.serves as unknown[]).length).toBe(2);
    }
  });

  test("refuses a single resource", () => {
    const stack = bgStack();
    expect(
      () =>
        new BlueGreenApiKey(stack, "K", {
          rotationName: "orders",
          globalResources: [kafka(), kafka()],
          rotationState: stable,
        }),
    ).toThrow(/two or more distinct resources; got 2 entries but only 1 distinct resource .*listed more than once/);
  });
});
