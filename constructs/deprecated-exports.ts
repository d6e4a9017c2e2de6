/**
 * What `import { … } from "keykit"` offered before the bindings moved to `keykit/confluent` and cdktf became a peer:
 * kept so existing apps compile, each marked deprecated with the import to use instead. The store providers are
 * optional peers now, so `VaultProvider` and `AwsProvider` are loaded on first use, never by importing "keykit".
 */
import * as bindings from "./bindings";
import * as framework from "./cdktf";
import { AWS_PROVIDER_PACKAGE, VAULT_PROVIDER_PACKAGE, requireOptionalPeer } from "./optional-peer";
import { AwsStoreProvider, VaultStoreProvider } from "./secret-sinks/store-provider";

/**
 * A store provider class, typed by cdktf only: naming the optional peer's own class here would make this package's
 * declarations fail to compile (without skipLibCheck) in every app that does not install that peer.
 */
type StoreProviderClass = new (scope: framework.Construct, id: string, config?: object) => framework.TerraformProvider;

/** @deprecated `import { ConfluentProvider } from "keykit/confluent/lib/provider"` */
export const ConfluentProvider = bindings.ConfluentProvider;
/** @deprecated `import { ConfluentProvider } from "keykit/confluent/lib/provider"` */
export type ConfluentProvider = bindings.ConfluentProvider;
/** @deprecated `import { ApiKey } from "keykit/confluent/lib/api-key"` */
export const ApiKey = bindings.ApiKey;
/** @deprecated `import { ApiKey } from "keykit/confluent/lib/api-key"` */
export type ApiKey = bindings.ApiKey;
/** @deprecated `import { ServiceAccount } from "keykit/confluent/lib/service-account"` */
export const ServiceAccount = bindings.ServiceAccount;
/** @deprecated `import { ServiceAccount } from "keykit/confluent/lib/service-account"` */
export type ServiceAccount = bindings.ServiceAccount;
/** @deprecated `import { RoleBinding } from "keykit/confluent/lib/role-binding"` */
export const RoleBinding = bindings.RoleBinding;
/** @deprecated `import { RoleBinding } from "keykit/confluent/lib/role-binding"` */
export type RoleBinding = bindings.RoleBinding;
/** @deprecated `import { Environment } from "keykit/confluent/lib/environment"` */
export const Environment = bindings.Environment;
/** @deprecated `import { Environment } from "keykit/confluent/lib/environment"` */
export type Environment = bindings.Environment;
/** @deprecated `import { KafkaCluster } from "keykit/confluent/lib/kafka-cluster"` */
export const KafkaCluster = bindings.KafkaCluster;
/** @deprecated `import { KafkaCluster } from "keykit/confluent/lib/kafka-cluster"` */
export type KafkaCluster = bindings.KafkaCluster;
/** @deprecated `import { KafkaAcl } from "keykit/confluent/lib/kafka-acl"` */
export const KafkaAcl = bindings.KafkaAcl;
/** @deprecated `import { KafkaAcl } from "keykit/confluent/lib/kafka-acl"` */
export type KafkaAcl = bindings.KafkaAcl;
/** @deprecated `import { DataConfluentEnvironment } from "keykit/confluent/lib/data-confluent-environment"` */
export const DataConfluentEnvironment = bindings.DataConfluentEnvironment;
/** @deprecated `import { DataConfluentEnvironment } from "keykit/confluent/lib/data-confluent-environment"` */
export type DataConfluentEnvironment = bindings.DataConfluentEnvironment;
/** @deprecated `import { DataConfluentKafkaCluster } from "keykit/confluent/lib/data-confluent-kafka-cluster"` */
export const DataConfluentKafkaCluster = bindings.DataConfluentKafkaCluster;
/** @deprecated `import { DataConfluentKafkaCluster } from "keykit/confluent/lib/data-confluent-kafka-cluster"` */
export type DataConfluentKafkaCluster = bindings.DataConfluentKafkaCluster;
/** @deprecated `import { DataConfluentSchemaRegistryCluster } from "keykit/confluent/lib/data-confluent-schema-registry-cluster"` */
export const DataConfluentSchemaRegistryCluster = bindings.DataConfluentSchemaRegistryCluster;
/** @deprecated `import { DataConfluentSchemaRegistryCluster } from "keykit/confluent/lib/data-confluent-schema-registry-cluster"` */
export type DataConfluentSchemaRegistryCluster = bindings.DataConfluentSchemaRegistryCluster;
/** @deprecated `import { DataConfluentKsqlCluster } from "keykit/confluent/lib/data-confluent-ksql-cluster"` */
export const DataConfluentKsqlCluster = bindings.DataConfluentKsqlCluster;
/** @deprecated `import { DataConfluentKsqlCluster } from "keykit/confluent/lib/data-confluent-ksql-cluster"` */
export type DataConfluentKsqlCluster = bindings.DataConfluentKsqlCluster;
/** @deprecated `import { DataConfluentFlinkRegion } from "keykit/confluent/lib/data-confluent-flink-region"` */
export const DataConfluentFlinkRegion = bindings.DataConfluentFlinkRegion;
/** @deprecated `import { DataConfluentFlinkRegion } from "keykit/confluent/lib/data-confluent-flink-region"` */
export type DataConfluentFlinkRegion = bindings.DataConfluentFlinkRegion;
/** @deprecated `import { DataConfluentServiceAccount } from "keykit/confluent/lib/data-confluent-service-account"` */
export const DataConfluentServiceAccount = bindings.DataConfluentServiceAccount;
/** @deprecated `import { DataConfluentServiceAccount } from "keykit/confluent/lib/data-confluent-service-account"` */
export type DataConfluentServiceAccount = bindings.DataConfluentServiceAccount;
/** @deprecated `import { DataConfluentUser } from "keykit/confluent/lib/data-confluent-user"` */
export const DataConfluentUser = bindings.DataConfluentUser;
/** @deprecated `import { DataConfluentUser } from "keykit/confluent/lib/data-confluent-user"` */
export type DataConfluentUser = bindings.DataConfluentUser;
/** @deprecated `import { DataConfluentOrganization } from "keykit/confluent/lib/data-confluent-organization"` */
export const DataConfluentOrganization = bindings.DataConfluentOrganization;
/** @deprecated `import { DataConfluentOrganization } from "keykit/confluent/lib/data-confluent-organization"` */
export type DataConfluentOrganization = bindings.DataConfluentOrganization;
/** @deprecated `import type { ConfluentProviderConfig } from "keykit/confluent/lib/provider"` */
export type ConfluentProviderConfig = bindings.ConfluentProviderConfig;
/** @deprecated `import type { ApiKeyConfig } from "keykit/confluent/lib/api-key"` */
export type ApiKeyConfig = bindings.ApiKeyConfig;
/** @deprecated `import type { KafkaClusterConfig } from "keykit/confluent/lib/kafka-cluster"` */
export type KafkaClusterConfig = bindings.KafkaClusterConfig;
/** @deprecated `import { App } from "cdktf"` (a peer dependency of keykit) */
export const App = framework.App;
/** @deprecated `import { App } from "cdktf"` (a peer dependency of keykit) */
export type App = framework.App;
/** @deprecated `import { TerraformOutput } from "cdktf"` (a peer dependency of keykit) */
export const TerraformOutput = framework.TerraformOutput;
/** @deprecated `import { TerraformOutput } from "cdktf"` (a peer dependency of keykit) */
export type TerraformOutput = framework.TerraformOutput;
/** @deprecated `import { TerraformStack } from "cdktf"` (a peer dependency of keykit) */
export const TerraformStack = framework.TerraformStack;
/** @deprecated `import { TerraformStack } from "cdktf"` (a peer dependency of keykit) */
export type TerraformStack = framework.TerraformStack;
/** @deprecated `import { VaultProvider } from "@cdktf/provider-vault/lib/provider"` (an optional peer of keykit) */
export declare const VaultProvider: StoreProviderClass;
/** @deprecated `import { VaultProvider } from "@cdktf/provider-vault/lib/provider"` (an optional peer of keykit) */
export type VaultProvider = framework.TerraformProvider;
/** @deprecated `import { AwsProvider } from "@cdktf/provider-aws/lib/provider"` (an optional peer of keykit) */
export declare const AwsProvider: StoreProviderClass;
/** @deprecated `import { AwsProvider } from "@cdktf/provider-aws/lib/provider"` (an optional peer of keykit) */
export type AwsProvider = framework.TerraformProvider;

// The two declarations above have no value in the compiled module: these getters load the provider on first use.
// Enumerable, so `export *` and `import * as` re-export them (still lazily). In the cdktn build (no prebuilt store
// providers) they are the kit's own VaultStoreProvider and AwsStoreProvider.
const escapeHatch = framework.FRAMEWORK.storeBindings === "escape-hatch";
Object.defineProperty(exports, "VaultProvider", {
  enumerable: true,
  get: () =>
    escapeHatch
      ? VaultStoreProvider
      : requireOptionalPeer<{ VaultProvider: StoreProviderClass }>(
          VAULT_PROVIDER_PACKAGE,
          "lib/provider",
          'keykit\'s VaultProvider re-export (import it from "@cdktf/provider-vault/lib/provider")',
        ).VaultProvider,
});
Object.defineProperty(exports, "AwsProvider", {
  enumerable: true,
  get: () =>
    escapeHatch
      ? AwsStoreProvider
      : requireOptionalPeer<{ AwsProvider: StoreProviderClass }>(
          AWS_PROVIDER_PACKAGE,
          "lib/provider",
          'keykit\'s AwsProvider re-export (import it from "@cdktf/provider-aws/lib/provider")',
        ).AwsProvider,
});
