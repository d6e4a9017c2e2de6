/**
 * The Confluent provider bindings the kit uses, generated offline by `npm ci` (scripts/gen-bindings.mjs)
 * from schema/schema.json into .gen/. Importing them through this module keeps the generated paths in one place.
 * Users get all of them as `keykit/confluent` (package.json `exports`); the kit itself loads only these.
 */
export { ConfluentProvider } from "../.gen/providers/confluent/provider";
export type { ConfluentProviderConfig } from "../.gen/providers/confluent/provider";
export { ApiKey } from "../.gen/providers/confluent/api-key";
export type { ApiKeyConfig } from "../.gen/providers/confluent/api-key";
export { ServiceAccount } from "../.gen/providers/confluent/service-account";
export { RoleBinding } from "../.gen/providers/confluent/role-binding";
export { Environment } from "../.gen/providers/confluent/environment";
export { KafkaCluster } from "../.gen/providers/confluent/kafka-cluster";
export type { KafkaClusterConfig } from "../.gen/providers/confluent/kafka-cluster";
export { KafkaAcl } from "../.gen/providers/confluent/kafka-acl";
export { DataConfluentEnvironment } from "../.gen/providers/confluent/data-confluent-environment";
export { DataConfluentKafkaCluster } from "../.gen/providers/confluent/data-confluent-kafka-cluster";
export { DataConfluentSchemaRegistryCluster } from "../.gen/providers/confluent/data-confluent-schema-registry-cluster";
export { DataConfluentKsqlCluster } from "../.gen/providers/confluent/data-confluent-ksql-cluster";
export { DataConfluentFlinkRegion } from "../.gen/providers/confluent/data-confluent-flink-region";
export { DataConfluentServiceAccount } from "../.gen/providers/confluent/data-confluent-service-account";
export { DataConfluentUser } from "../.gen/providers/confluent/data-confluent-user";
export { DataConfluentOrganization } from "../.gen/providers/confluent/data-confluent-organization";
