import { type Construct, FRAMEWORK, type TerraformProvider, type TerraformResource } from "../cdktf";
import { VAULT_PROVIDER_PACKAGE, requireOptionalPeer } from "../optional-peer";
import type { PublishedCredentials, SecretSink, WriteOnlyOption } from "./secret-sink";
import { StoreResource } from "./store-resource";
import { publicationOf, requireMatch, valueAttributes } from "./store-sink";

export interface VaultKvSecretSinkProps extends WriteOnlyOption {
  /** The path where the KV v2 secrets engine is mounted, e.g. `kv` or `secret`. */
  readonly mount: string;
  /** The secret's path inside the mount, e.g. `apps/orders/confluent`. */
  readonly name: string;
  /**
   * The Vault namespace (Vault Enterprise / HCP).
   * @default - the provider's namespace
   */
  readonly namespace?: string;
  /**
   * The Vault provider to use (for an aliased provider).
   * @default - the stack's default `vault` provider, which reads VAULT_ADDR, VAULT_TOKEN etc. from the environment
   */
  readonly provider?: TerraformProvider;
}

/**
 * The part of `@cdktf/provider-vault/lib/kv-secret-v2` the sink uses, typed by the kit's framework module: the
 * package's own types are cdktf's, which the cdktn build (where the sink writes the escape hatch) cannot name.
 */
interface KvSecretV2Bindings {
  readonly KvSecretV2: new (
    scope: Construct,
    id: string,
    config: {
      mount: string;
      name: string;
      namespace?: string;
      provider?: TerraformProvider;
      dataJson?: string;
      dataJsonWo?: string;
      dataJsonWoVersion?: number;
    },
  ) => TerraformResource;
}

const SEGMENT = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;
const NAME = "VaultKvSecretSink";

/**
 * Publishes the active key to HashiCorp Vault KV v2 (`vault_kv_secret_v2`, construct ID `PublishedSecret`).
 * A rotation updates this one secret in place (a new KV version), so clients reading the latest version switch keys.
 * With `writeOnly`, the document goes to `data_json_wo` (Vault provider 5.x, as in @cdktf/provider-vault 15.6) and `data_json_wo_version` counts
 * the rotations. Needs the optional peer `@cdktf/provider-vault` (loaded here, at construction) and a `VaultProvider`
 * (from `@cdktf/provider-vault/lib/provider`) in the stack. In the cdktn build (no `@cdktn/provider-vault` exists) the
 * same `vault_kv_secret_v2` is written on the escape hatch, and the stack needs a `VaultStoreProvider`.
 */
export class VaultKvSecretSink implements SecretSink {
  /** The KV secret resource (a `KvSecretV2`), once published. */
  secret?: TerraformResource;
  /** The generated resource class; undefined in a build whose store resources are on the escape hatch. */
  private readonly bindings?: KvSecretV2Bindings;

  constructor(private readonly props: VaultKvSecretSinkProps) {
    const path = "must be a path of letters, digits, '.', '_', '-' separated by '/' (no leading or trailing '/')";
    for (const field of ["mount", "name"] as const) requireMatch(NAME, field, props?.[field], SEGMENT, path);
    // Only the one resource module: the provider's index would load every Vault resource at synth.
    if (FRAMEWORK.storeBindings === "provider-packages") {
      this.bindings = requireOptionalPeer(VAULT_PROVIDER_PACKAGE, "lib/kv-secret-v2", NAME);
    }
  }

  publish(parent: Construct, credentials: PublishedCredentials): void {
    const publication = publicationOf(this, NAME, parent, credentials, this.props.writeOnly);
    const { mount, name, namespace, provider } = this.props;
    const contents = valueAttributes(publication, {
      plain: "dataJson",
      writeOnly: "dataJsonWo",
      version: "dataJsonWoVersion",
    });
    if (this.bindings) {
      this.secret = new this.bindings.KvSecretV2(parent, "PublishedSecret", {
        mount,
        name,
        namespace,
        provider,
        ...contents,
      });
      return;
    }
    // The generated class's attributes, in its (alphabetical) order.
    this.secret = new StoreResource(parent, "PublishedSecret", {
      type: "vault_kv_secret_v2",
      providerName: "vault",
      provider,
      attributes: {
        data_json: contents.dataJson,
        data_json_wo: contents.dataJsonWo,
        data_json_wo_version: contents.dataJsonWoVersion,
        mount,
        name,
        namespace,
      },
    });
  }
}
