import type { Construct, TerraformProvider } from "../cdktf";
import type { PublishedCredentials, SecretSink, WriteOnlyOption } from "./secret-sink";
import { StoreResource } from "./store-resource";
import { publicationOf, requireMatch, valueAttributes } from "./store-sink";

export interface AzureKeyVaultSinkProps extends WriteOnlyOption {
  /** The Key Vault's resource id (e.g. `azurerm_key_vault.vault.id` or a data source's `id`). */
  readonly keyVaultId: string;
  /** The secret's name in the vault: letters, digits and `-` (1-127 characters). */
  readonly name: string;
  /**
   * The secret's content type.
   * @default "application/json"
   */
  readonly contentType?: string;
  /**
   * Tags of the secret.
   * @default - none
   */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * The azurerm provider to use (for another subscription).
   * @default - the stack's default `azurerm` provider
   */
  readonly provider?: TerraformProvider;
}

const NAME = "AzureKeyVaultSink";

/**
 * Publishes the active key to Azure Key Vault: one `azurerm_key_vault_secret` (construct ID `PublishedSecret`). A
 * rotation updates the secret in place, which adds a new version of it in the vault: clients reading the current
 * version switch keys. With `writeOnly`, the document goes to `value_wo` (azurerm 4.x; this sink follows the 4.55 schema) and `value_wo_version`
 * counts the rotations. Written on cdktf's escape hatch: `@cdktf/provider-azurerm` is not needed at run time; the stack
 * needs an `azurerm` provider (e.g. `AzurermProvider` from `@cdktf/provider-azurerm/lib/provider`).
 */
export class AzureKeyVaultSink implements SecretSink {
  /** The secret resource, once published. */
  secret?: StoreResource;

  constructor(private readonly props: AzureKeyVaultSinkProps) {
    requireMatch(
      NAME,
      "name",
      props?.name,
      /^[0-9A-Za-z-]{1,127}$/,
      "may contain only letters, digits and '-' (1-127 characters)",
    );
    if (typeof props.keyVaultId !== "string" || props.keyVaultId.trim() === "") {
      throw new Error(`${NAME}: keyVaultId must be the Key Vault's resource id`);
    }
  }

  publish(parent: Construct, credentials: PublishedCredentials): void {
    const publication = publicationOf(this, NAME, parent, credentials, this.props.writeOnly);
    const { keyVaultId, name, contentType, tags, provider } = this.props;
    this.secret = new StoreResource(parent, "PublishedSecret", {
      type: "azurerm_key_vault_secret",
      providerName: "azurerm",
      provider,
      attributes: {
        key_vault_id: keyVaultId,
        name,
        content_type: contentType ?? "application/json",
        tags,
        ...valueAttributes(publication, { plain: "value", writeOnly: "value_wo", version: "value_wo_version" }),
      },
    });
  }
}
