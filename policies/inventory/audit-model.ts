/**
 * The audit's join of the live inventory (what exists in Confluent Cloud) with the desired state (what the
 * configuration manages) and the rotation-state file. Computed once, in linear time, so every audit rule is a
 * simple filter over these facts.
 */
import { DAY_MS } from "../dates";
import type { AcknowledgementRecord, Tier } from "../metadata";
import type { ApiKey, Grant, KeyScope, KeyScopeKind, KeykitModel, ServedResource, ServiceAccount } from "../model";
import { emptyModel } from "../model";
import type { AuditLogUsage, Coverage, CoverageKind, KeyUsage } from "./audit-log";
import type { Inventory, InventoryApiKey, InventoryResource, InventoryServiceAccount } from "./types";

/** An API key as the configuration declares it (from cdk.tf.json, state or plan). */
export interface ConfiguredKey {
  readonly address: string;
  readonly source: string;
  /** The Confluent key id: known from state/plan JSON only. */
  readonly id?: string;
  readonly description?: string;
  readonly displayName?: string;
  /** Literal owner id (sa-…/u-…) when known. */
  readonly ownerId?: string;
  /** Address of the configured service account that owns it, when written as a reference. */
  readonly ownerAddress?: string;
  readonly constructPath?: string;
  readonly rotation?: { readonly name: string; readonly slot: "blue" | "green" };
  /** Acknowledgements written in code on the construct: they apply to the key as it exists in Confluent too. */
  readonly acknowledgements?: readonly AcknowledgementRecord[];
  /** A development stack explicitly allowed a user owner (keykit metadata). */
  readonly userOwnerAllowed?: { readonly reason: string };
  /** What a global key serves (keykit metadata). */
  readonly serves?: readonly ServedResource[];
  /** A plan deletes it (a retired slot, a replaced key): still managed until the apply, never drift. */
  readonly pendingDelete?: boolean;
  /** The tier of the stack that declares it (`"//".keykit.tier`, else production). */
  readonly tier?: Tier;
}

export interface ConfiguredServiceAccount {
  readonly address: string;
  readonly source: string;
  readonly id?: string;
  readonly displayName?: string;
  readonly constructPath?: string;
}

export interface DesiredState {
  /** Every configuration input, for the report; empty when no --config was given. */
  readonly sources: readonly string[];
  readonly keys: readonly ConfiguredKey[];
  readonly serviceAccounts: readonly ConfiguredServiceAccount[];
  /** Principals that hold a role binding or ACL in the configuration: literal ids and/or configured addresses. */
  readonly grantPrincipals: readonly string[];
}

/** One slot of a blue/green key, from the rotation-state file (`keykit.rotation.json`). */
export interface RotationSlotFacts {
  readonly name: string;
  readonly slot: "blue" | "green";
  readonly status: "active" | "retained" | "retired";
  /** When the `rotate start` that created the slot was recorded (absent for the initial blue slot). */
  readonly createdAt?: string;
  readonly retiredAt?: string;
  /** When a `rotate start` stopped publishing the slot: its rotation started then. */
  readonly deactivatedAt?: string;
  /**
   * When `keykit verify` proved this retired slot's key gone (a "gone" proof in the rotation-state file, not
   * followed by a failed verify). Evidence for the cleanup script, for the key `verifiedKeyId` only.
   */
  readonly verifiedAt?: string;
  /** The key that proof is about: the audit cites it only for a key with exactly this id. */
  readonly verifiedKeyId?: string;
  /** The slot's key id, when some input (state/plan, the rotation-state file) recorded it. */
  readonly keyId?: string;
}

/** A slot that `keykit rotate finish` retired: its key should no longer exist in Confluent. */
export type RetiredSlot = RotationSlotFacts & { readonly status: "retired" };

/**
 * A key that exists in Confluent Cloud, joined with the configuration. It is also the model entity (address = the
 * Confluent id) the kit's inventory-aware rules judge: one object per key, not two.
 */
