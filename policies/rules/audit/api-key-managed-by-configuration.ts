import type { Rule, RuleFinding } from "../../rule";
import { auditOf, BEST_PRACTICES_URL, describeKey, keyFinding } from "./common";

/** KK101: every key in Confluent Cloud is managed by some configuration (or it is a candidate for deletion). */
export const apiKeyManagedByConfiguration: Rule = {
  id: "KK101",
  name: "ApiKeyManagedByConfiguration",
  severity: "warning",
  summary: "Every API key in Confluent Cloud is declared by a configuration (cdk.tf.json, state or plan)",
  rationale:
    "A key no configuration declares is invisible to review and rotation; unneeded keys are an attack surface and should be found and deleted.",
  fix: "Adopt the key into the configuration (import it) if it is needed; otherwise delete it (see the cleanup script when it is also user-owned, stale or orphaned).",
  helpUri: BEST_PRACTICES_URL,
  acknowledgeable: "always",
  appliesTo: ["inventory"],
  check(model) {
    const audit = auditOf(model);
    if (!audit || audit.desired.sources.length === 0) return [];
    const findings: RuleFinding[] = [];
    for (const k of audit.keys) {
      if (k.managedBy) continue;
      const maybe = k.possiblyManagedBy
        ? `; it may be ${k.possiblyManagedBy.address} (same owner, not matched by id or description: pass the Terraform state to be sure), so it is never put in the cleanup script`
        : "";
      findings.push(keyFinding(k, `${describeKey(k)} is not managed by any given configuration${maybe}`));
    }
    return findings;
  },
};
