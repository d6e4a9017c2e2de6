import { type Construct, TerraformProvider } from "../cdktf";

/** What a store provider block is written with: the provider's local name, registry source and pinned version. */
export interface StoreProviderSpec {
  /** The provider's local name, e.g. `vault`. */
  readonly name: string;
  /** The registry source, e.g. `hashicorp/vault`. */
  readonly source: string;
  /** The version written to `required_providers`, e.g. `5.6.0`. */
  readonly version: string;
  /** The version constraint the provider's generated bindings carry, e.g. `~> 5.0`. */
  readonly versionConstraint: string;
}

/**
 * The Vault provider as `@cdktf/provider-vault` 15.6 declares it, so a stack on either framework pins the same
 * provider (the example apps' outputs are compared in CI).
 */
export const VAULT_PROVIDER_SPEC: StoreProviderSpec = {
  name: "vault",
  source: "hashicorp/vault",
  version: "5.6.0",
  versionConstraint: "~> 5.0",
};

/** The AWS provider as `@cdktf/provider-aws` 21.22 declares it. */
export const AWS_PROVIDER_SPEC: StoreProviderSpec = {
  name: "aws",
  source: "hashicorp/aws",
  version: "6.25.0",
  versionConstraint: "~> 6.0",
};

/**
 * The Azure, Google and Kubernetes providers at the versions whose resource attributes the escape-hatch sinks write
 * (azurerm 4.55, google 6.50, kubernetes 2.38): no cdktn provider package exists for two of them, and a stack on
 * either framework can declare them with `StoreProvider`.
 */
export const AZURERM_PROVIDER_SPEC: StoreProviderSpec = {
  name: "azurerm",
  source: "hashicorp/azurerm",
  version: "4.55.0",
  versionConstraint: "~> 4.0",
};

/** The Google provider (hashicorp/google 6.50.0), for `GcpSecretManagerSink`. */
export const GOOGLE_PROVIDER_SPEC: StoreProviderSpec = {
  name: "google",
  source: "hashicorp/google",
  version: "6.50.0",
  versionConstraint: "~> 6.0",
};

/** The Kubernetes provider (hashicorp/kubernetes 2.38.0), for `KubernetesSecretSink`. */
export const KUBERNETES_PROVIDER_SPEC: StoreProviderSpec = {
  name: "kubernetes",
  source: "hashicorp/kubernetes",
  version: "2.38.0",
  versionConstraint: "~> 2.0",
};

/** One provider argument: a value, or nested blocks (azurerm's `features {}` is `features: [{}]`). */
export type ProviderArgument = string | number | boolean | undefined | readonly ProviderBlock[];
/** A nested block of provider arguments. */
export interface ProviderBlock {
  readonly [name: string]: ProviderArgument;
}
/** Provider arguments in Terraform's snake_case; undefined ones are left out. */
export type ProviderArguments = ProviderBlock;

/**
 * A store provider block on the framework's escape hatch: where no prebuilt provider package exists for the
 * framework (`@cdktn/provider-vault`) or it is too big for one block (`@cdktn/provider-aws`, 476 MB installed).
 * The JSON written is what the generated provider class writes.
 */
export class StoreProvider extends TerraformProvider {
  constructor(
    scope: Construct,
    id: string,
    spec: StoreProviderSpec,
    private readonly providerArguments: ProviderArguments = {},
    alias?: string,
  ) {
    super(scope, id, {
      terraformResourceType: spec.name,
      terraformGeneratorMetadata: {
        providerName: spec.name,
        providerVersion: spec.version,
        providerVersionConstraint: spec.versionConstraint,
      },
      terraformProviderSource: spec.source,
    });
    this.alias = alias;
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    const entries = Object.entries({ ...this.providerArguments, alias: this.alias });
    return Object.fromEntries(entries.filter((entry) => entry[1] !== undefined));
  }
}

export interface VaultStoreProviderProps {
  /** The Vault server; by default the provider reads VAULT_ADDR. */
  readonly address?: string;
  /** The Vault namespace (Vault Enterprise / HCP); by default VAULT_NAMESPACE. */
  readonly namespace?: string;
  /** Skip TLS verification (tests against a local dev server only). */
  readonly skipTlsVerify?: boolean;
  /** For a second, aliased provider. */
  readonly alias?: string;
}

/** The `vault` provider (hashicorp/vault 5.6.0); the token comes from VAULT_TOKEN, never from code. */
export class VaultStoreProvider extends StoreProvider {
  constructor(scope: Construct, id: string, props: VaultStoreProviderProps = {}) {
    const { address, namespace, skipTlsVerify, alias } = props;
    super(scope, id, VAULT_PROVIDER_SPEC, { address, namespace, skip_tls_verify: skipTlsVerify }, alias);
  }
}

export interface AwsStoreProviderProps {
  /** The AWS region; by default AWS_REGION. */
  readonly region?: string;
  /** A shared-config profile; by default AWS_PROFILE. */
  readonly profile?: string;
  /** For a second, aliased provider (another region or account). */
  readonly alias?: string;
}

/** The `aws` provider (hashicorp/aws 6.25.0); credentials come from the environment, never from code. */
export class AwsStoreProvider extends StoreProvider {
  constructor(scope: Construct, id: string, props: AwsStoreProviderProps = {}) {
    const { region, profile, alias } = props;
    super(scope, id, AWS_PROVIDER_SPEC, { region, profile }, alias);
  }
}
