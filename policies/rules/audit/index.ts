/**
 * The rules of `keykit audit` (KK101–KK107): they compare the live inventory with the configuration and say
 * nothing about other models, so `keykit check` does not run them.
 */
import type { Rule } from "../../rule";
import { apiKeyManagedByConfiguration } from "./api-key-managed-by-configuration";
import { apiKeyOwnerExists } from "./api-key-owner-exists";
import { apiKeyYoungerThanMaxAge } from "./api-key-younger-than-max-age";
import { configuredApiKeyExists } from "./configured-api-key-exists";
import { inventoryApiKeyOwnedByServiceAccount } from "./api-key-owned-by-service-account";
import { retiredRotationSlotDeleted } from "./retired-rotation-slot-deleted";
import { serviceAccountInUse } from "./service-account-in-use";

export const AUDIT_RULES: readonly Rule[] = [
  apiKeyManagedByConfiguration,
  inventoryApiKeyOwnedByServiceAccount,
  apiKeyYoungerThanMaxAge,
  serviceAccountInUse,
  apiKeyOwnerExists,
  retiredRotationSlotDeleted,
  configuredApiKeyExists,
];
