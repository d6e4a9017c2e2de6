/**
 * The normalized model every loader produces and every rule reads.
 *
 * One model describes one input (a synthesized stack, a plan, a state, an HCL directory, an inventory export).
 * The model never carries a secret value: loaders keep identifiers, owners, scopes and *which* resources
 * reference a key's secret, never the secret itself, so no reporter can print one by mistake.
 */
import type {
  AcknowledgementRecord,
  KafkaClusterType,
  RotationSlotRecord,
  ScopeDescriptor,
  SchemaRegistryNetworking,
  Tier,
} from "./metadata";
import { SECRET_STORES } from "./secret-destinations";

/** What kind of input a model was loaded from. "synth" = the construct tree during `cdktf synth`. */
export type InputKind = "synth" | "cdktf-json" | "plan" | "state" | "hcl" | "inventory";

/** Where something lives, for reporters (SARIF locations, text grouping). All parts are optional. */
export interface SourceLocation {
  /** The input file (relative to the working directory when the CLI loaded it). */
  readonly file?: string;
  /** The Terraform address, e.g. `confluent_api_key.app` or `module.x.confluent_api_key.k[0]`. */
  readonly address?: string;
  /** The cdktf construct path (from `"//".metadata.path` or keykit metadata), when known. */
  readonly constructPath?: string;
  /**
   * 1-based line in `file`, when known: HCL from the block header, cdk.tf.json from the resource's key, plan/state
   * JSON from the resource's `address` entry; for a synthesized stack with stack traces, the `main.ts` line (then
   * `file` is that source file).
   */
  readonly line?: number;
  /** 1-based last line of the block (HCL), when known. */
  readonly endLine?: number;
  /** 1-based column of `line`, when known (one-line plan/state JSON, where the line alone says little). */
  readonly column?: number;
  /**
   * When `file` is the source that created the construct (a `main.ts`), the synthesized file the finding was read
   * from, and the resource's line there: reporters keep it as a related location.
   */
  readonly generated?: { readonly file: string; readonly line?: number };
}

/**
 * A reference to another Terraform object as written in configuration (`${confluent_service_account.x.id}`),
 * resolved to its type. `address` is the referenced object's address without the attribute
 * (`confluent_service_account.x`, `data.confluent_user.y`).
 */
export interface ResolvedReference {
  readonly address: string;
  readonly type: string;
  readonly mode: "managed" | "data";
  readonly attribute?: string;
}

export type OwnerKind = "service-account" | "user" | "unknown";

export interface KeyOwner {
  readonly kind: OwnerKind;
  /** The literal owner id (sa-…, u-…) when known. */
  readonly id?: string;
  /** The configuration reference the owner was written as, when it was a reference. */
  readonly reference?: ResolvedReference;
  /**
   * A stable grouping key: the literal id when known, else the referenced address, else undefined
   * (an owner we cannot identify is never grouped with another one).
   */
  readonly key?: string;
}

/** The scope of a key: the one resource it is bound to ("global" = a global key, "cloud" = no managed_resource). */
export type KeyScopeKind = ScopeDescriptor["kind"] | "global" | "unknown";

export interface KeyScope {
  readonly kind: KeyScopeKind;
  /** Literal id (lkc-…) when known, else the reference address, else undefined. */
  readonly id?: string;
  readonly environment?: string;
  readonly reference?: ResolvedReference;
  /** A stable grouping key `<kind>:<id>`, undefined when the id is unknown. */
  readonly key?: string;
}

/** A resource a key serves, with facts resolved from the model where possible (cluster type, networking). */
export interface ServedResource {
  readonly kind: ScopeDescriptor["kind"];
  readonly id: string;
  readonly environment?: string;
  readonly clusterType?: KafkaClusterType;
  readonly networking?: SchemaRegistryNetworking;
}

/** Settings of Terraform's `lifecycle` block that matter for keys (only known from configuration). */
export interface LifecycleFacts {
  readonly preventDestroy?: boolean;
  readonly createBeforeDestroy?: boolean;
}

