import { ageText, describeKey, keyFinding } from "../inventory/describe";
import type { Rule } from "../rule";
import { API_KEYS_URL, findingsPerAuditedKey } from "./common";

/** Practice 3 (audit): a key whose owner service account was deleted is orphaned. */
export const ApiKeyOwnerExists: Rule = {
  id: "KK102",
  name: "ApiKeyOwnerExists",
  severity: "error",
  summary: "The owner of every service-account key in Confluent Cloud is in the service-account list",
  rationale:
    "A key whose owner service account is gone is orphaned: nobody is accountable for it and nothing should still use it.",
  fix: "Delete the key (cleanup script); if a client still needs access, create a key for an existing service account.",
  helpUri: API_KEYS_URL,
  acknowledgeable: "always",
  appliesTo: ["inventory"],
  check(_model, context) {
    return findingsPerAuditedKey(context, (k) =>
      k.ownerMissing
        ? keyFinding(
            k,
            `${describeKey(k)} is owned by service account ${k.key.ownerId}, which no longer exists; ${ageText(k)}`,
          )
        : undefined,
    );
  },
};
