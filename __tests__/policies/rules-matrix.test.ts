/**
 * The remaining (rule × input kind) pairs: each rule's compliant and non-compliant case on every input kind it
 * applies to, where the other test files do not already cover it.
 */
import { evaluate } from "../../policies/engine";
import { loadConfiguration } from "../../policies/loaders/configuration";
import { loadHclFiles } from "../../policies/loaders/hcl";
import { loadPlan } from "../../policies/loaders/plan";
import { withRotationState } from "../../policies/loaders/rotation";
import { loadState } from "../../policies/loaders/state";
import type { KeykitModel } from "../../policies/model";
import { ruleById } from "../../policies/rules/catalogue";
import { key, stack } from "./helpers/synth";
import * as tf from "./helpers/terraform";

const NOW = "2026-11-28T00:00:00Z";
const sa = { id: "sa-1" };
const lkc = { id: "lkc-1", environment: "env-1" };
const GLOBAL = { id: "global", apiVersion: "global/v1", kind: "Global" };

const fired = (model: KeykitModel, rule: string) => evaluate(model, [ruleById(rule)!], [], { now: NOW }).findings;
const hcl = (text: string) => loadHclFiles([{ file: "main.tf", text }], { source: "dir" });

/** cdk.tf.json metadata for `confluent_api_key.g` (global) and `confluent_api_key.k` (rotated). */
function metadata(serves: unknown[]): KeykitModel {
  return loadConfiguration(
    stack({
      resources: {
        confluent_api_key: {
          g: key(
            "G",
            "sa-1",
            { id: "global", apiVersion: "global/v1" },
            { construct: "GlobalApiKey", serves: serves as never, rotation: { name: "g", slot: "blue", active: true } },
          ),
          k: key(
            "K",
            "sa-1",
            { id: "lkc-1" },
            { construct: "BlueGreenApiKey", rotation: { name: "k", slot: "blue", active: true } },
          ),
        },
      },
    }),
    { source: "cdk.tf.json" },
  );
}
/** One key as a no-op plan, read with `m` as the stack's metadata. */
const planOfKey = (address: string, spec: tf.KeySpec, m?: KeykitModel) =>
  loadPlan(tf.plan({ changes: [tf.keyNoop(address, spec)] }), { source: "p", metadata: m });

/** The same key as a state. */
const stateOfKey = (address: string, spec: tf.KeySpec, m?: KeykitModel) =>
  loadState(tf.state([{ address, type: "confluent_api_key", values: tf.apiKeyValues(spec) }]), {
    source: "s",
    metadata: m,
  });

const goodServes = [
  { kind: "kafka", id: "lkc-9", clusterType: "dedicated" },
  { kind: "flink", id: "aws.eu-central-1" },
];

describe("KK002 on plans and states (with the stack's metadata)", () => {
  const planWith = (m?: KeykitModel) => planOfKey("confluent_api_key.g", { id: "G", owner: sa, managed: GLOBAL }, m);
  const stateWith = (m?: KeykitModel) => stateOfKey("confluent_api_key.g", { id: "G", owner: sa, managed: GLOBAL }, m);
  it("accepts a global key serving two supported resources", () => {
    expect(fired(planWith(metadata(goodServes)), "KK002")).toEqual([]);
    expect(fired(stateWith(metadata(goodServes)), "KK002")).toEqual([]);
  });
  it("flags one serving a single resource, and warns when nothing says what it serves", () => {
    expect(fired(planWith(metadata([goodServes[0]])), "KK002")[0].severity).toBe("error");
    expect(fired(stateWith(metadata([goodServes[0]])), "KK002")[0].severity).toBe("error");
    expect(fired(planWith(), "KK002")[0].severity).toBe("warning");
    expect(fired(stateWith(), "KK002")[0].severity).toBe("warning");
  });
});

