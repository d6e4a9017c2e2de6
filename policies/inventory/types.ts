/**
 * The live inventory of a Confluent Cloud organisation, normalised from any mix of CLI exports and
 * Cloud API list responses. Secrets are never part of it: the loaders copy named fields only, so a
 * `secret` in an export is dropped at load time.
 */

/** What an API key is scoped to; "global" keys serve several resources, "unknown" is kept for the report. */
export type InventoryResourceKind =
  "kafka" | "schema-registry" | "ksqldb" | "flink" | "tableflow" | "cloud" | "global" | "unknown";

export interface InventoryResource {
  readonly kind: InventoryResourceKind;
  /** lkc-…, lsrc-…, lksqlc-…, <cloud>.<region>, "global", "cloud"… ("" when the export has none). */
  readonly id: string;
}

export type OwnerKind = "service-account" | "user" | "unknown";

export interface InventoryApiKey {
  readonly id: string;
  readonly ownerId: string;
  readonly ownerKind: OwnerKind;
  /** Every resource the key was listed for (the CLI lists a key once per resource). */
  readonly resources: readonly InventoryResource[];
  /** ISO timestamp of creation, when the export has one. */
  readonly createdAt?: string;
  readonly displayName?: string;
  readonly description?: string;
  /** The export files (or "live") the key came from, for messages. */
  readonly sources: readonly string[];
  /** Facts the exports disagree on (KK106); such a key is never in the cleanup script. */
  readonly conflicts?: readonly InventoryConflict[];
}

/** One fact of a key that two exports (or two rows of one) give different values for. */
export interface InventoryConflict {
  readonly fact: "owner" | "scope" | "created";
  /** Each value with the files that gave it; sorted by value, files sorted: the same in any file order. */
  readonly values: readonly { readonly value: string; readonly sources: readonly string[] }[];
}

export interface InventoryServiceAccount {
  readonly id: string;
  readonly displayName?: string;
  readonly description?: string;
  readonly createdAt?: string;
  readonly sources: readonly string[];
}

export interface Inventory {
  readonly apiKeys: readonly InventoryApiKey[];
  readonly serviceAccounts: readonly InventoryServiceAccount[];
  /**
   * Whether an API-key list / a service-account list was given at all: without the service-account list
   * "owner no longer exists" cannot be judged, without the key list "service account unused" cannot.
   */
  readonly listedApiKeys: boolean;
  readonly listedServiceAccounts: boolean;
  /** The line of an item (key or service account id) in an export file it came from, when known. */
  readonly lineOf?: (file: string, id: string) => number | undefined;
}
