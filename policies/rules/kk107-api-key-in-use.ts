import { type AuditLogFacts, type AuditedKey, coverageDaysOf } from "../inventory/audit-model";
import { isoTime, describeKey, keyFinding } from "../inventory/describe";
import type { Rule, RuleFinding } from "../rule";
import { PRACTICE_URLS, findingsPerAuditedKey } from "./common";

/**
 * Cleanup practice (audit logs): a key nobody authenticates with is unneeded. Only a long enough audit-log window
 * can say so: with less coverage the finding is an info that says how much is missing, never "unused".
 */
export const ApiKeyInUse: Rule = {
  id: "KK107",
  name: "ApiKeyInUse",
  severity: "warning",
  summary:
    "Every API key authenticated successfully within the audit-log window (at least --unused-days of coverage, default 30)",
  rationale:
    "A key that nothing uses is a secret that can leak with no benefit; the audit logs are the evidence of use, and a short window proves nothing, since a weekly or monthly job may use the key.",
  fix: "Delete an unused key (the cleanup script lists it as a live line when the configuration does not manage it, or remove it in code); for 'not enough coverage', replicate or export the audit log over more days and audit again.",
  helpUri: PRACTICE_URLS.auditLogs,
  acknowledgeable: "always",
  appliesTo: ["inventory"],
  check(_model, context) {
    const log = context.audit?.auditLog;
    if (!log) return [];
    return findingsPerAuditedKey(context, (k) => (k.usage?.lastSuccess !== undefined ? undefined : unused(k, log)));
  },
};

/** A key with no successful authentication: unused, or (with too short a window) not known to be used. */
function unused(k: AuditedKey, log: AuditLogFacts): RuleFinding {
  const days = coverageDaysOf(k, log) ?? 0;
  const failed = k.usage?.failures ? `; ${k.usage.failures} failed authentication(s)` : "";
  if (days < log.unusedDays) {
    return keyFinding(
      k,
      `${describeKey(k)}: not enough audit-log coverage (${days} days of ${log.unusedDays}) to tell whether it is used; no successful authentication in the window${failed}`,
      "info",
    );
  }
  const { earliest = 0, latest = 0 } = log.usage;
  return keyFinding(
    k,
    `${describeKey(k)} is unused: no successful authentication in ${days} days of audit log (${isoTime(earliest)} to ${isoTime(latest)})${failed}`,
  );
}
