/**
 * KK011 on a blue/green rotation whose two steps landed in one plan (`keykit rotate start`, then `rotate finish`
 * without the apply in between): the plan creates the green slot and deletes the blue one. The plan is hand-written
 * in Terraform's JSON output format 1.2 (resource_changes with change.actions, action_reason, before/after and their
 * masks); the keykit metadata comes from the cdk.tf.json next to it, as `keykit check` reads it. After the finish
 * the blue slot is gone from that cdk.tf.json, so only the green slot carries `"//".keykit.rotation`.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { evaluate } from "../../policies/engine";
import { readInputs } from "../../policies/loaders/input";
import type { Finding } from "../../policies/rule";
import { ALL_RULES } from "../../policies/rules";
import { keykit, requireFreshBuild } from "../cli/bin-helpers";
import { resourceChange } from "./helpers/terraform";

requireFreshBuild();

type Json = Record<string, unknown>;

const SA = "sa-7k2m9q";
const CLUSTER = "lkc-9x8w7v";
const ENV = "env-5t4r3e";
/** The retired slot's secret, in plain text in `before` and `prior_state` as Terraform writes it: never printed. */
const OLD_SECRET = "cfltOldBlueSecretValue0000000000000000000000000000000000000000";

const BLUE = "confluent_api_key.orders_Blue_9A41C7E2";
const GREEN = "confluent_api_key.orders_Green_3F0B6D18";
const PLAIN = "confluent_api_key.orders_Key_5C2E8A90";

const owner = [{ id: SA, api_version: "iam/v2", kind: "ServiceAccount" }];
const managedResource = [{ id: CLUSTER, api_version: "cmk/v2", kind: "Cluster", environment: [{ id: ENV }] }];

function keyValues(id: string, secret: string, slot: string): Json {
  return {
    id,
    secret,
    display_name: `orders (${slot})`,
    description: "Managed by keykit (payments/orders), rotation orders",
    disable_wait_for_ready: false,
    owner,
    managed_resource: managedResource,
  };
}

const KEY_SENSITIVE = { secret: true, owner: [{}], managed_resource: [{ environment: [{}] }] };

/** Terraform's change entry for a key that the configuration no longer declares. */
function deleteChange(address: string, values: Json, reason: string): Json {
  return resourceChange({
    address,
    type: "confluent_api_key",
    actions: ["delete"],
    before: values,
    beforeSensitive: KEY_SENSITIVE,
    actionReason: reason,
  });
}

function createChange(address: string, slot: string | undefined): Json {
  return resourceChange({
    address,
    type: "confluent_api_key",
    actions: ["create"],
    after: {
      display_name: slot ? `orders (${slot})` : "orders",
      description: "Managed by keykit (payments/orders), rotation orders",
      disable_wait_for_ready: false,
      owner,
      managed_resource: managedResource,
    },
    afterUnknown: { id: true, ...KEY_SENSITIVE },
    afterSensitive: KEY_SENSITIVE,
  });
}

function plan(deleted: Json, created: Json, priorKey: { address: string; values: Json }): Json {
  const [type, name] = priorKey.address.split(".");
  return {
    format_version: "1.2",
    terraform_version: "1.11.4",
    planned_values: { root_module: {} },
    resource_changes: [deleted, created],
    prior_state: {
      format_version: "1.0",
      terraform_version: "1.11.4",
      values: {
        root_module: {
          resources: [
            {
              address: priorKey.address,
              mode: "managed",
              type,
              name,
              provider_name: "registry.terraform.io/confluentinc/confluent",
              schema_version: 0,
              values: priorKey.values,
              sensitive_values: { secret: true, owner: [{}], managed_resource: [{ environment: [{}] }] },
            },
          ],
        },
      },
    },
    configuration: { provider_config: { confluent: { name: "confluent", full_name: "confluentinc/confluent" } } },
    applyable: true,
    complete: true,
    errored: false,
    timestamp: "2026-11-30T09:12:44Z",
  };
}

/** The synthesized stack the plan was made from: after `finish`, only the green slot, published. */
function cdkTfJson(address: string, constructPath: string, keykitMetadata: Json | undefined): Json {
  const [, name] = address.split(".");
  return {
    "//": {
      metadata: { backend: "local", stackName: "payments", version: "0.21.0" },
      keykit: { version: 1, tier: "production" },
    },
    provider: { confluent: [{}] },
    terraform: { required_providers: { confluent: { source: "confluentinc/confluent", version: "2.83.0" } } },
    resource: {
      confluent_api_key: {
        [name]: {
          "//": {
            metadata: { path: `payments/${constructPath}`, uniqueId: name },
            ...(keykitMetadata ? { keykit: keykitMetadata } : {}),
          },
          display_name: keykitMetadata ? "orders (green)" : "orders",
          description: "Managed by keykit (payments/orders), rotation orders",
          owner: { id: SA, api_version: "iam/v2", kind: "ServiceAccount" },
          managed_resource: {
            id: CLUSTER,
            api_version: "cmk/v2",
            kind: "Cluster",
            environment: { id: ENV },
          },
          ...(keykitMetadata ? { lifecycle: { prevent_destroy: true } } : {}),
        },
      },
    },
  };
}