export interface AuditedKey extends ApiKey {
  readonly key: InventoryApiKey;
  /** The configured key it is (matched by id, else by description/display name). */
  readonly managedBy?: ConfiguredKey;
  /** Set when a configured key of the same owner could not be matched: this may be it, so it is never deleted. */
  readonly possiblyManagedBy?: ConfiguredKey;
  /** Owner is a service account that the (given) service-account list does not contain. */
  readonly ownerMissing: boolean;
  /** Days since creation at the evaluation time, when the creation date is known. */
  readonly ageDays?: number;
  /** The retired rotation slot this key is (or very likely is). */
  readonly retiredSlot?: RetiredSlot;
  /** The rotation slot this key is (a configured blue/green slot, or the retired one), from the rotation state. */
  readonly rotationSlot?: RotationSlotFacts;
  /** When the rotation that moved clients off this slot started, for a retained or retired slot (ISO). */
  readonly rotationStartedAt?: string;
  /** Its authentications in the given audit logs (undefined: none, or no audit log given). */
  readonly usage?: KeyUsage;
  /** The tier it is judged at: its stack's when matched to a configured key, else `--tier` (production). */
  readonly tier: Tier;
}

export interface AuditedServiceAccount {
  readonly account: InventoryServiceAccount;
  readonly managedBy?: ConfiguredServiceAccount;
}

export interface MissingKey {
  readonly configured: ConfiguredKey;
  /** True when matched by a known id (drift); false when only its description/name was looked for. */
  readonly byId: boolean;
}

export interface AuditFacts {
  readonly inventory: Inventory;
  readonly desired: DesiredState;
  readonly keys: readonly AuditedKey[];
  readonly serviceAccounts: readonly AuditedServiceAccount[];
  /** Configured keys with no counterpart in Confluent (only when an API-key list was given). */
  readonly missing: readonly MissingKey[];
  readonly maxAgeDays: number;
  readonly now: string;
  /** Usage from `--audit-log` files, when given. */
  readonly auditLog?: AuditLogFacts;
  /** What the role-binding, connector, Flink statement and ksqlDB exports say about service accounts. */
  readonly accounts: AccountEvidence;
}

/** The service-account exports of an audit (`--role-bindings`, `--connectors`, `--flink-statements`, `--ksqldb-clusters`). */
export interface AccountEvidence {
  /** Per account id with a role-binding export: the number of role bindings it shows (0: none). */
  readonly roleBindings: ReadonlyMap<string, number>;
  /** The usage exports given, and the accounts each shows running something. */
  readonly uses: readonly AccountUseExport[];
}

export interface AccountUseExport {
  /** What runs as an account: "connector", "Flink statement", "ksqlDB cluster". */
  readonly what: string;
  readonly files: readonly string[];
  readonly accounts: ReadonlySet<string>;
}

export const NO_ACCOUNT_EVIDENCE: AccountEvidence = { roleBindings: new Map(), uses: [] };

export interface AuditLogFacts {
  readonly usage: AuditLogUsage;
  /** A key needs this many days of coverage without a successful authentication to be called unused. */
  readonly unusedDays: number;
}

/** The model audit rules read: an inventory model carrying the join. */
export interface AuditModel extends KeykitModel {
  readonly kind: "inventory";
  readonly audit: AuditFacts;
}

export interface AuditOptions {
  readonly now: Date;
  /** The tier the organisation's keys are judged at (KK001 acknowledgements); default production. */
  readonly tier?: Tier;
  readonly maxAgeDays: number;
  /** Names the model in the report's inputs. */
  readonly source: string;
  /** Usage from audit logs, and the coverage a key needs to be called unused (default 30 days). */
  readonly auditLog?: AuditLogUsage;
  readonly unusedDays?: number;
  readonly accounts?: AccountEvidence;
}

/** At least a rotation period: a key a quarterly job uses is never "unused" by default. */
export const DEFAULT_UNUSED_DAYS = 90;

const SKEW_MS = 5 * 60_000;

