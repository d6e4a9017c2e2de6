/**
 * Where an API key's secret may legitimately go (practice 5): a secret store, a Confluent resource or data source
 * that takes a key to reach its cluster (a `credentials { key secret }` block), or a Confluent provider credential.
 * Anything else that receives a secret is a sink (KK006).
 *
 * The secret stores are one hand-kept table (the attribute names come from each provider's documentation); the
 * credential consumers are generated from the Confluent provider schema by scripts/gen-credential-consumers.mjs,
 * so a provider upgrade that adds a resource with a `credentials` block is one regeneration, not a code change.
 */
import { CREDENTIAL_CONSUMER_TABLE } from "./generated/credential-consumers";

export interface SecretStoreSpec {
  readonly type: string;
  /** Attributes that hold the stored value (a key's secret may be written there). */
  readonly valueAttributes: readonly string[];
  /** Write-only variants (Terraform ≥ 1.11): never persisted, shown as `null` in plan and state JSON. */
  readonly writeOnlyAttributes: readonly string[];
  readonly note?: string;
  /** A literal attribute value the resource must have to be a store (e.g. `type = "SecureString"`). */
  readonly requires?: { readonly attribute: string; readonly equals: string };
}

/** Every Terraform resource type KK006 accepts as a secret store, in documentation order. */
export const SECRET_STORES: readonly SecretStoreSpec[] = [
  {
    type: "vault_kv_secret_v2",
    valueAttributes: ["data_json"],
    writeOnlyAttributes: ["data_json_wo"],
    note: "HashiCorp Vault KV version 2",
  },
  {
    type: "vault_kv_secret",
    valueAttributes: ["data_json"],
    writeOnlyAttributes: [],
    note: "HashiCorp Vault KV version 1",
  },
  {
    type: "vault_generic_secret",
    valueAttributes: ["data_json"],
    writeOnlyAttributes: [],
    note: "HashiCorp Vault, any secrets engine path",
  },
  {
    type: "aws_secretsmanager_secret_version",
    valueAttributes: ["secret_string", "secret_binary"],
    writeOnlyAttributes: ["secret_string_wo"],
    note: "AWS Secrets Manager",
  },
  {
    type: "aws_ssm_parameter",
    valueAttributes: ["value"],
    writeOnlyAttributes: ["value_wo"],
    note: 'AWS Systems Manager Parameter Store, only with a literal type = "SecureString" (String, StringList, a reference or an unknown type is not encrypted, so not a store)',
    requires: { attribute: "type", equals: "SecureString" },
  },
  {
    type: "azurerm_key_vault_secret",
    valueAttributes: ["value"],
    writeOnlyAttributes: ["value_wo"],
    note: "Azure Key Vault",
  },
  {
    type: "google_secret_manager_secret_version",
    valueAttributes: ["secret_data"],
    writeOnlyAttributes: ["secret_data_wo"],
    note: "Google Cloud Secret Manager",
  },
  {
    type: "kubernetes_secret_v1",
    valueAttributes: ["data", "binary_data"],
    writeOnlyAttributes: ["data_wo"],
    note: "Kubernetes Secret",
  },
  {
    type: "kubernetes_secret",
    valueAttributes: ["data", "binary_data"],
    writeOnlyAttributes: ["data_wo"],
    note: "Kubernetes Secret (the provider's older name for kubernetes_secret_v1)",
  },
];

const STORES_BY_TYPE: ReadonlyMap<string, SecretStoreSpec> = new Map(SECRET_STORES.map((s) => [s.type, s]));

/**
 * The store spec when a resource of `type` with these (configuration/planned) values is a secret store. For managed
 * resources: a data source of a store type reads a secret, it does not hold one written by this configuration.
 */
export function secretStoreFor(type: string, values: Readonly<Record<string, unknown>>): SecretStoreSpec | undefined {
  const spec = STORES_BY_TYPE.get(type);
  if (spec === undefined) return undefined;
  // A condition is met only by the literal value: a reference (`${var.type}`) or an unknown planned value may
  // turn out to be a plain parameter, and an error that says so is better than trusting it.
  if (spec.requires && values[spec.requires.attribute] !== spec.requires.equals) return undefined;
  return spec;
}

/** Whether `path` (Terraform JSON attribute path, first segment an attribute) is one of the store's value attributes. */
export function isSecretStoreValuePath(spec: SecretStoreSpec, path: readonly (string | number)[]): boolean {
  const first = path[0];
  return (
    typeof first === "string" && (spec.valueAttributes.includes(first) || spec.writeOnlyAttributes.includes(first))
  );
}

/** A `<service>_api_key` / `<service>_api_secret` pair of the Confluent provider block. */
export interface ProviderCredentialPair {
  readonly key: string;
  readonly secret: string;
}

export interface CredentialConsumerTable {
  readonly provider: string;
  readonly schemaCounts: { readonly resources: number; readonly dataSources: number };
  readonly providerCredentials: readonly ProviderCredentialPair[];
  /** Type → block-name paths (no list indices) of each credential block, e.g. `[["kafka_cluster","credentials"]]`. */
  readonly resources: Readonly<Record<string, readonly (readonly string[])[]>>;
  readonly dataSources: Readonly<Record<string, readonly (readonly string[])[]>>;
}

