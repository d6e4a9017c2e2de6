/**
 * The rule × input-kind matrix, generated from each rule's `appliesTo`: for every pair, a compliant and a
 * non-compliant case, asserting the finding's subject. Configuration-shaped kinds (synth, cdk.tf.json, HCL, plan,
 * state) render one declarative stack per case (helpers/one-stack.ts); plan-only rules use plans of the change they
 * judge; inventory pairs use a Confluent export joined with a configuration. A rule that adds a kind to `appliesTo`
 * without a case here fails the first test.
 */
import { evaluate } from "../../policies/engine";
import { loadConfiguration } from "../../policies/loaders/configuration";
import { loadHclFiles } from "../../policies/loaders/hcl";
import { loadPlan } from "../../policies/loaders/plan";
import { loadState } from "../../policies/loaders/state";
import { buildAuditModel } from "../../policies/inventory/audit-model";
import { desiredStateFromModels } from "../../policies/inventory/desired-state";
import { loadInventory } from "../../policies/inventory/exports";
import { withRotationState } from "../../policies/loaders/rotation";
import type { InputKind, KeykitModel, RotationEntry } from "../../policies/model";
import type { Rule } from "../../policies/rule";
import { ALL_RULES } from "../../policies/rules";
import { AUDIT_RULES } from "../../policies/rules/audit";
import {
  type Arg,
  type ResourceSpec,
  type StackSpec,
  Template,
  cdktfJson,
  hcl,
  plan,
  ref,
  state,
} from "./helpers/one-stack";
import { managedResourceBlock, ownerBlock } from "./helpers/api-key-blocks";
import * as tf from "./helpers/terraform";

const NOW = "2026-12-01T00:00:00Z";
type StaticKind = "synth" | "cdktf-json" | "hcl" | "plan" | "state";
const STATIC: readonly StaticKind[] = ["synth", "cdktf-json", "hcl", "plan", "state"];

let serial = 0;
const sa = (name: string): ResourceSpec => ({
  type: "confluent_service_account",
  name,
  args: { display_name: name },
  computed: { id: `sa-mx${name}`, api_version: "iam/v2", kind: "ServiceAccount" },
});
function key(
  name: string,
  owner: Arg,
  scope: { id: string; apiVersion?: string; kind?: string } | undefined,
  keykit?: Record<string, unknown>,
): ResourceSpec {
  const n = ++serial;
  return {
    type: "confluent_api_key",
    name,
    args: {
      display_name: name,
      owner: ownerBlock(owner),
      ...(scope ? { managed_resource: managedResourceBlock(scope.id, "env-mx", scope.apiVersion, scope.kind) } : {}),
    },
    computed: {
      id: `MXKEY${String(n).padStart(11, "0")}`,
      secret: `cfltMATRIX${String(n).padStart(6, "0")}${"m".repeat(48)}`,
    },
    sensitive: ["secret"],
    ...(keykit ? { keykit } : {}),
  };
}
const owned = (name: string, scope = "lkc-mx1", keykit?: Record<string, unknown>) =>
  key(name, ref("confluent_service_account.app.id"), { id: scope }, keykit);
const rotated = (name: string) => owned(name, "lkc-mx1", { rotation: { name, slot: "blue", active: true } });
const stack = (resources: ResourceSpec[], extra: Partial<StackSpec> = {}): StackSpec => ({
  provider: {},
  resources: [sa("app"), ...resources],
  outputs: [],
  ...extra,
});
const store = (keyName: string): ResourceSpec => ({
  type: "vault_kv_secret_v2",
  name: "store",
  args: {
    mount: "kv",
    name: "app",
    data_json: new Template(['{"secret":"', ref(`confluent_api_key.${keyName}.secret`), '"}']),
  },
  sensitive: ["data_json"],
});
const GLOBAL = { id: "global", apiVersion: "global/v1", kind: "Global" };

interface StaticCase {
  readonly good: StackSpec;
  readonly bad: StackSpec;
  readonly subject: string;
  /** Inputs that cannot express the compliant form in `good` (HCL carries no keykit metadata). */
  readonly goodFor?: Partial<Record<StaticKind, StackSpec>>;
  /** A rotation-state file (`--rotation-state`) for the good and the bad case: slot ages. */
  readonly rotation?: { readonly good: RotationEntry[]; readonly bad: RotationEntry[] };
}