/** Joins inventory, desired state and retired slots into the model the audit rules evaluate. */
export function buildAuditModel(
  inventory: Inventory,
  desired: DesiredState,
  rotationSlots: readonly RotationSlotFacts[],
  options: AuditOptions,
): AuditModel {
  const nowMs = options.now.getTime();
  const configured = desired.sources.length > 0;
  const accounts = matchServiceAccounts(inventory, desired);
  const ownerIdOf = (c: ConfiguredKey): string | undefined =>
    c.ownerId ?? (c.ownerAddress !== undefined ? accounts.idOfAddress.get(c.ownerAddress) : undefined);
  const matched = matchKeys(inventory, desired, rotationSlots, ownerIdOf);
  const retired = retiredSlotIndex(desired, rotationSlots, ownerIdOf);
  const slots = rotationSlotIndex(rotationSlots);
  const defaultTier: Tier = options.tier ?? "production";
  const usageOf = options.auditLog?.keys;

  // The inventory as model entities, so the kit's inventory-aware rules (KK001, KK004, KK008, KK009) judge the
  // keys that exist exactly as they judge configured ones. Scope and owner objects are shared between keys.
  // Single-resource keys share the builder's resource objects, so scopes are indexed by that object.
  const scopes = new Map<InventoryResource, KeyScope>();
  const owners = new Map<string, ApiKey["owner"]>();
  const inventoryKeys = inventory.apiKeys;
  const keys: AuditedKey[] = new Array(inventoryKeys.length);
  for (let i = 0; i < inventoryKeys.length; i++) {
    const key = inventoryKeys[i];
    const managedBy = matched.managedAt[i];
    const created = key.createdAt !== undefined ? Date.parse(key.createdAt) : NaN;
    const resource = key.resources.length === 1 ? key.resources[0] : undefined;
    let scope = resource !== undefined ? scopes.get(resource) : undefined;
    if (!scope) {
      scope = scopeOf(key.resources);
      if (resource !== undefined) scopes.set(resource, scope);
    }
    let owner = owners.get(key.ownerId);
    if (!owner) owners.set(key.ownerId, (owner = { kind: key.ownerKind, id: key.ownerId, key: key.ownerId }));
    const retiredSlot = retired.slotOf(key, created, managedBy !== undefined);
    const rotationSlot =
      (managedBy?.rotation ? slots.get(`${managedBy.rotation.name}/${managedBy.rotation.slot}`) : undefined) ??
      retiredSlot;
    keys[i] = {
      address: key.id,
      id: key.id,
      displayName: key.displayName,
      owner,
      scope,
      serves: managedBy?.serves ?? servedResources(key.resources),
      createdAt: key.createdAt,
      userOwnerAllowed: managedBy?.userOwnerAllowed
        ? { ...managedBy.userOwnerAllowed, declaredIn: managedBy.source }
        : undefined,
      location: itemLocation(inventory, key.sources[0], key.id, managedBy?.constructPath),
      acknowledgements: managedBy?.acknowledgements ?? NO_ACKNOWLEDGEMENTS,
      key,
      managedBy,
      possiblyManagedBy: !managedBy && configured ? matched.unmatchedByOwner.get(key.ownerId) : undefined,
      ownerMissing:
        inventory.listedServiceAccounts && key.ownerKind === "service-account" && !accounts.byId.has(key.ownerId),
      ageDays: Number.isNaN(created) ? undefined : Math.floor((nowMs - created) / DAY_MS),
      retiredSlot,
      rotationSlot,
      rotationStartedAt: rotationSlot ? rotationStartOf(rotationSlot, slots) : undefined,
      usage: usageOf?.get(key.id),
      tier: managedBy?.tier ?? defaultTier,
    };
  }
  const serviceAccounts: AuditedServiceAccount[] = inventory.serviceAccounts.map((account) => ({
    account,
    managedBy: accounts.managed.get(account.id),
  }));

  // Role bindings and ACLs as the configuration declares them, by literal id and by configured address, and the
  // role bindings the role-binding exports show.
  const evidence = options.accounts ?? NO_ACCOUNT_EVIDENCE;
  const granted = new Set<string>();
  for (const principal of desired.grantPrincipals) {
    granted.add(principal);
    const id = accounts.idOfAddress.get(principal);
    if (id !== undefined) granted.add(id);
  }
  for (const [id, bindings] of evidence.roleBindings) if (bindings > 0) granted.add(id);

  // Without the key list every service account would look unused (KK008), and end up in the cleanup script. An
  // account that runs a connector, a Flink statement or a ksqlDB cluster, or acts in the audit log, is in use.
  const inUse = (id: string) =>
    evidence.uses.some((u) => u.accounts.has(id)) || options.auditLog?.principals.has(id) === true;
  const judged = inventory.listedApiKeys ? serviceAccounts.filter((a) => !inUse(a.account.id)) : [];
  const entities: ServiceAccount[] = judged.map((a) => ({
    address: a.account.id,
    id: a.account.id,
    displayName: a.account.displayName,
    location: itemLocation(inventory, a.account.sources[0], a.account.id, a.managedBy?.constructPath),
    acknowledgements: NO_ACKNOWLEDGEMENTS,
  }));
  const grants: Grant[] = [...granted].map((principal) => ({
    address: `grant:${principal}`,
    kind: "role-binding",
    principalKey: principal,
    location: { address: principal },
    acknowledgements: NO_ACKNOWLEDGEMENTS,
  }));

  return {
    ...emptyModel("inventory", options.source, options.tier ?? "production"),
    apiKeys: keys,
    serviceAccounts: entities,
    grants,
    audit: {
      inventory,
      desired,
      keys,
      serviceAccounts,
      missing: matched.missing,
      maxAgeDays: options.maxAgeDays,
      now: options.now.toISOString(),
      ...(options.auditLog
        ? { auditLog: { usage: options.auditLog, unusedDays: options.unusedDays ?? DEFAULT_UNUSED_DAYS } }
        : {}),
      accounts: evidence,
    },
  } as AuditModel;
}

