import type { Rule, RuleFinding } from "../../rule";
import { auditOf, BEST_PRACTICES_URL, describeKey, keyFinding } from "./common";

/** KK103: keys are rotated before they reach the maximum age. */
export const apiKeyYoungerThanMaxAge: Rule = {
  id: "KK103",
  name: "ApiKeyYoungerThanMaxAge",
  severity: "warning",
  summary: "Every API key in Confluent Cloud is younger than the maximum age (default 90 days, --max-age-days)",
  rationale: "Old keys have had the most chances to leak; regular rotation bounds how long a leaked key stays useful.",
  fix: "Managed keys: rotate with `keykit rotate start <name>` / `keykit rotate finish <name>`. Unmanaged stale keys: delete them (cleanup script).",
  helpUri: BEST_PRACTICES_URL,
  acknowledgeable: "always",
  appliesTo: ["inventory"],
  check(model, context) {
    const audit = auditOf(model);
    if (!audit) return [];
    const findings: RuleFinding[] = [];
    for (const k of audit.keys) {
      if (k.ageDays === undefined || k.ageDays <= context.maxAgeDays) continue;
      findings.push(
        keyFinding(
          k,
          `${describeKey(k)} is ${k.ageDays} days old (created ${k.key.createdAt}), older than ${context.maxAgeDays} days`,
        ),
      );
    }
    return findings;
  },
};
