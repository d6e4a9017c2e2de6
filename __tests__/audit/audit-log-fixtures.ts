/**
 * Confluent Cloud audit-log records, written from the documented CloudEvents shapes (the authentication records
 * are bench/audit-log-records.ts's, which the audit benchmark generates too) with the fields a real export adds, so
 * the reader is tested against what it will really see.
 */
import {
  type AuthenticationFields,
  kafkaAuthenticationRecord,
  schemaRegistryAuthenticationRecord,
} from "../../bench/audit-log-records";

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
  return kafkaAuthenticationRecord(
    {
      ...fieldsOf(spec),
      id: `kafka-${++sequence}-0f7c`,
      crn: `${ORG}/environment=env-q8d4k1/cloud-cluster=${cluster}/kafka=${cluster}`,
      clientAddress: "/203.0.113.24",
    },
    { clientId: "orders-consumer-1" },
  );
}

/** A Schema Registry authentication record in the cloudResources shape (`io.confluent.sg.server/authentication`). */
export function schemaRegistryAuthentication(spec: AuthSpec): Record<string, unknown> {
  const registry = spec.cluster ?? "lsrc-3m9wq0";
  const scope = {
    resources: [
      { type: "ORGANIZATION", resourceId: "9c1e3a52-0d4b-4f6e-a1c2-7b8d9e0f1a2b" },
      { type: "ENVIRONMENT", resourceId: "env-q8d4k1" },
    ],
  };
  return schemaRegistryAuthenticationRecord(
    {
      ...fieldsOf(spec),
      id: `sg-${++sequence}-a41d`,
      subject: `${ORG}/environment=env-q8d4k1/schema-registry=${registry}`,
      cloudResource: { scope, resource: { type: "SCHEMA_REGISTRY", resourceId: registry } },
      requestId: "4b5d",
      clientIp: "198.51.100.7",
    },
    // The reader must skip what it does not know.
    { newFieldFromAFutureRelease: { nested: [1, 2, { deep: "value" }] } },
  );
}

function fieldsOf(spec: AuthSpec): Omit<AuthenticationFields, "id"> {
  return { key: spec.key, time: spec.time, status: spec.result ?? "SUCCESS", serviceAccount: "sa-8kq2vd" };
}

/** An unrelated record of a cluster (a topic creation): it only adds to that cluster's coverage. */
export function createTopicRecord(time: string, cluster = "lkc-7r2x9q"): Record<string, unknown> {
  const crn = `${ORG}/environment=env-q8d4k1/cloud-cluster=${cluster}/kafka=${cluster}`;
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

/** A Cloud API record (an organisation-level request: creating a service account), covering the Cloud API. */
export function cloudApiRecord(time: string): Record<string, unknown> {
  return {
    id: `cloud-${++sequence}`,
    source: ORG,
    specversion: "1.0",
    type: "io.confluent.cloud/request",
    datacontenttype: "application/json",
    subject: `${ORG}/service-account=sa-9xq2m1`,
    time,
    data: {
      serviceName: ORG,
      methodName: "CreateServiceAccount",
      authenticationInfo: { principal: "User:u-4k2m9z" },
    },
  };
}

/**
 * Records of one resource every `everyHours` from `from` to `to` (inclusive): the steady stream of a resource's
 * audit log, so that it is covered without a silence longer than the gap.
 */
export function heartbeat(
  from: string,
  to: string,
  options: { readonly cluster?: string; readonly everyHours?: number; readonly cloud?: boolean } = {},
): Record<string, unknown>[] {
  const records: Record<string, unknown>[] = [];
  const step = (options.everyHours ?? 12) * 3_600_000;
  for (let t = Date.parse(from); t <= Date.parse(to); t += step) {
    const time = new Date(t).toISOString().replace(/\.000Z$/, "Z");
    records.push(options.cloud ? cloudApiRecord(time) : createTopicRecord(time, options.cluster));
  }
  if (records.length > 0 && Date.parse(to) % step !== Date.parse(from) % step)
    records.push(options.cloud ? cloudApiRecord(to) : createTopicRecord(to, options.cluster));
  return records;
}
