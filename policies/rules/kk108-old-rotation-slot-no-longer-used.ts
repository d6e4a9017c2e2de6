import { describeKey, isoTime, keyFinding } from "../inventory/describe";
import type { Rule } from "../rule";
import { PRACTICE_URLS, findingsPerAuditedKey } from "./common";

/**
 * Rotation practice ("verify the new API key is working properly" before deleting the old one): once a rotation
 * started, clients move to the published slot. A retained or retired slot that still authenticates after that
 * means some client has not moved: deleting it is an outage.
 */
export const OldRotationSlotNoLongerUsed: Rule = {
  id: "KK108",
  name: "OldRotationSlotNoLongerUsed",
  severity: "error",
  summary:
    "No client authenticates with a retained or retired rotation slot after its rotation started (warning while rotating, error after finish)",
  rationale:
    "A rotation is only done when every client uses the new key; a slot that still authenticates after `rotate start` is still needed, and deleting it (apply after `rotate finish`) breaks those clients.",
  fix: "Find the clients still using the old key (audit-log client addresses), make them read the published secret, and wait until the old slot is quiet before `keykit rotate finish` and the apply; after finish, restore access or move the clients at once.",
  helpUri: PRACTICE_URLS.rotate,
  acknowledgeable: "always",
  appliesTo: ["inventory"],
  check(_model, context) {
    if (!context.audit?.auditLog) return [];
    return findingsPerAuditedKey(context, (k) => {
      const slot = k.rotationSlot;
      const last = k.usage?.lastSuccess;
      if (!slot || slot.status === "active" || last === undefined || k.rotationStartedAt === undefined)
        return undefined;
      if (last <= Date.parse(k.rotationStartedAt)) return undefined;
      const retired = slot.status === "retired";
      const phase = retired
        ? `retired by 'rotate finish'${slot.retiredAt ? ` on ${slot.retiredAt}` : ""}`
        : "retained while the rotation is under way";
      return keyFinding(
        k,
        `${describeKey(k)} is the ${slot.slot} slot of '${slot.name}', ${phase}, but authenticated successfully at ${isoTime(last)}, after the rotation started (${k.rotationStartedAt}): clients have not moved to the published slot`,
        retired ? "error" : "warning",
      );
    });
  },
};
