/** Message and location helpers shared by the audit rules (KK101–KK104). Ids only, never a secret. */
import type { RuleFinding, Severity } from "../rule";
import type { AuditedKey } from "./audit-model";

/** A finding about a key in Confluent: the subject is the key id, so acknowledgements name it (or a glob). */
export function keyFinding(k: AuditedKey, message: string, severity?: Severity): RuleFinding {
  return {
    subject: k.key.id,
    location: k.location,
    message,
    codeAcknowledgements: k.acknowledgements,
    ...(severity ? { severity } : {}),
  };
}

/** "API key ABC (owner sa-1, kafka lkc-1)". */
export function describeKey(k: AuditedKey): string {
  const resources = k.key.resources.map((r) => (r.id && r.id !== r.kind ? `${r.kind} ${r.id}` : r.kind)).join(", ");
  return `API key ${k.key.id} (owner ${k.key.ownerId}${resources ? `, ${resources}` : ""})`;
}

export function ageText(k: AuditedKey): string {
  return k.ageDays === undefined ? "age unknown" : `${k.ageDays} days old`;
}
