/**
 * Equivalence: one stack written as cdk.tf.json, as HCL, as a plan that creates it from empty state and as the state
 * after that apply gives the same findings (rule, subject, severity, acknowledged or not) for every rule that
 * applies to more than one of these inputs, acknowledgements included (code acknowledgements reach the plan and the
 * state through the stack's cdk.tf.json next to them; the central file reaches every input).
 */
import type { FileAcknowledgement } from "../../policies/acknowledgements";
import { evaluate } from "../../policies/engine";
import { loadConfiguration } from "../../policies/loaders/configuration";
import { loadHclFiles } from "../../policies/loaders/hcl";
import { loadPlan } from "../../policies/loaders/plan";
import { loadState } from "../../policies/loaders/state";
import type { InputKind, KeykitModel } from "../../policies/model";
import { ALL_RULES } from "../../policies/rules";
import { type StackSpec, JsonEncoded, Template, block, cdktfJson, hcl, plan, ref, state } from "./helpers/one-stack";
import { managedResourceBlock, ownerBlock } from "./helpers/api-key-blocks";

const NOW = "2026-12-01T00:00:00Z";
const SECRET = (n: number) => `cfltEQUIV${String(n).padStart(4, "0")}${"s".repeat(51)}`;
const EXPIRES = "2027-06-30";
const sa = (name: string, id: string) => ({
  type: "confluent_service_account",
  name,
  args: { display_name: name, description: `${name} account` },
  computed: { id, api_version: "iam/v2", kind: "ServiceAccount" },
});
const key = (name: string, owner: string | ReturnType<typeof ref>, cluster: string, n: number) => ({
  type: "confluent_api_key",
  name,
  args: {
    display_name: name,
    owner: ownerBlock(owner),
    managed_resource: managedResourceBlock(cluster, "env-eq1"),
  },
  computed: { id: `EQKEY${String(n).padStart(11, "0")}`, secret: SECRET(n) },
  sensitive: ["secret"],
});

const STACK: StackSpec = {
  provider: { cloud_api_key: "HARDCODEDKEY0001", cloud_api_secret: ref("var_like.none.value") },
  resources: [
    sa("app", "sa-eq100"),
    sa("leftover", "sa-eq200"),
    sa("batch", "sa-eq300"),
    {
      ...key("app_key", ref("confluent_service_account.app.id"), "lkc-eq1", 1),
      acknowledgements: [{ rule: "KK003", reason: "rotated by the platform team's job", expires: EXPIRES }],
    },
    key("app_key_2", ref("confluent_service_account.app.id"), "lkc-eq1", 2),
    key("app_key_3", ref("confluent_service_account.app.id"), "lkc-eq1", 3),
    key("personal", "u-eq9", "lkc-eq1", 4),
    {
      ...key("batch_key", ref("confluent_service_account.batch.id"), "lkc-eq2", 5),
      acknowledgements: [{ rule: "KK003", reason: "batch key retires with the job in June", expires: "2026-01-01" }],
    },
    {
      type: "confluent_api_key",
      name: "global",
      args: {
        display_name: "global",
        owner: block({ id: ref("confluent_service_account.batch.id"), api_version: "iam/v2", kind: "ServiceAccount" }),
        managed_resource: block({ id: "global", api_version: "global/v1", kind: "Global" }),
      },
      computed: { id: "EQGLOBAL00000001", secret: SECRET(6) },
      sensitive: ["secret"],
    },
    {
      type: "vault_kv_secret_v2",
      name: "app",
      args: {
        mount: "kv",
        name: "confluent/app",
        data_json: new JsonEncoded({
          key: ref("confluent_api_key.app_key.id"),
          secret: ref("confluent_api_key.app_key.secret"),
        }),
      },
      sensitive: ["data_json"],
    },
    {
      type: "local_file",
      name: "dotenv",
      args: {
        filename: "app.env",
        content: new Template(["KAFKA_SECRET=", ref("confluent_api_key.app_key_2.secret")]),
      },
    },
    {
      type: "confluent_kafka_topic",
      name: "orders",
      args: {
        topic_name: "orders",
        kafka_cluster: block({ id: "lkc-eq1" }),
        credentials: block({
          key: ref("confluent_api_key.app_key.id"),
          secret: ref("confluent_api_key.app_key.secret"),
        }),
      },
    },
  ],
  outputs: [
    { name: "whole_key", value: ref("confluent_api_key.app_key_3") },
    { name: "key_id", value: ref("confluent_api_key.app_key.id") },
    { name: "hidden", value: ref("confluent_api_key.app_key.secret"), sensitive: true },
  ],
};