describe("KK003 on plans, states and HCL", () => {
  const plan = (m?: KeykitModel) => planOfKey("confluent_api_key.k", { id: "K", owner: sa, managed: lkc }, m);
  const state = (m?: KeykitModel) => stateOfKey("confluent_api_key.k", { id: "K", owner: sa, managed: lkc }, m);
  it("accepts a key the stack metadata marks as a rotation slot, flags one without", async () => {
    expect(fired(plan(metadata(goodServes)), "KK003")).toEqual([]);
    expect(fired(state(metadata(goodServes)), "KK003")).toEqual([]);
    expect(fired(plan(), "KK003")).toHaveLength(1);
    expect(fired(state(), "KK003")).toHaveLength(1);
    expect(fired(await hcl(`resource "confluent_api_key" "k" {\n  display_name = "k"\n}\n`), "KK003")).toHaveLength(1);
    expect(fired(await hcl(`resource "confluent_service_account" "a" {\n  display_name = "a"\n}\n`), "KK003")).toEqual(
      [],
    );
  });
});

describe("KK004 on plans and states (slot ages from the rotation state)", () => {
  const rotation = (createdAt: string) => [
    { name: "k", activeSlot: "blue" as const, slots: [{ slot: "blue" as const, createdAt }] },
  ];
  it("flags a slot older than the maximum age and accepts a young one", () => {
    const spec = { id: "K", owner: sa, managed: lkc };
    const plan = planOfKey("confluent_api_key.k", spec, metadata(goodServes));
    const state = stateOfKey("confluent_api_key.k", spec, metadata(goodServes));
    for (const model of [plan, state]) {
      expect(fired(withRotationState(model, rotation("2026-01-01T00:00:00Z")), "KK004")).toHaveLength(1);
      expect(fired(withRotationState(model, rotation("2026-11-01T00:00:00Z")), "KK004")).toEqual([]);
    }
  });
});

describe("KK006, KK008, KK009 on HCL and plans", () => {
  it("KK006: a Vault KV v2 secret in HCL is compliant", async () => {
    const text = `resource "vault_kv_secret_v2" "s" {\n  mount = "kv"\n  name = "app"\n  data_json = jsonencode({ secret = confluent_api_key.k.secret })\n}\n`;
    expect(fired(await hcl(text), "KK006")).toEqual([]);
  });
  it("KK008: a service account with a role binding (HCL) or a key (plan) is in use", async () => {
    const text = `resource "confluent_service_account" "a" {\n  display_name = "a"\n}\nresource "confluent_role_binding" "rb" {\n  principal = "User:\${confluent_service_account.a.id}"\n  role_name = "DeveloperRead"\n  crn_pattern = "crn://x"\n}\n`;
    expect(fired(await hcl(text), "KK008")).toEqual([]);
    const saChange: tf.ChangeSpec = {
      address: "confluent_service_account.a",
      type: "confluent_service_account",
      actions: ["no-op"],
      before: tf.serviceAccountValues("sa-1"),
      after: tf.serviceAccountValues("sa-1"),
    };
    const p = tf.plan({ changes: [saChange, tf.keyNoop("confluent_api_key.k", { id: "K", owner: sa, managed: lkc })] });
    expect(fired(loadPlan(p, { source: "p" }), "KK008")).toEqual([]);
  });
  it("KK009: three keys for one owner and scope in HCL are flagged, two are not", async () => {
    const k = (n: string) =>
      `resource "confluent_api_key" "${n}" {\n  owner {\n    id = confluent_service_account.a.id\n    api_version = "iam/v2"\n    kind = "ServiceAccount"\n  }\n  managed_resource {\n    id = confluent_kafka_cluster.c.id\n    api_version = "cmk/v2"\n    kind = "Cluster"\n  }\n}\n`;
    expect(fired(await hcl(k("a") + k("b") + k("c")), "KK009")).toHaveLength(1);
    expect(fired(await hcl(k("a") + k("b")), "KK009")).toEqual([]);
  });
});
