import type { Rule, RuleFinding } from "../rule";
import { PRACTICE_URLS, findingFor } from "./common";

/** Practice 3: unneeded service accounts are found and deleted. */
export const ServiceAccountInUse: Rule = {
  id: "KK008",
  name: "ServiceAccountInUse",
  severity: "warning",
  summary: "Every service account owns an API key or has a role binding / ACL",
  rationale:
    "A service account with no key and no access does nothing but widen the attack surface and clutter reviews.",
  fix: "Delete the unneeded service account (or give it the key and role bindings it was created for). In an audit, its role bindings, connectors, Flink statements and ksqlDB clusters live outside the configuration: the cleanup script deletes it only with its role-binding export (--role-bindings) and an audit log covering --unused-days that shows no action by it.",
  helpUri: PRACTICE_URLS.deleteUnneeded,
  acknowledgeable: "always",
  appliesTo: ["synth", "cdktf-json", "plan", "state", "hcl", "inventory"],
  check(model) {
    const used = new Set<string>();
    for (const key of model.apiKeys) {
      if (key.owner.key) used.add(key.owner.key);
      if (key.owner.reference) used.add(key.owner.reference.address);
      if (key.owner.id) used.add(key.owner.id);
    }
    for (const grant of model.grants) if (grant.principalKey) used.add(grant.principalKey);
    const out: RuleFinding[] = [];
    for (const sa of model.serviceAccounts) {
      if (used.has(sa.address) || (sa.id !== undefined && used.has(sa.id))) continue;
      out.push(
        findingFor(
          sa,
          `service account ${sa.id ?? sa.address} has no API key and no role binding or ACL: delete it if unneeded`,
        ),
      );
    }
    return out;
  },
};
