import type { Construct, TerraformProvider } from "../cdktf";
import type { PublishedCredentials, SecretSink, WriteOnlyOption } from "./secret-sink";
import { StoreBlock, StoreResource } from "./store-resource";
import { publicationOf, requireCreatedOrExisting, requireMatchIfGiven, valueAttributes } from "./store-sink";

export interface GcpSecretManagerSinkProps extends WriteOnlyOption {
  /**
   * The id of a secret to create (`google_secret_manager_secret`, construct ID `Secret`, automatic replication).
   * Exactly one of `secretId` and `existingSecret`.
   * @default - none
   */
  readonly secretId?: string;
  /**
   * An existing secret to add versions to: its full name, `projects/<project>/secrets/<id>`.
   * @default - none
   */
  readonly existingSecret?: string;
  /**
   * The project of a created secret.
   * @default - the provider's project
   */
  readonly project?: string;
  /**
   * Labels of a created secret.
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * The google provider to use (for another project).
   * @default - the stack's default `google` provider
   */
  readonly provider?: TerraformProvider;
}

const NAME = "GcpSecretManagerSink";

/**
 * Publishes the active key to GCP Secret Manager: a `google_secret_manager_secret_version` (construct ID
 * `PublishedVersion`) of a created (`Secret`) or existing secret. A rotation replaces the version (its data cannot
 * change in place); `create_before_destroy` adds the new version, which becomes `latest`, before the old one is
 * destroyed. With `writeOnly`, the document goes to `secret_data_wo` (google 6.x; this sink follows the 6.50 schema) and `secret_data_wo_version`
 * counts the rotations. Written on cdktf's escape hatch: `@cdktf/provider-google` is not needed at run time; the
 * stack needs a `google` provider (e.g. `GoogleProvider` from `@cdktf/provider-google/lib/provider`).
 */
export class GcpSecretManagerSink implements SecretSink {
  /** The created secret (when `secretId` was given). */
  secret?: StoreResource;
  /** The published version, once published. */
  version?: StoreResource;

  constructor(private readonly props: GcpSecretManagerSinkProps) {
    requireCreatedOrExisting(NAME, ["secretId", props?.secretId], ["existingSecret", props?.existingSecret]);
    const secretIdRule = "may contain only letters, digits, '_' and '-' (1-255 characters)";
    requireMatchIfGiven(NAME, "secretId", props.secretId, /^[A-Za-z0-9_-]{1,255}$/, secretIdRule);
    const existingRule = "must be 'projects/<project>/secrets/<id>'";
    requireMatchIfGiven(
      NAME,
      "existingSecret",
      props.existingSecret,
      /^projects\/[^/]+\/secrets\/[^/]+$/,
      existingRule,
    );
  }

  publish(parent: Construct, credentials: PublishedCredentials): void {
    const publication = publicationOf(this, NAME, parent, credentials, this.props.writeOnly);
    const { secretId, existingSecret, project, labels, provider } = this.props;
    let secret = existingSecret as string;
    if (secretId !== undefined) {
      this.secret = new StoreResource(parent, "Secret", {
        type: "google_secret_manager_secret",
        providerName: "google",
        provider,
        attributes: { secret_id: secretId, project, labels, replication: new StoreBlock({ auto: new StoreBlock({}) }) },
      });
      secret = this.secret.attribute("id");
    }
    this.version = new StoreResource(parent, "PublishedVersion", {
      type: "google_secret_manager_secret_version",
      providerName: "google",
      provider,
      lifecycle: { createBeforeDestroy: true },
      attributes: {
        secret,
        ...valueAttributes(publication, {
          plain: "secret_data",
          writeOnly: "secret_data_wo",
          version: "secret_data_wo_version",
        }),
      },
    });
  }
}