const slotCreated = (createdAt: string): RotationEntry[] => [
  { name: "k", activeSlot: "blue", slots: [{ slot: "blue", keyId: "MXKEY", createdAt }] },
];

const STATIC_CASES: Record<string, StaticCase> = {
  KK001: {
    good: stack([rotated("k")]),
    bad: stack([key("k", "u-mx1", { id: "lkc-mx1" })]),
    subject: "confluent_api_key.k",
  },
  KK002: {
    good: stack([
      key("g", ref("confluent_service_account.app.id"), GLOBAL, {
        serves: [
          { kind: "kafka", id: "lkc-mx9", clusterType: "dedicated" },
          { kind: "flink", id: "aws.eu-central-1" },
        ],
      }),
    ]),
    bad: stack([
      key("g", ref("confluent_service_account.app.id"), GLOBAL, {
        serves: [{ kind: "kafka", id: "lkc-mx9", clusterType: "dedicated" }],
      }),
    ]),
    goodFor: { hcl: stack([rotated("k")]) },
    subject: "confluent_api_key.g",
  },
  KK003: {
    good: stack([rotated("k")]),
    bad: stack([owned("k")]),
    goodFor: { hcl: stack([]) },
    subject: "confluent_api_key.k",
  },
  KK004: {
    good: stack([rotated("k")]),
    bad: stack([rotated("k")]),
    rotation: { good: slotCreated("2026-11-01T00:00:00Z"), bad: slotCreated("2026-01-01T00:00:00Z") },
    subject: "confluent_api_key.k",
  },
  KK005: {
    good: stack([rotated("k")], { outputs: [{ name: "o", value: ref("confluent_api_key.k"), sensitive: true }] }),
    bad: stack([rotated("k")], { outputs: [{ name: "o", value: ref("confluent_api_key.k") }] }),
    subject: "output.o",
  },
  KK006: {
    good: stack([rotated("k"), store("k")]),
    bad: stack([
      rotated("k"),
      {
        type: "local_file",
        name: "f",
        args: { filename: "x", content: new Template(["S=", ref("confluent_api_key.k.secret")]) },
      },
    ]),
    subject: "local_file.f",
  },
  KK007: {
    good: stack([rotated("k")], { provider: { cloud_api_key: ref("var_source.cloud.key") } }),
    bad: stack([rotated("k")], { provider: { cloud_api_key: "HARDCODEDMXKEY01" } }),
    subject: "provider.confluent",
  },
  KK008: {
    good: stack([rotated("k")]),
    bad: stack([rotated("k"), sa("idle")]),
    subject: "confluent_service_account.idle",
  },
  KK009: {
    good: stack([rotated("k1"), rotated("k2")]),
    bad: stack([rotated("k1"), rotated("k2"), rotated("k3")]),
    subject: "confluent_api_key.k1",
  },
  KK014: {
    good: stack([owned("k1", "aws.eu-central-1"), owned("k2", "aws.eu-central-1")]),
    bad: stack([
      key("k1", ref("confluent_service_account.app.id"), {
        id: "aws.eu-central-1",
        apiVersion: "fcpm/v2",
        kind: "Region",
      }),
      key("k2", ref("confluent_service_account.app.id"), {
        id: "aws.us-east-1",
        apiVersion: "fcpm/v2",
        kind: "Region",
      }),
    ]),
    subject: "confluent_service_account.app",
  },
};

async function render(spec: StackSpec, kind: StaticKind): Promise<KeykitModel> {
  const cdk = loadConfiguration(cdktfJson(spec), {
    source: "cdk.tf.json",
    kind: kind === "synth" ? "synth" : "cdktf-json",
  });
  if (kind === "synth" || kind === "cdktf-json") return cdk;
  if (kind === "hcl") return loadHclFiles([{ file: "main.tf", text: hcl(spec) }], { source: "dir" });
  if (kind === "plan") return loadPlan(plan(spec), { source: "plan.json", metadata: cdk });
  return loadState(state(spec), { source: "state.json", metadata: cdk });
}

