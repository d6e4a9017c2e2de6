import { describeKey, isoTime, keyFinding } from "../inventory/describe";
import type { Rule } from "../rule";
import { PRACTICE_URLS, findingsPerAuditedKey } from "./common";

/**
 * Rotation practice ("verify the old key was deleted"): failed authentications with a deleted or retired key id
 * mean a client still holds the old key, and is failing or about to.
 */
export const NoAuthenticationWithRemovedKey: Rule = {
  id: "KK109",
  name: "NoAuthenticationWithRemovedKey",
  severity: "warning",
  summary: "No client fails to authenticate with a deleted key id or a retired rotation slot",
  rationale:
    "A failed authentication with a key that was deleted (or retired by a rotation) comes from a client that still holds the old key: it is down, or it will be when the key goes.",
  fix: "Find the client (audit-log client address, the key id) and make it read the published secret; then audit again with a fresh audit log.",
  helpUri: PRACTICE_URLS.auditLogs,
  acknowledgeable: "always",
  appliesTo: ["inventory"],
  check(_model, context) {
    const audit = context.audit;
    const log = audit?.auditLog;
    if (!audit || !log) return [];
    const out = findingsPerAuditedKey(context, (k) => {
      const failed = k.usage?.lastFailure;
      const slot = k.retiredSlot;
      if (!slot || failed === undefined) return undefined;
      if (slot.retiredAt !== undefined && failed <= Date.parse(slot.retiredAt)) return undefined;
      return keyFinding(
        k,
        `${describeKey(k)}, the retired ${slot.slot} slot of '${slot.name}', had ${k.usage?.failures} failed authentication(s), the last at ${isoTime(failed)}: a client still holds the old key`,
      );
    });
    // Ids in the log but not in the key list: deleted (or never valid). Without the key list nothing can be said.
    if (!audit.inventory.listedApiKeys) return out;
    const existing = new Set(audit.keys.map((k) => k.key.id));
    const file = log.usage.files[0];
    for (const [id, usage] of log.usage.keys) {
      if (existing.has(id) || usage.lastFailure === undefined) continue;
      // A success after the last failure: the failures were before the key was deleted, not a stale client.
      if (usage.lastSuccess !== undefined && usage.lastSuccess > usage.lastFailure) continue;
      out.push({
        subject: id,
        location: { file, address: id },
        message: `API key ${id} is not in the key list (deleted, or never valid) but had ${usage.failures} failed authentication(s), the last at ${isoTime(usage.lastFailure)}: a client still holds a deleted key`,
      });
    }
    return out;
  },
};
