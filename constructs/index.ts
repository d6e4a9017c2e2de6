/**
 * keykit: Confluent Cloud API keys safe by construction.
 *
 * The constructs, the scope references and the generated Confluent provider bindings they build on,
 * so an app can be written against this one import.
 */
export * from "./bindings";
export { KeyScope, ScopeError } from "./scope";
export type {
  EnvironmentReference,
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
export type { PrincipalKind, PrincipalReference, ResolvedOwner, UserOwnerOptIn } from "./principal";
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
export { App, TerraformOutput, TerraformStack } from "./cdktf";
export type { Construct } from "./cdktf";
export { annotateFindings, enablePolicyValidation } from "./policy-validation";
export type { PolicyValidationOptions } from "./policy-validation";
