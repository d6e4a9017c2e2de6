// Only the one resource module: importing the provider's index would load every Vault resource at synth.
import { KvSecretV2, type KvSecretV2Config } from "@cdktf/provider-vault/lib/kv-secret-v2";
import { type Construct, Token } from "../cdktf";
import { type PublishedCredentials, type SecretSink, claimSink, credentialsDocument } from "./secret-sink";

export interface VaultKvSecretSinkProps {
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
  readonly provider?: KvSecretV2Config["provider"];
}

const SEGMENT = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

/**
 * Publishes the active key to HashiCorp Vault KV v2 (`vault_kv_secret_v2`, construct ID `PublishedSecret`).
 * A rotation updates this one secret in place (a new KV version), so clients reading the latest version switch keys.
 * The stack needs a `VaultProvider` (from `@cdktf/provider-vault/lib/provider`).
 */
export class VaultKvSecretSink implements SecretSink {
  /** The KV secret resource, once published. */
  secret?: KvSecretV2;

  constructor(private readonly props: VaultKvSecretSinkProps) {
    for (const field of ["mount", "name"] as const) {
      const value = props?.[field];
      if (typeof value !== "string" || (!Token.isUnresolved(value) && !SEGMENT.test(value))) {
        throw new Error(
          `VaultKvSecretSink: ${field} '${String(value)}' must be a path of letters, digits, '.', '_', '-' separated by '/' (no leading or trailing '/')`,
        );
      }
    }
  }

  publish(parent: Construct, credentials: PublishedCredentials): void {
    claimSink(this, parent, "VaultKvSecretSink");
    this.secret = new KvSecretV2(parent, "PublishedSecret", {
      mount: this.props.mount,
      name: this.props.name,
      namespace: this.props.namespace,
      provider: this.props.provider,
      dataJson: credentialsDocument(credentials),
    });
  }
}
