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
export type { ServiceAccountWithKeyProps } from "./service-account-with-key";
export { App, TerraformOutput, TerraformStack } from "./cdktf";
export type { Construct } from "./cdktf";
export { annotateFindings, enablePolicyValidation } from "./policy-validation";
export type { PolicyValidationOptions } from "./policy-validation";
