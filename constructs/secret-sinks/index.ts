export { credentialsDocument } from "./secret-sink";
export type { PublishedCredentials, SecretSink, WriteOnlyOption } from "./secret-sink";
export { SensitiveOutputSink } from "./sensitive-output-sink";
export type { SensitiveOutputSinkProps } from "./sensitive-output-sink";
export { VaultKvSecretSink } from "./vault-kv-secret-sink";
export type { VaultKvSecretSinkProps } from "./vault-kv-secret-sink";
export { AwsSecretsManagerSink } from "./aws-secrets-manager-sink";
export type { AwsSecretsManagerSinkProps } from "./aws-secrets-manager-sink";
export { AzureKeyVaultSink } from "./azure-key-vault-sink";
export type { AzureKeyVaultSinkProps } from "./azure-key-vault-sink";
export { GcpSecretManagerSink } from "./gcp-secret-manager-sink";
export type { GcpSecretManagerSinkProps } from "./gcp-secret-manager-sink";
export { KubernetesSecretSink } from "./kubernetes-secret-sink";
export type { KubernetesSecretSinkProps } from "./kubernetes-secret-sink";
export { StoreBlock, StoreResource } from "./store-resource";
export type { StoreAttribute, StoreResourceProps } from "./store-resource";
export { MissingPeerError } from "../optional-peer";
export {
  AWS_PROVIDER_SPEC,
  AZURERM_PROVIDER_SPEC,
  AwsStoreProvider,
  GOOGLE_PROVIDER_SPEC,
  KUBERNETES_PROVIDER_SPEC,
  StoreProvider,
  VAULT_PROVIDER_SPEC,
  VaultStoreProvider,
} from "./store-provider";
export type {
  AwsStoreProviderProps,
  ProviderArgument,
  ProviderArguments,
  ProviderBlock,
  StoreProviderSpec,
  VaultStoreProviderProps,
} from "./store-provider";
