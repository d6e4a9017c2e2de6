import { describeKey, keyFinding } from "../inventory/describe";
import type { Rule, RuleFinding } from "../rule";
import { PRACTICE_URLS } from "./common";

/** Practice 3 (audit): every key in Confluent Cloud is declared by some configuration, or it is found and deleted. */
export const ApiKeyManagedByConfiguration: Rule = {
  id: "KK101",
  name: "ApiKeyManagedByConfiguration",
  severity: "warning",
  summary: "Every API key in Confluent Cloud is declared by a given configuration (cdk.tf.json, state or plan)",
  rationale:
    "A key no configuration declares escapes review and rotation; unneeded keys are attack surface and should be found and deleted.",
  fix: "Import the key into the configuration if it is needed; otherwise delete it (the cleanup script lists it when it is also user-owned, stale or orphaned).",
  helpUri: PRACTICE_URLS.deleteUnneeded,
  acknowledgeable: "always",
  appliesTo: ["inventory"],
  check(_model, context) {
    const audit = context.audit;
    if (!audit || audit.desired.sources.length === 0) return [];
    const out: RuleFinding[] = [];
    for (const k of audit.keys) {
      if (k.managedBy) continue;
      const maybe = k.possiblyManagedBy
        ? `; it may be ${k.possiblyManagedBy.address} (same owner, matched neither by id nor by description: pass the Terraform state to be sure), so the cleanup script leaves it alone`
        : "";
      out.push(keyFinding(k, `${describeKey(k)} is not declared by any given configuration${maybe}`));
    }
    return out;
  },
};
