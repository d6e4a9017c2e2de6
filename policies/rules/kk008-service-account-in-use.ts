import type { Rule, RuleFinding } from "../rule";
import { PRACTICE_URLS, findingFor } from "./common";

/** Practice 3: unneeded service accounts are found and deleted. */
export const ServiceAccountInUse: Rule = {
  id: "KK008",
  name: "ServiceAccountInUse",
  severity: "warning",
  summary: "Every service account owns an API key or has a role binding / ACL",
  rationale:
    'A service account with no key and no access does nothing but widen the attack surface and clutter reviews. Use is: an API key owned by it or a role binding / ACL naming it, by reference to the resource, by its literal id, or through a data "confluent_service_account" that looks it up by its literal display name. While some key or binding of an HCL input names an owner that cannot be resolved from it (a variable set in tfvars, which are not read, or an expression), no account is called unused: the finding is informational and says so.',
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
    // A key or binding whose owner cannot be told here (a variable given in tfvars, an expression) may be any
    // account: without positive evidence an account is unused, the finding says so and is only informational.
    // (HCL only: plans and states carry the variables' values, synthesized stacks the constructs' references.)
    const unresolved =
      model.kind !== "hcl"
        ? 0
        : model.apiKeys.filter((k) => !k.owner.key && !k.owner.reference && !k.owner.id).length +
          model.grants.filter((g) => !g.principalKey).length;
    const out: RuleFinding[] = [];
    for (const sa of model.serviceAccounts) {
      if (used.has(sa.address) || (sa.id !== undefined && used.has(sa.id))) continue;
      if (sa.lookups?.some((lookup) => used.has(lookup))) continue;
      if (unresolved > 0) {
        out.push(
          findingFor(
            sa,
            `service account ${sa.id ?? sa.address} has no API key or role binding naming it, but ${unresolved} key(s) or binding(s) name an owner that cannot be resolved here (a variable set in tfvars, an expression): check whether one of them is this account before deleting it`,
            "info",
          ),
        );
        continue;
      }
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
