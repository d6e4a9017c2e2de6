import { buildApp } from "../../main";
import { resourcesOfType, synthesizeStack } from "../../testing";
import { type App, Testing } from "../../constructs/cdktf";
import type { TerraformStack } from "../../constructs";

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
});
