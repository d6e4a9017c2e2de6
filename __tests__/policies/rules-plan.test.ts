/** Rules on plan JSON (format 1.2): replacements, one-apply rotations, active-slot and published-key deletions. */
import { evaluate } from "../../policies/engine";
import { loadConfiguration } from "../../policies/loaders/configuration";
import { loadPlan } from "../../policies/loaders/plan";
import type { KeykitModel } from "../../policies/model";
import { ALL_RULES } from "../../policies/rules";
import { compliantStack } from "./helpers/synth";
import * as tf from "./helpers/terraform";

const NOW = "2026-11-28T00:00:00Z";
const sa = { id: "sa-111" };
const lkc = { id: "lkc-1", environment: "env-1" };
const prior = [
  {
    address: "confluent_service_account.app",
    type: "confluent_service_account",
    values: tf.serviceAccountValues("sa-111"),
  },
];

function findings(planJson: unknown, metadata?: KeykitModel) {
  return evaluate(loadPlan(planJson, { source: "plan.json", metadata }), ALL_RULES, [], { now: NOW }).findings;
}
const ids = (planJson: unknown, metadata?: KeykitModel) => findings(planJson, metadata).map((f) => f.ruleId);

describe("KK010 ApiKeyNotReplacedInPlace", () => {
  it("flags delete-then-create and create-then-delete, explained from action_reason and replace_paths", () => {
    for (const order of ["delete-first", "create-first"] as const) {
      const p = tf.plan({
        changes: [
          tf.keyReplace(
            "confluent_api_key.k",
            { id: "K1", owner: sa, managed: lkc },
            { owner: { id: "sa-222" }, managed: lkc },
            { order },
          ),
        ],
      });
      const f = findings(p).find((x) => x.ruleId === "KK010");
      expect(f?.message).toContain(order === "delete-first" ? "deleted then re-created" : "create_before_destroy");
      expect(f?.message).toContain("replace_because_cannot_update");
      expect(f?.message).toContain("owner.0.id");
    }
  });
  it("explains a tainted key", () => {
    const p = tf.plan({
      changes: [
        tf.keyReplace(
          "confluent_api_key.k",
          { id: "K1", owner: sa, managed: lkc },
          { owner: sa, managed: lkc },
          { reason: "replace_because_tainted", replacePaths: [] },
        ),
      ],
    });
    expect(findings(p).find((x) => x.ruleId === "KK010")?.message).toContain("tainted");
  });
  it("does not flag an in-place update, a no-op, or the delete of a deposed object", () => {
    const update: tf.ChangeSpec = {
      ...tf.keyNoop("confluent_api_key.k", { id: "K1", owner: sa, managed: lkc }),
      actions: ["update"],
    };
    const deposed: tf.ChangeSpec = {
      ...tf.keyDelete("confluent_api_key.k", { id: "K0", owner: sa, managed: lkc }),
      deposed: "00000001",
    };
    const p = tf.plan({
      changes: [update, deposed, tf.keyNoop("confluent_api_key.n", { id: "K2", owner: sa, managed: lkc })],
    });
    expect(ids(p)).not.toContain("KK010");
    expect(ids(p)).not.toContain("KK011");
  });
});

