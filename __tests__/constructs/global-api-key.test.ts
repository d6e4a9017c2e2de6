import { KeyScope } from "../../constructs";
import { DataConfluentSchemaRegistryCluster } from "../../.gen/providers/confluent/data-confluent-schema-registry-cluster";
import { ServiceAccount } from "../../.gen/providers/confluent/service-account";
import { GlobalApiKey, globalKeyIneligibility } from "../../constructs/global-api-key";
import { VaultKvSecretSink } from "../../constructs/secret-sinks";
import { resourcesOfType, synthesizeStack } from "../../testing";
import { type Body, bgStack } from "./blue-green-helpers";
import { newKafkaCluster } from "../foundation/helpers";

const dedicated = () =>
  KeyScope.kafkaCluster({ clusterId: "lkc-ded001", environment: "env-abc123", type: "dedicated" });
const enterprise = () =>
  KeyScope.kafkaCluster({ clusterId: "lkc-ent001", environment: "env-abc123", type: "enterprise" });
const privateRegistry = () =>
  KeyScope.schemaRegistry({ clusterId: "lsrc-abc123", environment: "env-abc123", networking: "private" });

describe("GlobalApiKey", () => {
  test("one Global key owned by a new service account, recording the three resources it serves", () => {
    const stack = bgStack();
    const key = new GlobalApiKey(stack, "Checkout", {
      resources: [
        dedicated(),
        privateRegistry(),
        KeyScope.flinkRegion({ regionId: "aws.eu-central-1", environment: "env-abc123" }),
      ],
      serviceAccountName: "checkout",
    });
    const json = synthesizeStack(stack);
    const keys = resourcesOfType(json, "confluent_api_key");
    expect(keys).toHaveLength(1);
    const [, body] = keys[0] as [string, Body];
    expect(body.managed_resource).toEqual({ id: "global", api_version: "global/v1", kind: "Global" });
    expect(body.owner).toMatchObject({ api_version: "iam/v2", kind: "ServiceAccount" });
    expect(body["//"]?.keykit).toMatchObject({
      construct: "GlobalApiKey",
      serves: [
        { kind: "kafka", id: "lkc-ded001", environment: "env-abc123", clusterType: "dedicated" },
        { kind: "schema-registry", id: "lsrc-abc123", environment: "env-abc123", networking: "private" },
        { kind: "flink", id: "aws.eu-central-1", environment: "env-abc123" },
      ],
    });
    expect(resourcesOfType(json, "confluent_service_account")[0][1].display_name).toBe("checkout");
    expect(key.serves).toHaveLength(3);
    const outputs = Object.values(json.output ?? {});
    expect(outputs).toHaveLength(1);
    expect(outputs[0].sensitive).toBe(true);
  });

  test("accepts every kind global keys serve", () => {
    const all = [
      KeyScope.cloud(),
      dedicated(),
      enterprise(),
      KeyScope.kafkaCluster({ clusterId: "lkc-frt001", environment: "env-abc123", type: "freight" }),
      privateRegistry(),
      KeyScope.tableflow(),
      KeyScope.flinkRegion({ regionId: "aws.us-east-1", environment: "env-abc123" }),
      KeyScope.ksqlCluster({ clusterId: "lksqlc-abc123", environment: "env-abc123" }),
    ];
    for (const scope of all) expect(globalKeyIneligibility(scope)).toBeUndefined();
    const stack = bgStack();
    new GlobalApiKey(stack, "Everything", { resources: all });
    const [, body] = resourcesOfType(synthesizeStack(stack), "confluent_api_key")[0] as [string, Body];
    expect((body["//"]?.keykit?.serves as unknown[]).length).toBe(all.length);
  });

  test.each([
    [
      "a basic cluster",
      KeyScope.kafkaCluster({ clusterId: "lkc-bas001", environment: "env-abc123", type: "basic" }),
      /resources\[1\] kafka cluster lkc-bas001 \(basic\): global keys do not serve basic clusters/,
    ],
    [
      "a standard cluster",
      KeyScope.kafkaCluster({ clusterId: "lkc-std001", environment: "env-abc123", type: "standard" }),
      /kafka cluster lkc-std001 \(standard\): global keys do not serve standard clusters/,
    ],
    [
      "a public schema registry",
      KeyScope.schemaRegistry({ clusterId: "lsrc-pub001", environment: "env-abc123" }),
      /schema registry lsrc-pub001 \(public\): global keys serve Schema Registry only over private networking/,
    ],
  ])("refuses %s, naming the resource and why", (_label, scope, message) => {
    const stack = bgStack();
    expect(() => new GlobalApiKey(stack, "App", { resources: [dedicated(), scope] })).toThrow(message);
    expect(() => new GlobalApiKey(stack, "App2", { resources: [dedicated(), scope] })).toThrow(
      /^GlobalApiKey test\/App2: /,
    );
  });

  test("refuses fewer than two distinct resources, counting the same resource named twice once", () => {
    const stack = bgStack();
    expect(() => new GlobalApiKey(stack, "One", { resources: [dedicated()] })).toThrow(
      /two or more distinct resources; got 1 \(kafka cluster lkc-ded001 \(dedicated\)\).*ServiceAccountWithKey/,
    );
    expect(() => new GlobalApiKey(stack, "Twice", { resources: [dedicated(), dedicated()] })).toThrow(
      /^GlobalApiKey test\/Twice: a global key is for clients of two or more distinct resources; got 2 entries but only 1 distinct resource \(kafka cluster lkc-ded001 \(dedicated\)\): the same resource is listed more than once\. A single-resource client gets a scoped key: use ServiceAccountWithKey$/,
    );
    expect(() => new GlobalApiKey(stack, "None", { resources: [] })).toThrow(/got 0 \(none\)/);
  });

  test("two references to the same cluster construct count once", () => {
    const stack = bgStack();
    const cluster = newKafkaCluster(stack, "Cluster", "enterprise", "env-abc123");
    expect(
      () =>
        new GlobalApiKey(stack, "K", {
          resources: [KeyScope.fromKafkaCluster(cluster), KeyScope.fromKafkaCluster(cluster)],
        }),
    ).toThrow(/got 2 entries but only 1 distinct resource \(.+\): the same resource is listed more than once/);
    new GlobalApiKey(stack, "K2", { resources: [KeyScope.fromKafkaCluster(cluster), KeyScope.tableflow()] });
  });

  test("records a served resource given as a construct as its Terraform reference, not a token", () => {
    const stack = bgStack();
    const cluster = newKafkaCluster(stack, "Cluster", "enterprise", "env-abc123");
    new GlobalApiKey(stack, "K", { resources: [KeyScope.fromKafkaCluster(cluster), KeyScope.tableflow()] });
    const [, body] = resourcesOfType(synthesizeStack(stack), "confluent_api_key")[0] as [string, Body];
    const serves = body["//"]?.keykit?.serves as { id: string }[];
    expect(serves[0].id).toBe("${confluent_kafka_cluster.Cluster.id}");
    expect(JSON.stringify(serves)).not.toContain("TfToken");
  });

  test("refuses a user owner in production; accepts an existing service account", () => {
    const stack = bgStack();
    expect(
      () => new GlobalApiKey(stack, "U", { resources: [dedicated(), KeyScope.cloud()], owner: { id: "u-abc123" } }),
    ).toThrow(/GlobalApiKey test\/U: owner u-abc123 is a user; production keys must be owned by a service account/);
    const sa = new ServiceAccount(stack, "Sa", { displayName: "checkout" });
    new GlobalApiKey(stack, "S", { resources: [dedicated(), KeyScope.cloud()], owner: sa });
    const json = synthesizeStack(stack);
    expect(resourcesOfType(json, "confluent_service_account")).toHaveLength(1);
    expect((resourcesOfType(json, "confluent_api_key")[0][1] as Body).owner?.id).toBe(
      "${confluent_service_account.Sa.id}",
    );
  });

  test("allows a user owner in a development stack only with a reason, recorded in the JSON", () => {
    const stack = bgStack({ tier: "development" });
    expect(
      () =>
        new GlobalApiKey(stack, "NoReason", { resources: [dedicated(), KeyScope.cloud()], owner: { id: "u-abc123" } }),
    ).toThrow(/needs allowUserOwner/);
    new GlobalApiKey(stack, "Dev", {
      resources: [dedicated(), KeyScope.cloud()],
      owner: { id: "u-abc123" },
      allowUserOwner: { reason: "local experiments with the fraud model" },
    });
    const [, body] = resourcesOfType(synthesizeStack(stack), "confluent_api_key")[0] as [string, Body];
    expect(body.owner).toEqual({ id: "u-abc123", api_version: "iam/v2", kind: "User" });
    expect(body["//"]?.keykit?.userOwner).toEqual({ reason: "local experiments with the fraud model" });
  });

  test("role bindings per resource, grouped under a stable construct per resource", () => {
    const stack = bgStack({ vault: true });
    const registry = new DataConfluentSchemaRegistryCluster(stack, "Registry", { environment: { id: "env-abc123" } });
    new GlobalApiKey(stack, "Checkout", {
      resources: [
        {
          scope: dedicated(),
          roleBindings: [{ role: "DeveloperRead", crnPattern: "crn://confluent.cloud/kafka=lkc-ded001/topic=orders" }],
        },
        {
          scope: KeyScope.fromSchemaRegistryCluster(registry, { networking: "private" }),
          roleBindings: [{ role: "DeveloperRead" }],
        },
        KeyScope.tableflow(),
      ],
      secretSink: new VaultKvSecretSink({ mount: "kv", name: "apps/checkout" }),
    });
    const bindings = resourcesOfType(synthesizeStack(stack), "confluent_role_binding").map(([, b]) => b);
    expect(bindings).toHaveLength(2);
    expect(bindings.map((b) => (b["//"] as { metadata: { path: string } }).metadata.path).sort()).toEqual([
      "test/Checkout/Resource-kafka-lkc-ded001/RoleBinding-DeveloperRead",
      "test/Checkout/Resource-schema-registry-data.confluent_schema_registry_cluster.Registry/RoleBinding-DeveloperRead",
    ]);
    expect(bindings[1].crn_pattern).toBe("${data.confluent_schema_registry_cluster.Registry.resource_name}");
  });
});