/** The generated table (policies/generated/credential-consumers.ts), as read from the provider schema. */
export const CREDENTIAL_CONSUMERS: CredentialConsumerTable = CREDENTIAL_CONSUMER_TABLE;

/** The Confluent provider's credential arguments (`cloud_api_key`, `kafka_api_secret` …), from the schema. */
export const CONFLUENT_PROVIDER_CREDENTIAL_ATTRIBUTES: readonly string[] = CREDENTIAL_CONSUMERS.providerCredentials
  .flatMap((p) => [p.key, p.secret])
  .sort();

/** Whether `attribute` of the Confluent provider block is an API key or secret argument. */
export function isConfluentProviderCredential(attribute: string): boolean {
  return CONFLUENT_PROVIDER_CREDENTIAL_ATTRIBUTES.includes(attribute);
}

/** Every credential block path of `type`, as block names (no indices); empty for a type that takes no key. */
export function credentialBlockPaths(type: string, mode: "managed" | "data"): readonly (readonly string[])[] {
  const table = mode === "managed" ? CREDENTIAL_CONSUMERS.resources : CREDENTIAL_CONSUMERS.dataSources;
  return Object.prototype.hasOwnProperty.call(table, type) ? table[type] : [];
}

/** A list index: a number, or its decimal string (dotted paths such as `credentials.0.secret` split into strings). */
function isIndex(segment: string | number): boolean {
  return typeof segment === "number" || /^\d+$/.test(segment);
}

/**
 * Whether a key secret at `path` inside a resource/data source of `type` is a legitimate Confluent credential
 * consumer (a `credentials { key secret }` block at any depth), derived from the provider schema.
 *
 * Accepts Terraform JSON paths (`["local_kafka_cluster", 0, "credentials", 0, "secret"]`) and the cdk.tf.json/HCL
 * shape where a single block is an object (`["kafka_cluster", "credentials", "secret"]`), with configuration
 * `dynamic` blocks in either shape. The path may end at the block itself or at its `key` or `secret` attribute; any
 * other attribute, deeper or shallower, is not a consumer.
 */
export function isCredentialConsumer(
  type: string,
  mode: "managed" | "data",
  path: readonly (string | number)[],
): boolean {
  if (mode === "managed" && type === "confluent_connector") return isConnectorCredentialSetting(path);
  const blocks = credentialBlockPaths(type, mode);
  if (blocks.length === 0) return false;
  const walked = withoutDynamicBlocks(path);
  return blocks.some((block) => pathEndsInBlock(block, walked));
}

/**
 * The path with each configuration `dynamic "<name>" { content { … } }` (HCL through hcl2json:
 * `["dynamic", "credentials", 0, "content", 0, "secret"]`; cdk.tf.json: `["dynamic", "credentials", "content",
 * "secret"]`) written as the block it expands to (`["credentials", 0, "secret"]`).
 */
function withoutDynamicBlocks(path: readonly (string | number)[]): readonly (string | number)[] {
  if (!path.includes("dynamic")) return path;
  const out: (string | number)[] = [];
  for (let i = 0; i < path.length; i += 1) {
    const name = path[i + 1];
    let next = i + 2;
    if (next < path.length && isIndex(path[next])) next += 1;
    if (path[i] === "dynamic" && typeof name === "string" && !isIndex(name) && path[next] === "content") {
      out.push(name, 0);
      i = next < path.length - 1 && isIndex(path[next + 1]) ? next + 1 : next;
    } else {
      out.push(path[i]);
    }
  }
  return out;
}

/**
 * The settings a `confluent_connector` takes its Kafka API key in (`"kafka.auth.mode" = "KAFKA_API_KEY"`), inside
 * its `config_sensitive` map. The schema types that map as a plain sensitive map of strings, so these two names are
 * the one addition to the generated table. The same settings in `config_nonsensitive` are not a consumer: that map
 * is not sensitive, so plans, logs and the state show it.
 */
export const CONNECTOR_CREDENTIAL_SETTINGS: readonly string[] = ["kafka.api.key", "kafka.api.secret"];

function isConnectorCredentialSetting(path: readonly (string | number)[]): boolean {
  return path.length === 2 && path[0] === "config_sensitive" && CONNECTOR_CREDENTIAL_SETTINGS.includes(String(path[1]));
}

/** Whether `path` walks exactly through `block` (each name optionally followed by one list index) to its end. */
function pathEndsInBlock(block: readonly string[], path: readonly (string | number)[]): boolean {
  let i = 0;
  for (const name of block) {
    if (path[i] !== name) return false;
    i += 1;
    if (i < path.length && isIndex(path[i])) i += 1;
  }
  const rest = path.slice(i);
  return rest.length === 0 || (rest.length === 1 && (rest[0] === "key" || rest[0] === "secret"));
}