describe("KK011 RotationSpansTwoApplies", () => {
  const oneApply = tf.plan({
    prior,
    changes: [
      tf.keyDelete(
        "confluent_api_key.old",
        { id: "OLD1", owner: sa, managed: lkc },
        "delete_because_no_resource_config",
      ),
      tf.keyCreate("confluent_api_key.new", { owner: sa, managed: lkc }, "confluent_service_account.app"),
    ],
    config: [
      { address: "confluent_api_key.new", expressions: tf.keyExpressions("confluent_service_account.app", "lkc-1") },
    ],
  });
  it("flags a delete and a create for the same owner (resolved through configuration references) and scope", () => {
    const f = findings(oneApply).find((x) => x.ruleId === "KK011");
    expect(f?.subject).toBe("confluent_api_key.old");
    expect(f?.message).toContain("confluent_api_key.new");
    expect(f?.message).toContain("delete_because_no_resource_config");
    // Both sides of the rotation are named, each with what the plan does to it.
    expect(f?.message).toMatch(
      /the plan holds both sides, the new key \(creates confluent_api_key\.new\) and the removal of the old one \(deletes confluent_api_key\.old, /,
    );
  });
  it("does not flag a create for another scope, a moved key, or a forget", () => {
    const otherScope = tf.plan({
      prior,
      changes: [
        tf.keyDelete("confluent_api_key.old", { id: "OLD1", owner: sa, managed: lkc }),
        tf.keyCreate("confluent_api_key.new", { owner: sa, managed: { id: "lkc-2" } }),
      ],
    });
    expect(ids(otherScope)).not.toContain("KK011");
    const moved = tf.plan({
      changes: [
        {
          ...tf.keyNoop("confluent_api_key.renamed", { id: "K1", owner: sa, managed: lkc }),
          previousAddress: "confluent_api_key.old",
        },
      ],
    });
    expect(ids(moved).filter((i) => i.startsWith("KK01"))).toEqual([]);
    const forget = tf.plan({
      changes: [
        { ...tf.keyDelete("confluent_api_key.old", { id: "OLD1", owner: sa, managed: lkc }), actions: ["forget"] },
        tf.keyCreate("confluent_api_key.new", { owner: sa, managed: lkc }),
      ],
    });
    expect(ids(forget)).not.toContain("KK011");
  });
});

describe("KK012 ActiveRotationSlotKept", () => {
  it("flags deleting the slot keykit metadata marks active, not the retained one", () => {
    const metadata = loadConfiguration(compliantStack(), { source: "cdk.tf.json" });
    const del = (address: string) =>
      tf.plan({ changes: [tf.keyDelete(address, { id: "K1", owner: sa, managed: lkc })] });
    expect(ids(del("confluent_api_key.app_blue"), metadata)).toContain("KK012");
    expect(ids(del("confluent_api_key.app_green"), metadata)).not.toContain("KK012");
  });
  it("flags deleting the key a secret store published before apply", () => {
    const store: tf.ChangeSpec = {
      address: "vault_kv_secret_v2.app",
      type: "vault_kv_secret_v2",
      actions: ["update"],
      before: { mount: "secret", name: "app", data_json: '{"key":"K1","secret":"cfltxxxxxxxxxxxxxxxxxxxx"}' },
      after: { mount: "secret", name: "app" },
      beforeSensitive: { data_json: true },
      afterSensitive: { data_json: true },
      afterUnknown: { data_json: true },
    };
    const p = tf.plan({ changes: [tf.keyDelete("confluent_api_key.k", { id: "K1", owner: sa, managed: lkc }), store] });
    expect(ids(p)).toContain("KK012");
    expect(ids(p)).not.toContain("KK013"); // the store moves to another key in the same apply
  });
});

describe("KK013 PublishedKeyNotDeleted", () => {
  const store = (dataJson: string): tf.ChangeSpec => ({
    address: "aws_secretsmanager_secret_version.app",
    type: "aws_secretsmanager_secret_version",
    actions: ["no-op"],
    before: { secret_id: "arn", secret_string: dataJson },
    after: { secret_id: "arn", secret_string: dataJson },
    beforeSensitive: { secret_string: true },
    afterSensitive: { secret_string: true },
  });
  it("flags deleting a key the store still holds after apply, not another one", () => {
    const still = tf.plan({
      changes: [tf.keyDelete("confluent_api_key.k", { id: "K1", owner: sa, managed: lkc }), store('{"key":"K1"}')],
    });
    expect(ids(still)).toContain("KK013");
    const other = tf.plan({
      changes: [tf.keyDelete("confluent_api_key.k", { id: "K1", owner: sa, managed: lkc }), store('{"key":"K9"}')],
    });
    expect(ids(other)).not.toContain("KK013");
  });
});

describe("static rules on plans", () => {
  it("KK001 flags a user-owned key that exists after apply, not one being deleted", () => {
    const p = tf.plan({
      changes: [tf.keyNoop("confluent_api_key.u", { id: "K3", owner: { id: "u-abc" }, managed: lkc })],
    });
    expect(ids(p)).toContain("KK001");
    const gone = tf.plan({
      changes: [tf.keyDelete("confluent_api_key.u", { id: "K3", owner: { id: "u-abc" }, managed: lkc })],
    });
    expect(ids(gone)).not.toContain("KK001");
  });
  it("KK001 resolves a data.confluent_user reference in configuration when the owner id is unknown", () => {
    const p = tf.plan({
      changes: [tf.keyCreate("confluent_api_key.u", { owner: { id: "u-x" }, managed: lkc }, "data.confluent_user.me")],
      config: [{ address: "confluent_api_key.u", expressions: tf.keyExpressions("data.confluent_user.me", "lkc-1") }],
    });
    expect(ids(p)).toContain("KK001");
  });
  it("KK005 flags a non-sensitive output of a key secret from configuration", () => {
    const outputs = (sensitive: boolean) => ({
      s: {
        expression: { references: ["confluent_api_key.k.secret", "confluent_api_key.k"] },
        ...(sensitive ? { sensitive: true } : {}),
      },
    });
    expect(ids(tf.plan({ changes: [], outputs: outputs(false) }))).toContain("KK005");
    expect(ids(tf.plan({ changes: [], outputs: outputs(true) }))).not.toContain("KK005");
  });
  it("KK006 flags a secret referenced by a non-store resource", () => {
    const file: tf.ChangeSpec = {
      address: "local_file.f",
      type: "local_file",
      actions: ["create"],
      after: { filename: "f" },
      afterUnknown: { content: true },
    };
    const p = (ref: string) =>
      tf.plan({
        changes: [file],
        config: [{ address: "local_file.f", expressions: { content: { references: [ref, "confluent_api_key.k"] } } }],
      });
    expect(ids(p("confluent_api_key.k.secret"))).toContain("KK006");
    expect(ids(p("confluent_api_key.k.id"))).not.toContain("KK006");
  });
  it("KK007 flags a constant provider credential, not a variable", () => {
    const cfg = (expr: tf.Json) => ({
      confluent: { name: "confluent", full_name: tf.PROVIDER, expressions: { cloud_api_secret: expr } },
    });
    expect(ids(tf.plan({ changes: [], providerConfig: cfg({ constant_value: "s3cr3t-value" }) }))).toContain("KK007");
    expect(ids(tf.plan({ changes: [], providerConfig: cfg({ references: ["var.secret"] }) }))).not.toContain("KK007");
  });
  it("KK007 flags a provider credential coming from a variable's literal default", () => {
    const p = tf.plan({
      changes: [],
      providerConfig: {
        confluent: { name: "confluent", expressions: { kafka_api_secret: { references: ["var.kafka_secret"] } } },
      },
    }) as { configuration: { root_module: tf.Json } };
    p.configuration.root_module.variables = { kafka_secret: { default: "committed", sensitive: true } };
    expect(ids(p)).toContain("KK007");
    p.configuration.root_module.variables = { kafka_secret: { sensitive: true } };
    expect(ids(p)).not.toContain("KK007");
  });
  it("KK008 and KK009 judge what exists after apply", () => {
    const saChange: tf.ChangeSpec = {
      address: "confluent_service_account.idle",
      type: "confluent_service_account",
      actions: ["create"],
      after: { display_name: "idle" },
      afterUnknown: { id: true },
    };
    expect(ids(tf.plan({ changes: [saChange] }))).toContain("KK008");
    const keys = ["a", "b", "c"].map((n, i) =>
      tf.keyNoop(`confluent_api_key.${n}`, { id: `K${i}`, owner: sa, managed: lkc }),
    );
    expect(ids(tf.plan({ changes: keys }))).toContain("KK009");
    expect(
      ids(
        tf.plan({
          changes: [...keys.slice(0, 2), tf.keyDelete("confluent_api_key.c", { id: "K2", owner: sa, managed: lkc })],
        }),
      ),
    ).not.toContain("KK009");
  });
});

describe("plan input validation", () => {
  it("rejects an unknown major format_version and an errored plan, notes an incomplete one", () => {
    expect(() => loadPlan(tf.plan({ changes: [], formatVersion: "2.0" }), { source: "p" })).toThrow(
      /format_version 2.0 is not supported/,
    );
    expect(() => loadPlan(tf.plan({ changes: [], errored: true }), { source: "p" })).toThrow(/errored/);
    expect(loadPlan(tf.plan({ changes: [], complete: false }), { source: "p" }).notes[0]).toMatch(/incomplete/);
    expect(loadPlan(tf.plan({ changes: [], formatVersion: "1.1" }), { source: "p" }).kind).toBe("plan");
  });
  it("never reads a value the plan marks sensitive (owner id masked → unknown owner)", () => {
    const change = tf.keyNoop("confluent_api_key.k", { id: "K1", owner: { id: "u-secret" }, managed: lkc });
    const masked = { ...change, afterSensitive: { ...(change.afterSensitive as tf.Json), owner: true } };
    const model = loadPlan(tf.plan({ changes: [masked] }), { source: "p" });
    expect(model.apiKeys[0].owner.id).toBeUndefined();
    expect(JSON.stringify(model)).not.toContain("cfltSECRET");
  });
});

describe("modules", () => {
  it("resolves references inside a module call relative to the module", () => {
    const p = tf.plan({
      changes: [
        {
          ...tf.keyCreate("module.app.confluent_api_key.k[0]", { owner: { id: "u-9" }, managed: lkc }, "x"),
          address: "module.app.confluent_api_key.k[0]",
        },
      ],
    }) as { configuration: { root_module: tf.Json } };
    p.configuration.root_module.module_calls = {
      app: {
        source: "./app",
        module: {
          resources: [
            {
              address: "confluent_api_key.k",
              mode: "managed",
              type: "confluent_api_key",
              name: "k",
              expressions: tf.keyExpressions("data.confluent_user.me", "lkc-1"),
            },
          ],
        },
      },
    };
    const model = loadPlan(p, { source: "p" });
    expect(model.apiKeys[0].owner).toMatchObject({
      kind: "user",
      reference: { address: "module.app.data.confluent_user.me" },
    });
    expect(ids(p)).toContain("KK001");
  });
});
