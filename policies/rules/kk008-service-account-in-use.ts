import type { Rule, RuleFinding } from "../rule";
import { PRACTICE_URLS, findingFor } from "./common";

/** Practice 3: unneeded service accounts are found and deleted. */
export const ServiceAccountInUse: Rule = {
  id: "KK008",
  name: "ServiceAccountInUse",
  severity: "warning",
  summary: "Every service account owns an API key or has a role binding / ACL",
  rationale:
    'A service account with no key and no access does nothing but widen the attack surface and clutter reviews. Use is: an API key owned by it or a role binding / ACL naming it, by reference to the resource, by its literal id, or through a data "confluent_service_account" that looks it up by its literal display name.',
  fix: "Delete the unneeded service account (or give it the key and role bindings it was created for).",
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
      if (sa.lookups?.some((lookup) => used.has(lookup))) continue;
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
