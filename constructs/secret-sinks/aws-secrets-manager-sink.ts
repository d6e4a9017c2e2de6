// Only the resource modules used: the provider's index loads thousands of classes (seconds of synth time).
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import {
  SecretsmanagerSecretVersion,
  type SecretsmanagerSecretVersionConfig,
} from "@cdktf/provider-aws/lib/secretsmanager-secret-version";
import { type Construct, Token } from "../cdktf";
import { type PublishedCredentials, type SecretSink, claimSink, credentialsDocument } from "./secret-sink";

export interface AwsSecretsManagerSinkProps {
  /**
   * The name of a secret to create (construct ID `Secret`). Exactly one of `secretName` and `secretArn`.
   * @default - none
   */
  readonly secretName?: string;
  /**
   * The ARN (or name) of an existing secret to publish new versions to.
   * @default - none
   */
  readonly secretArn?: string;
  /**
   * The KMS key for a created secret.
   * @default - the account's `aws/secretsmanager` key
   */
  readonly kmsKeyId?: string;
  /**
   * The description of a created secret.
   * @default - "Confluent API key published by keykit (<construct path>)"
   */
  readonly description?: string;
  /**
   * The AWS provider to use (for another region or account).
   * @default - the stack's default `aws` provider, which reads AWS_REGION, AWS_PROFILE etc. from the environment
   */
  readonly provider?: SecretsmanagerSecretVersionConfig["provider"];
}

/**
 * Publishes the active key to AWS Secrets Manager: a `aws_secretsmanager_secret_version` (construct ID
 * `PublishedVersion`) of a created (`Secret`) or existing secret. A rotation replaces the version (the provider
 * cannot update `secret_string` in place); `create_before_destroy` makes the new version current before the old one
 * is removed, so the secret always has a current value. The stack needs an `AwsProvider`
 * (from `@cdktf/provider-aws/lib/provider`).
 */
export class AwsSecretsManagerSink implements SecretSink {
  /** The created secret (when `secretName` was given). */
  secret?: SecretsmanagerSecret;
  /** The published version, once published. */
  version?: SecretsmanagerSecretVersion;

  constructor(private readonly props: AwsSecretsManagerSinkProps) {
    const given = [props?.secretName, props?.secretArn].filter((v) => v !== undefined).length;
    if (given !== 1) {
      throw new Error(
        `AwsSecretsManagerSink: pass exactly one of secretName (to create a secret) and secretArn (an existing one); got ${given}`,
      );
    }
    const name = props.secretName;
    if (name !== undefined && !Token.isUnresolved(name) && !/^[A-Za-z0-9/_+=.@-]{1,512}$/.test(name)) {
      throw new Error(
        `AwsSecretsManagerSink: secretName '${name}' may contain only letters, digits and /_+=.@- (1-512 characters)`,
      );
    }
  }

  publish(parent: Construct, credentials: PublishedCredentials): void {
    claimSink(this, parent, "AwsSecretsManagerSink");
    const { secretName, secretArn, kmsKeyId, description, provider } = this.props;
    if (secretName !== undefined) {
      this.secret = new SecretsmanagerSecret(parent, "Secret", {
        name: secretName,
        kmsKeyId,
        description: description ?? `Confluent API key published by keykit (${parent.node.path})`,
        provider,
      });
    }
    this.version = new SecretsmanagerSecretVersion(parent, "PublishedVersion", {
      secretId: this.secret !== undefined ? this.secret.id : (secretArn as string),
      secretString: credentialsDocument(credentials),
      provider,
      lifecycle: { createBeforeDestroy: true },
    });
  }
}
