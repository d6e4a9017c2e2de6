import {
  type Construct,
  FRAMEWORK,
  type TerraformProvider,
  type TerraformResource,
  type TerraformResourceLifecycle,
} from "../cdktf";
import { AWS_PROVIDER_PACKAGE, requireOptionalPeer } from "../optional-peer";
import type { PublishedCredentials, SecretSink, WriteOnlyOption } from "./secret-sink";
import { StoreResource } from "./store-resource";
import { publicationOf, requireCreatedOrExisting, requireMatchIfGiven, valueAttributes } from "./store-sink";

export interface AwsSecretsManagerSinkProps extends WriteOnlyOption {
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
  readonly provider?: TerraformProvider;
}

const NAME = "AwsSecretsManagerSink";

/**
 * The part of `@cdktf/provider-aws` the sink uses, typed by the kit's framework module: the package's own types are
 * cdktf's, which the cdktn build (where the sink writes the escape hatch) cannot name.
 */
interface AwsBindings {
  readonly secret: {
    readonly SecretsmanagerSecret: new (scope: Construct, id: string, config: SecretConfig) => TerraformResource;
  };
  readonly version: {
    readonly SecretsmanagerSecretVersion: new (
      scope: Construct,
      id: string,
      config: {
        secretId: string;
        secretString?: string;
        secretStringWo?: string;
        secretStringWoVersion?: number;
        provider?: TerraformProvider;
        lifecycle: TerraformResourceLifecycle;
      },
    ) => TerraformResource;
  };
}

interface SecretConfig {
  name: string;
  kmsKeyId?: string;
  description: string;
  provider?: TerraformProvider;
}

/**
 * Publishes the active key to AWS Secrets Manager: a `aws_secretsmanager_secret_version` (construct ID
 * `PublishedVersion`) of a created (`Secret`) or existing secret. A rotation replaces the version (the provider
 * cannot update `secret_string` in place); `create_before_destroy` makes the new version current before the old one
 * is removed, so the secret always has a current value. With `writeOnly`, the document goes to `secret_string_wo`
 * (AWS provider 6.25, as in @cdktf/provider-aws 21.22) and `secret_string_wo_version` counts the rotations. Needs the optional peer
 * `@cdktf/provider-aws` (loaded here, at construction) and an `AwsProvider` (from `@cdktf/provider-aws/lib/provider`).
 * In the cdktn build both resources are written on the escape hatch (`@cdktn/provider-aws` 25.7 is 476 MB installed
 * for these two types), and the stack needs an `AwsStoreProvider`.
 */
export class AwsSecretsManagerSink implements SecretSink {
  /** The created secret (a `SecretsmanagerSecret`, when `secretName` was given). */
  secret?: TerraformResource;
  /** The published version (a `SecretsmanagerSecretVersion`), once published. */
  version?: TerraformResource;
  /** The generated resource classes; undefined in a build whose store resources are on the escape hatch. */
  private readonly bindings?: AwsBindings;

  constructor(private readonly props: AwsSecretsManagerSinkProps) {
    requireCreatedOrExisting(NAME, ["secretName", props?.secretName], ["secretArn", props?.secretArn]);
    const nameRule = "may contain only letters, digits and /_+=.@- (1-512 characters)";
    requireMatchIfGiven(NAME, "secretName", props.secretName, /^[A-Za-z0-9/_+=.@-]{1,512}$/, nameRule);
    // Only the resource modules used: the provider's index loads thousands of classes (seconds of synth time).
    if (FRAMEWORK.storeBindings === "provider-packages") {
      this.bindings = {
        secret: requireOptionalPeer(AWS_PROVIDER_PACKAGE, "lib/secretsmanager-secret", NAME),
        version: requireOptionalPeer(AWS_PROVIDER_PACKAGE, "lib/secretsmanager-secret-version", NAME),
      };
    }
  }

  publish(parent: Construct, credentials: PublishedCredentials): void {
    const publication = publicationOf(this, NAME, parent, credentials, this.props.writeOnly);
    const { secretName, secretArn, kmsKeyId, description, provider } = this.props;
    let secretId = secretArn as string;
    if (secretName !== undefined) {
      this.secret = this.createSecret(parent, {
        name: secretName,
        kmsKeyId,
        description: description ?? `Confluent API key published by keykit (${parent.node.path})`,
        provider,
      });
      secretId = this.secret.getStringAttribute("id");
    }
    const contents = valueAttributes(publication, {
      plain: "secretString",
      writeOnly: "secretStringWo",
      version: "secretStringWoVersion",
    });
    const lifecycle = { createBeforeDestroy: true };
    if (this.bindings) {
      this.version = new this.bindings.version.SecretsmanagerSecretVersion(parent, "PublishedVersion", {
        secretId,
        ...contents,
        provider,
        lifecycle,
      });
      return;
    }
    // The generated class's attributes, in its (alphabetical) order.
    this.version = new StoreResource(parent, "PublishedVersion", {
      type: "aws_secretsmanager_secret_version",
      providerName: "aws",
      provider,
      lifecycle,
      attributes: {
        secret_id: secretId,
        secret_string: contents.secretString,
        secret_string_wo: contents.secretStringWo,
        secret_string_wo_version: contents.secretStringWoVersion,
      },
    });
  }

  private createSecret(parent: Construct, config: SecretConfig): TerraformResource {
    if (this.bindings) return new this.bindings.secret.SecretsmanagerSecret(parent, "Secret", config);
    return new StoreResource(parent, "Secret", {
      type: "aws_secretsmanager_secret",
      providerName: "aws",
      provider: config.provider,
      attributes: { description: config.description, kms_key_id: config.kmsKeyId, name: config.name },
    });
  }
}