function writeStack(files: { plan: Json; stack: Json }): string {
  const dir = mkdtempSync(join(process.env.TMPDIR ?? tmpdir(), "keykit-kk011-"));
  const stack = join(dir, "cdktf.out", "stacks", "payments");
  mkdirSync(stack, { recursive: true });
  writeFileSync(join(stack, "plan.json"), JSON.stringify(files.plan, null, 2));
  writeFileSync(join(stack, "cdk.tf.json"), JSON.stringify(files.stack, null, 2));
  return dir;
}

const PLAN_PATH = "cdktf.out/stacks/payments/plan.json";

/** The rotation's two steps in one plan: green created (and published), blue removed from configuration. */
function oneApplyRotation(): string {
  const blueValues = keyValues("BLUEKEY4Q7Z2XW3M", OLD_SECRET, "blue");
  return writeStack({
    plan: plan(deleteChange(BLUE, blueValues, "delete_because_no_resource_config"), createChange(GREEN, "green"), {
      address: BLUE,
      values: blueValues,
    }),
    stack: cdkTfJson(GREEN, "orders/Green", GREEN_METADATA),
  });
}

const GREEN_METADATA: Json = {
  version: 1,
  construct: "BlueGreenApiKey",
  path: "orders/Green",
  rotation: { name: "orders", slot: "green", active: true },
};

/** A plain key moved to a BlueGreenApiKey in one apply: the deleted key is no slot, whatever the new one is. */
function plainKeyToSlot(): string {
  const oldValues = { ...keyValues("PLAINKEY8H3J5K6L", OLD_SECRET, "plain"), display_name: "orders" };
  return writeStack({
    plan: plan(deleteChange(PLAIN, oldValues, "delete_because_no_resource_config"), createChange(GREEN, "green"), {
      address: PLAIN,
      values: oldValues,
    }),
    stack: cdkTfJson(GREEN, "orders/Green", GREEN_METADATA),
  });
}

/** A plain key replaced by a new construct ID: Terraform's reason is the cause. */
function renamedPlainKey(): string {
  const oldAddress = PLAIN;
  const newAddress = "confluent_api_key.ordersv2_Key_71D4B3AF";
  const oldValues = { ...keyValues("PLAINKEY8H3J5K6L", OLD_SECRET, "plain"), display_name: "orders" };
  return writeStack({
    plan: plan(
      deleteChange(oldAddress, oldValues, "delete_because_no_resource_config"),
      createChange(newAddress, undefined),
      { address: oldAddress, values: oldValues },
    ),
    stack: cdkTfJson(newAddress, "ordersv2/Key", undefined),
  });
}

async function kk011(dir: string): Promise<Finding[]> {
  const models = await readInputs([PLAN_PATH], { cwd: dir });
  const report = evaluate(models, ALL_RULES, [], { now: "2026-12-01" });
  return report.findings.filter((f) => f.ruleId === "KK011");
}

describe("KK011 on a blue/green rotation", () => {
  it("names the rotation and both of its steps, each with its slot, and not a changed construct ID", async () => {
    const findings = await kk011(oneApplyRotation());
    expect(findings).toHaveLength(1);
    const [f] = findings;
    expect(f.subject).toBe(BLUE);
    expect(f.severity).toBe("error");
    expect(f.message).toMatch(/^one-apply rotation of 'orders': the plan holds both sides/);
    expect(f.message).toContain(`the start (creates ${GREEN} (slot green))`);
    expect(f.message).toContain(`the finish (deletes ${BLUE} (slot blue))`);
    expect(f.message).toContain("apply the start, move clients, then plan the finish");
    expect(f.message).not.toMatch(/construct ID|delete_because_no_resource_config/);
    expect(f.message).not.toContain(OLD_SECRET);
  });

  it("names no slot for a deleted key that is not the other slot of the created one", async () => {
    const [f] = await kk011(plainKeyToSlot());
    expect(f.message).toContain(`the start (creates ${GREEN} (slot green))`);
    expect(f.message).toContain(`the finish (deletes ${PLAIN}) for the same owner ${SA}`);
  });

  it("a plain key replaced under a new name keeps Terraform's reason", async () => {
    const findings = await kk011(renamedPlainKey());
    expect(findings).toHaveLength(1);
    const [f] = findings;
    expect(f.message).toMatch(/^one-apply rotation: the plan holds both sides, the new key \(creates /);
    expect(f.message).toContain(
      "deletes confluent_api_key.orders_Key_5C2E8A90, it was removed from configuration (a changed cdktf construct ID does this) (delete_because_no_resource_config)",
    );
    expect(f.message).not.toMatch(/slot|rotation of/);
  });

  it("`keykit check` on the plan, through the built bin, fails with the same message", () => {
    const dir = oneApplyRotation();
    const r = keykit(dir, ["check", PLAN_PATH, "--format", "json", "--now", "2026-12-01"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("");
    expect(r.stdout).not.toContain(OLD_SECRET);
    const report = JSON.parse(r.stdout) as { findings: Finding[]; inputs: { source: string; kind: string }[] };
    expect(report.inputs).toEqual([expect.objectContaining({ source: PLAN_PATH, kind: "plan" })]);
    const f = report.findings.find((x) => x.ruleId === "KK011");
    expect(f?.message).toContain(`the finish (deletes ${BLUE} (slot blue))`);
    expect(f?.message).not.toMatch(/construct ID/);
    const text = keykit(dir, ["check", PLAN_PATH, "--now", "2026-12-01"]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain("one-apply rotation of 'orders'");
  });
});