/** Configured service accounts matched to inventory ones: by id, else by display name (unique in an organisation). */
function matchServiceAccounts(inventory: Inventory, desired: DesiredState) {
  const byId = new Map<string, InventoryServiceAccount>();
  const byName = new Map<string, InventoryServiceAccount>();
  for (const account of inventory.serviceAccounts) {
    byId.set(account.id, account);
    if (account.displayName) byName.set(account.displayName, account);
  }
  const managed = new Map<string, ConfiguredServiceAccount>(); // inventory id → configured
  const idOfAddress = new Map<string, string>(); // configured address → id
  for (const sa of desired.serviceAccounts) {
    const found =
      (sa.id !== undefined ? byId.get(sa.id) : undefined) ?? (sa.displayName ? byName.get(sa.displayName) : undefined);
    const id = found?.id ?? sa.id;
    if (id !== undefined) idOfAddress.set(sa.address, id);
    if (found) managed.set(found.id, sa);
  }
  return { byId, managed, idOfAddress };
}

/**
 * Configured keys matched to inventory keys: by id first, then by description, then by display name; an owner
 * known on both sides must agree. `managedAt[i]` is the configured key inventory key i is.
 */
function matchKeys(
  inventory: Inventory,
  desired: DesiredState,
  rotationSlots: readonly RotationSlotFacts[],
  ownerIdOf: (c: ConfiguredKey) => string | undefined,
) {
  const inventoryKeys = inventory.apiKeys;
  const keyIndex = new Map<string, number>();
  const keysByDescription = new Map<string, number | number[]>();
  const keysByDisplayName = new Map<string, number | number[]>();
  // The name indexes serve configured keys without an id (cdk.tf.json): with a state or plan, skip them.
  const needNames = desired.keys.some((c) => c.id === undefined);
  for (let i = 0; i < inventoryKeys.length; i++) {
    const key = inventoryKeys[i];
    keyIndex.set(key.id, i);
    if (!needNames) continue;
    if (key.description) addIndex(keysByDescription, key.description, i);
    if (key.displayName) addIndex(keysByDisplayName, key.displayName, i);
  }

  // Blue/green slots share a description (only the display name tells them apart, and the CLI does not show
  // it): the newest slot takes the keys created after its `rotate start`, older slots take what remains, and an
  // older key nobody takes is a retired slot's leftover.
  const startedAt = new Map<string, number>();
  for (const slot of rotationSlots) {
    // `rotate start` is recorded before the apply creates the key; allow some clock skew.
    if (slot.createdAt !== undefined) startedAt.set(`${slot.name}/${slot.slot}`, Date.parse(slot.createdAt) - SKEW_MS);
  }
  const windows = new Map<ConfiguredKey, number>();
  for (const c of desired.keys) {
    if (c.rotation) windows.set(c, startedAt.get(`${c.rotation.name}/${c.rotation.slot}`) ?? -Infinity);
  }
  const windowed = [...windows.keys()].sort((x, y) => (windows.get(y) as number) - (windows.get(x) as number) || 0);
  const ordered = windowed.length === 0 ? desired.keys : [...windowed, ...desired.keys.filter((c) => !windows.has(c))];

  const managedAt: (ConfiguredKey | undefined)[] = new Array(inventoryKeys.length);
  const missing: MissingKey[] = [];
  const unmatchedByOwner = new Map<string, ConfiguredKey>();
  for (const c of ordered) {
    if (c.id !== undefined) {
      const found = keyIndex.get(c.id);
      if (found !== undefined) managedAt[found] = c;
      else if (inventory.listedApiKeys && !c.pendingDelete) missing.push({ configured: c, byId: true });
      continue;
    }
    const owner = ownerIdOf(c);
    const after = windows.get(c) ?? -Infinity;
    const fits = (i: number) => {
      const k = inventoryKeys[i];
      return (
        managedAt[i] === undefined &&
        (owner === undefined || k.ownerId === owner) &&
        (!k.displayName || !c.displayName || k.displayName === c.displayName) &&
        (after === -Infinity || k.createdAt === undefined || Date.parse(k.createdAt) >= after)
      );
    };
    // Several keys fit: a replaced key left behind, or copies. All are treated as managed (never deleted behind
    // the configuration's back); the configuration decides.
    let matched = c.description ? claim(keysByDescription.get(c.description), fits, managedAt, c) : 0;
    if (matched === 0 && c.displayName) matched = claim(keysByDisplayName.get(c.displayName), fits, managedAt, c);
    if (matched === 0) {
      if (inventory.listedApiKeys) missing.push({ configured: c, byId: false });
      if (owner !== undefined) unmatchedByOwner.set(owner, c);
    }
  }
  return { managedAt, missing, unmatchedByOwner };
}

