export { credentialsDocument } from "./secret-sink";
export type { PublishedCredentials, SecretSink } from "./secret-sink";
export { SensitiveOutputSink } from "./sensitive-output-sink";
export type { SensitiveOutputSinkProps } from "./sensitive-output-sink";
export { VaultKvSecretSink } from "./vault-kv-secret-sink";
export type { VaultKvSecretSinkProps } from "./vault-kv-secret-sink";
export { AwsSecretsManagerSink } from "./aws-secrets-manager-sink";
export type { AwsSecretsManagerSinkProps } from "./aws-secrets-manager-sink";
