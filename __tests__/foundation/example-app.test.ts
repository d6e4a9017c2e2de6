import { buildApp } from "../../main";
import { keykitReport, resourcesOfType, synthesizeStack } from "../../testing";
import { type App, Testing } from "../../constructs/cdktf";
import type { TerraformStack } from "../../constructs/cdktf";

function exampleStack(): TerraformStack {
  const app: App = buildApp(Testing.app({ stackTraces: false }));
  return app.node.findChild("orders-prod") as TerraformStack;
}

describe("the example app (main.ts)", () => {
  const json = synthesizeStack(exampleStack());

  test("is a production stack", () => {
    expect(json["//"]).toMatchObject({ keykit: { tier: "production" } });
  });

  test("every API key is owned by a service account declared in the stack", () => {
    const accounts = new Set(resourcesOfType(json, "confluent_service_account").map(([name]) => name));
    const keys = resourcesOfType(json, "confluent_api_key");
    expect(keys.length).toBeGreaterThanOrEqual(2);
    for (const [, key] of keys) {
      const owner = key.owner as { id: string; kind: string };
      expect(owner.kind).toBe("ServiceAccount");
      const match = /^\$\{confluent_service_account\.([^.]+)\.id\}$/.exec(owner.id);
      expect(match).not.toBeNull();
      expect(accounts.has(match![1])).toBe(true);
    }
  });

  test("the provider block carries no credentials (they come from the environment)", () => {
    const provider = (json.provider as { confluent: Record<string, unknown>[] }).confluent;
    expect(provider).toEqual([{}]);
  });

  test("has an environment, a dedicated cluster and a Schema Registry", () => {
    expect(resourcesOfType(json, "confluent_environment")).toHaveLength(1);
    const [[, cluster]] = resourcesOfType(json, "confluent_kafka_cluster");
    expect(cluster.dedicated).toEqual({ cku: 2 });
    expect(Object.keys(json.data?.confluent_schema_registry_cluster ?? {})).toHaveLength(1);
  });

  test("every application's key is published to Vault; two are blue/green, one of them global", () => {
    const keys = resourcesOfType(json, "confluent_api_key").map(([, body]) => body);
    const meta = keys.map(
      (k) => (k["//"] as { keykit: { construct: string; serves?: unknown[]; rotation?: unknown } }).keykit,
    );
    expect(meta.map((m) => m.construct).sort()).toEqual([
      "BlueGreenApiKey",
      "BlueGreenApiKey",
      "ServiceAccountWithKey",
    ]);
    const global = keys.filter((k) => (k.managed_resource as { kind: string }).kind === "Global");
    expect(global).toHaveLength(1);
    expect(meta.find((m) => m.serves)?.serves).toHaveLength(2);
    expect(resourcesOfType(json, "vault_kv_secret_v2")).toHaveLength(3);
  });

  test("keykit's rules find nothing to fix (the one acknowledged finding is documented in main.ts)", () => {
    const report = keykitReport(json, { now: "2026-12-01" });
    expect(report.findings.filter((f) => !f.suppressed)).toEqual([]);
    expect(report.findings.filter((f) => f.suppressed).map((f) => f.ruleId)).toEqual(["KK003"]);
    expect(json).toHaveNoKeykitFindings({ now: "2026-12-01" });
    expect(json).not.toHaveKeykitFinding("KK001");
  });
});
