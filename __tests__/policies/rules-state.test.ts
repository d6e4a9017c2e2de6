/** Rules on state JSON (`terraform show -json` on a state). */
import { evaluate } from "../../policies/engine";
import { loadState } from "../../policies/loaders/state";
import { ALL_RULES } from "../../policies/rules";
import * as tf from "./helpers/terraform";

const NOW = "2026-11-28T00:00:00Z";
const sa = { id: "sa-111" };
const lkc = { id: "lkc-1", environment: "env-1" };
const SECRET = "cfltPLANTEDSECRETPLANTEDSECRETPLANTEDSECRETPLANTEDSECRETPLANTED";

const keyRes = (name: string, owner = sa, id = `K-${name}`) => ({
  address: `confluent_api_key.${name}`,
  type: "confluent_api_key",
  values: tf.apiKeyValues({ id, owner, managed: lkc, secret: `${SECRET}${name}` }),
  sensitive: tf.apiKeySensitive({ owner, managed: lkc }),
});
const saRes = (name: string, id: string) => ({
  address: `confluent_service_account.${name}`,
  type: "confluent_service_account",
  values: tf.serviceAccountValues(id),
});
const binding = (id: string) => ({
  address: "confluent_role_binding.rb",
  type: "confluent_role_binding",
  values: { id: "rb-1", principal: `User:${id}`, role_name: "DeveloperRead", crn_pattern: "crn://x" },
});

function ids(json: unknown): string[] {
  return evaluate(loadState(json, { source: "state.json" }), ALL_RULES, [], { now: NOW }).findings.map((f) => f.ruleId);
}

describe("rules on state", () => {
  it("KK001: user-owned key flagged, service-account key not", () => {
    expect(ids(tf.state([keyRes("u", { id: "u-1" })]))).toContain("KK001");
    expect(ids(tf.state([saRes("app", "sa-111"), keyRes("a")]))).not.toContain("KK001");
  });
  it("KK005: a non-sensitive output holding a key's secret is found by value, without printing it", () => {
    const exposed = tf.state([keyRes("a")], { s: { sensitive: false, value: `${SECRET}a`, type: "string" } });
    const report = evaluate(loadState(exposed, { source: "s" }), ALL_RULES, [], { now: NOW });
    expect(report.findings.map((f) => f.ruleId)).toContain("KK005");
    expect(JSON.stringify(report)).not.toContain(SECRET);
    expect(ids(tf.state([keyRes("a")], { s: { sensitive: true, value: `${SECRET}a`, type: "string" } }))).not.toContain(
      "KK005",
    );
  });
  it("KK006: a secret copied into another resource is found; a secret store is accepted", () => {
    const file = { address: "local_file.f", type: "local_file", values: { filename: "f", content: `x=${SECRET}a` } };
    expect(ids(tf.state([keyRes("a"), file]))).toContain("KK006");
    const store = {
      address: "vault_kv_secret_v2.s",
      type: "vault_kv_secret_v2",
      values: { data_json: `{"s":"${SECRET}a"}` },
      sensitive: { data_json: true },
    };
    expect(ids(tf.state([keyRes("a"), store]))).not.toContain("KK006");
  });
  it("KK008: an unused service account is flagged; one with a role binding or key is not", () => {
    expect(ids(tf.state([saRes("idle", "sa-9")]))).toContain("KK008");
    expect(ids(tf.state([saRes("bound", "sa-9"), binding("sa-9")]))).not.toContain("KK008");
    expect(ids(tf.state([saRes("app", "sa-111"), keyRes("a")]))).not.toContain("KK008");
  });
  it("KK009: three keys for one owner and scope are flagged, two are not", () => {
    expect(ids(tf.state([keyRes("a"), keyRes("b"), keyRes("c")]))).toContain("KK009");
    expect(ids(tf.state([keyRes("a"), keyRes("b")]))).not.toContain("KK009");
  });
  it("reads child modules and rejects an unknown major version", () => {
    const s = tf.state([]) as { values: { root_module: tf.Json } };
    s.values.root_module.child_modules = [
      { address: "module.m", resources: [tf.stateResource(keyRes("u", { id: "u-1" }))] },
    ];
    expect(ids(s)).toContain("KK001");
    expect(() => loadState({ format_version: "9.0" }, { source: "s" })).toThrow(/not supported/);
  });
});

describe("state loader: shared owner/scope values and metadata by configuration address", () => {
  it("shares one owner and scope object per distinct value, never between different values", () => {
    const other = { id: "lkc-2", environment: "env-1" };
    const json = tf.state([
      keyRes("a"),
      keyRes("b"),
      keyRes("u", { id: "u-1" }),
      {
        address: "confluent_api_key.c",
        type: "confluent_api_key",
        values: tf.apiKeyValues({ id: "K-c", owner: sa, managed: other }),
      },
      { address: "confluent_api_key.d", type: "confluent_api_key", values: { id: "K-d", owner: [{ id: 42 }] } },
    ]);
    const [a, b, u, c, d] = loadState(json, { source: "s" }).apiKeys;
    expect(a.owner).toBe(b.owner);
    expect(a.scope).toBe(b.scope);
    expect(u.owner).not.toBe(a.owner);
    expect(u.owner).toMatchObject({ kind: "user", id: "u-1", key: "u-1" });
    expect(c.owner).toBe(a.owner);
    expect(c.scope).not.toBe(a.scope);
    expect(c.scope).toMatchObject({ kind: "kafka", id: "lkc-2", key: "kafka:lkc-2" });
    expect(a.scope).toMatchObject({ kind: "kafka", id: "lkc-1", environment: "env-1", key: "kafka:lkc-1" });
    expect(d.owner).toMatchObject({ kind: "unknown", id: undefined }); // a non-string id is resolved on its own
    expect(d.scope).toMatchObject({ kind: "cloud", key: "cloud:cloud" });
  });

  it("applies the stack's metadata to indexed instances in modules (configuration address) and leaves others alone", () => {
    const json = tf.state([]) as { values: { root_module: tf.Json } };
    json.values.root_module.child_modules = [
      {
        address: "module.m",
        // Written out: the helper derives type and name from a root-module address.
        resources: [0, 1].map((i) => ({
          ...tf.stateResource(keyRes("k")),
          address: `module.m.confluent_api_key.k[${i}]`,
          index: i,
        })),
      },
    ];
    const metadata = {
      ...loadState(tf.state([keyRes("x")]), { source: "cdk.tf.json" }),
      apiKeys: [
        {
          ...loadState(tf.state([keyRes("x")]), { source: "cdk.tf.json" }).apiKeys[0],
          address: "module.m.confluent_api_key.k",
          location: { file: "cdk.tf.json", constructPath: "app/M/K" },
          rotation: { name: "k", slot: "blue" as const, active: true },
        },
      ],
    };
    const keys = loadState(json, { source: "s", metadata }).apiKeys;
    expect(keys.map((k) => [k.address, k.location.constructPath, k.rotation?.name])).toEqual([
      ["module.m.confluent_api_key.k[0]", "app/M/K", "k"],
      ["module.m.confluent_api_key.k[1]", "app/M/K", "k"],
    ]);
    expect(loadState(json, { source: "s" }).apiKeys.map((k) => [k.location.constructPath, k.rotation])).toEqual([
      [undefined, undefined],
      [undefined, undefined],
    ]);
  });
});