// Plan-only rules: the change each judges (create-before-destroy rotation, in-place replacement …).
const sAcc = { id: "sa-mx1" };
const lkc = { id: "lkc-mx1", environment: "env-mx" };
const PLAN_CASES: Record<string, { good: unknown; bad: unknown; subject: string; metadata?: KeykitModel }> = {
  KK010: {
    good: tf.plan({
      changes: [tf.keyNoop("confluent_api_key.k", { id: "MXK0000000000001", owner: sAcc, managed: lkc })],
    }),
    bad: tf.plan({
      changes: [
        tf.keyReplace(
          "confluent_api_key.k",
          { id: "MXK0000000000001", owner: sAcc, managed: lkc },
          { owner: { id: "sa-mx2" }, managed: lkc },
          { replacePaths: [["owner", 0, "id"]] },
        ),
      ],
    }),
    subject: "confluent_api_key.k",
  },
  KK011: {
    good: tf.plan({ changes: [tf.keyCreate("confluent_api_key.new", { owner: sAcc, managed: lkc })] }),
    bad: tf.plan({
      changes: [
        tf.keyDelete(
          "confluent_api_key.old",
          { id: "MXK0000000000002", owner: sAcc, managed: lkc },
          "delete_because_no_resource_config",
        ),
        tf.keyCreate("confluent_api_key.new", { owner: sAcc, managed: lkc }),
      ],
    }),
    subject: "confluent_api_key.old",
  },
};

function inventoryModel(
  keys: { id: string; owner: string; created?: string }[],
  accounts: string[],
  configured: KeykitModel[],
): KeykitModel {
  const keyList = keys.map((k) => ({
    key: k.id,
    description: "",
    owner: k.owner,
    owner_email: k.owner.startsWith("u-") ? "someone@example.com" : "<service account>",
    resource_type: "kafka",
    resource: "lkc-mx1",
    created: k.created ?? "2026-11-01T00:00:00Z",
  }));
  const inventory = loadInventory([
    { file: "keys.json", text: JSON.stringify(keyList) },
    { file: "accounts.json", text: JSON.stringify(accounts.map((id) => ({ id, name: id, description: "" }))) },
  ]);
  return buildAuditModel(inventory, desiredStateFromModels(configured), [], {
    now: new Date(NOW),
    maxAgeDays: 90,
    source: "inventory",
  });
}
const configuredKey = (address: string, id: string) =>
  loadState(
    tf.state([
      { address, type: "confluent_api_key", values: tf.apiKeyValues({ id, owner: sAcc, managed: lkc }) },
      {
        address: "confluent_service_account.app",
        type: "confluent_service_account",
        values: tf.serviceAccountValues("sa-mx1"),
      },
    ]),
    { source: "state.json" },
  );
const INVENTORY_CASES: Record<string, { good: () => KeykitModel; bad: () => KeykitModel; subject: string }> = {
  KK001: {
    good: () => inventoryModel([{ id: "MXINV00000000001", owner: "sa-mx1" }], ["sa-mx1"], []),
    bad: () => inventoryModel([{ id: "MXINV00000000001", owner: "u-mx1" }], ["sa-mx1"], []),
    subject: "MXINV00000000001",
  },
  KK004: {
    good: () => inventoryModel([{ id: "MXINV00000000001", owner: "sa-mx1" }], ["sa-mx1"], []),
    bad: () =>
      inventoryModel([{ id: "MXINV00000000001", owner: "sa-mx1", created: "2026-01-01T00:00:00Z" }], ["sa-mx1"], []),
    subject: "MXINV00000000001",
  },
  KK008: {
    good: () => inventoryModel([{ id: "MXINV00000000001", owner: "sa-mx1" }], ["sa-mx1"], []),
    bad: () => inventoryModel([{ id: "MXINV00000000001", owner: "sa-mx1" }], ["sa-mx1", "sa-mxidle"], []),
    subject: "sa-mxidle",
  },
  KK101: {
    good: () =>
      inventoryModel(
        [{ id: "MXINV00000000001", owner: "sa-mx1" }],
        ["sa-mx1"],
        [configuredKey("confluent_api_key.k", "MXINV00000000001")],
      ),
    bad: () =>
      inventoryModel(
        [
          { id: "MXINV00000000001", owner: "sa-mx1" },
          { id: "MXSTRAY000000001", owner: "sa-mx1" },
        ],
        ["sa-mx1"],
        [configuredKey("confluent_api_key.k", "MXINV00000000001")],
      ),
    subject: "MXSTRAY000000001",
  },
  KK102: {
    good: () => inventoryModel([{ id: "MXINV00000000001", owner: "sa-mx1" }], ["sa-mx1"], []),
    bad: () => inventoryModel([{ id: "MXINV00000000001", owner: "sa-mxgone" }], ["sa-mx1"], []),
    subject: "MXINV00000000001",
  },
};

