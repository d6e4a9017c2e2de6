/** Shared bits of the rules: links to the practices and a finding builder that carries code acknowledgements. */
import type { Tier } from "../metadata";
import type { EntityBase } from "../model";
import type { RuleFinding, Severity } from "../rule";

export const BEST_PRACTICES_URL =
  "https://docs.confluent.io/cloud/current/security/authenticate/workload-identities/service-accounts/api-keys/best-practices-api-keys.html";
export const API_KEYS_URL =
  "https://docs.confluent.io/cloud/current/security/authenticate/workload-identities/service-accounts/api-keys/overview.html";
export const PROVIDER_AUTH_URL = "https://registry.terraform.io/providers/confluentinc/confluent/latest/docs";

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
