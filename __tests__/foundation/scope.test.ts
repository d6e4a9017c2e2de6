import { KeyScope } from "../../constructs";
import { DataConfluentKafkaCluster } from "../../.gen/providers/confluent/data-confluent-kafka-cluster";
import { DataConfluentSchemaRegistryCluster } from "../../.gen/providers/confluent/data-confluent-schema-registry-cluster";
import { newKafkaCluster, newStack } from "./helpers";

describe("KeyScope", () => {
  test("kafka cluster from literal ids builds the cmk/v2 managed_resource with its environment", () => {
    const scope = KeyScope.kafkaCluster({ clusterId: "lkc-abc123", environment: "env-xyz", type: "dedicated" });
    expect(scope.managedResource).toEqual({
      id: "lkc-abc123",
      apiVersion: "cmk/v2",
      kind: "Cluster",
      environment: [{ id: "env-xyz" }],
    });
    expect(scope.toDescriptor()).toEqual({
      kind: "kafka",
      id: "lkc-abc123",
      environment: "env-xyz",
      clusterType: "dedicated",
    });
  });

  test.each([
    [
      "schema registry",
      () => KeyScope.schemaRegistry({ clusterId: "lsrc-1", environment: "env-1" }),
      "lsrc-1",
      "srcm/v3",
      "Cluster",
    ],
    [
      "ksqlDB",
      () => KeyScope.ksqlCluster({ clusterId: "lksqlc-1", environment: "env-1" }),
      "lksqlc-1",
      "ksqldbcm/v2",
      "Cluster",
    ],
    [
      "flink",
      () => KeyScope.flinkRegion({ regionId: "aws.us-east-1", environment: "env-1" }),
      "aws.us-east-1",
      "fcpm/v2",
      "Region",
    ],
  ])("%s scope has the documented managed_resource", (_name, make, id, apiVersion, kind) => {
    expect(make().managedResource).toEqual({ id, apiVersion, kind, environment: [{ id: "env-1" }] });
  });

  test("tableflow has no environment and cloud has no managed_resource", () => {
    expect(KeyScope.tableflow().managedResource).toEqual({
      id: "tableflow",
      apiVersion: "tableflow/v1",
      kind: "Tableflow",
    });
    expect(KeyScope.cloud().managedResource).toBeUndefined();
    expect(KeyScope.cloud().kind).toBe("cloud");
  });

  test("schema registry networking defaults to public", () => {
    expect(KeyScope.schemaRegistry({ clusterId: "lsrc-1", environment: "env-1" }).networking).toBe("public");
    expect(
      KeyScope.schemaRegistry({ clusterId: "lsrc-1", environment: "env-1", networking: "private" }).networking,
    ).toBe("private");
  });

  test.each([
    [
      () => KeyScope.kafkaCluster({ clusterId: "lsrc-1", environment: "env-1", type: "basic" }),
      /kafka cluster id 'lsrc-1' must start with 'lkc-'/,
    ],
    [
      () => KeyScope.kafkaCluster({ clusterId: "lkc-1", environment: "e-1", type: "basic" }),
      /environment id 'e-1' must start with 'env-'/,
    ],
    [
      () => KeyScope.schemaRegistry({ clusterId: "lkc-1", environment: "env-1" }),
      /schema registry cluster id 'lkc-1' must start with 'lsrc-'/,
    ],
    [
      () => KeyScope.ksqlCluster({ clusterId: "ksql-1", environment: "env-1" }),
      /ksqlDB cluster id 'ksql-1' must start with 'lksqlc-'/,
    ],
    [
      () => KeyScope.flinkRegion({ regionId: "us-east-1", environment: "env-1" }),
      /flink region id 'us-east-1' must be '<cloud>.<region>'/,
    ],
    [() => KeyScope.kafkaCluster({ clusterId: "lkc-", environment: "env-1", type: "basic" }), /must start with 'lkc-'/],
    [
      () => KeyScope.kafkaCluster({ clusterId: "lkc-1", environment: "env-1", type: "huge" as unknown as "basic" }),
      /type 'huge' is not one of basic, standard/,
    ],
  ])("a wrong literal is a clear error (%#)", (make, message) => {
    expect(make).toThrow(message);
  });

  test("from a KafkaCluster resource: type read from the resource, ids are references", () => {
    const stack = newStack();
    const cluster = newKafkaCluster(stack, "C", "enterprise");
    const scope = KeyScope.fromKafkaCluster(cluster);
    expect(scope.clusterType).toBe("enterprise");
    expect(scope.environmentId).toBe("env-1");
    expect(scope.identityIn(stack)).toBe("kafka|env-1|${confluent_kafka_cluster.C.id}");
    expect(scope.describeIn(stack)).toBe("kafka cluster ${confluent_kafka_cluster.C.id} (enterprise)");
  });

  test("from a data source: the cluster type must be given", () => {
    const stack = newStack();
    const cluster = new DataConfluentKafkaCluster(stack, "C", { id: "lkc-1", environment: { id: "env-1" } });
    expect(() => KeyScope.fromKafkaCluster(cluster)).toThrow(
      /type of kafka cluster 'test\/C' is not known at synth; pass \{ type/,
    );
    expect(KeyScope.fromKafkaCluster(cluster, { type: "standard" }).clusterType).toBe("standard");
  });

  test("schema registry from a data source carries its CRN for role bindings", () => {
    const stack = newStack();
    const registry = new DataConfluentSchemaRegistryCluster(stack, "SR", { environment: { id: "env-1" } });
    const scope = KeyScope.fromSchemaRegistryCluster(registry, { networking: "private" });
    expect(scope.crnPattern).toBeDefined();
    expect(scope.identityIn(stack)).toBe("schema-registry|env-1|${data.confluent_schema_registry_cluster.SR.id}");
  });
});