/** Facts every entity has. */
export interface EntityBase {
  /** Terraform address (or, for inventory, the Confluent id). Unique within a model. */
  readonly address: string;
  readonly location: SourceLocation;
  /** Acknowledgements written in code on the construct that created this entity. */
  readonly acknowledgements: readonly AcknowledgementRecord[];
  /** The kit construct that created it (keykit metadata), if any. */
  readonly construct?: string;
}

export interface ApiKey extends EntityBase {
  /** The Confluent key id (not secret), when known (state, plan before-values, inventory). */
  readonly id?: string;
  readonly displayName?: string;
  readonly owner: KeyOwner;
  readonly scope: KeyScope;
  /** For a global key: what it serves, from keykit metadata (`serves`) or inventory. */
  readonly serves?: readonly ServedResource[];
  /** Blue/green slot facts from keykit metadata or the rotation-state file. */
  readonly rotation?: RotationSlotRecord;
  /** ISO timestamp of creation (inventory, rotation-state file), when known. */
  readonly createdAt?: string;
  /**
   * Set when a development stack explicitly allowed a user-owned key (keykit metadata); `declaredIn` names the
   * stack when the key was joined from elsewhere (the audit's inventory).
   */
  readonly userOwnerAllowed?: { readonly reason: string; readonly declaredIn?: string };
  readonly lifecycle?: LifecycleFacts;
  /**
   * Configuration only: the key is replaced on a schedule by Terraform itself (`lifecycle.replace_triggered_by`
   * naming a `time_rotating` / `time_static`, directly or through a `terraform_data` / `null_resource`). `slotted`:
   * the key has instances (`count` / `for_each` slots) and each is triggered by its own time resource instance, so
   * one slot is replaced while the others stay valid; otherwise every instance is replaced in the same apply.
   */
  readonly timeRotation?: { readonly trigger: string; readonly slotted: boolean };
  /**
   * The tier of the stack this key belongs to, when keys of one model come from stacks of different tiers (the
   * audit joins every stack's keys into one model); otherwise the model's tier applies.
   */
  readonly tier?: Tier;
}

export interface ServiceAccount extends EntityBase {
  readonly id?: string;
  readonly displayName?: string;
  /**
   * Configuration only: the `data "confluent_service_account"` blocks that look this account up by its literal
   * display name; a key or binding naming such a data source uses this account (KK008).
   */
  readonly lookups?: readonly string[];
}

/** Something that grants a principal access: a role binding or a Kafka ACL. */
export interface Grant extends EntityBase {
  readonly kind: "role-binding" | "kafka-acl";
  /** The principal's grouping key (literal sa-/u- id or referenced address), when known. */
  readonly principalKey?: string;
  readonly role?: string;
}

export interface KafkaCluster extends EntityBase {
  readonly id?: string;
  readonly clusterType?: KafkaClusterType;
}

export interface Output extends EntityBase {
  readonly name: string;
  readonly sensitive: boolean;
  /** Addresses of API keys whose secret (or whole object, which includes the secret) the value contains. */
  readonly secretOf: readonly string[];
}

/** A credential argument of a provider block (`cloud_api_key`, `kafka_api_secret`, oauth secrets …). */
export interface ProviderCredential {
  readonly attribute: string;
  /** "literal" = hard-coded in configuration; "reference" = var/local/resource; "unknown" = cannot tell. */
  readonly source: "literal" | "reference" | "unknown";
  /** For a literal reached through a variable: which one, e.g. "the default of var.secret". */
  readonly via?: string;
  /**
   * For a literal that cannot be a credential of its provider (a placeholder such as "Your API key"): what was
   * seen, by shape ("a text of 21 characters, with spaces, …"), never the value.
   */
  readonly placeholder?: string;
}

export interface ProviderBlock extends EntityBase {
  /** Provider local name, e.g. "confluent"; `address` is `provider.confluent` or `provider.confluent.alias`. */
  readonly name: string;
  readonly alias?: string;
  readonly credentials: readonly ProviderCredential[];
}

