import { type AuditLogFacts, type AuditedKey, type KeyCoverage, keyCoverage } from "../inventory/audit-model";
import { isoTime, describeKey, keyFinding } from "../inventory/describe";
import type { Rule, RuleFinding } from "../rule";
import { PRACTICE_URLS, findingsPerAuditedKey } from "./common";

/**
 * Cleanup practice (audit logs): a key nobody authenticates with is unneeded. Only the audit log of the key's own
 * resource, over a long enough unbroken stretch, can say so: a key whose resource the log never speaks for, or with
 * less coverage, gets an info that says what is missing, never "unused".
 */
export const ApiKeyInUse: Rule = {
  id: "KK107",
  name: "ApiKeyInUse",
  severity: "warning",
  summary:
    "Every API key authenticated successfully within the audit-log coverage of its own resource (at least --unused-days of it, default 90)",
  rationale:
    "A key that nothing uses is a secret that can leak with no benefit; the audit logs are the evidence of use, but only the records of the key's own resource (its Kafka cluster, Schema Registry, Flink region, ksqlDB cluster or the Cloud API) speak for it, and a short or broken window proves nothing, since a monthly or quarterly job may use the key.",
  fix: "Delete an unused key (the cleanup script lists it as a live line when the configuration does not manage it, or remove it in code); for 'not enough coverage' or 'no audit-log coverage', replicate or export the audit log of that resource over more days and audit again.",
  helpUri: PRACTICE_URLS.auditLogs,
  acknowledgeable: "always",
  appliesTo: ["inventory"],
  check(_model, context) {
    const log = context.audit?.auditLog;
    if (!log) return [];
    return findingsPerAuditedKey(context, (k) => (k.usage?.successes ? undefined : unused(k, log)));
  },
};

/** A key with no successful authentication: unused, or (without enough coverage) not known to be used. */
function unused(k: AuditedKey, log: AuditLogFacts): RuleFinding {
  const coverage = keyCoverage(k, log) as KeyCoverage;
  const failed = k.usage?.failures ? `; ${k.usage.failures} failed authentication(s)` : "";
  if (coverage.uncovered.length > 0)
    return keyFinding(
      k,
      `${describeKey(k)}: no audit-log coverage for ${coverage.uncovered.join(", ")}: the log cannot tell whether it is used${failed}`,
      "info",
    );
  const stale = coverage.resources.find((r) => r.problem === "stale");
  if (stale)
    return keyFinding(
      k,
      `${describeKey(k)}: the audit log of ${stale.resource} ends at ${isoTime(stale.to ?? 0)}, more than the allowed gap before the evaluation time: it cannot tell whether the key is used now${failed}`,
      "info",
    );
  if (coverage.days < log.unusedDays)
    return keyFinding(
      k,
      `${describeKey(k)}: not enough audit-log coverage (${coverage.days} days of ${log.unusedDays}; ${stretches(coverage)}) to tell whether it is used; no successful authentication in the window${failed}`,
      "info",
    );
  return keyFinding(
    k,
    `${describeKey(k)} is unused: no successful authentication in ${coverage.days} days of audit log (${stretches(coverage)})${failed}`,
  );
}

/** "kafka lkc-1 2026-04-20T00:00:00Z to 2026-05-31T00:00:00Z", per resource. */
function stretches(coverage: KeyCoverage): string {
  return coverage.resources.map((r) => `${r.resource} ${isoTime(r.from ?? 0)} to ${isoTime(r.to ?? 0)}`).join(", ");
}