const RULES: readonly Rule[] = [...new Map([...ALL_RULES, ...AUDIT_RULES].map((r) => [r.id, r])).values()];
const pairs = RULES.flatMap((r) => r.appliesTo.map((k) => [r.id, k] as const));
const caseOf = (id: string, kind: InputKind) =>
  kind === "inventory"
    ? INVENTORY_CASES[id]
    : STATIC.includes(kind as StaticKind) && STATIC_CASES[id]
      ? STATIC_CASES[id]
      : kind === "plan"
        ? PLAN_CASES[id]
        : undefined;

const subjects = (model: KeykitModel, rule: Rule) =>
  evaluate(model, [rule], [], { now: NOW }).findings.map((f) => f.subject);

describe("rule × input kind matrix (from appliesTo)", () => {
  const covered = pairs.filter(([id, kind]) => caseOf(id, kind) !== undefined);
  it("has a case for the pairs of every rule whose cases are generated here", () => {
    // Rules judged only elsewhere (their own test files) are named, so a new pair cannot go unnoticed.
    const elsewhere = new Set([
      "KK012", // rules-plan.test.ts
      "KK013", // rules-plan.test.ts
      "KK103", // audit tests
      "KK104", // audit tests
      "KK009:inventory", // audit tests
      "KK002:inventory", // audit tests
      "KK014:inventory", // kk014-global-key-advice.test.ts
      "KK105", // hostile/cleanup-script.test.ts (malformed ids, compliant and not)
      "KK106", // hostile/conflicting-exports.test.ts (both file orders)
      "KK107", // audit/audit-usage.test.ts
      "KK108", // audit/audit-usage.test.ts
      "KK109", // audit/audit-usage.test.ts
    ]);
    const missing = pairs.filter(
      ([id, kind]) => caseOf(id, kind) === undefined && !elsewhere.has(id) && !elsewhere.has(`${id}:${kind}`),
    );
    expect(missing).toEqual([]);
    expect(covered.length).toBeGreaterThan(40);
  });

  it.each(covered.map(([id, kind]) => [id, kind] as const))(
    "%s on %s: compliant case clean, violation found at its subject",
    async (id, kind) => {
      const rule = RULES.find((r) => r.id === id) as Rule;
      if (kind === "inventory") {
        const c = INVENTORY_CASES[id];
        expect(subjects(c.good(), rule)).toEqual([]);
        expect(subjects(c.bad(), rule)).toEqual([c.subject]);
      } else if (STATIC_CASES[id]) {
        const c = STATIC_CASES[id];
        const k = kind as StaticKind;
        const withSlots = (m: KeykitModel, entries?: RotationEntry[]) => (entries ? withRotationState(m, entries) : m);
        expect(subjects(withSlots(await render(c.goodFor?.[k] ?? c.good, k), c.rotation?.good), rule)).toEqual([]);
        expect(subjects(withSlots(await render(c.bad, k), c.rotation?.bad), rule)).toEqual([c.subject]);
      } else {
        const c = PLAN_CASES[id];
        expect(subjects(loadPlan(c.good, { source: "good.json" }), rule)).toEqual([]);
        expect(subjects(loadPlan(c.bad, { source: "bad.json" }), rule)).toEqual([c.subject]);
      }
    },
  );
});
