/** Shared by the audit rules (KK101–KK107): links, subjects and message fragments. */
import type { AuditedKey, AuditedServiceAccount, AuditModel } from "../../inventory/audit-model";
import { isAuditModel } from "../../inventory/audit-model";
import type { KeykitModel, SourceLocation } from "../../model";
import type { RuleFinding } from "../../rule";

const DOCS = "https://docs.confluent.io/cloud/current/security/authenticate/workload-identities/service-accounts";
export const BEST_PRACTICES_URL = `${DOCS}/api-keys/best-practices-api-keys.html`;
export const MANAGE_KEYS_URL = `${DOCS}/api-keys/manage-api-keys.html`;
export const SERVICE_ACCOUNTS_URL = `${DOCS}/overview.html`;

/** The audit facts of a model, or undefined for any other model (audit rules say nothing about those). */
export function auditOf(model: KeykitModel): AuditModel["audit"] | undefined {
  return isAuditModel(model) ? model.audit : undefined;
}

function keyLocation(k: AuditedKey): SourceLocation {
  return {
    file: k.key.sources[0],
    address: k.key.id,
    ...(k.managedBy?.constructPath !== undefined ? { constructPath: k.managedBy.constructPath } : {}),
  };
}

/** A finding about a key in Confluent: the subject is the key id, so acknowledgements name it (or a glob). */
export function keyFinding(k: AuditedKey, message: string, severity?: RuleFinding["severity"]): RuleFinding {
  return { subject: k.key.id, location: keyLocation(k), message, ...(severity ? { severity } : {}) };
}

export function accountFinding(a: AuditedServiceAccount, message: string): RuleFinding {
  return {
    subject: a.account.id,
    location: {
      file: a.account.sources[0],
      address: a.account.id,
      ...(a.managedBy?.constructPath !== undefined ? { constructPath: a.managedBy.constructPath } : {}),
    },
    message,
  };
}

/** "API key ABC (owner sa-1, kafka lkc-1)" — ids only, never a secret. */
export function describeKey(k: AuditedKey): string {
  const resources = k.key.resources.map((r) => (r.id && r.id !== r.kind ? `${r.kind} ${r.id}` : r.kind)).join(", ");
  return `API key ${k.key.id} (owner ${k.key.ownerId}${resources ? `, ${resources}` : ""})`;
}

export function ageText(k: AuditedKey): string {
  return k.ageDays === undefined ? "age unknown" : `${k.ageDays} days old`;
}
