import type { Rule, RuleFinding } from "../../rule";
import { ageText, auditOf, BEST_PRACTICES_URL, describeKey, keyFinding } from "./common";

/** KK102: keys in Confluent Cloud are owned by service accounts, not users. */
export const inventoryApiKeyOwnedByServiceAccount: Rule = {
  id: "KK102",
  name: "InventoryApiKeyOwnedByServiceAccount",
  severity: "error",
  summary: "Every API key in Confluent Cloud is owned by a service account",
  rationale:
    "A user-owned key dies with the user's account (and acts with all of the user's permissions); production workloads use service-account keys. User keys are for development only.",
  fix: "Replace it with a key owned by a service account, move the clients, then delete the user key (unmanaged ones are in the cleanup script).",
  helpUri: BEST_PRACTICES_URL,
  acknowledgeable: "always",
  appliesTo: ["inventory"],
  check(model) {
    const audit = auditOf(model);
    if (!audit) return [];
    const findings: RuleFinding[] = [];
    for (const k of audit.keys) {
      if (k.key.ownerKind !== "user") continue;
      const managed = k.managedBy ? ` (declared by ${k.managedBy.address}: fix it in the configuration)` : "";
      // A user key the configuration explicitly declares was allowed there (development); still worth a look.
      findings.push(
        keyFinding(
          k,
          `${describeKey(k)} is owned by a user, ${ageText(k)}${managed}`,
          k.managedBy ? "warning" : undefined,
        ),
      );
    }
    return findings;
  },
};