/** A resource of a secret-store type (Vault KV v2, AWS Secrets Manager) holding a key. */
export interface SecretStoreEntry extends EntityBase {
  readonly type: string;
  /** Addresses of the API keys it references (configuration). */
  readonly keyAddresses: readonly string[];
  /** Literal key ids found in its values after apply (plans/state), matched against the model's known key ids. */
  readonly keyIds: readonly string[];
  /** Plans: key ids its contents held before apply (the key it published until now). */
  readonly previousKeyIds?: readonly string[];
}

/** A place outside a secret store that a key's secret is written to (a resource argument, a file …). */
export interface SecretSink extends EntityBase {
  readonly type: string;
  /** Addresses of the API keys whose secret is written here. */
  readonly secretOf: readonly string[];
  /** The argument path(s) holding the secret, e.g. `content`. */
  readonly attributes: readonly string[];
  /**
   * Set when the secret only reaches a provisioner's `local-exec` `environment` (a script receives it; Terraform
   * keeps no provisioner argument in state): KK006 warns instead of failing.
   */
  readonly script?: true;
}

export type ChangeAction = "no-op" | "create" | "read" | "update" | "delete" | "forget";

/** Key facts on one side of a planned change (never a secret). */
export interface KeyFacts {
  readonly id?: string;
  readonly owner: KeyOwner;
  readonly scope: KeyScope;
}

/** One entry of a plan's `resource_changes`, normalized. */
export interface PlannedChange {
  readonly address: string;
  readonly previousAddress?: string;
  readonly type: string;
  readonly mode: "managed" | "data";
  readonly actions: readonly ChangeAction[];
  /** Set when the change targets a deposed object (leftover of a failed create_before_destroy). */
  readonly deposed?: string;
  readonly actionReason?: string;
  /** Attribute paths that forced a replacement, as dotted strings (`owner.0.id`). */
  readonly replacePaths: readonly string[];
  /** For confluent_api_key only: the key before apply, set when the change deletes or forgets it. */
  readonly before?: KeyFacts;
  /** For confluent_api_key only: the key after apply (unknown values resolved through configuration references). */
  readonly after?: KeyFacts;
  /** Blue/green slot facts for a key (keykit metadata of the same address), when known. */
  readonly rotation?: RotationSlotRecord;
  readonly location: SourceLocation;
}

/** Rotation state (from `keykit.rotation.json` or keykit metadata) for one logical key. */
export interface RotationEntry {
  readonly name: string;
  readonly activeSlot?: "blue" | "green";
  readonly slots: readonly {
    readonly slot: "blue" | "green";
    readonly keyId?: string;
    readonly address?: string;
    readonly createdAt?: string;
  }[];
}

export interface KeykitModel {
  readonly kind: InputKind;
  /** The input this model came from (a file or directory path, or a label such as the stack name). */
  readonly source: string;
  /** The stack's tier (keykit stack metadata; defaults to production). */
  readonly tier: Tier;
  readonly apiKeys: readonly ApiKey[];
  readonly serviceAccounts: readonly ServiceAccount[];
  readonly grants: readonly Grant[];
  readonly kafkaClusters: readonly KafkaCluster[];
  readonly outputs: readonly Output[];
  readonly providers: readonly ProviderBlock[];
  readonly secretStores: readonly SecretStoreEntry[];
  readonly secretSinks: readonly SecretSink[];
  /** Plans only: every resource change (API keys and others). Empty for other inputs. */
  readonly changes: readonly PlannedChange[];
  readonly rotation: readonly RotationEntry[];
  /** Facts a reader should know (e.g. "plan is incomplete: some changes are deferred"). Never secrets. */
  readonly notes: readonly string[];
}

/** An empty model, for loaders to fill and tests to extend. */
export function emptyModel(kind: InputKind, source: string, tier: Tier = "production"): KeykitModel {
  return {
    kind,
    source,
    tier,
    apiKeys: [],
    serviceAccounts: [],
    grants: [],
    kafkaClusters: [],
    outputs: [],
    providers: [],
    secretStores: [],
    secretSinks: [],
    changes: [],
    rotation: [],
    notes: [],
  };
}

/** Terraform resource types that count as a secret store (practice 5): the types of the secret-destination table. */
export const SECRET_STORE_TYPES: readonly string[] = SECRET_STORES.map((s) => s.type);
