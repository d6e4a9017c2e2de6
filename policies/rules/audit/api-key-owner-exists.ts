import type { Rule, RuleFinding } from "../../rule";
import { ageText, auditOf, describeKey, keyFinding, MANAGE_KEYS_URL } from "./common";

/** KK105: a key's owner service account still exists. */
export const apiKeyOwnerExists: Rule = {
  id: "KK105",
  name: "ApiKeyOwnerExists",
  severity: "error",
  summary: "Every service-account-owned API key's owner exists in the service-account list",
  rationale:
    "A key whose owner service account is gone is orphaned: nobody is accountable for it and nothing should still use it.",
  fix: "Delete the key (cleanup script); if a client still needs access, create a key for an existing service account.",
  helpUri: MANAGE_KEYS_URL,
  acknowledgeable: "always",
  appliesTo: ["inventory"],
  check(model) {
    const audit = auditOf(model);
    if (!audit) return [];
    const findings: RuleFinding[] = [];
    for (const k of audit.keys) {
      if (!k.ownerMissing) continue;
      findings.push(
        keyFinding(
          k,
          `${describeKey(k)} is owned by service account ${k.key.ownerId}, which no longer exists; ${ageText(k)}`,
        ),
      );
    }
    return findings;
  },
};