/**
 * Retired slots, found by recorded id, else as an unmanaged key of the surviving sibling's owner and description
 * that was created before the slot was retired (a service account holds both slots during a rotation).
 */
function retiredSlotIndex(
  desired: DesiredState,
  rotationSlots: readonly RotationSlotFacts[],
  ownerIdOf: (c: ConfiguredKey) => string | undefined,
) {
  const byId = new Map<string, RetiredSlot>();
  const byOwner = new Map<string, { slot: RetiredSlot; description?: string }[]>();
  for (const slot of rotationSlots) {
    if (slot.status !== "retired") continue;
    const retired = slot as RetiredSlot;
    if (slot.keyId !== undefined) {
      byId.set(slot.keyId, retired);
      continue;
    }
    for (const c of desired.keys) {
      if (c.rotation?.name !== slot.name || c.rotation.slot === slot.slot) continue;
      const owner = ownerIdOf(c);
      if (owner !== undefined) push(byOwner, owner, { slot: retired, description: c.description });
    }
  }
  const slotOf = (key: InventoryApiKey, created: number, managed: boolean): RetiredSlot | undefined => {
    const known = byId.size > 0 ? byId.get(key.id) : undefined;
    if (known || managed || byOwner.size === 0) return known;
    return (byOwner.get(key.ownerId) ?? []).find(
      ({ slot, description }) =>
        (description === undefined || key.description === undefined || key.description === description) &&
        (Number.isNaN(created) || slot.retiredAt === undefined || created <= Date.parse(slot.retiredAt)),
    )?.slot;
  };
  return { slotOf };
}

