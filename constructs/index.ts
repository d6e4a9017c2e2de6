/**
 * keykit: Confluent Cloud API keys safe by construction.
 *
 * The constructs and the scope references. The Confluent provider bindings are in `keykit/confluent`
 * (`keykit/confluent/lib/<resource>`, the layout of a prebuilt provider package); the names this module used to
 * re-export (bindings, `App`, the store providers) are still here, deprecated.
 */
export * from "./deprecated-exports";
export { KeyScope, ScopeError } from "./scope";
export type {
  ClusterDataSourceLike,
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
export { classifyPrincipal, resolveOwner } from "./principal";
export type { PrincipalConstruct, PrincipalKind, PrincipalReference, ResolvedOwner, UserOwnerOptIn } from "./principal";
export { KeykitStack, StackTier } from "./tier";
export type { KeykitStackProps, Tier } from "./tier";
export type { RoleBindingSpec } from "./role-bindings";
export { ServiceAccountWithKey } from "./service-account-with-key";
export { GlobalApiKey, globalKeyIneligibility } from "./global-api-key";
export type { GlobalApiKeyProps, GlobalKeyResource } from "./global-api-key";
export { BlueGreenApiKey } from "./blue-green-api-key";
export type { BlueGreenApiKeyProps } from "./blue-green-api-key";
export * from "./secret-sinks";
export { DEFAULT_ROTATION_STATE_FILE, readRotationStateFile } from "../policies/rotation-state";
export type { KeyRotationEntry, RotationState, SlotName } from "../policies/rotation-state";
export { Acknowledgements } from "./acknowledgements";
export type { ServiceAccountWithKeyProps } from "./service-account-with-key";
export type { Construct } from "./cdktf";
export { annotateFindings, enablePolicyValidation } from "./policy-validation";
export type { PolicyValidationOptions } from "./policy-validation";