// The central file: one acknowledgement every input can use (no code acknowledgements in HCL).
const FILE_ACKS: FileAcknowledgement[] = [
  {
    rule: "KK008",
    resource: "confluent_service_account.leftover",
    reason: "kept for the Q1 migration",
    expires: EXPIRES,
    declaredIn: "acks.json",
  },
];

const KINDS = ["cdktf-json", "hcl", "plan", "state"] as const;
type Kind = (typeof KINDS)[number];

async function models(): Promise<Record<Kind, KeykitModel>> {
  const cdk = loadConfiguration(cdktfJson(STACK), { source: "cdk.tf.json" });
  return {
    "cdktf-json": cdk,
    hcl: await loadHclFiles([{ file: "main.tf", text: hcl(STACK) }], { source: "dir" }),
    plan: loadPlan(plan(STACK), { source: "plan.json", metadata: cdk }),
    state: loadState(state(STACK), { source: "state.json", metadata: cdk }),
  };
}

type Row = string;
function findings(model: KeykitModel, rules: typeof ALL_RULES): Row[] {
  return evaluate(model, rules, FILE_ACKS, { now: NOW })
    .findings.map(
      (f) =>
        `${f.ruleId} ${f.subject} ${f.severity} ${f.suppressed ? `acknowledged(${f.suppressed.source})` : "active"}`,
    )
    .sort();
}

describe("the same stack as cdk.tf.json, HCL, plan and state", () => {
  let all: Record<Kind, KeykitModel>;
  beforeAll(async () => {
    all = await models();
  });

  const shared = ALL_RULES.filter((r) => KINDS.filter((k) => r.appliesTo.includes(k as InputKind)).length > 1);
  it.each(shared.map((r) => [r.id, r] as const))(
    "%s gives the same findings on every input it applies to",
    (_id, rule) => {
      const kinds = KINDS.filter((k) => rule.appliesTo.includes(k as InputKind));
      // HCL carries no code acknowledgements: compared without the suppression source where it differs by design.
      const rows = Object.fromEntries(kinds.map((k) => [k, findings(all[k], [rule])]));
      const json = kinds.filter((k) => k !== "hcl");
      for (const k of json.slice(1)) expect({ kind: k, rows: rows[k] }).toEqual({ kind: k, rows: rows[json[0]] });
      if (kinds.includes("hcl")) {
        const codeAcked = (r: Row) => r.endsWith("acknowledged(code)");
        const strip = (list: Row[]) =>
          list.map((r) => (codeAcked(r) ? r.replace(/ acknowledged\(code\)$/, " active") : r));
        expect({ kind: "hcl", rows: rows.hcl }).toEqual({ kind: "hcl", rows: strip(rows[json[0]]) });
      }
    },
  );

  it("the stack exercises each shared rule's findings, acknowledgements and the drifts fixed in #9", () => {
    const rows = findings(all.plan, ALL_RULES);
    expect(rows).toEqual(
      expect.arrayContaining([
        "KK001 confluent_api_key.personal error active",
        "KK003 confluent_api_key.app_key warning acknowledged(code)",
        "KK003 confluent_api_key.batch_key warning active", // expired code acknowledgement
        "KK005 output.whole_key error active", // a whole key object in a plan output
        "KK006 local_file.dotenv error active",
        "KK008 confluent_service_account.leftover warning acknowledged(file)",
      ]),
    );
    expect(rows.some((r) => r.startsWith("KK009 "))).toBe(true);
    expect(rows).toContain("KK007 provider.confluent error active");
    expect(rows).toContain("KK002 confluent_api_key.global warning active");
    // Stores and credential consumers are not sinks, on any input.
    for (const k of KINDS) expect(all[k].secretSinks.map((s) => s.address)).toEqual(["local_file.dotenv"]);
    for (const k of ["cdktf-json", "hcl", "plan"] as const)
      expect(all[k].secretStores.map((s) => [s.address, s.keyAddresses])).toEqual([
        ["vault_kv_secret_v2.app", ["confluent_api_key.app_key"]],
      ]);
    expect(all.state.secretStores.map((s) => [s.address, s.keyIds])).toEqual([
      ["vault_kv_secret_v2.app", ["EQKEY00000000001"]],
    ]);
  });
});