const NO_ACKNOWLEDGEMENTS: readonly AcknowledgementRecord[] = [];

/** Rotation slots by `name/slot`. */
function rotationSlotIndex(rotationSlots: readonly RotationSlotFacts[]): Map<string, RotationSlotFacts> {
  const index = new Map<string, RotationSlotFacts>();
  for (const slot of rotationSlots) index.set(`${slot.name}/${slot.slot}`, slot);
  return index;
}

/**
 * When clients were asked to move off a retained or retired slot: the `start` that stopped publishing it (its
 * deactivation, else the sibling slot's creation), else its retirement. Undefined for the published slot.
 */
function rotationStartOf(slot: RotationSlotFacts, slots: ReadonlyMap<string, RotationSlotFacts>): string | undefined {
  if (slot.status === "active") return undefined;
  const sibling = slots.get(`${slot.name}/${slot.slot === "blue" ? "green" : "blue"}`);
  return slot.deactivatedAt ?? sibling?.createdAt ?? slot.retiredAt;
}

/** How much of one resource's audit-log coverage speaks for a key (or an account). */
export interface ResourceCoverageOfKey {
  /** "kafka lkc-1", "the Cloud API", … */
  readonly resource: string;
  /** Days of the resource's latest unbroken stretch of records, from the key's creation on; 0 when not usable. */
  readonly days: number;
  readonly from?: number;
  readonly to?: number;
  /** Why the resource gives no coverage: the log never speaks for it, or its records end long before now. */
  readonly problem?: "uncovered" | "stale";
}

/** The coverage that speaks for a key: every resource it serves must be covered; the least coverage counts. */
export interface KeyCoverage {
  readonly days: number;
  readonly resources: readonly ResourceCoverageOfKey[];
  /** Resources the log never speaks for (for a global key whose resources are unknown: that fact). */
  readonly uncovered: readonly string[];
}

/**
 * The audit-log coverage of a key's resources (undefined without an audit log). Coverage is the resource's latest
 * unbroken stretch of trusted records (no silence longer than the log's gap), from the key's creation (a key made
 * yesterday cannot have been used last month), and it must reach the evaluation time: an old export says nothing
 * about today.
 */
export function keyCoverage(k: AuditedKey, log: AuditLogFacts | undefined): KeyCoverage | undefined {
  if (!log) return undefined;
  const created = k.key.createdAt !== undefined ? Date.parse(k.key.createdAt) : NaN;
  const resources: ResourceCoverageOfKey[] = [];
  const uncovered: string[] = [];
  for (const target of coverageTargets(k)) {
    const coverage = target.kind !== undefined ? log.usage.coverage.get(`${target.kind}:${target.id}`) : undefined;
    if (!coverage) {
      uncovered.push(target.label);
      resources.push({ resource: target.label, days: 0, problem: "uncovered" });
    } else resources.push({ resource: target.label, ...latestStretch(coverage, created, log.usage) });
  }
  const days = resources.length === 0 ? 0 : Math.min(...resources.map((r) => r.days));
  return { days, resources, uncovered };
}

/** Coverage of the whole log (any resource) from `createdAt` on: what speaks for a service account. */
export function overallCoverage(log: AuditLogFacts, createdAt: string | undefined): ResourceCoverageOfKey {
  const created = createdAt !== undefined ? Date.parse(createdAt) : NaN;
  if (log.usage.overall.starts.length === 0) return { resource: "the audit log", days: 0, problem: "uncovered" };
  return { resource: "the audit log", ...latestStretch(log.usage.overall, created, log.usage) };
}

