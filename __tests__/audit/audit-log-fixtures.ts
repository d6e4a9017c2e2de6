/**
 * Confluent Cloud audit-log records, written from the documented CloudEvents shapes: the Kafka authentication
 * event (`data.authenticationInfo.metadata.identifier`, `data.result.status`) and the newer cloudResources shape
 * of Schema Registry / Flink (`data.authenticationInfo.credentials.idSecretCredentials.credentialId`,
 * `data.authenticationInfo.result`). Fields the kit does not read are filled in as the service writes them, so
 * the reader is tested against what it will really see.
 */
const ORG = "crn://confluent.cloud/organization=9c1e3a52-0d4b-4f6e-a1c2-7b8d9e0f1a2b";
let sequence = 0;

export interface AuthSpec {
  readonly key: string;
  readonly time: string;
  /** Default SUCCESS; anything else is a failure (UNAUTHENTICATED, …). */
  readonly result?: string;
  readonly cluster?: string;
}

/** A Kafka cluster authentication record (`io.confluent.kafka.server/authentication`). */
export function kafkaAuthentication(spec: AuthSpec): Record<string, unknown> {
  const cluster = spec.cluster ?? "lkc-7r2x9q";
  const crn = `${ORG}/environment=env-q8d4k1/cloud-cluster=${cluster}/kafka=${cluster}`;
  const success = (spec.result ?? "SUCCESS") === "SUCCESS";
  return {
    datacontenttype: "application/json",
    data: {
      serviceName: "crn://confluent.cloud/",
      methodName: "kafka.Authentication",
      resourceName: crn,
      authenticationInfo: {
        principal: success ? "User:sa-8kq2vd" : "",
        metadata: { mechanism: "SASL_SSL/PLAIN", identifier: spec.key },
      },
      requestMetadata: { client_address: "/203.0.113.24" },
      result: { status: spec.result ?? "SUCCESS", message: success ? "" : "Authentication failed" },
      clientId: "orders-consumer-1",
    },
    subject: crn,
    specversion: "1.0",
    id: `kafka-${++sequence}-0f7c`,
    source: crn,
    time: spec.time,
    type: "io.confluent.kafka.server/authentication",
  };
}

/** A Schema Registry authentication record in the cloudResources shape (`io.confluent.sg.server/authentication`). */
export function schemaRegistryAuthentication(spec: AuthSpec): Record<string, unknown> {
  const registry = spec.cluster ?? "lsrc-3m9wq0";
  return {
    specversion: "1.0",
    id: `sg-${++sequence}-a41d`,
    source: "crn://confluent.cloud/",
    type: "io.confluent.sg.server/authentication",
    datacontenttype: "application/json",
    subject: `${ORG}/environment=env-q8d4k1/schema-registry=${registry}`,
    time: spec.time,
    data: {
      serviceName: "crn://confluent.cloud/",
      methodName: "schema-registry.Authentication",
      cloudResources: [
        {
          scope: {
            resources: [
              { type: "ORGANIZATION", resourceId: "9c1e3a52-0d4b-4f6e-a1c2-7b8d9e0f1a2b" },
              { type: "ENVIRONMENT", resourceId: "env-q8d4k1" },
            ],
          },
          resource: { type: "SCHEMA_REGISTRY", resourceId: registry },
        },
      ],
      authenticationInfo: {
        principal: { confluentServiceAccount: { resourceId: "sa-8kq2vd" } },
        credentials: { idSecretCredentials: { credentialId: spec.key }, mechanism: "HTTP_BASIC" },
        result: spec.result ?? "SUCCESS",
      },
      requestMetadata: { requestId: ["4b5d"], clientAddress: [{ ip: "198.51.100.7" }] },
      newFieldFromAFutureRelease: { nested: [1, 2, { deep: "value" }] },
    },
  };
}

/** An unrelated record of the same topic (a topic creation), which only widens the coverage window. */
export function createTopicRecord(time: string): Record<string, unknown> {
  const crn = `${ORG}/environment=env-q8d4k1/cloud-cluster=lkc-7r2x9q/kafka=lkc-7r2x9q`;
  return {
    id: `topic-${++sequence}`,
    source: crn,
    specversion: "1.0",
    type: "io.confluent.kafka.server/request",
    datacontenttype: "application/json",
    subject: `${crn}/topic=orders`,
    time,
    data: {
      serviceName: crn,
      methodName: "kafka.CreateTopics",
      resourceName: `${crn}/topic=orders`,
      authenticationInfo: { principal: "User:sa-8kq2vd" },
      authorizationInfo: { granted: true, operation: "Create", resourceType: "Topic", resourceName: "orders" },
    },
  };
}

/** JSON lines, as `confluent kafka topic consume … -o json` or kcat print the topic. */
export function jsonLines(records: readonly unknown[]): string {
  return records.map((r) => JSON.stringify(r)).join("\n") + "\n";
}

/** Concatenated pretty-printed objects (several `jq .` outputs appended to one file). */
export function concatenated(records: readonly unknown[]): string {
  return records.map((r) => JSON.stringify(r, null, 2)).join("\n");
}

/** `kcat -J`: each message in an envelope, the record as a string payload. */
export function kcatEnvelopes(records: readonly unknown[]): string {
  return jsonLines(
    records.map((r, i) => ({
      topic: "confluent-audit-log-events",
      partition: i % 3,
      offset: 1000 + i,
      tstype: "create",
      ts: 1780000000000 + i,
      broker: 3,
      key: null,
      payload: JSON.stringify(r),
    })),
  );
}
