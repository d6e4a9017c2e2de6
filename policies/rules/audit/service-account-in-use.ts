import type { Rule, RuleFinding } from "../../rule";
import { accountFinding, auditOf, SERVICE_ACCOUNTS_URL } from "./common";

/** KK104: a service account has at least one API key or role binding. */
export const serviceAccountInUse: Rule = {
  id: "KK104",
  name: "ServiceAccountInUse",
  severity: "warning",
  summary: "Every service account holds an API key or a role binding",
  rationale:
    "A service account with no key and no role binding serves nothing; unneeded service accounts should be deleted. Role bindings are known from the given configuration only.",
  fix: "Check `confluent iam rbac role-binding list --principal User:<id>` first; then delete it (unmanaged ones are in the cleanup script) or remove it from the configuration.",
  helpUri: SERVICE_ACCOUNTS_URL,
  acknowledgeable: "always",
  appliesTo: ["inventory"],
  check(model) {
    const audit = auditOf(model);
    // Without the key list every account would look unused.
    if (!audit || !audit.inventory.listedApiKeys) return [];
    const findings: RuleFinding[] = [];
    for (const a of audit.serviceAccounts) {
      if (a.keyCount > 0 || a.hasGrant) continue;
      const name = a.account.displayName ? ` (${a.account.displayName})` : "";
      const managed = a.managedBy ? `; declared by ${a.managedBy.address}` : "";
      findings.push(
        accountFinding(
          a,
          `service account ${a.account.id}${name} has no API key and no role binding in the given configuration${managed}`,
        ),
      );
    }
    return findings;
  },
};
