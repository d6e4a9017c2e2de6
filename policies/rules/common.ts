/** Shared bits of the rules: links to the practices and a finding builder that carries code acknowledgements. */
import type { AuditFacts, AuditedKey } from "../inventory/audit-model";
import type { Tier } from "../metadata";
import type { EntityBase } from "../model";
import type { RuleContext, RuleFinding, Severity } from "../rule";

export const BEST_PRACTICES_URL =
  "https://docs.confluent.io/cloud/current/security/authenticate/workload-identities/service-accounts/api-keys/best-practices-api-keys.html";
export const API_KEYS_URL =
  "https://docs.confluent.io/cloud/current/security/authenticate/workload-identities/service-accounts/api-keys/overview.html";
export const PROVIDER_AUTH_URL = "https://registry.terraform.io/providers/confluentinc/confluent/latest/docs";

/** Each practice's own section or page, so a finding's link lands where its practice is explained. */
export const PRACTICE_URLS = {
  serviceAccountKeys: `${BEST_PRACTICES_URL}#use-service-account-api-keys-for-production`,
  globalKeys: `${BEST_PRACTICES_URL}#use-global-api-keys`,
  deleteUnneeded: `${BEST_PRACTICES_URL}#delete-unneeded-api-keys-and-service-accounts`,
  rotate: `${BEST_PRACTICES_URL}#rotate-api-keys-regularly`,
  auditLogs: "https://docs.confluent.io/cloud/current/monitoring/audit-logging/cloud-audit-log-concepts.html",
  sensitiveOutputs: "https://developer.hashicorp.com/terraform/language/values/outputs#sensitive",
  apiKeys: API_KEYS_URL,
} as const;

/** Where each provider documents its credentials from the environment (KK007 links the finding's own provider). */
export const PROVIDER_CREDENTIALS_URLS: Readonly<Record<string, string>> = {
  confluent: PROVIDER_AUTH_URL,
  aws: "https://registry.terraform.io/providers/hashicorp/aws/latest/docs#authentication-and-configuration",
  vault: "https://registry.terraform.io/providers/hashicorp/vault/latest/docs",
};

/** A finding about `entity`; a key judged at its own stack's tier (audit) carries that tier. */
export function findingFor(
  entity: EntityBase & { readonly tier?: Tier },
  message: string,
  severity?: Severity,
): RuleFinding {
  return {
    message,
    location: entity.location,
    subject: entity.address,
    codeAcknowledgements: entity.acknowledgements,
    ...(severity ? { severity } : {}),
    ...(entity.tier !== undefined ? { tier: entity.tier } : {}),
  };
}

/** How an owner is shown in messages: its id, or the reference it is written as. */
export function describeOwner(owner: { id?: string; reference?: { address: string } }): string {
  return owner.id ?? owner.reference?.address ?? "an unknown owner";
}

/**
 * The findings of an audit rule that judges the inventory's keys one at a time: what `judge` says of each key (or
 * nothing). None outside `keykit audit`, whose join of inventory and configurations is what the audit rules read.
 */
export function findingsPerAuditedKey(
  context: RuleContext,
  judge: (key: AuditedKey, audit: AuditFacts) => RuleFinding | undefined,
): RuleFinding[] {
  const audit = context.audit;
  if (!audit) return [];
  const out: RuleFinding[] = [];
  for (const key of audit.keys) {
    const finding = judge(key, audit);
    if (finding) out.push(finding);
  }
  return out;
}
