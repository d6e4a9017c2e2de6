import { ageText, describeKey, keyFinding } from "../inventory/describe";
import type { Rule } from "../rule";
import { PRACTICE_URLS, findingsPerAuditedKey } from "./common";

/** Practice 4 (audit): after `keykit rotate finish` and the apply, the old key is verified gone. */
export const RetiredRotationSlotDeleted: Rule = {
  id: "KK103",
  name: "RetiredRotationSlotDeleted",
  severity: "error",
  summary: "The key of a rotation slot retired by `keykit rotate finish` no longer exists in Confluent Cloud",
  rationale:
    "A rotation ends with deleting the old key and verifying it is gone; an old key that survives keeps a possibly leaked secret valid.",
  fix: "Plan the configuration, `keykit check` the plan, and apply the reviewed plan so the retired slot is destroyed; if it still exists afterwards, delete it (cleanup script) and audit again.",
  helpUri: PRACTICE_URLS.rotate,
  acknowledgeable: "always",
  appliesTo: ["inventory"],
  check(_model, context) {
    return findingsPerAuditedKey(context, (k) => {
      const slot = k.retiredSlot;
      if (!slot) return undefined;
      const when = slot.retiredAt ? ` on ${slot.retiredAt}` : "";
      const how = slot.keyId !== undefined ? "" : " (matched by owner, description and creation date)";
      const still = k.managedBy ? `; still declared by ${k.managedBy.address}: apply the configuration` : "";
      return keyFinding(
        k,
        `${describeKey(k)} is the ${slot.slot} slot of '${slot.name}', retired${when}${how}, but still exists; ${ageText(k)}${still}`,
      );
    });
  },
};