/** The latest unbroken stretch of a resource's records, clipped to start at `created`; stale when it ends early. */
function latestStretch(
  coverage: Coverage,
  created: number,
  usage: AuditLogUsage,
): Omit<ResourceCoverageOfKey, "resource"> {
  const last = coverage.starts.length - 1;
  const to = coverage.ends[last];
  const from = Number.isNaN(created) ? coverage.starts[last] : Math.max(coverage.starts[last], created);
  if (usage.now - to > usage.maxGapMs) return { days: 0, from, to, problem: "stale" };
  return { days: Math.max(0, Math.floor(((to - from) / DAY_MS) * 10) / 10), from, to };
}

/** The resources a key's use would show on, with their coverage kind (undefined: no audit log speaks for it). */
function coverageTargets(k: AuditedKey): { kind?: CoverageKind; id: string; label: string }[] {
  const kind = k.scope.kind;
  if (kind === "cloud") return [{ kind: "cloud", id: "cloud", label: "the Cloud API" }];
  if (kind === "global") {
    const served = k.serves ?? [];
    if (served.length === 0) return [{ id: "", label: "the resources of a global key (not known)" }];
    const targets = new Map(served.map((r) => [`${r.kind} ${r.id}`, target(r.kind, r.id)]));
    return [...targets.values()];
  }
  return [target(kind, k.scope.id ?? "")];
}

function target(kind: string, id: string): { kind?: CoverageKind; id: string; label: string } {
  const label = id === "" ? `${kind} (id unknown)` : `${kind} ${id}`;
  const covered = kind === "kafka" || kind === "schema-registry" || kind === "ksqldb" || kind === "flink";
  if (kind === "cloud") return { kind: "cloud", id: "cloud", label: "the Cloud API" };
  return covered && id !== "" ? { kind, id, label } : { id, label };
}

function scopeOf(resources: readonly InventoryResource[]): KeyScope {
  const real = resources.length === 1 ? resources : resources.filter((r) => r.kind !== "unknown" || r.id !== "");
  const kind: KeyScopeKind = real.length > 1 ? "global" : (real[0]?.kind ?? "unknown");
  const id = kind === "global" ? "global" : kind === "cloud" ? "cloud" : real[0]?.id || undefined;
  return { kind, ...(id !== undefined ? { id, key: `${kind}:${id}` } : {}) };
}

function servedResources(resources: readonly InventoryResource[]): ServedResource[] | undefined {
  if (resources.length < 2) return undefined;
  const served: ServedResource[] = [];
  for (const r of resources) {
    if (r.kind === "global" || r.kind === "unknown" || r.id === "") continue;
    served.push({ kind: r.kind, id: r.id });
  }
  return served.length > 1 ? served : undefined;
}

/** Name → index, or indexes when several keys share the name (one array per collision, not per key). */
function addIndex(map: Map<string, number | number[]>, name: string, index: number): void {
  const known = map.get(name);
  if (known === undefined) map.set(name, index);
  else if (typeof known === "number") map.set(name, [known, index]);
  else known.push(index);
}

/** Marks every fitting candidate as managed by `c`; returns how many. */
function claim(
  candidates: number | number[] | undefined,
  fits: (index: number) => boolean,
  managedAt: (ConfiguredKey | undefined)[],
  c: ConfiguredKey,
): number {
  if (candidates === undefined) return 0;
  if (typeof candidates === "number") {
    if (!fits(candidates)) return 0;
    managedAt[candidates] = c;
    return 1;
  }
  const fitting = candidates.filter(fits); // decide all before marking: fits() reads managedAt
  for (const i of fitting) managedAt[i] = c;
  return fitting.length;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** An audited item's location: the export file it came from, its line there, the construct managing it. */
function itemLocation(inventory: Inventory, file: string | undefined, id: string, constructPath: string | undefined) {
  const line = file !== undefined ? inventory.lineOf?.(file, id) : undefined;
  return {
    file,
    address: id,
    constructPath,
    ...(line !== undefined ? { line } : {}),
  };
}
