/**
 * keykit: Confluent Cloud API keys safe by construction.
 *
 * The constructs, the scope references, the secret sinks and the store providers; named exports only (the public
 * API, api/keykit.api.md). The Confluent provider bindings are in `keykit/confluent` (`keykit/confluent/lib/<resource>`,
 * the layout of a prebuilt provider package); the framework (`App`, `TerraformStack`, …) is the app's own `cdktf` or
 * `cdktn`. The same module is `keykit/cdktn` in the CDK Terrain build.
 */
export { KeyScope, ScopeError } from "./scope";
export type {
  ClusterDataSourceLike,
  EnvironmentBlockReference,
  EnvironmentReference,
  FlinkRegionLike,
  KafkaClusterLike,
  FlinkRegionScopeProps,
  KafkaClusterScopeProps,
  KafkaClusterType,
  KsqlClusterScopeProps,
  ManagedResourceBlock,
  SchemaRegistryNetworking,
  SchemaRegistryScopeProps,
  ScopeKind,
} from "./scope";
export type { PrincipalConstruct, PrincipalKind, PrincipalReference, ResolvedOwner, UserOwnerOptIn } from "./principal";
export { KeykitStack, StackTier } from "./tier";
export type { KeykitStackProps, Tier } from "./tier";
export type { RoleBindingSpec } from "./role-bindings";
export { ServiceAccountWithKey } from "./service-account-with-key";
export { GlobalApiKey } from "./global-api-key";
export type { GlobalApiKeyProps, GlobalKeyResource } from "./global-api-key";
export { BlueGreenApiKey } from "./blue-green-api-key";
export type { BlueGreenApiKeyProps } from "./blue-green-api-key";
export {
  AWS_PROVIDER_SPEC,
  AZURERM_PROVIDER_SPEC,
  AwsSecretsManagerSink,
  AwsStoreProvider,
  AzureKeyVaultSink,
  GOOGLE_PROVIDER_SPEC,
  GcpSecretManagerSink,
  KUBERNETES_PROVIDER_SPEC,
  KubernetesSecretSink,
  MissingPeerError,
  SensitiveOutputSink,
  StoreBlock,
  StoreProvider,
  StoreResource,
  VAULT_PROVIDER_SPEC,
  VaultKvSecretSink,
  VaultStoreProvider,
  credentialsDocument,
} from "./secret-sinks";
export type {
  AwsSecretsManagerSinkProps,
  AwsStoreProviderProps,
  AzureKeyVaultSinkProps,
  GcpSecretManagerSinkProps,
  KubernetesSecretSinkProps,
  ProviderArgument,
  ProviderArguments,
  ProviderBlock,
  PublishedCredentials,
  SecretSink,
  SensitiveOutputSinkProps,
  StoreAttribute,
  StoreProviderSpec,
  StoreResourceProps,
  VaultKvSecretSinkProps,
  VaultStoreProviderProps,
  WriteOnlyOption,
} from "./secret-sinks";
export { DEFAULT_ROTATION_STATE_FILE, readRotationStateFile } from "../policies/rotation-state";
export type {
  ForcedStep,
  KeyRotationEntry,
  RotationState,
  SlotName,
  SlotRecord,
  SlotStatus,
  SlotVerification,
} from "../policies/rotation-state";
export type { KeyOwnerProps } from "./key-owner";
export type { OptionalPeer } from "./optional-peer";
export { Acknowledgements } from "./acknowledgements";
export type { ServiceAccountWithKeyProps } from "./service-account-with-key";
export type { Construct } from "./cdktf";
export { annotateFindings, enablePolicyValidation } from "./policy-validation";
export type { PolicyValidationOptions } from "./policy-validation";
