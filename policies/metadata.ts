/**
 * What the kit's constructs record in synthesized `cdk.tf.json`, so that the policies can re-check
 * a stack from JSON alone (code review, `keykit check`, plans) without the construct tree.
 *
 * Terraform ignores every property named "//" in JSON configuration, and cdktf already uses it for
 * its own metadata, so the kit writes under `"//": { "keykit": ... }`:
 *   - on the stack root:        `{"//": {"keykit": KeykitStackMetadata}}`
 *   - on a resource it creates: `resource.<type>.<name>["//"].keykit = KeykitResourceMetadata`
 * The shape is versioned by METADATA_VERSION; readers ignore unknown fields.
 */
export const METADATA_VERSION = 1;

/** Production is the default: user-owned keys are refused there and the refusal cannot be acknowledged. */
export type Tier = "production" | "development";
export const TIERS: readonly Tier[] = ["production", "development"];

export type KafkaClusterType = "basic" | "standard" | "enterprise" | "dedicated" | "freight";
export const KAFKA_CLUSTER_TYPES: readonly KafkaClusterType[] = [
  "basic",
  "standard",
  "enterprise",
  "dedicated",
  "freight",
];

export type SchemaRegistryNetworking = "public" | "private";

/** The kinds of resource an API key can be scoped to ("cloud" = organisation management, no managed_resource). */
export type ScopeKind = "kafka" | "schema-registry" | "ksqldb" | "flink" | "tableflow" | "cloud";

/** A resource a key serves, as recorded in JSON. `id` and `environment` may be `${...}` references. */
export interface ScopeDescriptor {
  readonly kind: ScopeKind;
  /** lkc-…, lsrc-…, lksqlc-…, <cloud>.<region>, "tableflow", "cloud", or a `${...}` reference. */
  readonly id: string;
  readonly environment?: string;
  /** Kafka only. */
  readonly clusterType?: KafkaClusterType;
  /** Schema Registry only. */
  readonly networking?: SchemaRegistryNetworking;
}

/** An acknowledgement written in code on a construct; applies to every resource below it. */
export interface AcknowledgementRecord {
  /** The rule's stable short ID, e.g. "KK001". */
  readonly rule: string;
  /** Why the finding is accepted: at least 10 characters. */
  readonly reason: string;
  /** ISO date (YYYY-MM-DD) after which the acknowledgement stops applying. */
  readonly expires: string;
}

export interface RotationSlotRecord {
  /** The stable name of the key in the rotation-state file. */
  readonly name: string;
  readonly slot: "blue" | "green";
  /** True for the slot the published secret points to. */
  readonly active: boolean;
}

export interface KeykitStackMetadata {
  readonly version: number;
  readonly tier: Tier;
}

export interface KeykitResourceMetadata {
  readonly version: number;
  /** The kit construct that created this resource, e.g. "ServiceAccountWithKey". */
  readonly construct: string;
  /** The construct path (stack-relative), stable across synths. */
  readonly path?: string;
  /** For a global key: every resource it serves (two or more distinct). */
  readonly serves?: readonly ScopeDescriptor[];
  /** For a blue/green slot. */
  readonly rotation?: RotationSlotRecord;
  /** Set when a development stack explicitly allowed a user-owned key. */
  readonly userOwner?: { readonly reason: string };
  readonly acknowledgements?: readonly AcknowledgementRecord[];
  /**
   * Where the user's code created the construct: `file` relative to the app's directory (the synth's working
   * directory, `/`-separated), 1-based `line`. Findings on the resource point there.
   */
  readonly origin?: { readonly file: string; readonly line: number };
}
