/**
 * The rules of `keykit audit`: the kit's rules that apply to an inventory (KK001 user-owned, KK004 maximum age,
 * KK008 unused service account, KK009 leftover keys) plus the rules that compare the inventory with the
 * configuration (KK101–KK104), the checks of the inventory itself (KK105 well-formed ids, KK106 exports that
 * agree) and the audit-log usage rules (KK107–KK109). KK002 is left out: inventory exports do not say what a
 * global key serves.
 */
import type { Rule } from "../rule";
import { ALL_RULES } from "./index";
import { ApiKeyManagedByConfiguration } from "./kk101-api-key-managed-by-configuration";
import { ApiKeyOwnerExists } from "./kk102-api-key-owner-exists";
import { RetiredRotationSlotDeleted } from "./kk103-retired-rotation-slot-deleted";
import { ConfiguredApiKeyExists } from "./kk104-configured-api-key-exists";
import { InventoryIdsWellFormed } from "./kk105-inventory-ids-well-formed";
import { InventoryFactsConsistent } from "./kk106-inventory-facts-consistent";
import { ApiKeyInUse } from "./kk107-api-key-in-use";
import { OldRotationSlotNoLongerUsed } from "./kk108-old-rotation-slot-no-longer-used";
import { NoAuthenticationWithRemovedKey } from "./kk109-no-authentication-with-removed-key";

export { ApiKeyManagedByConfiguration, ApiKeyOwnerExists, RetiredRotationSlotDeleted, ConfiguredApiKeyExists };
export { InventoryIdsWellFormed, InventoryFactsConsistent };
export { ApiKeyInUse, OldRotationSlotNoLongerUsed, NoAuthenticationWithRemovedKey };

/** Audit-only rules, in ID order. */
export const INVENTORY_COMPARISON_RULES: readonly Rule[] = [
  ApiKeyManagedByConfiguration,
  ApiKeyOwnerExists,
  RetiredRotationSlotDeleted,
  ConfiguredApiKeyExists,
  InventoryIdsWellFormed,
  InventoryFactsConsistent,
  ApiKeyInUse,
  OldRotationSlotNoLongerUsed,
  NoAuthenticationWithRemovedKey,
];

const NOT_FOR_INVENTORY = new Set(["KK002"]);

export const AUDIT_RULES: readonly Rule[] = [
  ...ALL_RULES.filter((r) => r.appliesTo.includes("inventory") && !NOT_FOR_INVENTORY.has(r.id)),
  ...INVENTORY_COMPARISON_RULES,
];
