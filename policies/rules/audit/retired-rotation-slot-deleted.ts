import type { Rule, RuleFinding } from "../../rule";
import { ageText, auditOf, BEST_PRACTICES_URL, describeKey, keyFinding } from "./common";

/** KK106: after `keykit rotate finish`, the retired slot's key is gone from Confluent Cloud. */
export const retiredRotationSlotDeleted: Rule = {
  id: "KK106",
  name: "RetiredRotationSlotDeleted",
  severity: "error",
  summary: "The key of a rotation slot retired by `keykit rotate finish` no longer exists in Confluent Cloud",
  rationale:
    "Rotation ends with deleting the old key and verifying it is gone; an old key that survives keeps a possibly leaked secret valid.",
  fix: "Apply the configuration (cdktf deploy) so the retired slot is destroyed; if it still exists afterwards, delete it (cleanup script) and re-run the audit.",
  helpUri: BEST_PRACTICES_URL,
  acknowledgeable: "always",
  appliesTo: ["inventory"],
  check(model) {
    const audit = auditOf(model);
    if (!audit) return [];
    const findings: RuleFinding[] = [];
    for (const k of audit.keys) {
      const slot = k.retiredSlot;
      if (!slot) continue;
      const when = slot.retiredAt ? ` on ${slot.retiredAt}` : "";
      const how = slot.keyId !== undefined ? "" : " (matched by owner and creation date)";
      const still = k.managedBy ? `; still declared by ${k.managedBy.address}: apply the configuration` : "";
      findings.push(
        keyFinding(
          k,
          `${describeKey(k)} is the ${slot.slot} slot of '${slot.name}', retired${when}${how}, but still exists; ${ageText(k)}${still}`,
        ),
      );
    }
    return findings;
  },
};
